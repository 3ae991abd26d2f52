"""Structured hints: the grader gives a code and values, the front ends the words, and no hint
for a number or date question ever shows that question's answer (issue #11: hints in neutral
words; the grader's old fixed examples, "67,300" and "December 2022", were bundled answers)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from quiz.bank.model import DateQuestion, NumberQuestion, PartialDate, Question, Tolerance
from quiz.grading.dates import MONTH_NAMES
from quiz.grading.hints import Hint
from quiz.kinds import grade, kind_of
from quiz.session import Session
from quiz.ui.hints import WORDS, hint_text
from quiz.ui.plain import how_to_answer

PACKAGE = Path(__file__).resolve().parent.parent / "quiz"


def number(answer: float, unit: str | None = None, tolerance: float = 0) -> NumberQuestion:
    return NumberQuestion(
        id=f"n{answer}",
        prompt="How many?",
        answer=answer,
        unit=unit,
        tolerance=Tolerance(tolerance),
    )


def date(answer: str) -> DateQuestion:
    parts = [int(p) for p in answer.split("-")]
    return DateQuestion(id=f"d{answer}", prompt="When?", answer=PartialDate(*parts))


# Answers that the old hints quoted as examples, and the new hints' own first examples.
NUMBERS = [number(67300), number(1500), number(97, "%"), number(1250), number(1.25, "k"), number(2)]
DATES = [date("2022-12"), date("2022-12-05"), date("1991"), date("2019-03"), date("1987")]
NUMBER_RESPONSES = ["lots", "1,50,000", "12,34", "1.234,5", "5 or 6", "1e999", "97 points"]
NUMBER_RESPONSES += ["0.97", "67.3", "1,5", "1,500", "1.5", "0.5", "$ 5 tonnes", "~"]
DATE_RESPONSES = ["soon", "Dec", "December", "5 2022", "13/13/2022", "30 February 2023", "2022"]
DATE_RESPONSES += ["Dec 2022 Jan", "2022 2023", "5 6 2022", "0000", "2022-13", "5th", "5th 2022"]


def number_forms(question: NumberQuestion) -> set[str]:
    value = question.answer
    forms = {f"{value:,}", f"{value:g}", f"{value:,g}"}
    if float(value).is_integer():
        forms |= {str(int(value)), f"{int(value):,}", f"{int(value):,}".replace(",", " ")}
    return {form for form in forms if len(form) > 1 or question.unit}


def date_forms(question: DateQuestion) -> set[str]:
    answer = question.answer
    forms = {str(answer)}
    if answer.month:
        name = MONTH_NAMES[answer.month - 1]
        forms |= {f"{name} {answer.year}", f"{name[:3]} {answer.year}"}
        if answer.day:
            forms |= {f"{answer.day} {name} {answer.year}", f"{name} {answer.day}, {answer.year}"}
    return forms


def said(question: Question, responses: list[str]) -> list[str]:
    """Every hint a learner can see for these responses: after grading, and while typing."""
    texts = []
    kind = kind_of(question)
    for response in responses:
        graded = grade(question, response)
        if graded.hint is not None:
            texts.append(hint_text(graded.hint, question))
        live = kind.typed_hint(question, response)
        if live is not None and not live.code.endswith("reads_as"):  # reads back what was typed
            texts.append(hint_text(live, question))
    shape = kind.answer_format(question)
    assert shape is not None
    texts.append(hint_text(shape, question))
    return texts


@pytest.mark.parametrize("question", NUMBERS, ids=lambda q: q.id)
def test_no_number_hint_contains_the_answer(question: NumberQuestion) -> None:
    texts = said(question, NUMBER_RESPONSES)
    assert len(texts) > 10
    for text in texts:
        for form in number_forms(question):
            # the number on its own ("97%", "(1,500)"), not a part of another ("1975")
            shown = re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)", text)
            assert shown is None, (form, text)


@pytest.mark.parametrize("question", DATES, ids=lambda q: q.id)
def test_no_date_hint_contains_the_answer(question: DateQuestion) -> None:
    texts = said(question, DATE_RESPONSES)
    assert len(texts) > 10
    for text in texts:
        for form in date_forms(question):
            assert form not in text, (form, text)


def test_the_examples_that_were_answers_are_gone() -> None:
    """The old fixed examples were answers of bundled questions: any question's hints now use
    neutral ones."""
    texts = said(number(5), NUMBER_RESPONSES) + said(date("2000-01-01"), DATE_RESPONSES)
    for text in texts:
        for old in ("67,300", "67.3k", "December 2022", "2022-12-05", "(1,500)", ": 97%"):
            assert old not in text, text


def test_the_grader_gives_codes_and_values_not_prose() -> None:
    hint = grade(number(97, "%"), "0.97").hint
    assert hint == Hint("number.as_percentage")
    assert grade(date("2022-12"), "Dec").hint == Hint("date.no_year")
    assert grade(date("2022-12"), "5th 2022").hint == Hint(
        "date.no_month", {"day": 5, "year": 2022}
    )
    assert grade(number(5, "barrels"), "5 tonnes").hint == Hint(
        "number.wrong_unit", {"given": "tonnes", "unit": "barrels"}
    )


def test_a_neutral_month_is_chosen_so_the_hint_is_not_the_answer() -> None:
    question = date("2022-03-05")
    text = hint_text(grade(question, "5th 2022").hint or Hint("?"), question)
    assert text.startswith("give the month in words with the day (5 ")
    assert "March" not in text and "(5 October 2022)" in text


def test_every_code_the_kinds_use_has_words() -> None:
    """A hint code with no words would be shown as "this answer could not be read"."""
    codes = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent.name not in ("kinds", "grading") and path.name != "session.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                first = node.args[0]
                if name in ("Hint", "unreadable") and isinstance(first, ast.Constant):
                    codes.add(first.value)
    assert len(codes) > 30
    assert not codes - set(WORDS), codes - set(WORDS)


def test_how_to_answer_uses_the_words_of_the_answer_format() -> None:
    from quiz.bank.loader import load_bank

    bank = load_bank(Path(__file__).parent / "data" / "banks" / "examples.yaml")
    session = Session([bank], [(bank.id, "number-67300")], seed=1)
    item = session.items[0]
    assert how_to_answer(item, plain=True).startswith(
        "Type a number (in barrels), such as 1,250 or 1.25k."
    )


@pytest.mark.parametrize("unit", ["%", "percent"])
def test_a_share_in_percent_gets_examples_in_percent(unit: str) -> None:
    """A finding of #12 was "Type a number (in %), such as 1,250": a share's examples are
    percentages, and never its answer."""
    question = number(25, unit)
    said = hint_text(kind_of(question).answer_format(question), question)
    assert said == f"Type a number (in {unit}), such as 40%", said
    unreadable = hint_text(grade(question, "lots").hint, question)
    assert unreadable == "write a number, such as 40%", unreadable
    other = number(67300, "barrels")  # other units keep the plain examples
    assert "such as 1,250 or 1.25k" in hint_text(kind_of(other).answer_format(other), other)
