"""What a learner reads about each answer after the quiz: an unreadable answer stays unreadable
(stored as {"unreadable": TEXT}, no new column) in the summary, on resume and in `scores show`;
multi, match and order one line per item in the end summary and in `scores show`, as in the
feedback; dates as people write them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from quiz.bank.loader import load_bank
from quiz.cli import cli
from quiz.session import Filters, Session
from quiz.store import Store
from quiz.store.records import ResponseRecord, unreadable_response, unreadable_text
from quiz.ui.plain import expected_words, part_lines, summary_lines
from quiz.ui.terminal import Style

BANKS = Path(__file__).parent / "data" / "banks"
MINI = str(BANKS / "mini.yaml")
EXAMPLES = str(BANKS / "examples.yaml")


def quiz(*args: str, input: str = "") -> Result:
    return CliRunner().invoke(cli, list(args), input=input, env={"COLUMNS": "120"})


def only_attempt(home: Path) -> Any:
    with Store.open(home) as store:
        [attempt] = store.attempts()
    return attempt


def number_of(options: tuple[str, ...], wanted: str) -> str:
    return str(options.index(wanted) + 1)


# -- the marker -----------------------------------------------------------------------------------
def test_the_marker_is_read_only_for_kinds_answered_with_one_text() -> None:
    stored = unreadable_response("7")
    assert stored == {"unreadable": "7"}
    for kind in ("choice", "truefalse", "text", "number", "date"):
        assert unreadable_text(stored, kind) == "7"
    assert unreadable_text(stored, "match") is None  # a left item may be called so
    assert unreadable_text("7", "choice") is None
    assert unreadable_text({"unreadable": "7", "x": "y"}, "choice") is None
    assert unreadable_text({"unreadable": ["7"]}, "choice") is None
    assert unreadable_text(stored, "no-such-kind") is None


def test_an_unreadable_answer_is_stored_marked_and_scored_0(quiz_home: Path) -> None:
    result = quiz("take", MINI, "--kind", "choice", input="7\n")
    assert result.exit_code == 0, result.output
    assert "✗ Unreadable answer" in result.output
    [response] = only_attempt(quiz_home).responses
    assert response.response == {"unreadable": "7"}
    assert response.score == 0 and not response.correct


def test_scores_show_says_unreadable(quiz_home: Path) -> None:
    quiz("take", MINI, "--kind", "choice", "--kind", "number", "--no-shuffle", input="7\n67300\n")
    attempt = only_attempt(quiz_home).id
    shown = quiz("scores", "show", attempt)
    assert shown.exit_code == 0, shown.output
    assert "(unreadable answer)" in shown.output and "✗ unreadable" in shown.output
    assert "{" not in shown.output  # the text as typed, not the stored marker
    data = json.loads(quiz("scores", "show", attempt, "--json").output)
    first, second = data["questions"]
    assert first["unreadable"] is True and first["response"] == "7"
    assert second["unreadable"] is False and second["response"] == "67300"


def test_resume_keeps_an_unreadable_answer_unreadable(quiz_home: Path) -> None:
    args = ("take", MINI, "--kind", "choice", "--kind", "date", "--no-shuffle")
    first = quiz(*args, input="7\n")  # then the input ends: interrupted, answers kept
    assert first.exit_code == 130, first.output
    result = quiz("take", MINI, "--resume", input="1969\n")
    assert result.exit_code == 0, result.output
    summary = result.output[result.output.index("Score:") :]
    assert "✗ Unreadable answer  Which city is the capital of France?" in summary
    assert "Your answer: 7" in summary


def test_a_session_reads_the_marker_back() -> None:
    bank = load_bank(MINI)
    session = Session([bank], [("mini", "capital")], seed=1)
    result = session.answer("7")
    assert result.unreadable
    record = result.record()
    assert record.response == {"unreadable": "7"}
    resumed = Session([bank], [("mini", "capital")], seed=1, answered=[record])
    [again] = resumed.results
    assert again.unreadable and again.response == "7" and again.hint is not None
    readable = Session([bank], [("mini", "capital")], seed=1).answer("Paris").record()
    assert readable.response == "Paris"


def test_a_graded_sheet_keeps_the_flag(tmp_path: Path, quiz_home: Path) -> None:
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("bank: mini\nanswers:\n  capital: 7\n  moon: 1969\n", encoding="utf-8")
    assert quiz("grade", MINI, str(sheet)).exit_code == 0
    attempt = only_attempt(quiz_home)
    responses = {r.question_id: r.response for r in attempt.responses}
    assert responses["capital"] == {"unreadable": "7"} and responses["moon"] == "1969"
    assert "✗ unreadable" in quiz("scores", "show", attempt.id).output


def test_results_files_carry_the_flag(tmp_path: Path, quiz_home: Path) -> None:
    quiz("take", MINI, "--kind", "choice", input="7\n")
    out = tmp_path / "results.jsonl"
    assert quiz("scores", "export", "-o", str(out)).exit_code == 0
    other = tmp_path / "other-home"
    imported = CliRunner().invoke(
        cli,
        ["--home", str(other), "scores", "import", "--bank", MINI, str(out)],
        env={"COLUMNS": "120"},
    )
    assert imported.exit_code == 0, imported.output
    attempt = only_attempt(other)
    assert attempt.responses[0].response == {"unreadable": "7"}
    assert attempt.responses[0].score == 0  # re-graded: still nothing
    shown = CliRunner().invoke(cli, ["--home", str(other), "scores", "show", attempt.id])
    assert "✗ unreadable" in shown.output


def test_item_analysis_counts_an_unreadable_answer_as_typed(quiz_home: Path) -> None:
    quiz("take", MINI, "--kind", "date", input="sometime in winter\n")
    report = quiz("scores", "report", "--by", "question", "--format", "json")
    assert report.exit_code == 0, report.output
    assert "sometime in winter" in report.output and "unreadable" not in report.output


# -- one line per item ----------------------------------------------------------------------------
def partly_wrong(session: Session) -> list[str]:
    """Plain-mode lines: multi with one wrong tick, match with Spain wrong, order reversed."""
    lines: list[str] = []
    for item in session.items:
        q: Any = item.question
        if q.kind == "multi":
            lines.append(f"{number_of(item.options, '2')},{number_of(item.options, '4')}")
        elif q.kind == "match":
            picks = {"France": "Paris", "Italy": "Rome", "Spain": "Rome"}
            lines += [number_of(item.options, picks[left]) for left in item.lefts]
        elif q.kind == "order":
            lines.append(" ".join(number_of(item.options, x) for x in reversed(q.items)))
    return lines


DETAIL = [
    "✓ 2",
    "✗ 4  (not a right option)",
    "✗ 3  (a right option, not picked)",
    "✓ France → Paris",
    "✓ Italy → Rome",
    "✗ Spain → Rome  (right: Madrid)",
    "✗ 1. horse  (right: mouse)",
    "✓ 2. cat",
    "✗ 3. mouse  (right: horse)",
]


def test_the_summary_and_scores_show_list_each_item(quiz_home: Path) -> None:
    kinds = ("multi", "match", "order")
    session = Session.build([load_bank(MINI)], Filters(kinds=kinds), seed=3)
    args = ["take", MINI, "--seed", "3", *[f"--kind={k}" for k in kinds]]
    result = quiz(*args, input="".join(f"{x}\n" for x in partly_wrong(session)))
    assert result.exit_code == 0, result.output
    summary = result.output[result.output.index("Missed:") :].splitlines()
    for line in DETAIL:
        assert f"      {line}" in summary, (line, summary)  # under each missed question
    attempt = only_attempt(quiz_home).id
    shown = CliRunner().invoke(cli, ["scores", "show", attempt], env={"COLUMNS": "250"})
    lines = [line.strip() for line in shown.output.splitlines()]
    for line in DETAIL:  # (a wide table: each item on a line of its own in its cell)
        assert any(line in row for row in lines), (line, shown.output)


def test_summary_lines_per_item_and_dates_in_words() -> None:
    bank = load_bank(EXAMPLES)
    session = Session([bank], [("examples", "month-2022-12")], seed=1)
    session.answer("March 2019")
    text = "\n".join(summary_lines(session.summary(), Style()))
    assert "Answer: December 2022" in text and "2022-12" not in text
    assert expected_words("date", "2022-12-05") == "5 December 2022"
    assert expected_words("date", "1991") == "1991"
    assert expected_words("date", "not a date") == "not a date"
    assert expected_words("number", "2022-12") == "2022-12"


def test_scores_show_writes_dates_as_people_do(tmp_path: Path, quiz_home: Path) -> None:
    bank = tmp_path / "months.yaml"
    bank.write_text(
        "id: months\ntitle: Months\nquestions:\n"
        "  - {id: m, kind: date, prompt: Which month?, answer: 2022-12}\n",
        encoding="utf-8",
    )
    quiz("take", str(bank), input="March 2019\n")
    shown = quiz("scores", "show", only_attempt(quiz_home).id).output
    assert "December 2022" in shown and "2022-12" not in shown


def test_part_lines_need_the_right_shape() -> None:
    style = Style()
    assert part_lines("match", ["a"], (("a", "b"),), style) is None
    assert part_lines("order", {"a": "b"}, ("a",), style) is None
    assert part_lines("multi", ["a"], (), style) is None  # nothing to compare with
    assert part_lines("choice", "a", ("a",), style) is None
    assert part_lines("order", ["b"], ("a", "b"), style) == [
        "  ✗ 1. b  (right: a)",
        "  ✗ 2. (none)  (right: b)",
    ]


def test_a_match_whose_pairs_cannot_be_read_back_shows_the_response() -> None:
    from quiz.app.replays import _right_parts
    from quiz.store.records import QuestionSnapshot

    def snap(expected: str, options: tuple[str, ...]) -> QuestionSnapshot:
        return QuestionSnapshot("b", "q", "match", "P", 1.0, expected, options=options)

    assert _right_parts(snap("a → x; b → y", ("x", "y"))) == (("a", "x"), ("b", "y"))
    assert _right_parts(snap("a → x; b → y → z", ("x", "y → z"))) == ()  # ambiguous
    assert _right_parts(snap("a; c → x; b → y", ("x", "y"))) == ()
    record = ResponseRecord("b", "q", {"a": "x"}, 1.0, 1.0, True)
    assert record.response == {"a": "x"}
