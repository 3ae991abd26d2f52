"""`quiz grade`: grade an answer sheet against a bank (`quiz.app.attempts`), then print it."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from quiz.commands.common import complete_bank_ids, config, echo_json

if TYPE_CHECKING:
    from quiz.app.attempts import Graded, Sheet
    from quiz.errors import Problem


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
@click.option(
    "--strict", is_flag=True, help="Fail (exit 1, nothing recorded) on an unreadable answer."
)
@click.pass_context
def grade(
    ctx: click.Context,
    bank: str,
    sheet: str,
    user: str | None,
    as_json: bool,
    no_record: bool,
    strict: bool,
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
    answered and score 0. An answer that is no answer (an option number out of range, text
    that is no option, a number or date that cannot be read, a date less precise than asked)
    scores 0 as unreadable and is reported as a located warning; --strict fails on one.
    """
    from quiz.app import attempts
    from quiz.errors import AnswerSheetError

    the_sheet = attempts.read_sheet(sheet, bank)
    who = config(ctx).user(user, the_sheet.user)
    if strict:  # checked before anything is recorded
        problems = unreadable_warnings(the_sheet, attempts.grade_sheet(the_sheet, who, None))
        if problems:
            raise AnswerSheetError(
                "\n".join([*map(str, problems), "unreadable answers (--strict): nothing graded"])
            )
    if no_record:
        graded = attempts.grade_sheet(the_sheet, who, None)
    else:
        with attempts.open_store(config(ctx).store) as store:
            who = config(ctx).user_on(store, who, bool(user or the_sheet.user))
            graded = attempts.grade_sheet(the_sheet, who, store)
    for problem in unreadable_warnings(the_sheet, graded):
        click.echo(str(problem), err=True)
    if as_json:
        echo_json(graded.as_dict())
    else:
        _print_grade_table(graded)


def unreadable_warnings(sheet: Sheet, graded: Graded) -> list[Problem]:
    """Each answer of the sheet that is no answer (`Kind.well_formed`), located at its value."""
    from quiz.errors import Problem
    from quiz.sanitize import clean_line
    from quiz.ui.hints import hint_text

    found = []
    for result in graded.summary.results:
        if not result.unreadable or result.hint is None:
            continue
        line, column = sheet.places.get(result.question_id, (None, None))
        why = clean_line(hint_text(result.hint, result.question))
        message = f"unreadable answer, scored 0: {why}"
        found.append(
            Problem(sheet.path, line, column, message, clean_line(result.question_id), "warning")
        )
    return found


def _print_grade_table(graded: Graded) -> None:
    from quiz.sanitize import clean_line
    from quiz.ui.plain import points, response_text, verdict_text
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
                verdict_text(r, style),  # a question the sheet left out: "Skipped"
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
