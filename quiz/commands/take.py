"""Commands: `quiz take`, `quiz study`, `quiz grade`.

Glue only: the engine (`quiz.session`) picks and grades, the front ends (`quiz.ui.interactive`,
`quiz.ui.plain`) ask, the store (`quiz.store`) keeps each answer as it is given. Everything
heavy is imported inside the command functions.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import click

from quiz.commands.common import complete_bank_ids, config, echo_json

if TYPE_CHECKING:
    from quiz.bank.model import Bank
    from quiz.session import Result, Session, Summary
    from quiz.store import Store
    from quiz.ui.plain import Outcome


class KindChoice(click.Choice[str]):  # `--kind`: the kinds registered (quiz.kinds) when used
    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        from quiz.kinds import kind_names

        return kind_names()

    @choices.setter
    def choices(self, value: object) -> None:
        pass  # click.Choice's own __init__ sets it: the registry is the list


DIFFICULTIES = ("easy", "medium", "hard")


def register(root: click.Group) -> None:
    """Add this module's commands to the root group."""
    root.add_command(take)
    root.add_command(study)
    root.add_command(grade)


# -- shared helpers -------------------------------------------------------------------------------
def _interactive(plain: bool) -> bool:
    """questionary needs a terminal on both sides; otherwise (or with --plain) plain mode."""
    if plain:
        return False
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _pick_bank(interactive: bool) -> tuple[Bank, str]:
    """With no BANK: offer the known banks (the bundled ones, and QUIZ_BANKS folders).

    Choosing "Quit" (or typing :quit) leaves quietly with exit code 0: nothing had started.
    Ctrl-C, Ctrl-D or the end of the input are interruptions (exit 130).
    """
    from quiz.bank.catalog import Catalog
    from quiz.errors import Interrupted, NotFound
    from quiz.sanitize import clean_line

    banks = Catalog().banks()
    if not banks:
        raise NotFound("no bundled banks found: name a bank file or id, as in `quiz take BANK`")
    entries = [(bank.id, bank.title) for bank in banks]
    if interactive:
        from quiz.ui.interactive import choose_bank

        try:
            chosen = choose_bank(entries)
        except (KeyboardInterrupt, EOFError):
            raise Interrupted("No quiz chosen.") from None
        if chosen is None:
            _quit_quietly()
    else:
        click.echo("Which quiz?")
        for number, (bank_id, title) in enumerate(entries, 1):
            click.echo(f"  {number}) {clean_line(title)}  ({clean_line(bank_id)})")
        chosen = None
        while chosen is None:
            click.echo("> ", nl=False)
            line = sys.stdin.readline()
            if not line:
                click.echo("")
                raise Interrupted("No quiz chosen.")
            text = line.strip()
            if not sys.stdin.isatty():
                click.echo(clean_line(text))  # echo piped answers, as plain mode does
            if text.isdigit() and 1 <= int(text) <= len(entries):
                chosen = entries[int(text) - 1][0]
            elif text in {bank_id for bank_id, _ in entries}:
                chosen = text
            elif text.lower() in {":quit", ":q"}:
                _quit_quietly()
            else:
                click.echo(f"  type a number from 1 to {len(entries)}")
    bank = next(b for b in banks if b.id == chosen)
    return bank, bank.id


def _quit_quietly() -> NoReturn:
    """The learner chose to quit before a quiz started: nothing to save or say; exit 0."""
    click.get_current_context().exit(0)


def _tolerant_stdin() -> None:
    """Plain mode reads answers from stdin: bytes that are not text in its encoding must not
    crash the quiz or reach the store; they are read as U+FFFD (see also `quiz.ui.plain`)."""
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="replace")
        except (ValueError, OSError, AttributeError):  # a stream that cannot change: plain
            pass  # mode still turns surrogates into U+FFFD


def _citations(banks: Sequence[Bank]) -> dict[tuple[str, str], tuple[int, ...]]:
    """The source paragraphs of each question's facts, from the banks' source records.

    A question whose facts cannot be looked up (no source, a record not found, an unknown fact)
    is left out: its feedback cites the question's own `paragraph`, if it has one.
    """
    from quiz.bank.catalog import Catalog
    from quiz.errors import QuizError

    catalog = Catalog()
    found: dict[tuple[str, str], tuple[int, ...]] = {}
    for bank in banks:
        if not bank.source:
            continue
        try:
            source = catalog.source(bank.source, bank)
        except (QuizError, OSError):
            continue
        for question in bank.questions:
            facts = [source.fact(fact_id) for fact_id in question.facts]
            paragraphs = sorted({fact.paragraph for fact in facts if fact is not None})
            if paragraphs:
                found[(bank.id, question.id)] = tuple(paragraphs)
    return found


def _progress(answered: int, skipped: int, total: int) -> str:
    """ "3 of 17 answered", "3 of 17 answered, 2 skipped": a skip is not an answer."""
    text = f"{answered} of {total} answered"
    return text + (f", {skipped} skipped" if skipped else "")


def _front_end(interactive: bool, exam: bool, citations: Any = None) -> Any:
    if interactive:
        from quiz.ui.interactive import InteractiveFrontEnd

        return InteractiveFrontEnd(stdout=sys.stdout, exam=exam, citations=citations)
    from quiz.ui.plain import PlainFrontEnd

    return PlainFrontEnd(sys.stdin, sys.stdout, exam=exam, citations=citations)


def _resume_command(ctx: click.Context, bank_args: Sequence[str], extra: Sequence[str]) -> str:
    """The exact command that continues this quiz."""
    cfg = config(ctx)
    words = ["quiz"]
    if cfg.home_option:
        words += ["--home", cfg.home_option]
    if cfg.user_option:
        words += ["--user", cfg.user_option]
    words += [ctx.info_name or "take", *bank_args, *extra]
    return " ".join(shlex.quote(word) for word in words)


def _print_end(session: Session, exam: bool, citations: Any = None) -> Summary:
    from quiz.ui.plain import Style, exam_review_lines, output_width, summary_lines, wrap_lines

    style = Style.for_stream(sys.stdout)
    summary = session.summary()
    lines: list[str] = []
    if exam:
        lines += exam_review_lines(summary.results, style, citations)
    lines += summary_lines(summary, style)
    for line in wrap_lines(lines, output_width(sys.stdout)):
        click.echo(line, color=style.color)
    return summary


def _stopped(session: Session, outcome: Outcome, how_to_continue: str, interactive: bool) -> None:
    """Every answer is already saved: say so, say how to go on, and exit 130."""
    from quiz.errors import Interrupted
    from quiz.sanitize import clean
    from quiz.ui.plain import Outcome

    skipped = sum(1 for r in session.results if r.skipped)
    answered = len(session.results) - skipped
    why = "Saved." if outcome is Outcome.QUIT else "Interrupted."
    noun = "question" if session.total == 1 else "questions"
    progress = f"{answered} of {session.total} {noun} answered"
    if skipped:
        progress += f", {skipped} skipped"
    raise Interrupted(clean(f"{why} {progress}; every answer is kept.\n{how_to_continue}"))


def _saver(store: Store, attempt_id: str, then: Any = None) -> Any:
    """Store each answer as it is given; a Ctrl-C waits until it is stored whole."""
    from quiz.ui.interrupts import deferred_sigint

    def save(result: Result) -> None:
        with deferred_sigint():
            store.record_response(attempt_id, result.record())
            if then is not None:
                then(result)

    return save


def _run_front_end(front_end: Any, session: Session) -> Outcome:
    """Ask the session's questions; a Ctrl-C or Ctrl-D at any instant once the attempt is
    stored (before the first question, between two) is an interruption, answers kept."""
    from quiz.ui.interrupts import checkpoint
    from quiz.ui.plain import Outcome

    try:
        checkpoint("start")
        outcome: Outcome = front_end.run(session)
    except (KeyboardInterrupt, EOFError):
        return Outcome.INTERRUPTED
    return outcome


# -- quiz take ---------------------------------------------------------------------------
@click.command()
@click.argument("banks", nargs=-1, metavar="[BANK]...", shell_complete=complete_bank_ids)
@click.option("--count", "-n", type=click.IntRange(min=1), help="Ask at most N questions.")
@click.option(
    "--tag", "tags", multiple=True, metavar="T", help="Only questions with tag T (repeatable)."
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=KindChoice(),
    help="Only questions of this kind (repeatable).",
)
@click.option("--difficulty", type=click.Choice(DIFFICULTIES), help="Only questions this hard.")
@click.option("--seed", type=int, help="Shuffle from this seed: the same seed, the same quiz.")
@click.option(
    "--no-shuffle", is_flag=True, help="Ask in the bank's order; options in a fixed, sorted order."
)
@click.option("--user", metavar="NAME", help="Who is answering [default: QUIZ_USER, the login].")
@click.option("--plain", is_flag=True, help="Numbered options, answers read line by line.")
@click.option("--resume", is_flag=True, help="Continue your last unfinished quiz on these banks.")
@click.option("--wrong-only", is_flag=True, help="Ask only what you got wrong the last time.")
@click.option("--exam", is_flag=True, help="Hold all feedback until the end.")
@click.pass_context
def take(
    ctx: click.Context,
    banks: tuple[str, ...],
    count: int | None,
    tags: tuple[str, ...],
    kinds: tuple[str, ...],
    difficulty: str | None,
    seed: int | None,
    no_shuffle: bool,
    user: str | None,
    plain: bool,
    resume: bool,
    wrong_only: bool,
    exam: bool,
) -> None:
    """Take a quiz drawn from one or more banks (ids or files).

    Arrow keys and Enter in a terminal; each answer is saved as it is given. Choose "Skip this
    question" or "Save and quit" in a list (in a tick list: press Enter with nothing ticked), or
    type :skip or :quit. Ctrl-C keeps your answers: `--resume` continues where you stopped;
    starting the same quiz afresh sets the unfinished one aside. With no BANK, pick one of the
    bundled banks.
    """
    from quiz.bank.catalog import Catalog
    from quiz.errors import NotFound, QuizError
    from quiz.session import Filters, Session, new_seed, select_plan
    from quiz.store import Store
    from quiz.store.records import snapshot_of
    from quiz.ui.interrupts import checkpoint

    checkpoint("load")
    if resume:
        clashing = [
            name
            for name, given in (
                ("--count", count is not None),
                ("--tag", bool(tags)),
                ("--kind", bool(kinds)),
                ("--difficulty", difficulty is not None),
                ("--seed", seed is not None),
                ("--no-shuffle", no_shuffle),
                ("--wrong-only", wrong_only),
            )
            if given
        ]
        if clashing:
            raise click.UsageError(
                f"--resume continues a quiz as it was planned: drop {', '.join(clashing)}"
            )
    interactive = _interactive(plain)
    if not interactive:
        _tolerant_stdin()
    cfg = config(ctx)
    who = cfg.user(user)
    catalog = Catalog()
    if banks:
        chosen = catalog.resolve_many(list(banks))
        bank_args = list(banks)
    elif resume:
        chosen, bank_args = [], []
    else:
        bank, name = _pick_bank(interactive)
        chosen, bank_args = [bank], [name]

    with Store.open(cfg.home) as store:
        if resume:
            if chosen:
                candidates = [
                    store.find_resumable(who, [b.id for b in chosen], mode=mode)
                    for mode in ("take", "exam")
                ]
                found = sorted((a for a in candidates if a is not None), key=lambda a: a.started_at)
                attempt = found[-1] if found else None
            else:
                found = [
                    a
                    for a in store.attempts(user=who, status="in_progress")
                    if a.mode in ("take", "exam")
                ]
                attempt = found[0] if found else None
                if attempt is not None:
                    bank_args = [bank_id for bank_id, _ in attempt.banks]
                    chosen = catalog.resolve_many(bank_args)
            if attempt is None:
                where = f" on {', '.join(b.id for b in chosen)}" if chosen else ""
                raise NotFound(
                    f"no unfinished quiz for {who}{where} to resume: start one with `quiz take`"
                )
            exam = exam or attempt.mode == "exam"
            attempt_id = attempt.id
            session = Session(
                chosen,
                attempt.plan,
                seed=attempt.seed if attempt.seed is not None else 0,
                shuffle=attempt.seed is not None,
                answered=attempt.responses,
                on_answer=_saver(store, attempt_id),
            )
            if session.dropped:
                click.echo(
                    f"Note: {len(session.dropped)} planned question(s) are no longer in the "
                    "bank and are left out.",
                    err=True,
                )
            skipped = sum(1 for r in session.results if r.skipped)
            progress = _progress(len(session.results) - skipped, skipped, session.total)
            click.echo(f"Resuming: {progress}.", err=True)
        else:
            only = None
            if wrong_only:
                only = frozenset(
                    (b.id, qid) for b in chosen for qid in store.wrong_last_time(who, b.id)
                )
                if not only:
                    click.echo(
                        "Nothing to retry: you got every question right the last time"
                        " you saw it (or have not taken these banks yet)."
                    )
                    return
            quiz_seed = seed if seed is not None else new_seed()
            filters = Filters(
                count=count,
                tags=tags,
                kinds=kinds,
                difficulty=(difficulty,) if difficulty else (),
                only=only,
            )
            plan = select_plan(chosen, filters, seed=quiz_seed, shuffle=not no_shuffle)
            if not plan:
                raise QuizError("no question matches: " + _filters_text(chosen, filters))
            for bank in chosen:
                store.save_snapshot(snapshot_of(bank))
            mode = "exam" if exam else "take"
            # Starting afresh sets the unfinished attempt on these banks aside (the store marks
            # it abandoned): say so before the first question, if anything in it was answered.
            set_aside = store.find_resumable(who, [b.id for b in chosen], mode=mode)
            attempt_id = store.start_attempt(
                user=who,
                banks=[(b.id, b.content_hash or "") for b in chosen],
                mode=mode,
                seed=None if no_shuffle else quiz_seed,
                plan=plan,
            )
            if set_aside is not None and set_aside.responses:  # (nothing answered: no loss)
                _say_set_aside(set_aside)
            session = Session(
                chosen,
                plan,
                seed=quiz_seed,
                shuffle=not no_shuffle,
                on_answer=_saver(store, attempt_id),
            )

        citations = _citations(chosen)
        outcome = _run_front_end(_front_end(interactive, exam, citations), session)
        from quiz.ui.plain import Outcome

        if outcome is not Outcome.DONE:
            extra = ["--resume"]
            if user:
                extra += ["--user", user]
            if plain:
                extra.append("--plain")
            command = _resume_command(ctx, bank_args, extra)
            _stopped(session, outcome, f"Resume with: {command}", interactive)
        store.finish_attempt(attempt_id)
    _print_end(session, exam, citations)


def _say_set_aside(attempt: Any) -> None:
    from quiz.sanitize import clean_line

    skipped = sum(1 for r in attempt.responses if r.skipped)
    answered = len(attempt.responses) - skipped
    total = len(attempt.plan) or len(attempt.responses)
    from quiz.ui.plain import output_width, wrap_lines

    banks = ", ".join(clean_line(bank_id) for bank_id, _ in attempt.banks)
    note = (
        f"Your unfinished attempt on {banks} ({_progress(answered, skipped, total)}) was set "
        "aside; next time use --resume to continue it."
    )
    for line in wrap_lines([note], output_width(sys.stderr)):
        click.echo(line, err=True)


def _filters_text(banks: Sequence[Bank], filters: Any) -> str:
    parts = [f"bank{'s' if len(banks) != 1 else ''} {', '.join(b.id for b in banks)}"]
    if filters.tags:
        parts.append(f"tag {' or '.join(filters.tags)}")
    if filters.kinds:
        parts.append(f"kind {' or '.join(filters.kinds)}")
    if filters.difficulty:
        parts.append(f"difficulty {' or '.join(filters.difficulty)}")
    if filters.only is not None:
        parts.append("answered wrong last time")
    return "; ".join(parts)


# -- quiz study ---------------------------------------------------------------------------
@click.command()
@click.argument("banks", nargs=-1, metavar="[BANK]...", shell_complete=complete_bank_ids)
@click.option(
    "--count",
    "-n",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Review at most N questions.",
)
@click.option("--user", metavar="NAME", help="Who is answering [default: QUIZ_USER, the login].")
@click.option("--plain", is_flag=True, help="Numbered options, answers read line by line.")
@click.pass_context
def study(
    ctx: click.Context, banks: tuple[str, ...], count: int, user: str | None, plain: bool
) -> None:
    """Spaced repetition (FSRS): the questions due for review first, then new ones.

    A right answer rates Good, a partly right one Hard, a wrong one Again; a skipped question
    stays due. At the end: how many questions are due today, tomorrow and this week.
    """
    from quiz.app import study as scheduler
    from quiz.bank.catalog import Catalog
    from quiz.session import Session, new_seed
    from quiz.store import Store
    from quiz.store.records import snapshot_of
    from quiz.ui.interrupts import checkpoint
    from quiz.ui.plain import Outcome

    checkpoint("load")
    interactive = _interactive(plain)
    if not interactive:
        _tolerant_stdin()
    cfg = config(ctx)
    who = cfg.user(user)
    if banks:
        chosen = Catalog().resolve_many(list(banks))
        bank_args = list(banks)
    else:
        bank, name = _pick_bank(interactive)
        chosen, bank_args = [bank], [name]
    bank_ids = [b.id for b in chosen]

    with Store.open(cfg.home) as store:
        due = scheduler.due_questions(store, who, chosen, count)
        if not due:
            click.echo("Nothing to review now.")
            _print_forecast(scheduler.forecast(store, who, bank_ids))
            return
        for bank in chosen:
            store.save_snapshot(snapshot_of(bank))
        quiz_seed = new_seed()
        attempt_id = store.start_attempt(
            user=who,
            banks=[(b.id, b.content_hash or "") for b in chosen],
            mode="study",
            seed=quiz_seed,
            plan=list(due),
        )

        def review(result: Result) -> None:
            if not result.skipped:
                scheduler.review(store, who, result.bank_id, result.question_id, result.fraction)

        session = Session(chosen, due, seed=quiz_seed, on_answer=_saver(store, attempt_id, review))
        citations = _citations(chosen)
        outcome = _run_front_end(_front_end(interactive, exam=False, citations=citations), session)
        if outcome is not Outcome.DONE:
            store.finish_attempt(attempt_id)  # a study session is not resumed: rerun it
            extra = ["--user", user] if user else []
            if plain:
                extra.append("--plain")
            forecast = scheduler.forecast(store, who, bank_ids)
            _stopped(
                session,
                outcome,
                f"{_forecast_text(forecast)}\nContinue with: "
                f"{_resume_command(ctx, bank_args, extra)}",
                interactive,
            )
        store.finish_attempt(attempt_id)
        forecast = scheduler.forecast(store, who, bank_ids)
    _print_end(session, exam=False, citations=citations)
    _print_forecast(forecast)


def _forecast_text(forecast: Any) -> str:
    def get(key: str) -> int:
        value = forecast.get(key, 0) if isinstance(forecast, dict) else getattr(forecast, key, 0)
        return int(value)

    return f"Due today: {get('today')}, tomorrow: {get('tomorrow')}, this week: {get('week')}."


def _print_forecast(forecast: Any) -> None:
    click.echo(_forecast_text(forecast))


# -- quiz grade ---------------------------------------------------------------------------
@click.command()
@click.argument("bank", shell_complete=complete_bank_ids)
@click.argument("sheet", type=click.Path(dir_okay=False))
@click.option(
    "--user",
    metavar="NAME",
    help="Who answered [default: the sheet's user:, QUIZ_USER, the login].",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--no-record", is_flag=True, help="Grade without storing an attempt.")
@click.pass_context
def grade(
    ctx: click.Context, bank: str, sheet: str, user: str | None, as_json: bool, no_record: bool
) -> None:
    """Grade an answer sheet (YAML: bank, user, answers) against BANK.

    \b
    bank: rason-figures
    user: alice
    answers:
      china-share: 97 percent
      china-share-source: KOTRA
      rason-population: 200 thousand

    Unknown question ids are errors; questions the sheet leaves out (or leaves empty) are not
    answered and score 0.
    """
    from quiz.bank.catalog import Catalog
    from quiz.bank.sheet import load_sheet, responses_for
    from quiz.session import Session
    from quiz.store.records import snapshot_of

    the_sheet = load_sheet(sheet)
    the_bank = Catalog().resolve(bank)
    responses = responses_for(the_sheet, the_bank)
    who = config(ctx).user(user, the_sheet.user)
    plan = [(the_bank.id, q.id) for q in the_bank.questions]
    attempt_id: str | None = None

    def grade_all(session: Session) -> None:
        while (item := session.current) is not None:
            session.answer(responses.get(item.question.id))

    if no_record:
        session = Session([the_bank], plan, seed=0, shuffle=False)
        grade_all(session)
    else:
        from quiz.store import Store

        with Store.open(config(ctx).home) as store:
            store.save_snapshot(snapshot_of(the_bank))
            attempt_id = store.start_attempt(
                user=who,
                banks=[(the_bank.id, the_bank.content_hash or "")],
                mode="grade",
                seed=None,
                plan=plan,
            )
            session = Session(
                [the_bank], plan, seed=0, shuffle=False, on_answer=_saver(store, attempt_id)
            )
            grade_all(session)
            store.finish_attempt(attempt_id)

    summary = session.summary()
    if as_json:
        echo_json(
            {
                "bank": the_bank.id,
                "user": who,
                "score": summary.score,
                "max_score": summary.max_score,
                "questions": [
                    {
                        "id": r.question_id,
                        "score": r.score,
                        "max_score": r.max_score,
                        "correct": r.correct,
                        "response": r.response,
                        "expected": r.expected,
                    }
                    for r in summary.results
                ],
            }
        )
        return
    _print_grade_table(the_bank, who, summary, attempt_id)


def _print_grade_table(bank: Bank, user: str, summary: Summary, attempt_id: str | None) -> None:
    from quiz.sanitize import clean_line
    from quiz.ui.plain import Style, output_width, points, response_text, wrap_lines

    style = Style.for_stream(sys.stdout)
    lines = [f"{clean_line(bank.title)} ({clean_line(bank.id)}), answered by {clean_line(user)}"]
    rows = []
    for r in summary.results:
        response = "(no answer)" if r.response is None else response_text(r.response, r.question)
        rows.append(
            (
                clean_line(r.question_id),
                f"{points(r.score)}/{points(r.max_score)}",
                style.verdict(r.verdict),  # a question the sheet left out: "Skipped"
                response,
                "" if r.correct else clean_line(r.expected),
            )
        )
    id_width = max([len(row[0]) for row in rows] + [8])
    score_width = max([len(row[1]) for row in rows] + [5])
    pad = f"  {'':<{id_width}}  {'':>{score_width}}    "
    lines.append(f"  {'question':<{id_width}}  {'score':>{score_width}}  result")
    for qid, score, verdict, response, expected in rows:
        lines.append(f"  {qid:<{id_width}}  {score:>{score_width}}  {verdict}")
        lines.append(f"{pad}answer given: {response}")
        if expected:
            lines.append(f"{pad}right answer: {expected}")
    lines.append(
        f"Score: {points(summary.score)}/{points(summary.max_score)} ({summary.percent:.0f}%)"
    )
    noun = "question" if summary.total == 1 else "questions"
    answered = f"Answered {summary.answered} of {summary.total} {noun}"
    unanswered = summary.total - summary.answered
    lines.append(answered + (f"; {unanswered} not answered (scored 0)." if unanswered else "."))
    if attempt_id:
        lines.append(f"Recorded as attempt {attempt_id[:8]}.")
    for line in wrap_lines(lines, output_width(sys.stdout)):
        click.echo(line, color=style.color)
