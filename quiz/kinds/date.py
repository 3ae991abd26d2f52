"""`date`: a typed date at the answer's precision (a year, a month or a day), read as people
write it (`quiz.grading.dates`). A response less precise than the answer is refused with a
hint; a more precise one is right when it falls inside the answer."""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Mapping
from typing import Any

from quiz.bank.model import DateQuestion, KeySpec, ResponseValue
from quiz.grading.dates import PartialDate, parse_date
from quiz.grading.hints import Hint, Unreadable
from quiz.kinds.base import RIGHT, WRONG, Kind, Outcome, ReportPart, wrong_type

_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


def _feedback(question: DateQuestion, response: object, got: PartialDate) -> str | None:
    if isinstance(response, str):
        message = question.feedback_for(response) or question.feedback_for(response.strip())
        if message:
            return message
    for key, text in question.feedback:
        try:
            if parse_date(key) == got:
                return question.in_question_format(text)
        except ValueError:
            continue
    return None


class DateKind(Kind[DateQuestion]):
    name = "date"
    question_class = DateQuestion
    fields = (KeySpec("answer", "date", True, "YYYY, YYYY-MM or YYYY-MM-DD: also its precision."),)

    def grade(self, question: DateQuestion, response: object) -> Outcome:
        if isinstance(response, PartialDate):
            got = response
        elif isinstance(response, _dt.date):
            got = PartialDate(response.year, response.month, response.day)
        elif isinstance(response, str):
            try:
                got = parse_date(response)
            except Unreadable as error:
                return Outcome(WRONG, error.hint, question.feedback_for(response))
        else:
            return wrong_type(response, "a date")
        want = question.answer
        feedback = _feedback(question, response, got)
        if _PRECISION_RANK[got.precision] < _PRECISION_RANK[want.precision]:
            hint = Hint("date.imprecise", {"wanted": want.precision, "given": got.precision})
            return Outcome(WRONG, hint, feedback)
        inside = (
            got.year == want.year
            and (not want.month or got.month == want.month)
            and (not want.day or got.day == want.day)
        )
        if inside:
            return Outcome(RIGHT)
        return Outcome(WRONG, None, feedback)

    def expected_text(self, question: DateQuestion) -> str:
        return str(question.answer)

    def well_formed(self, question: DateQuestion, response: ResponseValue) -> Hint | None:
        if not isinstance(response, str):
            return None
        try:
            got = parse_date(response)
        except Unreadable as error:
            return error.hint
        want = question.answer
        if _PRECISION_RANK[got.precision] < _PRECISION_RANK[want.precision]:
            return Hint("date.imprecise", {"wanted": want.precision, "given": got.precision})
        return None

    def answer_format(self, question: DateQuestion) -> Hint:
        return Hint("date.format", {"precision": question.answer.precision})

    def typed_hint(self, question: DateQuestion, text: str) -> Hint | None:
        if not text.strip():
            return None
        refused = self.well_formed(question, text.strip())  # in the words of the refusal
        if refused is not None:
            return refused
        return Hint("date.reads_as", {"date": str(parse_date(text.strip()))})

    def redact(self, question: DateQuestion, rng: random.Random) -> dict[str, Any]:
        # how precise an answer is asked for: a year, a month or a day (the screen says so)
        return {"precision": question.answer.precision}

    def from_handout(self, question_id: str, prompt: str, data: Mapping[str, Any]) -> DateQuestion:
        precision = data.get("precision")
        month, day = {"day": (1, 1), "month": (1, None)}.get(str(precision), (None, None))
        return DateQuestion(id=question_id, prompt=prompt, answer=PartialDate(2000, month, day))

    def report_response(self, question: Any, response: ResponseValue) -> tuple[ReportPart, ...]:
        """The date read, in ISO at the precision given ("Dec 2022" and "2022-12" are one
        response, 2022-12); else the text."""
        if isinstance(response, str):
            try:
                text = str(parse_date(response))
            except Unreadable:
                return super().report_response(question, response)
            return (ReportPart("", text, text),)
        return super().report_response(question, response)


KIND = DateKind()
