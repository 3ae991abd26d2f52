"""`quiz banks list|show|validate`: which banks there are, what one holds, whether it is valid."""

from __future__ import annotations

from typing import Any

import click

from quiz.commands.common import complete_bank_ids, echo_json


@click.group()
def banks() -> None:
    """Find, inspect and check question banks."""


@banks.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects.")
def list_banks(as_json: bool) -> None:
    """List the known banks: bundled ones and those in QUIZ_BANKS folders."""
    from quiz.bank.catalog import Catalog

    entries = Catalog().entries()
    rows: list[dict[str, Any]] = []
    for entry in entries:
        bank = entry.bank
        rows.append(
            {
                "id": bank.id if bank else entry.path.stem,
                "title": bank.title if bank else None,
                "questions": len(bank.questions) if bank else None,
                "kinds": list(bank.kinds) if bank else [],
                "origin": entry.origin,
                "path": str(entry.path),
                "valid": bank is not None,
            }
        )
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("No banks found. Add folders with QUIZ_BANKS, or name a bank file.")
        return
    from quiz.commands.common import print_table

    print_table(
        ["id", "title", "questions", "kinds", "where"],
        [
            [
                row["id"],
                row["title"] or "INVALID: run quiz banks validate",
                "" if row["questions"] is None else str(row["questions"]),
                ", ".join(row["kinds"]),
                "bundled" if row["origin"] == "bundled" else row["path"],
            ]
            for row in rows
        ],
    )


@banks.command("show")
@click.argument("bank", shell_complete=complete_bank_ids)
@click.option("--answers", is_flag=True, help="Show the answers and explanations too.")
@click.option("--facts", is_flag=True, help="Show the source facts each question tests.")
@click.option("--json", "as_json", is_flag=True, help="Print the bank as JSON.")
def show(bank: str, answers: bool, facts: bool, as_json: bool) -> None:
    """Show the questions of BANK (an id or a path), without answers unless --answers."""
    from quiz.bank.catalog import Catalog
    from quiz.bank.dump import bank_to_dict, question_to_dict
    from quiz.bank.model import (
        ChoiceQuestion,
        MatchQuestion,
        MultiQuestion,
        OrderQuestion,
        expected_text,
    )
    from quiz.sanitize import clean

    catalog = Catalog()
    loaded = catalog.resolve(bank)
    source = catalog.source(loaded.source, loaded) if (facts and loaded.source) else None
    if as_json:
        data = bank_to_dict(loaded)
        if not answers:
            data["questions"] = [_without_answers(question_to_dict(q)) for q in loaded.questions]
        echo_json(data)
        return
    click.echo(clean(f"{loaded.title} ({loaded.id}): {len(loaded.questions)} questions"))
    if loaded.description:
        click.echo(clean(loaded.description))
    for number, question in enumerate(loaded.questions, 1):
        click.echo()
        click.echo(clean(f"{number}. [{question.id}] ({question.kind}) {question.prompt}"))
        options: tuple[str, ...] = ()
        if isinstance(question, (ChoiceQuestion, MultiQuestion)):
            options = tuple(sorted(question.options, key=str.casefold))
        elif isinstance(question, MatchQuestion):
            click.echo(clean("   match: " + " | ".join(left for left, _ in question.pairs)))
            options = tuple(sorted((right for _, right in question.pairs), key=str.casefold))
        elif isinstance(question, OrderQuestion):
            options = tuple(sorted(question.items, key=str.casefold))
        for option in options:
            click.echo(clean(f"   - {option}"))
        if answers:
            click.echo(clean(f"   answer: {expected_text(question)}"))
            if question.explanation:
                click.echo(clean(f"   why: {question.explanation}"))
        if facts:
            if question.paragraph:
                click.echo(f"   paragraph: {question.paragraph}")
            for fact_id in question.facts:
                fact = source.fact(fact_id) if source else None
                text = f"{fact.statement} (paragraph {fact.paragraph})" if fact else ""
                click.echo(clean(f"   fact {fact_id}: {text}".rstrip(": ")))


def _without_answers(data: dict[str, object]) -> dict[str, object]:
    hidden = {"answer", "answers", "accept", "tolerance", "explanation", "feedback"}
    return {k: v for k, v in data.items() if k not in hidden}


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
    from pathlib import Path

    from quiz.bank.catalog import expand_paths
    from quiz.bank.loader import check_bank
    from quiz.errors import NotFound, Problem
    from quiz.sanitize import clean

    files: list[Path] = []
    problems: list[Problem] = []
    invalid = missing = 0
    for given in paths:
        try:
            files += expand_paths([given])
        except NotFound as error:
            problems.append(Problem(given, None, None, str(error).removeprefix(f"{given}: ")))
            missing += 1
    ids: dict[str, str] = {}
    for file in files:
        bank, found = check_bank(file)
        if bank is not None and bank.id in ids:
            found.append(
                Problem(
                    str(file), None, None, f"bank id '{bank.id}' is also used by {ids[bank.id]}"
                )
            )
        elif bank is not None:
            ids[bank.id] = str(file)
        if bank is None or any(p.severity == "error" for p in found):
            invalid += 1
        problems += found
    if as_json:
        echo_json([p.as_dict() for p in problems])
    else:
        for problem in problems:
            click.echo(clean(str(problem)), err=problem.severity == "error")
        errors = sum(p.severity == "error" for p in problems)
        not_found = f" {missing} not found." if missing else ""
        if not files and not missing:
            click.echo("No bank files found.", err=True)
        elif invalid or missing:
            click.echo(
                f"{invalid} of {len(files)} file(s) invalid, {errors} error(s).{not_found}",
                err=True,
            )
        else:
            click.echo(f"{len(files)} file(s) valid.")
    if invalid or missing or not files:
        raise SystemExit(1)


def register(root: click.Group) -> None:
    root.add_command(banks)
