"""Authoring commands added to `quiz banks`: lint, schema, new, import, export, draft.

BANK arguments complete with `quiz.commands.common.complete_bank_ids`.
"""

from __future__ import annotations

import click

from quiz.commands.common import complete_bank_ids


def _write(text: str, output: str | None, force: bool) -> None:
    """Print `text`, or write it to `output` (refusing to replace a file without --force)."""
    from pathlib import Path

    from quiz.errors import QuizError

    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    path = Path(output)
    if path.exists() and not force:
        raise QuizError(f"{output} exists: give --force to replace it")
    if path.is_dir():
        raise QuizError(f"{output} is a folder: name a file")
    path.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {output}", err=True)


_OUTPUT = click.option(
    "-o", "--output", metavar="FILE", help="Write to FILE instead of printing (- prints)."
)
_FORCE = click.option("--force", is_flag=True, help="Replace FILE if it exists.")


@click.command("lint")
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
    Rules: few-options, long-answer, answer-in-prompt, similar-prompts, no-explanation,
    no-facts, unused-fact (facts of the source no linted bank tests), and the loader's
    warnings (draft questions). Invalid banks give their errors and exit 1; with --strict,
    warnings exit 1 too.
    """
    from quiz.bank.lint import lint_paths
    from quiz.commands.common import echo_json
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


@click.command("schema")
@_OUTPUT
@_FORCE
def schema(output: str | None, force: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of a bank file, for editors and checkers.

    \b
    In a bank file, this first line lets yaml-language-server (VS Code's YAML extension and
    others) complete and check keys against a schema saved with -o:
      # yaml-language-server: $schema=quiz-bank.schema.json
    """
    from quiz.formats.schema import schema_text

    _write(schema_text(), output, force)


@click.command("new")
@click.argument("bank_id", metavar="ID")
@_OUTPUT
@_FORCE
def new(bank_id: str, output: str | None, force: bool) -> None:
    """Start a bank: a commented example of each question kind, valid and lint-clean."""
    from pathlib import Path

    from quiz.bank.scaffold import new_bank_text

    name = Path(output).name if output and output != "-" else None
    _write(new_bank_text(bank_id, name), output, force)


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@_OUTPUT
@click.option("--id", "bank_id", metavar="ID", help="The bank's id [default: from the file].")
@click.option("--title", help="The bank's title [default: from the file].")
@_FORCE
def import_(
    file: str, output: str | None, bank_id: str | None, title: str | None, force: bool
) -> None:
    """Read a GIFT file (Moodle's text format) and write it as a bank (YAML).

    Every question GIFT can hold is read: choice, weighted multiple answers, true/false,
    short answer, numeric, matching, missing word, feedback. Anything else is an error,
    located as FILE:LINE:COL.
    """
    from pathlib import Path

    from quiz.bank.dump import dump_bank
    from quiz.errors import NotFound
    from quiz.formats.gift import load_gift

    if not Path(file).is_file():
        raise NotFound(f"{file}: no such file")
    bank = load_gift(file, bank_id=bank_id, title=title)
    header = f"# Imported from {Path(file).name} by `quiz banks import`.\n"
    _write(header + dump_bank(bank), output, force)


@click.command("export")
@click.argument("bank", shell_complete=complete_bank_ids)
@click.option(
    "--to",
    "to",
    type=click.Choice(["gift", "yaml", "json"]),
    default="gift",
    show_default=True,
    help="The format to write.",
)
@_OUTPUT
@_FORCE
def export(bank: str, to: str, output: str | None, force: bool) -> None:
    """Write BANK (an id or a path) as GIFT for Moodle, or as YAML or JSON.

    What GIFT cannot say (dates, order questions, units, facts...) goes in `// quiz:`
    comment lines, which Moodle ignores and `quiz banks import` reads back.
    """
    from quiz.bank.catalog import Catalog

    loaded = Catalog().resolve(bank)
    if to == "gift":
        from quiz.formats.gift import bank_to_gift

        text = bank_to_gift(loaded)
    elif to == "yaml":
        from quiz.bank.dump import dump_bank

        text = dump_bank(loaded)
    else:
        import json

        from quiz.bank.dump import bank_to_dict

        text = json.dumps(bank_to_dict(loaded), indent=2, ensure_ascii=False) + "\n"
    _write(text, output, force)


@click.command("draft")
@click.argument("article", type=click.Path(dir_okay=False))
@_OUTPUT
@click.option(
    "--skip",
    type=click.IntRange(min=0),
    metavar="N",
    help="The first N non-empty lines (outlet, headline) are not paragraphs"
    " [default: the leading lines that do not end like a sentence].",
)
@_FORCE
def draft(article: str, output: str | None, skip: int | None, force: bool) -> None:
    """Draft candidate questions from a plain-text ARTICLE, for an author to review.

    Figures give number questions, dates give date questions (at the precision written),
    and attributed statements give "who said it" questions with the article's other speakers
    as distractors. Each non-empty line after the heading (outlet, headline) is a paragraph,
    counted from 1; every question carries its `paragraph` and `draft: true`.
    """
    from pathlib import Path

    from quiz.bank.draft import draft_bank
    from quiz.bank.dump import dump_bank
    from quiz.bank.loader import load_bank_text
    from quiz.errors import NotFound, QuizError

    path = Path(article)
    if not path.is_file():
        raise NotFound(f"{article}: no such file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QuizError(f"{article} is not UTF-8 text") from None
    from quiz.bank.draft import heading_lines

    if skip is None:
        skip = heading_lines(text)
    bank = draft_bank(text, path.name, skip)
    if not bank.questions:
        raise QuizError(f"{article}: no figures, dates or attributed statements found")
    header = (
        f"# Drafted from {path.name} by `quiz banks draft` (paragraphs: each non-empty line,"
        f" counted from 1 after {skip} heading line(s)).\n"
        "# Check every question against the article, rewrite it in your own words, add `facts`\n"
        "# if the bank has a source, then remove `draft: true`.\n"
    )
    yaml_text = header + dump_bank(bank)
    load_bank_text(yaml_text, str(path.with_suffix(".yaml")))  # what we write must load
    _write(yaml_text, output, force)
    click.echo(f"{len(bank.questions)} draft question(s).", err=True)


def register(root: click.Group) -> None:
    """Add the authoring commands to the `banks` group."""
    group = root.commands["banks"]
    assert isinstance(group, click.Group)
    for command in (lint, schema, new, import_, export, draft):
        group.add_command(command)
