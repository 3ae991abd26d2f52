"""`truefalse`: a statement that is true or false; a response is yes/no/true/false/t/f/y/n."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Mapping
from typing import Any

from quiz.bank.model import KeySpec, ResponseValue, TrueFalseQuestion
from quiz.grading.hints import Hint
from quiz.kinds.base import RIGHT, WRONG, Kind, Outcome, ReportPart, option_number, wrong_type

OPTIONS = ("true", "false")  # as a quiz shows them, in this order
_TRUE_WORDS = frozenset({"true", "t", "yes", "y"})
_FALSE_WORDS = frozenset({"false", "f", "no", "n"})


def read_bool(text: str) -> bool | None:
    """True, False, or None when `text` is not a way of saying either."""
    word = unicodedata.normalize("NFKC", text).strip().casefold().rstrip(".!").strip()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


class TrueFalseKind(Kind[TrueFalseQuestion]):
    name = "truefalse"
    gift = "truefalse"  # Moodle's question type in GIFT and in Moodle XML
    moodle_xml = "truefalse"
    question_class = TrueFalseQuestion
    fields = (KeySpec("answer", "bool", True, "true or false."),)
    widget = "select"

    def feedback_options(self, values: Mapping[str, Any]) -> tuple[str, ...] | None:
        return ("true", "false", "yes", "no", "t", "f", "y", "n")

    def grade(self, question: TrueFalseQuestion, response: object) -> Outcome:
        if isinstance(response, bool):
            value: bool | None = response
        elif isinstance(response, str):
            value = read_bool(response)
        else:
            return wrong_type(response, "true or false")
        if value is None:
            return Outcome(WRONG, Hint("truefalse.unreadable"))
        if value == question.answer:  # the right answer's message too (Moodle shows it)
            return Outcome(RIGHT, None, question.feedback_for("true" if value else "false"))
        feedback = question.feedback_for(response) if isinstance(response, str) else None
        if feedback is None:
            feedback = question.feedback_for("true" if value else "false")
        if feedback is None:
            for key, text in question.feedback:
                if read_bool(key) is value:
                    feedback = question.in_question_format(text)
                    break
        return Outcome(WRONG, None, feedback)

    def expected_text(self, question: TrueFalseQuestion) -> str:
        return "true" if question.answer else "false"

    def options(
        self, question: TrueFalseQuestion, rng: random.Random, shuffle: bool
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return OPTIONS, ()

    def option_title(self, question: TrueFalseQuestion, option: str) -> str:
        return option.capitalize()

    def plain_response(
        self, question: TrueFalseQuestion, options: tuple[str, ...], text: str
    ) -> ResponseValue:
        chosen = option_number(options, text)
        return chosen if chosen is not None else text

    def redact(self, question: TrueFalseQuestion, rng: random.Random) -> dict[str, Any]:
        return {}  # true and false: the screen offers both

    def from_handout(
        self, question_id: str, prompt: str, data: Mapping[str, Any]
    ) -> TrueFalseQuestion:
        return TrueFalseQuestion(id=question_id, prompt=prompt, answer=True)

    def report_response(self, question: Any, response: ResponseValue) -> tuple[ReportPart, ...]:
        """ "true" or "false", however it was said ("yes", "t", "No."); else the text."""
        value = response if isinstance(response, bool) else None
        if isinstance(response, str):
            value = read_bool(response)
        if value is None:
            return super().report_response(question, response)
        text = "true" if value else "false"
        return (ReportPart("", text, text, text == question.expected),)

    def well_formed(self, question: TrueFalseQuestion, response: ResponseValue) -> Hint | None:
        if isinstance(response, str) and read_bool(response) is None:
            if response.strip().rstrip(".)").isdigit():
                return Hint("options.number", {"count": len(OPTIONS)})
            return Hint("truefalse.unreadable")
        return None


KIND = TrueFalseKind()
