"""`quiz scores`: list, stats, path, show, delete (export/import/report: quiz.commands.reports).

Only click is imported here at module level: the store, rich and the rest load inside the
command that needs them, so `quiz --help` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from quiz.commands.common import config, echo_json

if TYPE_CHECKING:
    from quiz.store import Store
    from quiz.store.records import AttemptRecord, ResponseValue


def register(root: click.Group) -> None:
    """Add the `scores` group to the root group."""
    root.add_command(scores)


@click.group("scores")
def scores() -> None:
    """Scores kept in the local store: list, stats, show, delete, path.

    Every command covers every learner unless --user names one."""


# --- helpers ---------------------------------------------------------------------------------


def _open_existing(ctx: click.Context) -> Store | None:
    """The store, or None when nothing was ever recorded (listing creates no file)."""
    from quiz.store.store import Store, check_home

    home = config(ctx).home
    check_home(home)
    if not Store.path_for(home).exists():
        return None
    return Store.open(home)


def _console() -> Any:
    from quiz.reports.render import make_console

    # Colour follows the terminal: none for a pipe or a file, none with NO_COLOR; a pipe gets
    # the same wide page as every other table (`quiz.reports.render.PIPE_WIDTH`).
    return make_console()


def _num(value: float) -> str:
    from quiz.bank.model import format_number

    return format_number(round(value, 2))


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _when(iso: str | None) -> str:
    """A stored UTC time, shown in local time to the minute."""
    from quiz.reports.render import short_time

    return short_time(iso)


def _response_text(response: ResponseValue) -> str:
    if response is None:
        return "(skipped)"
    if isinstance(response, list):
        return ", ".join(str(item) for item in response)
    if isinstance(response, dict):
        return "; ".join(f"{left} → {right}" for left, right in response.items())
    return str(response)


# --- list ------------------------------------------------------------------------------------


@scores.command("list")
@click.option("--user", "user_name", metavar="NAME", help="Only this learner's attempts.")
@click.option("--bank", metavar="BANK_ID", help="Only attempts drawn (partly) from this bank.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many (newest first).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects.")
@click.pass_context
def list_attempts(
    ctx: click.Context, user_name: str | None, bank: str | None, limit: int | None, as_json: bool
) -> None:
    """Attempts, newest first."""
    store = _open_existing(ctx)
    if store is None:
        rows = []
    else:
        with store:
            rows = store.summaries(user=user_name, bank=bank, limit=limit)
    if as_json:
        echo_json([row.as_dict() for row in rows])
        return
    if not rows:
        click.echo("No attempts recorded yet." if store is None else "No matching attempts.")
        return
    from quiz.reports.render import TerminalColumn, print_fitted

    # Ids, banks, times and scores are never broken (a bank per line instead); on a narrow
    # terminal the mode, then the count of answers, are left out before anything is squeezed.
    columns = [
        TerminalColumn("Attempt", no_wrap=True),
        TerminalColumn("Started", no_wrap=True),
        TerminalColumn("User"),
        TerminalColumn("Banks", no_wrap=True),
        TerminalColumn("Mode", no_wrap=True, drop=2),
        TerminalColumn("Status", no_wrap=True),
        TerminalColumn("Done", no_wrap=True, drop=1),
        TerminalColumn("Score", no_wrap=True),
    ]
    cells = []
    for row in rows:
        percent = _percent(row.score / row.max_score if row.max_score else None)
        cells.append(
            [
                row.id[:8],
                _when(row.started_at),
                row.user,
                "\n".join(bank_id for bank_id, _ in row.banks),
                row.mode,
                row.status.replace("_", " "),
                f"{row.answered}/{row.planned}" if row.planned else str(row.answered),
                f"{_num(row.score)}/{_num(row.max_score)} ({percent})",
            ]
        )
    print_fitted(_console(), "Attempts", columns, cells, elsewhere="--json")


# --- stats -----------------------------------------------------------------------------------


@scores.command("stats")
@click.option("--user", "user_name", metavar="NAME", help="Only this learner's answers.")
@click.option("--bank", metavar="BANK_ID", help="Only this bank (and its tags within it).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects.")
@click.pass_context
def stats(ctx: click.Context, user_name: str | None, bank: str | None, as_json: bool) -> None:
    """Per bank and per tag: attempts, last and best score, accuracy, trend, most missed."""
    from quiz.reports.learner import collect

    store = _open_existing(ctx)
    groups = []
    if store is not None:
        with store:
            groups = collect(store, user=user_name, bank=bank)
    if as_json:
        echo_json([group.as_dict() for group in groups])
        return
    if not groups:
        click.echo("No scores recorded yet." if store is None else "No matching scores.")
        return
    from rich.text import Text

    from quiz.reports.render import TerminalColumn, print_fitted
    from quiz.sanitize import clean

    console = _console()
    for kind, title in (("bank", "By bank"), ("tag", "By tag")):
        chosen = [g for g in groups if g.group == kind]
        if not chosen:
            continue
        # Ids never break; on a narrow terminal the trend, then the accuracy and the last
        # score, are left out before anything is squeezed.
        columns = [
            TerminalColumn("Bank" if kind == "bank" else "Tag", no_wrap=True),
            TerminalColumn("Attempts", right=True, no_wrap=True),
            TerminalColumn("Last", right=True, no_wrap=True, drop=1),
            TerminalColumn("Best", right=True, no_wrap=True),
            TerminalColumn("Accuracy", right=True, no_wrap=True, drop=2),
            TerminalColumn("Trend", no_wrap=True, drop=3),
            TerminalColumn("Most missed", no_wrap=True),
        ]
        cells = []
        for group in chosen:
            name = Text(clean(group.id))
            if group.title:
                name.append("\n" + clean(group.title), style="dim")
            missed = "\n".join(
                f"{m.question_id if kind == 'bank' else f'{m.bank_id}/{m.question_id}'}"
                f" ({m.missed}/{m.answered})"
                for m in group.missed
            )
            cells.append(
                [
                    name,
                    str(group.attempts),
                    _percent(group.last),
                    _percent(group.best),
                    _percent(group.accuracy),
                    group.sparkline,
                    missed or "–",
                ]
            )
        print_fitted(console, title, columns, cells, elsewhere="--json")


# --- path ------------------------------------------------------------------------------------


@scores.command("path")
@click.pass_context
def path(ctx: click.Context) -> None:
    """Print where the score store is (it need not exist yet)."""
    from quiz.sanitize import clean_line
    from quiz.store import Store

    click.echo(clean_line(str(Store.path_for(config(ctx).home))))


# --- show ------------------------------------------------------------------------------------


def _replay(store: Store, attempt: AttemptRecord) -> list[dict[str, Any]]:
    """The attempt question by question: prompt (from the stored bank version), response,
    right answer, score. Planned order first, then anything answered outside the plan.

    While an attempt is not finished, the right answer of a question not answered yet is
    withheld (None): showing it would give the rest of the quiz away."""
    finished = attempt.status == "finished"
    exact = {
        (q.bank_id, q.question_id): q
        for snap in store.snapshots(attempt.banks)
        for q in snap.questions
    }
    fallback: dict[tuple[str, str], Any] = {}
    for bank_id, _ in attempt.banks:
        newest = store.snapshot(bank_id)
        if newest is not None:
            fallback.update({(q.bank_id, q.question_id): q for q in newest.questions})
    answers = {(r.bank_id, r.question_id): r for r in attempt.responses}
    keys = list(dict.fromkeys([*attempt.plan, *answers]))
    result = []
    for key in keys:
        question = exact.get(key) or fallback.get(key)
        answer = answers.get(key)
        result.append(
            {
                "bank": key[0],
                "question": key[1],
                "prompt": None if question is None else question.prompt,
                "expected": (
                    None
                    if question is None or (answer is None and not finished)
                    else question.expected
                ),
                "answered": answer is not None,
                "response": None if answer is None else answer.response,
                "score": None if answer is None else answer.score,
                "max_score": (
                    answer.max_score
                    if answer is not None
                    else (None if question is None else question.max_score)
                ),
                "correct": None if answer is None else answer.correct,
                "skipped": None if answer is None else answer.skipped,
                "seconds": None if answer is None else answer.seconds,
            }
        )
    return result


def _mark(item: dict[str, Any], status: str = "finished") -> str:
    if not item["answered"]:
        return "· not answered yet" if status == "in_progress" else "· not answered"
    if item["skipped"]:
        return "– skipped"
    if item["correct"]:
        return "✓ right"
    return "◐ partly right" if item["score"] else "✗ wrong"


@scores.command("show")
@click.argument("attempt")
@click.option("--json", "as_json", is_flag=True, help="Print the attempt as a JSON object.")
@click.pass_context
def show(ctx: click.Context, attempt: str, as_json: bool) -> None:
    """Replay one attempt (its id, or a unique prefix of it)."""
    from quiz.errors import NotFound

    store = _open_existing(ctx)
    if store is None:
        raise NotFound(f"no attempt {attempt!r}: no scores are recorded yet")
    with store:
        record = store.attempt(attempt)
        items = _replay(store, record)
    if as_json:
        echo_json(
            {
                "id": record.id,
                "user": record.user,
                "mode": record.mode,
                "status": record.status,
                "started_at": record.started_at,
                "finished_at": record.finished_at,
                "seed": record.seed,
                "banks": [{"id": b, "content_hash": h} for b, h in record.banks],
                "score": record.score,
                "max_score": record.max_score,
                "questions": items,
            }
        )
        return
    from rich.table import Table

    from quiz.sanitize import for_rich

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
    table = Table(show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("Question", overflow="fold")
    table.add_column("Response", overflow="fold")
    table.add_column("Right answer", overflow="fold")
    table.add_column("Score", no_wrap=True)
    withheld = record.status != "finished"
    for number, item in enumerate(items, 1):
        prompt = item["prompt"] if item["prompt"] is not None else "(question text not stored)"
        label = f"[dim]{for_rich(item['bank'])}/{for_rich(item['question'])}[/dim]"
        mark = _mark(item, record.status)
        score = (
            f"{_num(item['score'])}/{_num(item['max_score'])}\n{mark}" if item["answered"] else mark
        )
        if item["answered"] or not withheld:
            expected = for_rich(item["expected"] or "?")
        else:
            expected = "[dim](when answered)[/dim]"
        table.add_row(
            str(number),
            f"{for_rich(prompt)}\n{label}",
            for_rich(_response_text(item["response"])) if item["answered"] else "",
            expected,
            score,
        )
    console.print(table)
    if withheld and any(not item["answered"] for item in items):
        console.print(
            "The right answers of questions not answered yet are not shown: the attempt is"
            f" {record.status.replace('_', ' ')}."
        )


# --- delete ----------------------------------------------------------------------------------


@scores.command("delete")
@click.argument("attempt", required=False)
@click.option("--user", "user_name", metavar="NAME", help="Delete all of this learner's data.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def delete(ctx: click.Context, attempt: str | None, user_name: str | None, yes: bool) -> None:
    """Delete one ATTEMPT (id or unique prefix), or with --user every attempt, response and
    study card of that learner. Asks first unless --yes."""
    from quiz.errors import NotFound
    from quiz.sanitize import clean_line

    if bool(attempt) == bool(user_name):
        raise click.UsageError("give either an ATTEMPT id or --user NAME")
    store = _open_existing(ctx)
    if store is None:
        raise NotFound("nothing to delete: no scores are recorded yet")
    with store:
        if attempt:
            record = store.attempt(attempt)
            question = (
                f"Delete attempt {record.id} by {clean_line(record.user)} ({record.mode},"
                f" {_when(record.started_at)}, {len(record.responses)} answers)?"
            )
            if not yes and not click.confirm(question, default=False):
                click.echo("Nothing deleted.", err=True)
                ctx.exit(1)
            store.delete_attempt(record.id)
            click.echo(f"Deleted attempt {record.id}.")
            return
        assert user_name is not None
        count = len(store.summaries(user=user_name))
        cards = len(store.cards(user_name))
        if not count and not cards:
            raise NotFound(f"no scores or study cards for user {clean_line(user_name)!r}")
        question = (
            f"Delete all data of {clean_line(user_name)}: {count} attempt(s) and"
            f" {cards} study card(s)? This cannot be undone."
        )
        if not yes and not click.confirm(question, default=False):
            click.echo("Nothing deleted.", err=True)
            ctx.exit(1)
        deleted = store.delete_user(user_name)
        click.echo(
            f"Deleted {deleted} attempt(s) and {cards} study card(s) of {clean_line(user_name)}."
        )
