"""`quiz scores ...`: list, stats, path, show, delete; export, import, report.

The reading, replaying and report building are `quiz.app.scores`, `quiz.app.replays` and
`quiz.app.reports`; files are written by `quiz.app.files` through `common.write_or_echo`. Only
click is imported here at module level: the store, rich and the rest load inside the command
that needs them, so `quiz --help` stays fast.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from quiz.commands.common import (
    all_option,
    bank_files_option,
    config,
    echo_json,
    force_option,
    limit_option,
    output_option,
    shown_path,
    to_file,
    write_or_echo,
)

if TYPE_CHECKING:
    from quiz.app.replays import Replay, ReplayItem
    from quiz.reports.learner import GroupStats
    from quiz.reports.render import Report
    from quiz.store import Store
    from quiz.store.records import ResponseValue
    from quiz.store.summaries import AttemptSummary
    from quiz.ui.tables import TerminalColumn

BY_CHOICES = ("user", "question", "responses", "marks", "attempt")
ATTEMPT_CHOICES = ("first", "last", "best", "all")
LMS_CHOICES = ("moodle", "canvas")
FORMAT_CHOICES = ("table", "csv", "json", "md", "html")
GRADE_CHOICES = ("best", "last", "first", "mean")


def register(root: click.Group) -> None:
    """Add the `scores` group, with every subcommand, to the root group."""
    root.add_command(scores)


@click.group("scores")
def scores() -> None:
    """Scores kept in the local store: list, stats, show, delete, path; export, import, report.

    Every command covers every learner unless --user names one."""


# --- helpers ---------------------------------------------------------------------------------


def _open_store(ctx: click.Context) -> Store:
    from quiz.app.stores import open_store

    return open_store(config(ctx).store)


def _named_user(name: str | None, where: str) -> str | None:
    """A user named on the command line, refused if it could pass for another name."""
    if name is None:
        return None
    from quiz.errors import UsageProblem
    from quiz.sanitize import name_problem

    problem = name_problem(name.strip()) if name.strip() else "must not be empty"
    if problem is not None:
        raise UsageProblem(f"{where}: {problem}")
    return name.strip()


def _console() -> Any:
    from quiz.ui.terminal import make_console

    # The one width rule and the one colour rule (`quiz.ui.terminal`).
    return make_console()


def _num(value: float) -> str:
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return str(int(value))  # most scores (a list shows 10,000): no rounding to do
    from quiz.limits import format_number

    return format_number(round(value, 2))


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _when(iso: str | None) -> str:
    """A stored UTC time as people read it, in local time to the minute ("today 18:01",
    "29 Nov 18:01"): the one way a terminal shows a time (`quiz.times.near_time`)."""
    from quiz.times import near_time

    return near_time(iso)


def _response_text(response: ResponseValue) -> str:
    """The one response formatter (`quiz.ui.plain.response_text`, cleaned)."""
    from quiz.ui.plain import response_text

    return response_text(response)


# --- list ------------------------------------------------------------------------------------


@scores.command("list")
@click.option("--user", "user_name", metavar="NAME", help="Only this learner's attempts.")
@click.option("--bank", metavar="BANK_ID", help="Only attempts drawn (partly) from this bank.")
@limit_option()
@all_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects.")
@click.pass_context
def list_attempts(
    ctx: click.Context,
    user_name: str | None,
    bank: str | None,
    limit: int | None,
    show_all: bool,
    as_json: bool,
) -> None:
    """Attempts that hold an answer, newest first. On a terminal, the newest 20 and how many
    more (--all lists every one); --json and pipes list every row; --limit N caps them."""
    from quiz.app.scores import attempt_page
    from quiz.ui.tables import SCREEN_ROWS, draw, on_terminal

    terminal = on_terminal() and not as_json
    paged = terminal and not show_all and limit is None
    found = attempt_page(
        config(ctx).store,
        user=user_name,
        bank=bank,
        limit=SCREEN_ROWS if paged else limit,
        count=paged,  # "N more" is a terminal's
    )  # only the rows shown are read; attempts without an answer are left out
    rows = list(found.rows) if found is not None else []
    more = found.total - len(rows) if found is not None and paged else 0
    if as_json:
        echo_json([row.as_dict() for row in rows])
        return
    if not rows:
        if found is None:
            click.echo("No attempts recorded yet.")
        elif user_name is None and bank is None:  # a store whose attempts hold no answer yet
            click.echo("No attempts with an answer yet.")
        else:
            click.echo("No matching attempts.")
        return
    waiting = any(row.ungraded for row in rows) and _learner_waits(ctx)
    columns, cells = attempts_table(rows, waiting=waiting)
    draw("Attempts", columns, cells, more=more)
    if waiting:
        click.echo(
            "Answers waiting for your instructor's grading score nothing yet; your instructor's"
            " next command grades them."
        )


def _learner_waits(ctx: click.Context) -> bool:
    """On a class store, connected as a learner: ungraded answers wait for the instructor."""
    from quiz.app.classroom import is_learner

    return config(ctx).db_url is not None and is_learner(config(ctx).store)


def attempts_table(
    rows: list[AttemptSummary], *, waiting: bool = False
) -> tuple[list[TerminalColumn], list[list[str]]]:
    """`scores list`'s columns and cells. Ids (by their unique prefix), banks, times and scores
    are never broken (a bank per line instead); on a narrow terminal the mode, then the count
    of answers (which an unfinished attempt's status repeats), are left out before the rows
    become blocks. `waiting`: a learner on a class
    store, whose ungraded answers wait for the instructor's grading."""
    from quiz.ui.tables import TerminalColumn

    columns = [
        TerminalColumn("Attempt", no_wrap=True, id=True),
        TerminalColumn("Started", no_wrap=True),
        TerminalColumn("User", whole_words=True),  # a name is never broken
        TerminalColumn("Banks", no_wrap=True),
        TerminalColumn("Mode", no_wrap=True, drop=2),
        TerminalColumn("Status"),  # "in progress 3/14" wraps between its words
        TerminalColumn("Answered", no_wrap=True, drop=1),
        TerminalColumn("Score", no_wrap=True),
    ]
    from quiz.times import near_times  # (once: a list to a pipe shows 10,000 rows)

    cells = []
    for row, started in zip(rows, near_times([row.started_at for row in rows]), strict=True):
        banks = row.banks[0][0] if len(row.banks) == 1 else "\n".join(b for b, _ in row.banks)
        if row.status == "finished" and row.planned and not (row.skipped or row.ungraded):
            # most rows (a list to a pipe shows 10,000): what the cell functions give them
            status, answered = "finished", f"{row.answered}/{row.planned}"
            score = f"{_num(row.score)}/{_num(row.max_score)} ({_ratio(row)})"
        else:
            status, answered = _status_cell(row), _answered_cell(row)
            score = _score_cell(row, _ratio(row), waiting)
        cells.append([row.id, started, row.user, banks, row.mode, status, answered, score])
    return columns, cells


def _ratio(row: AttemptSummary) -> str:
    return _percent(row.score / row.max_score if row.max_score else None)


def _status_cell(row: AttemptSummary) -> str:
    """Finished, or how far an unfinished attempt got: "in progress 3/14" (answered of
    planned, as the Answered column counts), then "2 skipped", shown when that column is
    left out."""
    status = row.status.replace("_", " ")
    if row.status == "finished":
        return status
    counted = f"{status} {row.answered}/{row.planned}" if row.planned else status
    return counted + (f"\n{row.skipped} skipped" if row.skipped else "")


def _answered_cell(row: AttemptSummary) -> str:
    """Answered of planned ("3/14"), and the skipped ones apart: a skip is not an answer.
    Empty when the status says it already (an unfinished attempt: `_status_cell`)."""
    if row.status != "finished" and row.planned:
        return ""
    answered = f"{row.answered}/{row.planned}" if row.planned else str(row.answered)
    return answered + (f"\n{row.skipped} skipped" if row.skipped else "")


def _score_cell(row: AttemptSummary, percent: str, waiting: bool) -> str:
    if waiting and row.ungraded and not row.max_score:
        return f"waiting for grading\n({row.ungraded} answers)"
    late = f"\n+{row.ungraded} {'waiting' if waiting else 'ungraded'}" if row.ungraded else ""
    return f"{_num(row.score)}/{_num(row.max_score)} ({percent}){late}"


# --- stats -----------------------------------------------------------------------------------


_NOTHING_GRADED = (
    "Nothing graded yet: on a class store your instructor grades your answers, and they"
    " show here once graded (your instructor's next command grades them)."
)


@scores.command("stats")
@click.option("--user", "user_name", metavar="NAME", help="Only this learner's answers.")
@click.option("--bank", metavar="BANK_ID", help="Only this bank (and its tags within it).")
@limit_option()
@all_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects.")
@click.pass_context
def stats(
    ctx: click.Context,
    user_name: str | None,
    bank: str | None,
    limit: int | None,
    show_all: bool,
    as_json: bool,
) -> None:
    """Per bank and per tag: attempts, last and best score, accuracy, trend, most missed.

    On a terminal, each table's first 20 rows and how many more (--all lists every one);
    --json and pipes list every row; --limit N caps each table (By bank, By tag)."""
    from quiz.app.scores import counted_stats
    from quiz.ui.tables import draw, on_terminal, page

    found = counted_stats(config(ctx).store, user=user_name, bank=bank)
    groups = found[0] if found is not None else []
    terminal = on_terminal() and not as_json
    tables = []
    for kind, title in (("bank", "By bank"), ("tag", "By tag")):
        chosen = [g for g in groups if g.group == kind]
        rows, more = page(chosen, terminal=terminal, show_all=show_all, limit=limit)
        if rows:
            tables.append((kind, title, rows, more))
    if as_json:
        echo_json([group.as_dict() for _, _, rows, _ in tables for group in rows])
        return
    if not tables:
        if found is not None and _learner_waits(ctx):
            click.echo(_NOTHING_GRADED)
            return
        click.echo("No scores recorded yet." if found is None else "No matching scores.")
        return
    for number, (kind, title, rows, more) in enumerate(tables):
        if number:
            click.echo()  # a table's title stands apart from the table above
        columns, cells = stats_table(kind, rows, bank=bank)
        draw(title, columns, cells, more=more)
    if found is not None:
        from quiz.ui.terminal import output_width, wrap_line

        line = counted_line(found[1].attempts, found[1].unfinished)
        click.echo("\n".join(wrap_line(line, output_width())))


def counted_line(attempts: int, unfinished: int) -> str:
    """What `scores stats` counts, said under its tables: the attempts `scores list --all`
    lists (those that hold an answer), unfinished ones included."""
    counted = f"{attempts} attempt{'' if attempts == 1 else 's'}"
    if unfinished:
        counted += f", {unfinished} unfinished"
    return f"Counted: {counted} (attempts with no answer are left out, as in scores list)."


def stats_table(
    kind: str, groups: list[GroupStats], *, bank: str | None = None
) -> tuple[list[TerminalColumn], list[list[str]]]:
    """`scores stats`' columns and cells for groups of one kind (bank or tag). Ids never
    break; on a narrow terminal the trend, then the accuracy and the last score, are left out
    before the rows become blocks."""
    from quiz.ui.tables import TerminalColumn

    columns = [
        # An id whole, its title under it wrapped between words (a long title does not make
        # the table too wide for 80 columns).
        TerminalColumn("Bank" if kind == "bank" else "Tag", whole_words=True),
        TerminalColumn("Attempts", right=True, no_wrap=True),
        TerminalColumn("Last", right=True, no_wrap=True, drop=1),
        TerminalColumn("Best", right=True, no_wrap=True),
        TerminalColumn("Accuracy", right=True, no_wrap=True, drop=2),
        TerminalColumn("Trend", no_wrap=True, drop=3),
        TerminalColumn("Most missed", no_wrap=True),
    ]
    cells = []
    for group in groups:
        # A question by its id within its bank's row (or the one bank asked for), else
        # "bank/question".
        missed = "\n".join(
            (
                m.question_id
                if kind == "bank" or m.bank_id == bank
                else f"{m.bank_id}/{m.question_id}"
            )
            + f" ({m.missed}/{m.answered})"
            for m in group.missed
        )
        cells.append(
            [
                group.id + (f"\n{group.title}" if group.title else ""),
                str(group.attempts),
                _percent(group.last),
                _percent(group.best),
                _percent(group.accuracy),
                group.sparkline,
                missed or "–",
            ]
        )
    return columns, cells


# --- path ------------------------------------------------------------------------------------


def _refuse_learner_delete(store: Store) -> None:
    """On a class store, deleting scores is the instructor's (the role owning the store)."""
    from quiz.errors import StoreError

    if store.is_class_store and not store.may_migrate():
        raise StoreError(
            "on a class store, deleting scores is the instructor's: ask your instructor"
            " (nothing was deleted)"
        )


@scores.command("path")
@click.pass_context
def path(ctx: click.Context) -> None:
    """Print where the score store is (it need not exist yet): on a class store, its URL
    without any password."""
    from quiz.paths import shown_url
    from quiz.sanitize import clean_line
    from quiz.store import Store

    url = config(ctx).db_url
    where = shown_url(url) if url is not None else str(Store.path_for(config(ctx).home))
    click.echo(clean_line(where))


# --- show ------------------------------------------------------------------------------------


def _mark(item: ReplayItem, status: str = "finished") -> str:
    from quiz.ui.terminal import MARKS, WORDS

    if not item.answered:
        return "· not answered yet" if status == "in_progress" else "· not answered"
    if item.held:
        return "· at the end of the exam"
    if item.skipped:
        verdict = "skipped"
    elif not item.graded:
        return f"{MARKS['ungraded']} {WORDS['ungraded'].lower()}"
    elif item.unreadable:
        return f"{MARKS['wrong']} unreadable"
    else:
        verdict = "right" if item.correct else "partial" if item.score else "wrong"
    return f"{MARKS[verdict]} {WORDS[verdict].lower()}"


@scores.command("show")
@click.argument("attempt")
@limit_option()
@all_option
@click.option("--json", "as_json", is_flag=True, help="Print the attempt as a JSON object.")
@click.pass_context
def show(
    ctx: click.Context, attempt: str, limit: int | None, show_all: bool, as_json: bool
) -> None:
    """Replay one attempt (its id, or a unique prefix of it).

    On a terminal, the first 20 questions and how many more (--all shows every one); --json
    and pipes show every question; --limit N caps them."""
    import dataclasses

    from quiz.app.replays import show as replay
    from quiz.ui.tables import on_terminal, page

    shown = replay(config(ctx).store, attempt)
    terminal = on_terminal() and not as_json
    items, more = page(shown.items, terminal=terminal, show_all=show_all, limit=limit)
    if as_json:
        echo_json(dataclasses.replace(shown, items=tuple(items)).as_dict())
    else:
        unsure = any(not item.graded or not item.expected for item in shown.items)
        _print_replay(shown, items, more, learner=unsure and _learner_waits(ctx))


def _print_replay(
    shown: Replay, items: list[ReplayItem], more: int, *, learner: bool = False
) -> None:
    """The attempt's header, then one row per question (`items`, of which `more` are left
    for --all); withheld answers say so. `learner`: on a class store, as a learner (ungraded
    answers wait for the instructor; right answers are not on the server for them)."""
    from quiz.sanitize import for_rich
    from quiz.ui.tables import draw

    record = shown.attempt
    console = _console()
    console.print(
        f"Attempt [bold]{record.id}[/bold] by {for_rich(record.user)}"
        f" — {for_rich(record.mode)}, {record.status.replace('_', ' ')}"
    )
    banks = ", ".join(bank_id for bank_id, _ in record.banks)
    console.print(
        f"Started {_when(record.started_at)}"
        + (f", finished {_when(record.finished_at)}" if record.finished_at else "")
        + f" · banks: {for_rich(banks)}"
        + f" · score {_num(record.score)}/{_num(record.max_score)}"
    )
    columns, cells = replay_table(shown, items, learner=learner)
    draw("", columns, cells, more=more, show_lines=True)
    ungraded = any(item.answered and not item.skipped and not item.graded for item in shown.items)
    if ungraded and learner:
        console.print(
            "Answers marked ungraded are waiting for your instructor's grading: they score"
            " nothing until then (your instructor's next command grades them)."
        )
    elif ungraded:
        console.print(
            "Ungraded answers count for nothing until they are graded: the bank they answer was"
            " not found (or is a handout the instructor grades). See `quiz scores regrade`."
        )
    if shown.withheld and any(not item.answered for item in shown.items):
        console.print(
            "The right answers of questions not answered yet are not shown: the attempt is"
            f" {record.status.replace('_', ' ')}."
        )


def replay_table(
    shown: Replay, items: list[ReplayItem], *, learner: bool = False
) -> tuple[list[TerminalColumn], list[list[Any]]]:
    """`scores show`'s table: one row per question (its number, text and id, the response,
    the right answer and explanation, the score and verdict); cells are rich `Text`."""
    from rich.text import Text

    from quiz.sanitize import for_rich
    from quiz.ui.plain import right_answer_text
    from quiz.ui.tables import TerminalColumn

    record = shown.attempt
    columns = [
        TerminalColumn("#", right=True, no_wrap=True, heading="#{}"),
        TerminalColumn("Question", whole_words=True),  # and its bank/question id
        TerminalColumn("Response"),
        TerminalColumn("Right answer"),
        TerminalColumn("Score", no_wrap=True),
    ]
    cells: list[list[Any]] = []
    for number, item in enumerate(items, 1):
        prompt = item.prompt if item.prompt is not None else "(question text not stored)"
        label = f"[dim]{for_rich(item.bank)}/{for_rich(item.question)}[/dim]"
        mark = _mark(item, record.status)
        score = mark
        if item.answered and item.graded and item.score is not None and not item.held:
            score = f"{_num(item.score)}/{_num(item.max_score or 0)}\n{mark}"
        if item.held:
            expected = "[dim](at the end of the exam)[/dim]"
        elif not item.expected and learner and (item.answered or not shown.withheld):
            expected = "[dim](not shown on a class store)[/dim]"
        elif not item.expected and not item.graded:
            expected = "[dim](not known here: ungraded)[/dim]"
        elif item.answered or not shown.withheld:
            expected = for_rich(right_answer_text(item))
            if item.explanation:
                expected += f"\n[dim]{for_rich(item.explanation)}[/dim]"
        else:
            expected = "[dim](when answered)[/dim]"
        row = [
            str(number),
            f"{for_rich(prompt)}\n{label}",
            _response_cell(item),
            expected,
            score,
        ]
        cells.append([Text.from_markup(cell) for cell in row])
    return columns, cells


def _response_cell(item: ReplayItem) -> str:
    """The response as the quiz's feedback shows it: multi, match and order one line per item
    (✓/✗, the pick, the right one); an unreadable answer says so. Safe for rich."""
    from quiz.sanitize import for_rich
    from quiz.ui.plain import part_lines
    from quiz.ui.terminal import Style

    if not item.answered:
        return ""
    if item.unreadable:
        return f"{for_rich(_response_text(item.response))}\n[dim](unreadable answer)[/dim]"
    if item.kind and item.graded and not item.held and not item.skipped:
        lines = part_lines(item.kind, item.response, item.right_parts, Style(), indent="")
        if lines:
            return for_rich("\n".join(lines))
    said = _response_text(item.response)
    if item.kind == "truefalse":  # as the widget showed it: "True", not the "t" typed
        from quiz.ui.plain import truefalse_words

        said = truefalse_words(said)
    said = for_rich(said)
    if item.spelled:  # a typo forgiven (`fuzzy`)
        said += f"\n[dim](accepted, spelled {for_rich(item.spelled)})[/dim]"
    return said


# --- delete ----------------------------------------------------------------------------------


@scores.command("delete")
@click.argument("attempt", required=False)
@click.option("--user", "user_name", metavar="NAME", help="Delete all of this learner's data.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def delete(ctx: click.Context, attempt: str | None, user_name: str | None, yes: bool) -> None:
    """Delete one ATTEMPT (id or unique prefix), or with --user every attempt, response and
    study card of that learner. Asks first unless --yes."""
    from quiz.app.learner_data import user_data
    from quiz.app.scores import open_existing
    from quiz.errors import NotFound
    from quiz.sanitize import clean_line

    if bool(attempt) == bool(user_name):
        raise click.UsageError("give either an ATTEMPT id or --user NAME")
    store = open_existing(config(ctx).store)
    if store is None:
        raise NotFound("nothing to delete: no scores are recorded yet")
    with store:
        _refuse_learner_delete(store)
        # clean_line strips its text's ends: the space before "from" stays outside it
        where = f" from the class store {clean_line(store.where)}" if store.is_class_store else ""
        if attempt:
            record = store.attempt(attempt)
            question = (
                f"Delete attempt {record.id} by {clean_line(record.user)} ({record.mode},"
                f" {_when(record.started_at)}, {len(record.responses)} answers)?"
            )
            _confirm(ctx, question, yes)
            store.delete_attempt(record.id)
            click.echo(f"Deleted attempt {record.id}{where}.")
            return
        assert user_name is not None
        data = user_data(store, user_name)
        name = clean_line(user_name)
        _confirm(
            ctx,
            f"Delete all data of {name}: {data.attempts} attempt(s) and"
            f" {data.cards} study card(s)? This cannot be undone.",
            yes,
        )
        deleted = store.delete_user(user_name)
        click.echo(f"Deleted {deleted} attempt(s) and {data.cards} study card(s) of {name}{where}.")


def _confirm(ctx: click.Context, question: str, yes: bool) -> None:
    """Ask (unless --yes); "no" leaves with exit code 1 and nothing deleted."""
    if not yes and not click.confirm(question, default=False):
        click.echo("Nothing deleted.", err=True)
        ctx.exit(1)


# --- export ----------------------------------------------------------------------------------


@scores.command("export")
@output_option
@click.option("--user", "user", metavar="NAME", help="Only this learner's attempts.")
@click.option("--bank", metavar="BANK", help="Only attempts that drew from this bank.")
@force_option
@click.pass_context
def export_command(
    ctx: click.Context, output: str | None, user: str | None, bank: str | None, force: bool
) -> None:
    """Write attempts as a portable results file (JSON Lines) for `quiz scores import`.

    A results file holds learners' answers: it is written readable by its owner only (0600).
    """
    from quiz.app.reports import export_stream

    with _open_own_store(ctx, user) as store:
        exported = export_stream(store, user=user, bank=bank)
        try:
            written = write_or_echo(exported.lines, output, force, private=True)
        finally:
            exported.close()
    if written:
        attempts, snapshots = exported.attempts, exported.snapshots
        click.echo(
            f"Exported {attempts} attempt{'s' if attempts != 1 else ''} "
            f"({snapshots} bank version{'s' if snapshots != 1 else ''})"
            f" to {shown_path(str(output))}.",
            err=True,
        )


# --- import ----------------------------------------------------------------------------------


@scores.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@bank_files_option
@click.option(
    "--trust-scores",
    is_flag=True,
    help="Keep the files' scores without re-grading (files from a source you control).",
)
@click.option(
    "--as",
    "as_user",
    metavar="USER",
    help="Store every attempt as this learner's (moving local history into a class store).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was imported as JSON.")
@click.pass_context
def import_command(
    ctx: click.Context,
    files: tuple[str, ...],
    bank_paths: tuple[str, ...],
    trust_scores: bool,
    as_user: str | None,
    as_json: bool,
) -> None:
    """Merge results files into the store: all files or nothing.

    Every file is checked first; then all their attempts are merged in one transaction. An
    attempt already stored, or given in two files, is kept once and counted as skipped (or
    grown, if the later copy has more of its responses); one whose responses disagree is an
    error naming the file, the line and the field, and nothing is imported.

    A file's scores are claims: every response is re-graded against your copy of its bank
    (--bank PATH, then the known banks), matched question by question, and the import says
    where the file's scores differ. Responses to questions your banks do not have (or have in
    another version) are stored ungraded; `quiz scores regrade` grades them once the bank is
    found. Handout answers are graded here, with your handout secret.
    """
    from quiz.app.reports import import_results

    with _open_store(ctx) as store:
        imported = import_results(
            store,
            files,
            bank_paths=bank_paths,
            trust_scores=trust_scores,
            home=config(ctx).home,
            as_user=_named_user(as_user, "--as"),
        )
    if as_json:
        echo_json(imported.as_dict())
        return
    result = imported.result
    count = len(files)
    click.echo(
        f"Imported {count} file{'s' if count != 1 else ''}: {result.added} attempt"
        f"{'s' if result.added != 1 else ''} added, {result.grown} grown, "
        f"{result.skipped} skipped (already stored, or given twice)."
    )
    for change in imported.changes:
        click.echo(f"  {change.message()}")
    if result.scores_ignored:
        n = len(result.scores_ignored)
        click.echo(
            f"  {n} attempt{'s' if n != 1 else ''} already stored with other scores: the"
            " file's claimed scores were ignored."
        )
    if imported.trusted:
        n = imported.trusted
        click.echo(
            f"  --trust-scores: {n} response{'s' if n != 1 else ''} kept as the files scored"
            " them, not re-graded against your banks."
        )


@scores.command("regrade")
@bank_files_option
@click.option("--json", "as_json", is_flag=True, help="Print the changes as a JSON list.")
@click.pass_context
def regrade_command(ctx: click.Context, bank_paths: tuple[str, ...], as_json: bool) -> None:
    """Re-grade stored responses against your banks, after an answer key is fixed.

    Responses stored ungraded are graded once their bank is found. A response no bank
    matches keeps the grade it has. Says what changed, per attempt.
    """
    from quiz.app.reports import regrade_store

    with _open_store(ctx) as store:
        changes = regrade_store(store, bank_paths=bank_paths, home=config(ctx).home)
    if as_json:
        echo_json([change.as_dict() for change in changes])
        return
    if not changes:
        click.echo("Nothing to re-grade: every stored score matches your banks.")
        return
    for change in changes:
        click.echo(change.message("was"))
    n = len(changes)
    click.echo(f"Re-graded {n} attempt{'s' if n != 1 else ''}.")


# --- report ----------------------------------------------------------------------------------


def _one_bank(argument: str | None, option: str | None) -> str | None:
    """`scores report`'s bank id, given as BANK or as --bank (an id, or a bank file's path;
    both may be given if they name one bank)."""
    from quiz.app.reports import bank_id

    named = {bank_id(given) for given in (argument, option) if given is not None}
    if len(named) > 1:
        raise click.UsageError(f"two banks given: {argument!r} and --bank {option!r}; give one")
    return named.pop() if named else None


@scores.command("report")
@click.argument("bank", required=False)
@click.option(
    "--by",
    type=click.Choice(BY_CHOICES),
    default="user",
    show_default=True,
    help="One row per learner, per question (item analysis), per response given, per learner"
    " and question (marks) or per attempt.",
)
@click.option(
    "--format",
    "fmt_name",
    type=click.Choice(FORMAT_CHOICES),
    default="table",
    show_default=True,
    help="Terminal table, CSV, JSON, Markdown or a self-contained HTML page.",
)
@output_option
@click.option(
    "--attempts",
    "attempts",
    type=click.Choice(ATTEMPT_CHOICES),
    default=None,
    help="Which attempts of each learner count: first, last, best (highest score) or all"
    " [default: first; with --wide, best].",
)
@click.option(
    "--all-attempts",
    is_flag=True,
    help="The same as --attempts all.",
)
@click.option(
    "--wide",
    is_flag=True,
    help="Gradebook: one row per learner, one column per bank (implies --by attempt).",
)
@click.option(
    "--grade",
    type=click.Choice(GRADE_CHOICES),
    default=None,
    help="With --wide: which attempt gives a learner's grade, or the mean [default: best].",
)
@click.option(
    "--lms",
    type=click.Choice(LMS_CHOICES),
    default=None,
    help="With --wide: the columns Moodle's or Canvas's grade import reads.",
)
@click.option(
    "--roster",
    metavar="FILE.csv",
    help="With --wide: a CSV of username and any of email, idnumber, firstname, lastname"
    " (other columns kept) joining learners to the LMS's identifiers.",
)
@click.option("--points", is_flag=True, help="With --wide: points instead of percentages.")
@click.option(
    "--bom", is_flag=True, help="With --format csv: start with a byte-order mark (Excel)."
)
@click.option("--user", "user", metavar="NAME", help="Only this learner's attempts.")
@click.option(
    "--bank",
    "bank_option",
    metavar="BANK_ID",
    help="Only this bank: the same as BANK, as `scores list`, `stats` and `export` take it.",
)
@limit_option("At most N rows in each table (terminal table, CSV, Markdown).")
@all_option
@force_option
@click.pass_context
def report_command(
    ctx: click.Context,
    bank: str | None,
    bank_option: str | None,
    by: str,
    fmt_name: str,
    output: str | None,
    attempts: str | None,
    all_attempts: bool,
    wide: bool,
    grade: str | None,
    lms: str | None,
    roster: str | None,
    points: bool,
    bom: bool,
    user: str | None,
    limit: int | None,
    show_all: bool,
    force: bool,
) -> None:
    """The instructor's summary of stored scores (BANK: one bank only). On a terminal, each
    table's first 20 rows and how many more (--all shows every one); pipes and files get every
    row; --limit N caps them.

    \b
    --by user       attempts, best, last, mean and first percentage, mastery per tag
    --by attempt    one row per attempt; with --wide a gradebook an LMS can import
                    (--lms moodle|canvas, --roster FILE.csv, --points, --bom)
    --by question   item analysis after Moodle's quiz statistics: facility, SD,
                    random guess score, discrimination index and efficiency,
                    needs checking?, the most common wrong answer, Cronbach's
                    alpha (docs/item-analysis.md)
    --by responses  each question's responses, normalised as graded: count,
                    share, mark earned (per left item for match, per position
                    for order)
    --by marks      learner x question marks, Q1...Qn (Moodle's Grades report)
    """
    from quiz.app.reports import build_report, read_roster

    attempts, grade = _report_choices(
        ctx, by, fmt_name, attempts, all_attempts, wide, grade, lms, roster, points, bom
    )
    the_bank = _one_bank(bank, bank_option)
    the_roster = read_roster(roster) if roster is not None else None
    with _open_own_store(ctx, user) as store:
        report = build_report(
            store,
            by="wide" if wide else by,
            bank=the_bank,
            user=user,
            attempts=attempts,
            grade=grade or "best",
            lms=lms,
            roster=the_roster,
            points=points,
        )
        from quiz.app.stores import waiting_answers

        waiting = waiting_answers(store)
    _emit(report, fmt_name, output, force, bom=bom, show_all=show_all, limit=limit, waiting=waiting)


def _open_own_store(ctx: click.Context, user: str | None) -> Store:
    """The store, once `--user` is checked (`quiz.app.stores.only_own`); closed if refused."""
    from quiz.app.stores import only_own

    store = _open_store(ctx)
    try:
        only_own(store, user)
    except BaseException:
        store.close()
        raise
    return store


def _report_choices(
    ctx: click.Context,
    by: str,
    fmt_name: str,
    attempts: str | None,
    all_attempts: bool,
    wide: bool,
    grade: str | None,
    lms: str | None,
    roster: str | None,
    points: bool,
    bom: bool,
) -> tuple[str | None, str | None]:
    """`scores report`'s options checked together: (attempts, grade), or UsageProblem."""
    by_given = ctx.get_parameter_source("by") == click.core.ParameterSource.COMMANDLINE
    from quiz.errors import UsageProblem

    if wide and by_given and by != "attempt":
        raise UsageProblem("--wide is a gradebook of attempts: use it with --by attempt")
    if all_attempts:
        if attempts not in (None, "all"):
            raise UsageProblem(f"--all-attempts is --attempts all, not --attempts {attempts}")
        attempts = "all"
    if wide:
        if attempts == "all":
            raise UsageProblem(
                "a gradebook has one grade per learner: --attempts first, last or best"
            )
        if attempts is not None and grade is not None and attempts != grade:
            raise UsageProblem(f"--attempts {attempts} and --grade {grade} disagree: give one")
        grade = grade or attempts
    else:
        if grade is not None:
            raise UsageProblem("--grade chooses the attempt in a gradebook: use it with --wide")
        if attempts is not None and by not in ("question", "responses", "marks"):
            raise UsageProblem(
                "--attempts picks the attempts of --by question, responses, marks or --wide"
            )
        for name, given in (("--lms", lms), ("--roster", roster), ("--points", points)):
            if given:
                raise UsageProblem(f"{name} lays out a gradebook: use it with --wide")
    if bom and fmt_name != "csv":
        raise UsageProblem("--bom is for CSV: use it with --format csv")
    return attempts, grade


def _emit(
    report: Report,
    fmt_name: str,
    output: str | None,
    force: bool,
    *,
    bom: bool = False,
    show_all: bool = False,
    limit: int | None = None,
    waiting: int = 0,
) -> None:
    """Print the report, or write it to `output` (never replacing a file without --force);
    `limit` caps the rows of each table, `show_all` shows them all on a terminal. `waiting`:
    a learner's answers on a class store waiting for the instructor's grading."""
    from quiz.app.reports import report_text

    if limit is not None:
        from quiz.reports.render import capped

        if fmt_name in ("json", "html"):
            from quiz.errors import UsageProblem

            raise UsageProblem(
                f"--limit caps table, CSV and Markdown rows, not --format {fmt_name}"
            )
        report = capped(report, limit)

    if waiting:
        click.echo(
            f"{waiting} of your answers {'is' if waiting == 1 else 'are'} waiting for your"
            " instructor's grading: in no figure here until graded (your instructor's next"
            " command grades them).",
            err=True,
        )
    elif not report.main.rows:
        click.echo("No attempts to report.", err=True)
    if fmt_name == "csv":
        # CSV is the table alone, header row first, for csv.DictReader and LMS imports: its
        # notes (a bank changed between attempts) are said here instead.
        from quiz.sanitize import clean_line

        for note in report.notes:
            click.echo(f"Note: {clean_line(note)}", err=True)
    elif report.unmatched:
        from quiz.sanitize import clean_line

        names = ", ".join(clean_line(name) for name in report.unmatched)
        click.echo(f"Not on the roster (kept, at the end): {names}", err=True)
    if fmt_name == "table" and not to_file(output):
        from quiz.reports.render import print_table

        print_table(report, sys.stdout, show_all=show_all)
        return
    text = report_text(report, fmt_name, bom=bom)
    if write_or_echo(text, output, force):
        click.echo(f"Wrote the {fmt_name} report to {shown_path(str(output))}.", err=True)
    elif not text.endswith("\n"):
        click.echo("")
