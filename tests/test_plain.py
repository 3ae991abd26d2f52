"""Plain mode: numbered options, answers line by line, the same feedback and summary."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from quiz.loader import load_bank
from quiz.model import Bank
from quiz.plain import (
    Outcome,
    PlainFrontEnd,
    Style,
    feedback_lines,
    response_text,
    summary_lines,
)
from quiz.session import Item, Session

BANKS = Path(__file__).parent / "data" / "banks"


@pytest.fixture(scope="module")
def mini() -> Bank:
    return load_bank(BANKS / "mini.yaml")


def number_of(options: tuple[str, ...] | list[str], wanted: str) -> str:
    return str(list(options).index(wanted) + 1)


def right_lines(item: Item) -> list[str]:
    """The lines a learner types to answer an item right in plain mode."""
    q: Any = item.question
    if q.kind == "choice":
        return [number_of(item.options, q.answer)]
    if q.kind == "truefalse":
        return [number_of(item.options, "true" if q.answer else "false")]
    if q.kind == "multi":
        return [",".join(number_of(item.options, a) for a in q.answers)]
    if q.kind == "order":
        return [" ".join(number_of(item.options, x) for x in q.items)]
    if q.kind == "match":
        return [number_of(item.options, right) for _, right in q.pairs]
    return {"text": ["Shakespeare"], "number": ["67 300"], "date": ["1969"]}[q.kind]


def run(session: Session, lines: list[str], **kwargs: Any) -> tuple[Outcome, str]:
    out = io.StringIO()
    front = PlainFrontEnd(
        io.StringIO("".join(f"{x}\n" for x in lines)), out, style=Style(), **kwargs
    )
    return front.run(session), out.getvalue()


def test_a_whole_quiz_answered_right(mini: Bank) -> None:
    session = Session.build([mini], seed=5)
    lines = [line for item in session.items for line in right_lines(item)]
    outcome, text = run(session, lines)
    assert outcome is Outcome.DONE
    summary = session.summary()
    assert summary.score == summary.max_score == 8
    assert text.count("✓ Right") == 8
    printed = "\n".join(summary_lines(summary, Style()))
    assert "Score: 8/8 (100%)" in printed
    assert "By tag:" in printed and "geography" in printed
    assert "Missed:" not in printed


def test_options_are_numbered_and_numbers_are_stored_as_texts(mini: Bank) -> None:
    saved: list[Any] = []
    session = Session(
        [mini], [("mini", "capital"), ("mini", "sky")], seed=2, on_answer=saved.append
    )
    capital = session.items[0]
    outcome, text = run(session, [number_of(capital.options, "Lyon"), "1"])
    assert outcome is Outcome.DONE
    for number, option in enumerate(capital.options, 1):
        assert f"  {number}) {option}" in text
    assert "  1) True" in text and "  2) False" in text
    assert [r.record().response for r in saved] == ["Lyon", "true"]
    assert "✗ Wrong  (0/1)" in text
    assert "Your answer: Lyon" in text and "Answer: Paris" in text
    assert "Paris has been the capital for centuries." in text
    assert "Source: paragraph 3" in text


def test_feedback_summary_after_mistakes(mini: Bank) -> None:
    session = Session.build([mini], seed=5, shuffle=False)
    lines = []
    for item in session.items:
        if item.kind == "multi":
            lines.append(number_of(item.options, "2"))  # half right
        elif item.kind == "number":
            lines.append("12")  # wrong
        elif item.kind == "date":
            lines.append(":skip")
        else:
            lines += right_lines(item)
    outcome, _ = run(session, lines)
    assert outcome is Outcome.DONE
    summary = session.summary()
    printed = "\n".join(summary_lines(summary, Style()))
    assert "Score: 5.5/8 (69%)" in printed
    assert "5 right, 2 wrong or partly right, 1 skipped, of 8 questions." in printed
    assert "◐ Partly right  Which of these numbers are prime?" in printed
    assert "→ Skipped  In which year did people first walk on the Moon?" in printed
    assert "Answer: 67,300 barrels" in printed
    assert "Your answer: 12" in printed
    maths = next(line for line in printed.splitlines() if line.strip().startswith("maths"))
    assert maths.split() == ["maths", "0.5/2", "25%"]


def test_bad_lines_are_asked_again(mini: Bank) -> None:
    session = Session([mini], [("mini", "sizes"), ("mini", "pairs")], seed=3)
    order, match = session.items
    lines = ["", "1 2", "9 8 7", *right_lines(order), "7", "nonsense", *right_lines(match)]
    outcome, text = run(session, lines)
    assert outcome is Outcome.DONE
    assert all(r.correct for r in session.results)
    assert "put all 3 items in order" in text
    assert "type a number from 1 to 3" in text


def test_match_accepts_the_option_text(mini: Bank) -> None:
    session = Session([mini], [("mini", "pairs")], seed=3)
    outcome, _ = run(session, ["paris", "ROME", "Madrid"])
    assert outcome is Outcome.DONE and session.results[0].correct


def test_quit_and_end_of_input_keep_answers(mini: Bank) -> None:
    session = Session.build([mini], seed=5)
    first = right_lines(session.items[0])
    outcome, _ = run(session, [*first, ":quit"])
    assert outcome is Outcome.QUIT and len(session.results) == 1
    outcome, _ = run(session, [])
    assert outcome is Outcome.INTERRUPTED and len(session.results) == 1
    assert not session.done


def test_exam_mode_holds_feedback(mini: Bank) -> None:
    session = Session.build([mini], seed=5)
    lines = [line for item in session.items for line in right_lines(item)]
    outcome, text = run(session, lines, exam=True)
    assert outcome is Outcome.DONE
    assert "Right" not in text and "Answer:" not in text


def test_hostile_text_is_cleaned() -> None:
    bank = load_bank(BANKS / "hostile.yaml")
    session = Session.build([bank], seed=1, shuffle=False)
    evil = number_of(session.items[0].options, "evil\x1b]0;owned\x07")
    outcome, text = run(session, [evil, "\x1b]0;owned\x07safe\x1b[2J"])
    assert outcome is Outcome.DONE
    summary = "\n".join(summary_lines(session.summary(), Style()))
    for shown in (text, summary):
        assert "\x1b" not in shown and "\x07" not in shown
    assert "Which is safe?" in text and "Not that one" in text


def test_colour_is_decoration_only(mini: Bank) -> None:
    session = Session([mini], [("mini", "capital")], seed=1)
    result = session.answer("Lyon")
    plain = feedback_lines(result, Style())
    coloured = feedback_lines(result, Style(color=True))
    assert "\x1b[" not in "".join(plain) and "\x1b[31m" in coloured[0]
    assert "✗ Wrong" in plain[0] and "✗ Wrong" in coloured[0]
    ascii_only = feedback_lines(result, Style(unicode=False))
    assert ascii_only[0].startswith("x Wrong")


def test_colour_off_with_no_color_or_no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert Style.for_stream(Tty()).color
    assert not Style.for_stream(io.StringIO()).color
    monkeypatch.setenv("NO_COLOR", "1")
    assert not Style.for_stream(Tty()).color


def test_response_text() -> None:
    assert response_text(None) == "(skipped)"
    assert response_text(["a", "b\x1b[2J"]) == "a; b"
    assert response_text({"x": "y"}) == "x → y"
    assert response_text("") == "(nothing)"
