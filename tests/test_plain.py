"""Plain mode: numbered options, answers line by line, the same feedback and summary."""

from __future__ import annotations

import io
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.bank.catalog import Catalog
from quiz.bank.loader import load_bank
from quiz.bank.model import Bank, DateQuestion, NumberQuestion
from quiz.kinds import grade
from quiz.session import Item, Session
from quiz.ui.plain import (
    Outcome,
    PlainFrontEnd,
    feedback_lines,
    how_to_answer,
    response_text,
    source_text,
    summary_lines,
)
from quiz.ui.terminal import PIPE_WIDTH, Style, output_width, wrap_line, wrap_lines

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


def run(
    session: Session, lines: list[str], *, tty: bool = False, **kwargs: Any
) -> tuple[Outcome, str]:
    """Plain mode reading `lines` from a pipe (or, with `tty`, typed at a terminal)."""
    out = io.StringIO()
    typed = "".join(f"{x}\n" for x in lines)
    front = PlainFrontEnd(
        TtyInput(typed) if tty else io.StringIO(typed), out, style=Style(), **kwargs
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
    outcome, text = run(session, lines, tty=True)  # (from a pipe, never asked again)
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
    outcome, text = run(session, [evil, "\x1b]0;owned\x07calm\x1b[2J"])
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


def test_order_responses_read_like_the_right_answer(mini: Bank) -> None:
    # items may hold commas and semicolons: an order is shown with " → ", as its answer is
    order = mini.question("sizes")
    assert response_text(["horse", "cat, big", "mouse"], order) == "horse → cat, big → mouse"
    session = Session([mini], [("mini", "sizes")], seed=1)
    result = session.answer(["horse", "cat", "mouse"])
    lines = feedback_lines(result, Style())
    # feedback: one line per item (the pick, the right one)
    assert "  ✗ 1. horse  (right: mouse)" in lines and "  ✓ 2. cat" in lines
    summary = summary_lines(session.summary(), Style())
    # the summary: the same layout, under the missed question
    assert "      ✗ 1. horse  (right: mouse)" in summary and "      ✓ 2. cat" in summary


def test_order_and_multi_hints_say_spaces_or_commas(mini: Bank) -> None:
    session = Session([mini], [("mini", "sizes"), ("mini", "primes")], seed=1)
    order, multi = session.items
    for item in (order, multi):
        assert "separated by spaces or commas" in how_to_answer(item, plain=True)
    outcome, text = run(session, ["1 x 3", *right_lines(order), ",", *right_lines(multi)], tty=True)
    assert outcome is Outcome.DONE
    assert text.count("separated by spaces or commas") == 4  # two hints, two refusals
    assert [r.correct for r in session.results] == [True, True]  # "," was not an answer


# -- examples in hints ---------------------------------------------------------------------------
EXAMPLES = BANKS / "examples.yaml"


def hint_examples(hint: str) -> list[str]:
    """The examples a hint gives ("…, such as 2019-03 or March 2019. (…)")."""
    found = re.search(r"such as (.*?)(?:\.|$)(?: \(|$)", hint)
    assert found, hint
    return [x.strip() for x in re.split(r", | or ", found.group(1)) if x.strip()]


def number_and_date_items() -> list[Item]:
    banks = [load_bank(EXAMPLES), *Catalog().banks()]
    items = []
    for bank in banks:
        keys = [(bank.id, q.id) for q in bank.questions if q.kind in ("number", "date")]
        items += Session([bank], keys, seed=1).items
    return items


def test_hint_examples_are_never_the_answer() -> None:
    items = number_and_date_items()
    assert ("examples", "year-1991") in {i.key for i in items}
    assert {"rason-figures", "rason-timeline"} <= {i.bank.id for i in items}  # the bundled ones
    for item in items:
        hint = how_to_answer(item, plain=True)
        examples = hint_examples(hint)
        assert examples, hint
        for example in examples:
            assert not grade(item.question, example).correct, (item.key, hint)
            assert grade(item.question, example).score == 0, (item.key, hint)


def test_hint_examples_switch_when_they_would_be_right() -> None:
    bank = load_bank(EXAMPLES)
    hints = {
        q.id: how_to_answer(Session([bank], [(bank.id, q.id)], seed=1).items[0], plain=True)
        for q in bank.questions
        if isinstance(q, (NumberQuestion, DateQuestion))
    }
    # the old fixed examples were these questions' answers
    assert "1991" not in hints["year-1991"]
    assert "December 2022" not in hints["month-2022-12"] and "2022-12" not in hints["month-2022-12"]
    assert "2022-12-05" not in hints["day-2022-12-05"]
    assert "67,300" not in hints["number-67300"] and "67.3k" not in hints["number-67300"]
    # the first neutral example is replaced where it is the answer (or within its tolerance)
    assert "1987" in hints["year-1991"] and "1987" not in hints["year-1987"]
    assert "March 2019" in hints["month-2022-12"] and "March 2019" not in hints["month-2019-03"]
    assert "1,250" in hints["number-67300"]
    assert "1,250" not in hints["number-1250"] and "1,250" not in hints["number-near-1250"]


def test_feedback_hint_has_no_fixed_examples() -> None:
    # an unreadable answer's hint must not show numbers or dates that answer other questions
    bank = load_bank(EXAMPLES)
    session = Session([bank], [(bank.id, "number-1250"), (bank.id, "year-1987")], seed=1)
    number = feedback_lines(session.answer("lots"), Style())
    date = feedback_lines(session.answer("soon"), Style())
    hints = [line for line in number + date if line.startswith("  Hint:")]
    assert len(hints) == 2
    for hint in hints:
        for fixed in ("67,300", "67.3k", "December 2022", "2022-12-05"):
            assert fixed not in hint


# -- sources ---------------------------------------------------------------------------------------
def test_source_text() -> None:
    assert source_text([]) is None
    assert source_text([16]) == "Source: paragraph 16"
    assert source_text([21, 9, 16]) == "Source: paragraphs 9, 16 and 21"
    assert source_text([10, 9, 16, 21, 9]) == "Source: paragraphs 9, 10, 16 and 21"


def test_feedback_cites_the_paragraphs_of_the_facts(mini: Bank) -> None:
    session = Session([mini], [("mini", "capital"), ("mini", "sky")], seed=1)
    outcome, text = run(session, ["1", "1"], citations={("mini", "capital"): (4, 2)})
    assert outcome is Outcome.DONE
    assert "Source: paragraphs 2 and 4" in text
    assert "Source: paragraph 3" not in text  # the question's own paragraph is the fallback


# -- wrapping --------------------------------------------------------------------------------------
def test_wrap_line_breaks_between_words_and_keeps_the_indent() -> None:
    line = "  " + " ".join(f"word{n}" for n in range(30))
    wrapped = wrap_line(line, 40)
    assert len(wrapped) > 1
    assert all(len(part) <= 40 and part.startswith("  word") for part in wrapped)
    assert " ".join(part.strip() for part in wrapped) == line.strip()
    option = "  12) " + "long text " * 10
    assert all(part.startswith("      ") for part in wrap_line(option, 30)[1:])
    assert wrap_line("short", 40) == ["short"]
    assert wrap_lines(["a\nb"], 40) == ["a", "b"]


def test_wrap_line_does_not_count_colour() -> None:
    style = Style(color=True)
    line = f"  {style.verdict('wrong')}  " + "prompt words " * 8
    wrapped = wrap_line(line, 40)
    assert wrapped[0].startswith(f"  {style.verdict('wrong')}")
    visible = [re.sub(r"\x1b\[[0-9;]*m", "", part) for part in wrapped]
    assert all(len(part) <= 40 for part in visible)
    assert all(part.startswith("  ") for part in visible)


def test_plain_mode_wraps_to_the_width(mini: Bank) -> None:
    bank = load_bank(EXAMPLES)
    session = Session([bank], [("examples", "long-choice")], seed=1, shuffle=False)
    out = io.StringIO()
    front = PlainFrontEnd(io.StringIO("1\n"), out, style=Style(), width=50)
    assert front.run(session) is Outcome.DONE
    lines = out.getvalue().splitlines()
    assert all(len(line) <= 50 for line in lines), lines
    words = out.getvalue().split()
    for word in ("wrapped", "between", "continuation", "indent", "restart"):
        assert word in words or f"{word}," in words or f"{word}." in words
    explanation = [i for i, line in enumerate(lines) if "The explanation is long" in line]
    assert explanation and lines[explanation[0] + 1].startswith("  ")
    assert any(line.startswith("     ") and "restart" in line for line in lines)  # option text


def test_output_that_is_not_a_terminal_wraps_only_past_a_sane_width(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    bank = load_bank(EXAMPLES)
    session = Session([bank], [("examples", "long-choice")], seed=1, shuffle=False)
    out = io.StringIO()
    assert PlainFrontEnd(io.StringIO("1\n"), out, style=Style()).run(session) is Outcome.DONE
    lines = out.getvalue().splitlines()
    assert all(len(line) <= PIPE_WIDTH for line in lines)
    assert any(len(line) > 80 for line in lines)  # not wrapped to some small default


def test_the_width_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

        def fileno(self) -> int:
            raise OSError("no terminal here")

    monkeypatch.delenv("COLUMNS", raising=False)
    assert PIPE_WIDTH == 100
    assert output_width(io.StringIO()) == 100  # not a terminal, no $COLUMNS
    monkeypatch.setenv("COLUMNS", "60")
    assert output_width(io.StringIO()) == 60  # not a terminal: $COLUMNS
    assert output_width(Tty()) == 60  # a terminal that cannot say: what the shell says
    monkeypatch.setenv("COLUMNS", "wide")
    assert output_width(io.StringIO()) == 100


@given(
    words=st.lists(st.text(alphabet="abcdé-.,", min_size=1, max_size=30), max_size=40),
    width=st.integers(min_value=5, max_value=50),
    indent=st.sampled_from(["", "  ", "    "]),
)
def test_wrapping_is_textwraps_greedy_fill_without_trailing_spaces(
    words: list[str], width: int, indent: str
) -> None:
    line = indent + " ".join(words)
    expected = textwrap.wrap(
        line, width, subsequent_indent=indent, break_on_hyphens=False, break_long_words=True
    )
    # textwrap may leave a space at the end of a line where it broke a long word: not we.
    expected = [part.rstrip() for part in expected]
    assert wrap_line(line, width) == (expected if len(line) > width and expected else [line])


def test_wrapping_takes_time_linear_in_the_text() -> None:
    # A 3 MB word took seconds (textwrap copies the rest of a long word at every break):
    # now the line count is exact and every character is kept, in order.
    line = "x" * 3_000_000
    wrapped = wrap_lines([line, "y" * 250], 100)
    assert len(wrapped) == 30_000 + 3
    assert "".join(wrapped[:30_000]) == line


# -- input that is not text ------------------------------------------------------------------------
def test_undecodable_bytes_are_read_as_replacement_characters(mini: Bank) -> None:
    saved: list[Any] = []
    session = Session([mini], [("mini", "author")], seed=1, on_answer=saved.append)
    outcome, text = run(session, ["Shake\udcffspeare"])  # a line read with surrogateescape
    assert outcome is Outcome.DONE
    assert saved[0].record().response == "Shake\ufffdspeare"
    assert "\udcff" not in text
    text.encode("utf-8")


# -- only a well-formed answer is graded ----------------------------------------------------------
class TtyInput(io.StringIO):
    """Answers typed at a terminal (plain mode on a tty)."""

    def isatty(self) -> bool:
        return True


# (question, badly formed answers, a well-formed one): an out-of-range number, text that is no
# option, a number or date that cannot be read, a date less precise than asked
BADLY_FORMED = [
    ("capital", ["7", "Berlin"], "Paris"),
    ("sky", ["3", "maybe"], "2"),
    ("barrels", ["two experts", "twenty-nine"], "67300"),
    ("moon", ["jan 23 of nothing"], "1969"),
]


@pytest.mark.parametrize(("qid", "bad", "good"), BADLY_FORMED)
def test_on_a_terminal_a_badly_formed_answer_is_asked_again_at_no_cost(
    mini: Bank, qid: str, bad: list[str], good: str
) -> None:
    saved: list[Any] = []
    session = Session([mini], [("mini", qid)], seed=2, on_answer=saved.append)
    out = io.StringIO()
    front = PlainFrontEnd(TtyInput("".join(f"{x}\n" for x in [*bad, good])), out, style=Style())
    assert front.run(session) is Outcome.DONE
    text = out.getvalue()
    assert text.count("try again") == len(bad), text
    assert [r.record().response for r in saved] == [session.results[0].response]
    assert len(saved) == 1 and saved[0].correct, text  # only the well-formed answer counts
    assert "Unreadable" not in text


def test_a_date_less_precise_than_asked_is_asked_again(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        "id: d\ntitle: D\nquestions:\n  - id: when\n    kind: date\n"
        "    prompt: When?\n    answer: 2022-12\n",
        encoding="utf-8",
    )
    session = Session([load_bank(path)], [("d", "when")], seed=1)
    out = io.StringIO()
    front = PlainFrontEnd(TtyInput("2022\nDec 2022\n"), out, style=Style())
    assert front.run(session) is Outcome.DONE
    assert "try again" in out.getvalue() and session.results[0].correct


@pytest.mark.parametrize(("qid", "bad", "good"), BADLY_FORMED)
def test_from_a_pipe_a_badly_formed_answer_is_recorded_unreadable_and_the_run_goes_on(
    mini: Bank, qid: str, bad: list[str], good: str
) -> None:
    session = Session([mini], [("mini", qid), ("mini", "author")], seed=2)
    outcome, text = run(session, [bad[0], "Shakespeare"])
    assert outcome is Outcome.DONE
    first, second = session.results
    assert first.unreadable and first.score == 0 and not first.correct
    assert "✗ Unreadable answer  (0/1)" in text and "Hint: " in text
    assert second.correct  # the next line went to the next question
    assert "✗ Unreadable answer" in "\n".join(summary_lines(session.summary(), Style()))


@pytest.mark.parametrize(("qid", "bad", "good"), BADLY_FORMED)
def test_well_formed_says_why_for_bad_and_nothing_for_good(
    mini: Bank, qid: str, bad: list[str], good: str
) -> None:
    session = Session([mini], [("mini", qid)], seed=2)
    item = session.items[0]
    for text in bad:
        assert item.well_formed(item.plain_response(text)) is not None, text
    assert item.well_formed(item.plain_response(good)) is None
    assert item.well_formed(None) is None  # a skip is not graded at all


def test_multi_match_and_order_feedback_is_one_line_per_item(mini: Bank) -> None:
    plan = [("mini", "primes"), ("mini", "pairs"), ("mini", "sizes")]
    session = Session([mini], plan, seed=2)
    primes = session.answer(["2", "4"])
    pairs = session.answer({"France": "Paris", "Italy": "Madrid", "Spain": "Rome"})
    sizes = session.answer(["cat", "mouse", "horse"])
    text = "\n".join(line for r in (primes, pairs, sizes) for line in feedback_lines(r, Style()))
    assert "  ✓ 2\n" in text + "\n" and "  ✗ 4  (not a right option)" in text
    assert "  ✗ 3  (a right option, not picked)" in text
    assert "  ✓ France → Paris" in text and "  ✗ Italy → Madrid  (right: Rome)" in text
    assert "  ✓ 3. horse" in text and "  ✗ 1. cat  (right: mouse)" in text
    assert "Your answer:" not in text  # the items say it, line by line


def test_a_date_answer_is_shown_as_people_write_it(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        "id: d\ntitle: D\nquestions:\n  - id: when\n    kind: date\n"
        "    prompt: When?\n    answer: 2022-12\n",
        encoding="utf-8",
    )
    session = Session([load_bank(path)], [("d", "when")], seed=1)
    result = session.answer("March 2020")
    assert "  Answer: December 2022" in feedback_lines(result, Style())


def test_a_typo_accepted_by_fuzzy_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "id: t\ntitle: T\nquestions:\n  - id: who\n    kind: text\n"
        "    prompt: Who?\n    answer: Kozlovsky\n    fuzzy: true\n",
        encoding="utf-8",
    )
    bank = load_bank(path)
    session = Session([bank], [("t", "who"), ("t", "who")], seed=1)
    typo = session.answer("Kozlovski")
    assert typo.correct
    assert "  Accepted, spelled Kozlovsky" in feedback_lines(typo, Style())
    exact = Session([bank], [("t", "who")], seed=1).answer("kozlovsky")
    assert not any("Accepted" in line for line in feedback_lines(exact, Style()))
