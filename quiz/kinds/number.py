"""`number`: a typed number, read as people write it (`quiz.grading.numbers`), in the
question's `unit`, right within its `tolerance` (absolute, or relative: "5%")."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

from quiz.bank.model import KeySpec, NumberQuestion, ResponseValue
from quiz.grading.hints import Hint, Unreadable
from quiz.grading.numbers import is_percent, parse_number, values_in_unit
from quiz.kinds.base import RIGHT, WRONG, Kind, Outcome, wrong_type


def _close(value: float, answer: float, allowed: float) -> bool:
    # Float error only: a few units in the last place of the largest number involved.
    epsilon = 4 * math.ulp(max(abs(answer), abs(value), allowed))
    return abs(value - answer) <= allowed + epsilon


def _allowed(question: NumberQuestion) -> float:
    tolerance = question.tolerance
    value = abs(float(tolerance.value))
    return value * abs(question.answer) if tolerance.relative else value


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


def _feedback(question: NumberQuestion, response: object, value: float) -> str | None:
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
            return text
    return None


class NumberKind(Kind[NumberQuestion]):
    name = "number"
    question_class = NumberQuestion
    fields = (
        KeySpec("answer", "number", True, "The number."),
        KeySpec("unit", "str", False, "Unit of the answer, such as % or barrels."),
        KeySpec("tolerance", "tolerance", False, 'Absolute (2) or relative ("5%") tolerance.'),
    )

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
            return Outcome(RIGHT)
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


KIND = NumberKind()
