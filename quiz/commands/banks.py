"""`quiz banks ...`: list, show, validate, lint, schema, new, import, export, draft.

The work is `quiz.app.banks` (and `quiz.bank.lint`); files are written by `quiz.app.files`
through `common.write_or_echo`. BANK arguments complete with `common.complete_bank_ids`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from quiz.commands.common import (
    all_option,
    complete_bank_ids,
    echo_json,
    force_option,
    limit_option,
    output_option,
    shown_path,
    write_or_echo,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from quiz.ui.tables import TerminalColumn


def register(root: click.Group) -> None:
    """Add the `banks` group, with every subcommand, to the root group."""
    root.add_command(banks)


@click.group()
def banks() -> None:
    """Find, inspect and check question banks."""


# --- list, show, validate --------------------------------------------------------------------


@banks.command("list")
@all_option
@limit_option()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects.")
def list_banks(show_all: bool, limit: int | None, as_json: bool) -> None:
    """List the known banks: bundled ones and those in QUIZ_BANKS folders.

    On a terminal, the first 20 and how many more (--all lists every one); --json and pipes
    list every bank; --limit N caps them."""
    from quiz.app.banks import bank_rows
    from quiz.ui.tables import draw, on_terminal, page

    found = bank_rows()
    rows, more = page(found, terminal=on_terminal() and not as_json, show_all=show_all, limit=limit)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("No banks found. Add folders with QUIZ_BANKS, or name a bank file.")
        return
    columns, cells = banks_table(rows)
    draw("Banks", columns, cells, more=more)


def banks_table(rows: list[dict[str, Any]]) -> tuple[list[TerminalColumn], list[list[str]]]:
    """`banks list`'s columns and cells: the id never breaks; on a narrow terminal the kinds,
    then where a bank lives, are left out before the rows become blocks."""
    from quiz.ui.tables import TerminalColumn

    columns = [
        TerminalColumn("Bank", no_wrap=True),
        TerminalColumn("Title"),
        TerminalColumn("Questions", right=True, no_wrap=True),
        TerminalColumn("Kinds", drop=2),
        TerminalColumn("Where", drop=1),
    ]
    cells = [
        [
            row["id"],
            row["title"] or "INVALID: run quiz banks validate",
            "" if row["questions"] is None else str(row["questions"]),
            ", ".join(row["kinds"]),
            "bundled" if row["origin"] == "bundled" else row["path"],
        ]
        for row in rows
    ]
    return columns, cells


@banks.command("show")
@click.argument("bank", shell_complete=complete_bank_ids)
@click.option("--answers", is_flag=True, help="Show the answers and explanations too.")
@click.option("--facts", is_flag=True, help="Show the source facts each question tests.")
@click.option("--json", "as_json", is_flag=True, help="Print the bank as JSON.")
def show(bank: str, answers: bool, facts: bool, as_json: bool) -> None:
    """Show the questions of BANK (an id or a path), without answers unless --answers."""
    from quiz.app.banks import bank_data, load_for_show, shown_options
    from quiz.kinds.base import shown_text
    from quiz.sanitize import clean

    loaded, source = load_for_show(bank, facts)
    if answers:
        from quiz.app.handouts import refuse_handout

        refuse_handout(loaded, "shown with answers")
    if as_json:
        echo_json(bank_data(loaded, answers))
        return
    say = _wrapped_echo()
    say(clean(f"{loaded.title} ({loaded.id}): {len(loaded.questions)} questions"))
    if loaded.description:
        say(clean(loaded.description))
    for number, question in enumerate(loaded.questions, 1):
        click.echo()
        prompt = shown_text(question, question.prompt)  # Moodle's HTML as plain text
        say(clean(f"{number}. [{question.id}] ({question.kind}) {prompt}"), "   ")
        shown = shown_options(question)
        if shown.lefts:
            say(clean("   match: " + " | ".join(shown.lefts)), "     ")
        for option in shown.options:
            say(clean(f"   - {option}"), "     ")
        if answers:
            say(clean(f"   answer: {shown.answer}"), "     ")
            if shown.credits:
                say(clean("   credit: " + "; ".join(shown.credits)), "     ")
            if question.explanation:
                say(clean(f"   why: {shown_text(question, question.explanation)}"), "     ")
        if facts:
            if question.paragraph:
                say(f"   paragraph: {question.paragraph}")
            for fact_id in question.facts:
                fact = source.fact(fact_id) if source else None
                text = f"{fact.statement} (paragraph {fact.paragraph})" if fact else ""
                say(clean(f"   fact {fact_id}: {text}".rstrip(": ")), "     ")


def _wrapped_echo() -> Callable[..., None]:
    """`click.echo` of one line wrapped between words at the output's width (the one width
    rule), its further lines indented by `hang`: a terminal would break words instead."""
    import textwrap

    from quiz.ui.terminal import output_width

    width = output_width()

    def say(text: str, hang: str = "") -> None:
        for line in text.split("\n"):
            indent = line[: len(line) - len(line.lstrip(" "))]
            parts = textwrap.wrap(
                line,
                width,
                subsequent_indent=max(hang, indent, key=len),
                break_long_words=False,
                break_on_hyphens=False,
            )
            click.echo("\n".join(parts or [line]))

    return say


@banks.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON list of {path, line, column, question, message}.",
)
def validate(paths: tuple[str, ...], as_json: bool) -> None:
    """Check bank files (or folders of them, or bank ids): every problem, as file:line:col."""
    from quiz.app.banks import validate as check
    from quiz.sanitize import clean

    result = check(paths)
    if as_json:
        echo_json([p.as_dict() for p in result.problems])
    else:
        for problem in result.problems:
            click.echo(clean(str(problem)), err=problem.severity == "error")
        errors = sum(p.errors for p in result.problems)  # those past a file's cap too
        not_found = f" {result.missing} not found." if result.missing else ""
        files = len(result.files)
        if not files and not result.missing:
            click.echo("No bank files found.", err=True)
        elif result.invalid or result.missing:
            click.echo(
                f"{result.invalid} of {files} file(s) invalid, {errors} error(s).{not_found}",
                err=True,
            )
        else:
            click.echo(f"{files} file(s) valid.")
    if not result.ok:
        raise SystemExit(1)


# --- lint ------------------------------------------------------------------------------------


@banks.command("lint")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON list of {path, line, column, question, message, severity, rule}.",
)
def lint(paths: tuple[str, ...], strict: bool, as_json: bool) -> None:
    """Warn about weak questions in bank files (or folders of them).

    \b
    Rules: few-options, long-answer, answer-in-prompt, gives-away (a question shows another's
    answer; silence it with `reveals:`), similar-prompts, pick-all, no-explanation, no-facts,
    unused-fact (facts of the source no linted bank tests), and the loader's warnings (draft
    questions). Invalid banks give their errors and exit 1; with --strict, warnings exit 1 too.
    """
    from quiz.bank.lint import lint_paths
    from quiz.sanitize import clean

    report = lint_paths(list(paths))
    if as_json:
        rows = [{**p.as_dict(), "rule": "invalid"} for p in report.errors]
        echo_json(rows + [f.as_dict() for f in report.findings])
    else:
        for problem in report.errors:
            click.echo(clean(str(problem)), err=True)
        for finding in report.findings:
            click.echo(clean(str(finding)))
        files = len(report.files)
        if not files:
            click.echo("No bank files found.", err=True)
        elif report.errors:
            click.echo(
                f"{len(report.errors)} error(s) and {len(report.findings)} warning(s)"
                f" in {files} file(s).",
                err=True,
            )
        elif report.findings:
            click.echo(f"{len(report.findings)} warning(s) in {files} file(s).", err=True)
        else:
            click.echo(f"{files} file(s): no warnings.", err=True)
    if report.errors or not report.files or (strict and report.findings):
        raise SystemExit(1)


# --- schema, new, import, export, draft: text printed or written with -o -----------------------


def _write(text: str, output: str | None, force: bool) -> None:
    """Print `text`, or write it to `output` (never replacing a file without --force)."""
    if write_or_echo(text, output, force):
        click.echo(f"Wrote {shown_path(str(output))}", err=True)


@banks.command("schema")
@output_option
@force_option
def schema(output: str | None, force: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of a bank file, for editors and checkers.

    \b
    In a bank file, this first line lets yaml-language-server (VS Code's YAML extension and
    others) complete and check keys against a schema saved with -o:
      # yaml-language-server: $schema=quiz-bank.schema.json
    """
    from quiz.app.banks import schema_text

    _write(schema_text(), output, force)


@banks.command("new")
@click.argument("bank_id", metavar="ID")
@output_option
@force_option
def new(bank_id: str, output: str | None, force: bool) -> None:
    """Start a bank: a commented example of each question kind, valid and lint-clean."""
    from quiz.app.banks import new_text

    _write(new_text(bank_id, output), output, force)


@banks.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@output_option
@click.option(
    "--from",
    "source_format",
    type=click.Choice(["gift", "moodle-xml"]),
    help="The file's format [default: moodle-xml for a .xml file, else gift].",
)
@click.option("--id", "bank_id", metavar="ID", help="The bank's id [default: from the file].")
@click.option("--title", help="The bank's title [default: from the file].")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too: write nothing.")
@force_option
def import_(
    file: str,
    output: str | None,
    source_format: str | None,
    bank_id: str | None,
    title: str | None,
    strict: bool,
    force: bool,
) -> None:
    """Read a GIFT or Moodle XML file and write it as a bank (YAML).

    Questions are read as Moodle reads them: choice and multiple answers with their weights,
    true/false, short answer and numeric with partial credit, matching (with extra answers),
    ordering (Moodle XML), missing word, feedback, format markers, tags and id numbers.
    A question Moodle takes but quiz cannot (essay, description, cloze) is skipped with a
    warning, located as FILE:LINE:COL; a malformed one is an error, and every error is
    reported at once.
    """
    from quiz.app.banks import import_file
    from quiz.sanitize import clean

    imported = import_file(file, bank_id, title, source_format)
    for warning in imported.warnings:
        click.echo(clean(str(warning)), err=True)
    if strict and imported.warnings:
        raise click.ClickException(
            f"{len(imported.warnings)} warning(s) and --strict: nothing written."
        )
    _write(imported.text, output, force)


@banks.command("export")
@click.argument("bank", shell_complete=complete_bank_ids)
@click.option(
    "--to",
    "to",
    type=click.Choice(["gift", "moodle-xml", "qti", "yaml", "json"]),
    default="gift",
    show_default=True,
    help="The format to write.",
)
@click.option(
    "--handout",
    is_flag=True,
    help="Write a sealed exam handout (YAML): prompts and options only, graded on import.",
)
@output_option
@force_option
@click.pass_context
def export(
    ctx: click.Context, bank: str, to: str, handout: bool, output: str | None, force: bool
) -> None:
    """Write BANK (an id or a path) as GIFT or Moodle XML for Moodle, a QTI 1.2 zip for
    Canvas (needs -o), or as YAML or JSON.

    What GIFT and Moodle XML cannot say (dates, facts, GIFT's units...) goes in `// quiz:` comment
    lines (GIFT) or `<!-- quiz: ... -->` comments (XML), which Moodle ignores and
    `quiz banks import` reads back. Where the target grades a question otherwise than quiz
    (an order question, a weight Moodle does not allow), a warning says what changes.

    With --handout, a sealed handout for graded work: no answers, accepted alternatives,
    tolerances, feedback or explanations, options shuffled with a fresh seed, and a token per
    question keyed by a secret in your quiz home, so that your `quiz scores import` can grade
    the learners' answers (and nobody else can recover them).
    """
    if handout:
        explicit = ctx.get_parameter_source("to") is not click.core.ParameterSource.DEFAULT
        if explicit and to != "yaml":
            raise click.UsageError("--handout writes a YAML bank: drop --to, or give --to yaml")
        from quiz.app.handouts import handout_text
        from quiz.bank.catalog import Catalog
        from quiz.commands.common import config

        _write(handout_text(Catalog().resolve(bank), config(ctx).home), output, force)
        return
    from quiz.app.banks import export_bank
    from quiz.commands.common import to_file
    from quiz.sanitize import clean

    if to == "qti" and not to_file(output):
        raise click.UsageError("--to qti writes a zip file: give it with -o FILE.zip")
    exported = export_bank(bank, to)
    for warning in exported.warnings:
        click.echo("Warning: " + clean(warning), err=True)
    if isinstance(exported.data, bytes):
        from quiz.app.files import SHARED_MODE, write_output

        assert output is not None
        write_output(output, exported.data, force=force, mode=SHARED_MODE)
        click.echo(f"Wrote {shown_path(str(output))}", err=True)
        return
    _write(exported.data, output, force)


@banks.command("draft")
@click.argument("article", type=click.Path(dir_okay=False))
@output_option
@click.option(
    "--skip",
    type=click.IntRange(min=0),
    metavar="N",
    help="The first N non-empty lines (outlet, headline) are not paragraphs"
    " [default: the leading lines that do not end like a sentence].",
)
@force_option
def draft(article: str, output: str | None, skip: int | None, force: bool) -> None:
    """Draft candidate questions from a plain-text ARTICLE, for an author to review.

    Figures give number questions, dates give date questions (at the precision written),
    and attributed statements give "who said it" questions with the article's other speakers
    as distractors. Each non-empty line after the heading (outlet, headline) is a paragraph,
    counted from 1; every question carries its `paragraph` and `draft: true`.
    """
    from quiz.app.banks import draft as draft_questions

    drafted = draft_questions(article, skip)
    _write(drafted.text, output, force)
    click.echo(f"{drafted.questions} draft question(s).", err=True)
