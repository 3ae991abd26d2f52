"""`quiz scores export|import|report`: results files and the instructor's reports.

Glue only: the analysis is `quiz.reports.items` (and `quiz.store.item_inputs` for item
analysis over the store), the writers are `quiz.reports.render`, the results file format is
`quiz.formats.results`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from quiz.commands.common import config

if TYPE_CHECKING:
    from quiz.reports.render import Report
    from quiz.store import Store

BY_CHOICES = ("user", "question", "attempt")
FORMAT_CHOICES = ("table", "csv", "json", "md", "html")
GRADE_CHOICES = ("best", "last", "first", "mean")


def _open_store() -> Store:
    from quiz.store import Store

    return Store.open(config().home)


def _write_text(path: str, text: str) -> None:
    """Write a file whole: to a temporary name beside it, then renamed over it.

    The file gets the usual permissions (0666 less the umask), not the temporary file's 0600.
    """
    import os
    import tempfile
    from pathlib import Path

    target = Path(path).expanduser()
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as error:  # name the file asked for, not the temporary one
        raise OSError(error.errno, error.strerror, str(target)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _bank_id(bank: str | None) -> str | None:
    """A bank id as given, or the id of the bank file at that path."""
    if bank is None:
        return None
    from pathlib import Path

    if ("/" in bank or bank.endswith((".yaml", ".yml"))) and Path(bank).is_file():
        from quiz.bank.catalog import Catalog

        return Catalog().resolve(bank).id
    return bank


def register(root: click.Group) -> None:
    """Add export, import and report to the `scores` group (creating it if it is missing)."""
    group = root.commands.get("scores")
    if not isinstance(group, click.Group):
        group = click.Group("scores", help="Scores: list, report, export and import.")
        root.add_command(group)
    group.add_command(export_command)
    group.add_command(import_command)
    group.add_command(report_command)


# --- export ----------------------------------------------------------------------------------


@click.command("export")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")
@click.option("--user", "user", metavar="NAME", help="Only this learner's attempts.")
@click.option("--bank", metavar="BANK", help="Only attempts that drew from this bank.")
def export_command(output: str | None, user: str | None, bank: str | None) -> None:
    """Write attempts as a portable results file (JSON Lines) for `quiz scores import`."""
    from quiz.formats.results import needed_snapshots, results_lines

    with _open_store() as store:
        attempts = store.attempts(user=user, bank=_bank_id(bank))
        attempts.sort(key=lambda a: (a.started_at, a.id))
        wanted = {pair for a in attempts for pair in a.banks}
        snapshots = needed_snapshots(attempts, store.snapshots(wanted))
    text = "".join(line + "\n" for line in results_lines(attempts, snapshots))
    if output and output != "-":
        _write_text(output, text)
        click.echo(
            f"Exported {len(attempts)} attempt{'s' if len(attempts) != 1 else ''} "
            f"({len(snapshots)} bank version{'s' if len(snapshots) != 1 else ''}) to {output}.",
            err=True,
        )
    else:
        click.echo(text, nl=False)


# --- import ----------------------------------------------------------------------------------


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def import_command(files: tuple[str, ...]) -> None:
    """Merge results files into the store: all files or nothing.

    Every file is checked first; then all their attempts are merged in one transaction. An
    attempt already stored, or given in two files, is kept once and counted as skipped (or
    grown, if the later copy has more of its responses); one whose responses disagree is an
    error naming the file and line, and nothing is imported.
    """
    from quiz.formats.results import parse_many

    batch = parse_many(files)
    with _open_store() as store:
        result = store.merge(batch.attempts, batch.snapshots, origins=batch.origins)
    count = len(files)
    click.echo(
        f"Imported {count} file{'s' if count != 1 else ''}: {result.added} attempt"
        f"{'s' if result.added != 1 else ''} added, {result.grown} grown, "
        f"{result.skipped} skipped (already stored, or given twice)."
    )


# --- report ----------------------------------------------------------------------------------


@click.command("report")
@click.argument("bank", required=False)
@click.option(
    "--by",
    type=click.Choice(BY_CHOICES),
    default="user",
    show_default=True,
    help="One row per learner, per question (item analysis) or per attempt.",
)
@click.option(
    "--format",
    "fmt_name",
    type=click.Choice(FORMAT_CHOICES),
    default="table",
    show_default=True,
    help="Terminal table, CSV, JSON, Markdown or a self-contained HTML page.",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")
@click.option(
    "--all-attempts",
    is_flag=True,
    help="Item analysis over every attempt, not each learner's first.",
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
    help="With --wide: which attempt gives a learner's grade [default: best].",
)
@click.option("--user", "user", metavar="NAME", help="Only this learner's attempts.")
@click.pass_context
def report_command(
    ctx: click.Context,
    bank: str | None,
    by: str,
    fmt_name: str,
    output: str | None,
    all_attempts: bool,
    wide: bool,
    grade: str | None,
    user: str | None,
) -> None:
    """The instructor's summary of stored scores (BANK: one bank only).

    \b
    --by user      attempts, best, last and mean percentage, mastery per tag
    --by attempt   one row per attempt; with --wide a gradebook an LMS can import
    --by question  item analysis after Moodle's quiz statistics: facility, SD,
                   random guess score, discrimination index and efficiency, the
                   options chosen, and Cronbach's alpha (docs/item-analysis.md)
    """
    from quiz.errors import UsageProblem

    by_given = ctx.get_parameter_source("by") == click.core.ParameterSource.COMMANDLINE
    if wide and by_given and by != "attempt":
        raise UsageProblem("--wide is a gradebook of attempts: use it with --by attempt")
    if grade is not None and not wide:
        raise UsageProblem("--grade chooses the attempt in a gradebook: use it with --wide")
    if all_attempts and (wide or by != "question"):
        raise UsageProblem("--all-attempts applies to --by question")
    report = build_report(
        by="wide" if wide else by,
        bank=_bank_id(bank),
        user=user,
        all_attempts=all_attempts,
        grade=grade or "best",
    )
    emit(report, fmt_name, output)


def build_report(
    *, by: str, bank: str | None, user: str | None, all_attempts: bool, grade: str
) -> Report:
    """Read the store and build the report (no printing)."""
    from quiz.reports import items as analysis
    from quiz.reports import render as export

    bank_ids = [bank] if bank else None
    with _open_store() as store:
        if bank and store.snapshot(bank) is None and not store.attempts(bank=bank, limit=1):
            from quiz.errors import NotFound
            from quiz.sanitize import clean_line

            raise NotFound(f"no scores for bank {clean_line(bank)!r} in {store.path}")
        if by == "question":
            return _question_report(store, bank_ids, user, all_attempts)
        attempts = store.attempts(user=user, bank=bank)
        snapshots = store.snapshots()
    if by == "attempt":
        notes = analysis.version_notes(attempts, bank_ids)
        rows = analysis.attempt_rows(attempts, snapshots, bank)
        return export.attempt_report(rows, notes, bank_ids or ())
    reportable = [a for a in attempts if analysis.counts_for_reports(a)]
    notes = analysis.version_notes(reportable, bank_ids)
    if by == "wide":
        book = analysis.gradebook(reportable, snapshots, bank_ids, rule=grade)
        return export.gradebook_report(book, notes)
    return export.user_report(
        analysis.user_rows(reportable, snapshots, bank), notes, bank_ids or ()
    )


def _question_report(
    store: Store, bank_ids: list[str] | None, user: str | None, all_attempts: bool
) -> Report:
    from quiz.reports import items as analysis
    from quiz.reports import render as export
    from quiz.store.item_inputs import collect_bank_sql, connect_readonly, reportable_banks

    conn = connect_readonly(store.path)
    try:
        banks = bank_ids if bank_ids is not None else reportable_banks(conn, user)
        snapshots = store.snapshots()
        stats = [
            analysis.analyse_bank(
                collect_bank_sql(conn, b, all_attempts=all_attempts, user=user, snapshots=snapshots)
            )
            for b in banks
        ]
    finally:
        conn.close()
    notes = [analysis.version_note(s.bank_id, s.versions) for s in stats if len(s.versions) > 1]
    return export.question_report(stats, notes)


def emit(report: Report, fmt_name: str, output: str | None) -> None:
    """Print the report, or write it to `output`."""
    from quiz.reports import render as export

    if not report.main.rows:
        click.echo("No attempts to report.", err=True)
    if fmt_name == "csv":
        # CSV is the table alone, header row first, for csv.DictReader and LMS imports: its
        # notes (a bank changed between attempts) are said here instead.
        from quiz.sanitize import clean_line

        for note in report.notes:
            click.echo(f"Note: {clean_line(note)}", err=True)
    to_file = bool(output and output != "-")
    if fmt_name == "table" and not to_file:
        export.print_table(report, sys.stdout)
        return
    if fmt_name == "table":
        import io

        buffer = io.StringIO()
        export.print_table(report, buffer, color=False)
        text = buffer.getvalue()
    else:
        text = export.render(report, fmt_name)
    if output and to_file:
        _write_text(output, text)
        click.echo(f"Wrote the {fmt_name} report to {output}.", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))
