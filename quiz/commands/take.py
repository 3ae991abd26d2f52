"""`quiz take`: options, the resume command line, and what is said before and after the quiz.

The quiz itself is `quiz.app.attempts` (plan, start, resume, save each answer, finish) and the
front ends (`quiz.ui.interactive`, `quiz.ui.plain`). Everything heavy is imported inside the
functions.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import click

from quiz.commands import common
from quiz.commands.common import StoredInt, complete_bank_ids, config

if TYPE_CHECKING:
    from quiz.app.attempts import QuizRequest, Running, SetAside
    from quiz.bank.model import Bank
    from quiz.store import Store


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
    """Add `take` to the root group."""
    root.add_command(take)


@click.command()
@click.argument("banks", nargs=-1, metavar="[BANK]...", shell_complete=complete_bank_ids)
@click.option("--count", "-n", type=StoredInt(min=1), help="Ask at most N questions.")
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
@click.option(
    "--seed",
    type=StoredInt(),
    help="Shuffle from this seed: the same seed, the same quiz.",
)
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

    One question per screen in a terminal; each answer is saved as it is given. Keys: 1-9
    pick (past 9 options: digits, then Enter), t/f (y/n) on true/false, Space or 1-9 tick;
    match: 1-9 gives the current row its match, up/down reach any row; order: 1-9 places
    items first to last, Backspace undoes. Enter answers, s skips, q saves and quits (in a
    text field: :skip, :quit). Save and quit
    exits 0; Ctrl-C or Ctrl-D keeps your answers too but exits 130. `--resume` continues
    where you stopped; on a terminal, starting the same quiz again asks whether to resume
    (plain mode sets the unfinished one aside). With no BANK, pick one of the bundled banks.
    """
    if not plain and sys.stdin.isatty() and sys.stdout.isatty():
        # Something on screen at once; the cursor goes back to the line's start, so that
        # whatever is shown next (the first question, a note, an error) writes over it.
        click.echo("Loading…\r", err=True, nl=False)
    from quiz.app.attempts import QuizRequest
    from quiz.ui.interrupts import checkpoint

    checkpoint("load")
    request = QuizRequest(
        count=count,
        tags=tags,
        kinds=kinds,
        difficulty=difficulty,
        seed=seed,
        shuffle=not no_shuffle,
        wrong_only=wrong_only,
        exam=exam,
    )
    if resume:
        _check_resume_options(request)
    is_interactive = common.screen_mode(plain)
    extra = ["--resume", *(["--user", user] if user else []), *(["--plain"] if plain else [])]
    who = config(ctx).user(user)
    _run(ctx, banks, request, who, resume, is_interactive, extra, named=user is not None)


def _check_resume_options(request: QuizRequest) -> None:
    """--resume continues a quiz as planned: options that plan a quiz are usage errors."""
    clashing = _planning_options(request)
    if clashing:
        raise click.UsageError(
            f"--resume continues a quiz as it was planned: drop {', '.join(clashing)}"
        )


def _planning_options(request: QuizRequest) -> list[str]:
    """The options given that plan a new quiz (which questions, in which order)."""
    return [
        name
        for name, given in (
            ("--count", request.count is not None),
            ("--tag", bool(request.tags)),
            ("--kind", bool(request.kinds)),
            ("--difficulty", request.difficulty is not None),
            ("--seed", request.seed is not None),
            ("--no-shuffle", not request.shuffle),
            ("--wrong-only", request.wrong_only),
        )
        if given
    ]


def _run(
    ctx: click.Context,
    banks: tuple[str, ...],
    request: QuizRequest,
    who: str,
    resume: bool,
    is_interactive: bool,
    extra: list[str],
    named: bool = False,
) -> None:
    """Start (or resume) the quiz, ask it, and finish it, or say how to resume it."""
    import shlex

    from quiz.app import attempts
    from quiz.ui.plain import Outcome

    if resume and not banks:
        chosen: list[Bank] = []
        bank_args: list[str] = []
    else:
        chosen, bank_args = common.choose_banks(banks, is_interactive)
    with attempts.open_store(config(ctx).store) as store:
        who = config(ctx).user_on(store, who, named)
        if not resume and is_interactive and chosen:
            resume = _asks_to_resume(store, who, chosen, request)
        running = (
            _resume(store, who, chosen, request.exam)
            if resume
            else _start(store, who, chosen, request, is_interactive)
        )
        if running is None:
            return
        citations = attempts.citations(running.banks)
        if running.handout:
            click.echo(
                "A sealed handout: no feedback is given, and your instructor grades your"
                " answers when they import your results."
            )
        command = common.resume_command(ctx, bank_args or list(running.bank_ids), extra)
        with common.answers_kept(running.session, f"Resume with: {command}"):
            outcome = common.run_front_end(running, is_interactive, citations)
            if outcome is not Outcome.DONE and running.session.done:
                _stopped_at_the_end(store, running)
            if outcome is not Outcome.DONE:
                common.stopped(running.session, outcome, f"Resume with: {command}")
            attempts.finish(store, running)
    if running.handout:
        common.print_handout_end(running.session)
        return
    if is_interactive and sys.stdout.isatty():
        if running.exam:  # the feedback held back (it scrolls), then the end on one screen
            common.print_end(running.session, True, citations, summary=False)
        shown = " ".join(shlex.quote(arg) for arg in bank_args or running.bank_ids)
        steps = [f"quiz take {shown} --wrong-only", f"quiz study {shown}"]
        common.print_end_screen(running, steps)
    else:
        common.print_end(running.session, running.exam, citations)


def _stopped_at_the_end(store: Store, running: Running) -> NoReturn:
    """Ctrl-C or Ctrl-D once every question is answered (at the last verdict): the attempt
    is complete, so it is finished, and the exit is still 130."""
    from quiz.app import attempts
    from quiz.errors import Interrupted
    from quiz.ui.terminal import output_width, wrap_lines

    attempts.finish(store, running)
    said = "Interrupted. Every question is answered and kept:"
    shown = f"quiz scores show {running.attempt_id[:8]}"
    raise Interrupted("\n".join([*wrap_lines([said], output_width(sys.stderr)), shown]))


def _asks_to_resume(store: Store, who: str, chosen: list[Bank], request: QuizRequest) -> bool:
    """On a terminal, an unfinished attempt on the same banks is offered first (plain mode
    keeps the rule: a new quiz sets it aside, and says so). Resumed, it keeps the questions
    it started with: options that would plan other ones are said not to apply."""
    from quiz.app import attempts
    from quiz.errors import Interrupted

    progress = attempts.unfinished(store, who, chosen, exam=request.exam)
    if progress is None:
        return False
    from quiz.ui.interactive import confirm_resume

    try:
        resumed = confirm_resume(common.progress_text(progress))
    except (KeyboardInterrupt, EOFError):
        raise Interrupted("Nothing changed: your unfinished attempt is kept.") from None
    unused = _planning_options(request)
    if resumed and unused:
        from quiz.ui.terminal import output_width, wrap_lines

        note = (
            f"Note: {', '.join(unused)} not applied: the attempt resumes with the questions"
            " it started with."
        )
        for line in wrap_lines([note], output_width(sys.stderr)):
            click.echo(line, err=True)
    return resumed


def _resume(store: Store, who: str, chosen: list[Bank], exam: bool) -> Running:
    from quiz.app import attempts

    running = attempts.resume_quiz(store, who, chosen, exam=exam)
    dropped = running.session.dropped
    if dropped:
        click.echo(
            f"Note: {len(dropped)} planned question(s) are no longer in the bank and are left out.",
            err=True,
        )
    click.echo(f"Resuming: {common.progress_text(running.progress())}.", err=True)
    return running


def _start(
    store: Store, who: str, chosen: list[Bank], request: QuizRequest, asked: bool = False
) -> Running | None:
    from quiz.app import attempts

    running = attempts.start_quiz(store, who, chosen, request)
    if running is None:
        click.echo(
            "Nothing to retry: you got every question right the last time"
            " you saw it (or have not taken these banks yet)."
        )
    else:
        if running.set_aside is not None:
            _say_set_aside(running.set_aside, asked)
        if running.left_out:
            _say_left_out(running)
    return running


def _say_left_out(running: Running) -> None:
    """Questions left out because they and another question give away each other's answers."""
    from quiz.sanitize import clean_line
    from quiz.ui.terminal import output_width, wrap_lines

    several = len(running.bank_ids) > 1

    def name(key: tuple[str, str]) -> str:
        return clean_line(f"{key[0]}:{key[1]}" if several else key[1])

    count = len(running.left_out)
    pairs = ", ".join(f"{name(item.key)} (with {name(item.other)})" for item in running.left_out)
    if count == 1:
        note = "Note: 1 question was left out, because it and a question of this quiz"
    else:
        note = f"Note: {count} questions were left out, because each and a question of this quiz"
    note += f" give away each other's answers: {pairs}."
    if running.replaced == count:
        note += " Another question takes its place." if count == 1 else " Others take their place."
    elif running.replaced:
        note += f" Others take the place of {running.replaced} of them."
    for line in wrap_lines([note], output_width(sys.stderr)):
        click.echo(line, err=True)


def _say_set_aside(set_aside: SetAside, asked: bool) -> None:
    from quiz.sanitize import clean_line
    from quiz.ui.terminal import output_width, wrap_lines

    banks = ", ".join(clean_line(bank_id) for bank_id in set_aside.bank_ids)
    shown = f" (quiz scores show {set_aside.attempt_id[:8]})" if set_aside.attempt_id else ""
    note = (
        f"Your unfinished attempt on {banks} ({common.progress_text(set_aside.progress)}) was set "
        f"aside: it is closed, its answers kept in your scores{shown}. To continue an unfinished"
        " quiz instead, start it with --resume."
        + ("" if asked else " (Plain mode does not ask: a new quiz sets it aside.)")
    )
    for line in wrap_lines([note], output_width(sys.stderr)):
        click.echo(line, err=True)
