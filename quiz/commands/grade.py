"""`quiz grade`: grade an answer sheet against a bank (`quiz.app.attempts`), then print it."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from quiz.commands.common import complete_bank_ids, config, echo_json

if TYPE_CHECKING:
    from quiz.app.attempts import Graded


def register(root: click.Group) -> None:
    """Add `grade` to the root group."""
    root.add_command(grade)


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
    """Grade an answer sheet (YAML: bank, user, answers; - reads it from stdin) against BANK.

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
    from quiz.app import attempts

    the_sheet = attempts.read_sheet(sheet, bank)
    who = config(ctx).user(user, the_sheet.user)
    if no_record:
        graded = attempts.grade_sheet(the_sheet, who, None)
    else:
        with attempts.open_store(config(ctx).home) as store:
            graded = attempts.grade_sheet(the_sheet, who, store)
    if as_json:
        echo_json(graded.as_dict())
    else:
        _print_grade_table(graded)


def _print_grade_table(graded: Graded) -> None:
    from quiz.sanitize import clean_line
    from quiz.ui.plain import points, response_text
    from quiz.ui.terminal import Style, output_width, wrap_lines

    bank, summary = graded.bank, graded.summary
    style = Style.for_stream(sys.stdout)
    lines = [
        f"{clean_line(bank.title)} ({clean_line(bank.id)}), answered by {clean_line(graded.user)}"
    ]
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
    if graded.attempt_id:
        lines.append(f"Recorded as attempt {graded.attempt_id[:8]}.")
    for line in wrap_lines(lines, output_width(sys.stdout)):
        click.echo(line, color=style.color)
