"""`number`: a typed number, read as people write it (`quiz.grading.numbers`), in the
question's `unit`, right within its `tolerance` (absolute, or relative: "5%")."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from quiz.bank.model import (
    KeySpec,
    NumberAnswer,
    NumberQuestion,
    ResponseValue,
    Tolerance,
    format_number,
)
from quiz.grading.hints import Hint, Unreadable
from quiz.grading.numbers import is_percent, parse_number, values_in_unit
from quiz.kinds.base import RIGHT, WRONG, Kind, Outcome, ReportPart, wrong_type


def _close(value: float, answer: float, allowed: float) -> bool:
    # Float error only: a few units in the last place of the largest number involved.
    epsilon = 4 * math.ulp(max(abs(answer), abs(value), allowed))
    return abs(value - answer) <= allowed + epsilon


def _allowed(question: NumberQuestion) -> float:
    return _allowed_for(question.answer, question.tolerance)


def _allowed_for(answer: float, tolerance: Tolerance) -> float:
    value = abs(float(tolerance.value))
    return value * abs(answer) if tolerance.relative else value


def all_answers(question: NumberQuestion) -> tuple[NumberAnswer, ...]:
    """The answer and every further one, each with its tolerance and credit."""
    return (NumberAnswer(question.answer, question.tolerance, 1.0), *question.answers)


def _comma_hint(
    question: NumberQuestion, response: object, answer: float, allowed: float
) -> Hint | None:
    """`1,500` for an answer of 1.5: the comma was meant as a decimal point."""
    if not isinstance(response, str):
        return None
    match = re.search(r"[0-9]+,[0-9]{3}(?![0-9,])", response)
    if match is None or response.count(",") != 1:
        return None
    try:
        values = values_in_unit(response.replace(",", "."), question.unit)
    except ValueError:
        return None
    if any(_close(float(v), answer, allowed) for v in values):
        return Hint("number.comma_ambiguous", {"token": match.group()})
    return None


def _size_hint(
    question: NumberQuestion, value: float, answer: float, allowed: float
) -> Hint | None:
    if is_percent(question.unit) and value != 0 and _close(value * 100, answer, allowed):
        return Hint("number.as_percentage")
    if answer and value:
        for factor, word in ((1e3, "thousand"), (1e6, "million"), (1e9, "billion")):
            if _close(value * factor, answer, allowed) or _close(value / factor, answer, allowed):
                return Hint("number.scale", {"factor": word})
    return None


def _feedback(
    question: NumberQuestion,
    response: object,
    value: float,
    *,
    right: bool = False,
    matched: bool = False,
) -> str | None:
    """The author's message for a response: the right answer's (`right`), one written for
    this response or value, else (when no answer matched it) the `*` one for any other."""
    if right:  # the right answer's message: written under the answer's own value
        key = question.feedback_for(format_number_text(question.answer))
        if key is not None:
            return key
    if isinstance(response, str):
        message = question.feedback_for(response) or question.feedback_for(response.strip())
        if message:
            return message
    for key, text in question.feedback:
        try:
            key_values = values_in_unit(key, question.unit)
        except ValueError:
            continue
        if any(_close(value, float(v), 0.0) for v in key_values):
            return question.in_question_format(text)
    # `*`: any other answer (Moodle's catch-all, `{#3:2 ~#wrong}` in GIFT): never for an
    # answer that matched, as in Moodle, where the first answer to match gives its feedback
    return None if right or matched else question.feedback_for("*")


class NumberKind(Kind[NumberQuestion]):
    name = "number"
    gift = "numerical"  # Moodle's question type in GIFT and in Moodle XML
    moodle_xml = "numerical"
    question_class = NumberQuestion
    fields = (
        KeySpec("answer", "number", True, "The number."),
        KeySpec("unit", "str", False, "Unit of the answer, such as % or barrels."),
        KeySpec("tolerance", "tolerance", False, 'Absolute (2) or relative ("5%") tolerance.'),
        KeySpec(
            "answers",
            "number-answers",
            False,
            "Further answers, each {value, tolerance, credit, feedback}; credit 0.5: half marks.",
        ),
    )

    def credits(self, question: NumberQuestion) -> tuple[tuple[str, float], ...]:
        return tuple((format_answer(a), a.credit) for a in all_answers(question))

    def grade(self, question: NumberQuestion, response: object) -> Outcome:
        if isinstance(response, bool) or not isinstance(
            response, (str, int, float, Decimal, Fraction)
        ):
            return wrong_type(response, "a number")
        answer = float(question.answer)
        allowed = _allowed(question)
        if isinstance(response, str):
            try:
                values = [float(v) for v in values_in_unit(response, question.unit)]
            except Unreadable as error:
                return Outcome(WRONG, error.hint, question.feedback_for(response))
        else:
            try:
                values = [float(response)]
            except (OverflowError, ValueError):
                values = []
        values = [v for v in values if math.isfinite(v)]
        if not values:
            return Outcome(WRONG, Hint("number.unreadable"))
        if any(_close(v, answer, allowed) for v in values):
            return Outcome(RIGHT, None, _feedback(question, response, values[0], right=True))
        matched = [
            a
            for a in question.answers
            if any(_close(v, float(a.value), _allowed_for(a.value, a.tolerance)) for v in values)
        ]
        if matched:
            best = max(matched, key=lambda a: a.credit)
            message = (
                question.in_question_format(best.feedback) if best.feedback else None
            ) or _feedback(question, response, values[0], matched=True)
            return Outcome(max(0.0, best.credit), None, message)
        value = values[0]
        feedback = _feedback(question, response, value)
        hint = _comma_hint(question, response, answer, allowed)
        return Outcome(WRONG, hint or _size_hint(question, value, answer, allowed), feedback)

    def expected_text(self, question: NumberQuestion) -> str:
        value = question.answer
        # Grouped for reading (67,300); the dumper writes the plain form.
        text = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
        if question.unit:
            text += question.unit if question.unit == "%" else f" {question.unit}"
        if question.tolerance.value:
            text += f" (± {question.tolerance})"
        return text

    def well_formed(self, question: NumberQuestion, response: ResponseValue) -> Hint | None:
        if not isinstance(response, str):
            return None
        try:
            values = values_in_unit(response, question.unit)
        except Unreadable as error:
            return error.hint
        if not any(math.isfinite(float(v)) for v in values):
            return Hint("number.unreadable")
        return None

    def answer_format(self, question: NumberQuestion) -> Hint:
        return Hint("number.format", {"unit": question.unit})

    def typed_hint(self, question: NumberQuestion, text: str) -> Hint | None:
        if not text.strip():
            return None
        try:
            value, unit = parse_number(text.strip())
        except Unreadable as error:
            return error.hint
        return Hint("number.reads_as", {"value": value, "unit": unit})

    def redact(self, question: NumberQuestion, rng: random.Random) -> dict[str, Any]:
        return {"unit": question.unit} if question.unit else {}

    def from_handout(
        self, question_id: str, prompt: str, data: Mapping[str, Any]
    ) -> NumberQuestion:
        unit = data.get("unit")
        return NumberQuestion(
            id=question_id, prompt=prompt, answer=0.0, unit=unit if isinstance(unit, str) else None
        )

    def report_response(self, question: Any, response: ResponseValue) -> tuple[ReportPart, ...]:
        """The number read ("67,300", "67.3k" and "67 300" are one response, 67300), with the
        unit typed; else the text."""
        if isinstance(response, str):
            try:
                value, unit = parse_number(response)
            except Unreadable:
                return super().report_response(question, response)
            if math.isfinite(value):
                text = format_number(value)
                if unit:
                    text += unit if unit == "%" else f" {unit}"
                return (ReportPart("", text, text),)
        return super().report_response(question, response)


def format_number_text(value: float) -> str:
    from quiz.bank.model import format_number

    return format_number(value)


def format_answer(answer: NumberAnswer) -> str:
    """`30 ± 1`: a number answer and its tolerance, as text."""
    text = format_number_text(answer.value)
    return f"{text} ± {answer.tolerance}" if answer.tolerance.value else text


KIND = NumberKind()
