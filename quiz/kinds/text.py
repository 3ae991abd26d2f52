"""`text`: a typed answer, compared on letters and digits (`quiz.grading.text`).

`accept` lists other right answers; `fuzzy: true` forgives one edit in answers of six letters
or more.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quiz.bank.model import KeySpec, Question, TextQuestion
from quiz.grading.hints import Hint
from quiz.grading.text import FUZZY_MIN_LENGTH, normalize_text, within_one_edit
from quiz.kinds.base import RIGHT, WRONG, Kind, Outcome, wrong_type


def _feedback(question: Question, response: str, norm: str) -> str | None:
    message = question.feedback_for(response)
    if message is None and response.strip() != response:
        message = question.feedback_for(response.strip())
    if message is None and norm:
        for key, text in question.feedback:
            if normalize_text(key) == norm:
                return text
    return message


class TextKind(Kind[TextQuestion]):
    name = "text"
    question_class = TextQuestion
    fields = (
        KeySpec("answer", "answer-text", True, "The expected answer."),
        KeySpec("accept", "strs", False, "Other answers accepted as right."),
        KeySpec("fuzzy", "bool", False, "Forgive one typo in answers of six letters or more."),
    )

    def grade(self, question: TextQuestion, response: object) -> Outcome:
        if not isinstance(response, str):
            return wrong_type(response, "text")
        candidates = (question.answer, *question.accept)
        stripped = response.strip()
        if any(stripped == c.strip() for c in candidates):
            return Outcome(RIGHT)
        norm = normalize_text(response)
        norms = [normalize_text(c) for c in candidates]
        if norm and norm in norms:
            return Outcome(RIGHT)
        # Answers with no letters or digits at all ("?") compare case-insensitively as typed.
        bare = [c.strip().casefold() for n, c in zip(norms, candidates, strict=True) if not n]
        if not norm and stripped.casefold() in bare:
            return Outcome(RIGHT)
        feedback = _feedback(question, response, norm)
        if not norm:
            return Outcome(WRONG, Hint("text.no_letters"), feedback)
        close = [n for n in norms if n and within_one_edit(norm, n)]
        if question.fuzzy and any(len(n) >= FUZZY_MIN_LENGTH for n in close):
            return Outcome(RIGHT)
        return Outcome(WRONG, Hint("text.close") if close else None, feedback)

    def expected_text(self, question: TextQuestion) -> str:
        return question.answer

    def giveaways(self, question: TextQuestion) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (question.answer, *question.accept), ()

    def from_handout(self, question_id: str, prompt: str, data: Mapping[str, Any]) -> TextQuestion:
        return TextQuestion(id=question_id, prompt=prompt, answer="?")


KIND = TextKind()
