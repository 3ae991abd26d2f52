"""`text`: a typed answer, compared on letters and digits (`quiz.grading.text`).

`accept` lists other right answers; `fuzzy: true` forgives one edit in answers of six letters
or more.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from quiz.bank.model import KeySpec, Question, TextQuestion
from quiz.grading.hints import Hint
from quiz.grading.text import FUZZY_MIN_LENGTH, normalize_text, within_one_edit
from quiz.kinds.base import WRONG, Kind, Outcome, credit_check, credited, wrong_type


def _feedback(question: Question, response: str, norm: str) -> str | None:
    """The author's message for this response (the `*` one is for a response no answer
    matched: see `_wildcard`)."""
    message = question.feedback_for(response)
    if message is None and response.strip() != response:
        message = question.feedback_for(response.strip())
    if message is None and norm:
        for key, text in question.feedback:
            if normalize_text(key) == norm:
                return question.in_question_format(text)
    return message


def _wildcard(question: Question, message: str | None) -> str | None:
    """`*`: the message for any other answer (Moodle's wildcard answer worth 0%), for a
    response no answer matched and no message of its own."""
    return message if message is not None else question.feedback_for("*")


class TextKind(Kind[TextQuestion]):
    name = "text"
    gift = "shortanswer"  # Moodle's question type in GIFT and in Moodle XML
    moodle_xml = "shortanswer"
    question_class = TextQuestion
    fields = (
        KeySpec("answer", "answer-text", True, "The expected answer."),
        KeySpec(
            "accept",
            "options",
            False,
            "Other answers accepted as right; {text, credit} accepts one for part of the marks.",
        ),
        KeySpec("fuzzy", "bool", False, "Forgive one typo in answers of six letters or more."),
    )

    def check(self, values: Mapping[str, Any]) -> Iterator[tuple[str | None, str]]:
        for message in credit_check(
            values.get("credits", ()), values.get("accept", ()), "the answer", 0.0000001, 1
        ):
            yield "accept", message.replace("from 1e-07 to 1", "above 0, up to 1")

    def field_value(self, question: TextQuestion, name: str) -> Any:
        if name == "accept":
            return credited(question.accept, question.credits)
        return getattr(question, name)

    def credits(self, question: TextQuestion) -> tuple[tuple[str, float], ...]:
        given = dict(question.credits)
        return ((question.answer, 1.0), *((a, given.get(a, 1.0)) for a in question.accept))

    def grade(self, question: TextQuestion, response: object) -> Outcome:
        if not isinstance(response, str):
            return wrong_type(response, "text")
        credits = self.credits(question)
        candidates = tuple(text for text, _ in credits)
        stripped = response.strip()
        norm = normalize_text(response)
        norms = [normalize_text(c) for c in candidates]
        feedback = _feedback(question, response, norm)
        # Answers with no letters or digits at all ("?") compare case-insensitively as typed.
        matched = [
            credit
            for (candidate, credit), n in zip(credits, norms, strict=True)
            if stripped == candidate.strip()
            or (norm and norm == n)
            or (not norm and not n and stripped.casefold() == candidate.strip().casefold())
        ]
        if matched:
            return Outcome(max(matched), None, feedback)
        if not norm:
            return Outcome(WRONG, Hint("text.no_letters"), _wildcard(question, feedback))
        close = [
            (n, credit)
            for n, (_, credit) in zip(norms, credits, strict=True)
            if n and within_one_edit(norm, n)
        ]
        forgiven = [credit for n, credit in close if len(n) >= FUZZY_MIN_LENGTH]
        if question.fuzzy and forgiven:
            return Outcome(max(forgiven), None, feedback)
        hint = Hint("text.close") if close else None
        return Outcome(WRONG, hint, _wildcard(question, feedback))

    def expected_text(self, question: TextQuestion) -> str:
        return question.answer

    def typo_of(self, question: TextQuestion, response: object) -> str | None:
        """The right spelling when `response` earns marks only because `fuzzy` forgave a typo
        (the accepted answer it is one edit from), else None."""
        if not question.fuzzy or not isinstance(response, str):
            return None
        candidates = tuple(text for text, _ in self.credits(question))
        norm = normalize_text(response)
        if not norm or response.strip() in {c.strip() for c in candidates}:
            return None
        norms = [normalize_text(c) for c in candidates]
        if norm in norms:
            return None
        for candidate, n in zip(candidates, norms, strict=True):
            if n and len(n) >= FUZZY_MIN_LENGTH and within_one_edit(norm, n):
                return candidate
        return None

    def giveaways(self, question: TextQuestion) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (question.answer, *question.accept), ()

    def from_handout(self, question_id: str, prompt: str, data: Mapping[str, Any]) -> TextQuestion:
        return TextQuestion(id=question_id, prompt=prompt, answer="?")


KIND = TextKind()
