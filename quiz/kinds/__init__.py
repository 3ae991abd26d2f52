"""Question kinds: one module per kind, and the one list of kinds that everything else reads.

Each module (`choice`, `multi`, `truefalse`, `text`, `number`, `date`, `match`, `order`) holds
one `Kind` (see `quiz.kinds.base`): its fields and checks, grading, response and answer text,
typed-answer parsing and hints. The registry below is the list of kinds, in their canonical
order: the loader, the JSON Schema, `quiz take --kind`, the results file and every front end
read it, and dispatch on a question goes through `kind_of(question)`. Adding a kind is a module
and a line in `_BUILTIN` (docs/adding-a-kind.md); `register` adds one at run time (tests do).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from quiz.bank.model import Question
from quiz.grading.hints import Hint, Unreadable
from quiz.kinds import choice, date, match, multi, number, order, text, truefalse
from quiz.kinds.base import WRONG, Kind, Outcome, format_response, shown_option, shown_text

__all__ = [
    "Grade",
    "Kind",
    "UnknownKind",
    "find_kind",
    "format_response",
    "grade",
    "grading_hash",
    "grading_text",
    "kind_names",
    "kind_of",
    "register",
    "registered",
    "shown_option",
    "shown_text",
    "unregister",
]

_BUILTIN: tuple[Kind[Any], ...] = (
    choice.KIND,
    multi.KIND,
    truefalse.KIND,
    text.KIND,
    number.KIND,
    date.KIND,
    match.KIND,
    order.KIND,
)
_REGISTRY: dict[str, Kind[Any]] = {kind.name: kind for kind in _BUILTIN}


class UnknownKind(LookupError):
    """A question whose kind is not registered (a question class made outside the loader)."""


def register(kind: Kind[Any]) -> None:
    """Add a kind after the others (a name already registered is an error)."""
    if kind.name in _REGISTRY:
        raise ValueError(f"a kind named {kind.name!r} is already registered")
    _REGISTRY[kind.name] = kind


def unregister(name: str) -> None:
    """Remove a kind added with `register` (the built-in kinds stay)."""
    if any(kind.name == name for kind in _BUILTIN):
        raise ValueError(f"the built-in kind {name!r} cannot be removed")
    _REGISTRY.pop(name, None)


def registered() -> tuple[Kind[Any], ...]:
    """Every kind, in the canonical order."""
    return tuple(_REGISTRY.values())


def kind_names() -> tuple[str, ...]:
    """The names of every kind, in the canonical order: the one list of kinds."""
    return tuple(_REGISTRY)


def find_kind(name: str) -> Kind[Any] | None:
    """The kind called `name`, or None."""
    return _REGISTRY.get(name)


def kind_of(question: Question) -> Kind[Any]:
    """The kind of `question`: what every other module asks instead of testing its class."""
    kind = _REGISTRY.get(question.kind)
    if kind is None:
        raise UnknownKind(f"no kind {question.kind or '?'!r} is registered")
    return kind


@dataclass(frozen=True)
class Grade:
    """The result of grading one response. `correct` means full marks."""

    score: float
    max_score: float
    correct: bool
    expected: str
    feedback: str | None = None  # the author's message for this response (right or wrong)
    hint: Hint | None = None  # why the response was refused or wrong (a code: see quiz.ui.hints)

    @property
    def fraction(self) -> float:
        """Score as a share of the maximum (0..1); a zero-point question counts as 1 if correct."""
        if self.max_score > 0:
            return self.score / self.max_score
        return 1.0 if self.correct else 0.0


def grade(question: Question, response: object, *, points: float | None = None) -> Grade:
    """Grade `response` to `question`, out of `points` (default: `question.points or 1`).

    Responses are read the way people type them (see `quiz.grading`); one that cannot be read,
    or is of the wrong type, is wrong with a hint saying why. Never raises for any response
    value; raises ValueError only for negative or non-finite `points`, which is the caller's
    mistake, not the learner's.
    """
    max_score = _max_score(question, points)
    kind = _REGISTRY.get(question.kind)
    if kind is None:
        outcome = Outcome(WRONG, Hint("kind.unknown", {"kind": question.kind or "?"}))
        expected = ""
    else:
        expected = kind.expected_text(question)
        try:
            outcome = kind.grade(question, response)
        except Unreadable as error:  # what the parsers raise: wrong, saying why
            outcome = Outcome(WRONG, error.hint)
        except (ValueError, OverflowError):  # a number or date no parser can hold
            outcome = Outcome(WRONG, Hint("response.unreadable"))
        # Anything else is a bug in the kind's grader: it fails (a test), never a wrong mark.
    fraction = outcome.fraction
    if math.isnan(fraction):
        fraction = 0.0
    fraction = min(1.0, max(0.0, fraction))
    correct = fraction >= 1.0
    score = max_score if correct else min(max_score, max(0.0, fraction * max_score))
    if correct:
        return Grade(score, max_score, True, expected, outcome.feedback)
    return Grade(score, max_score, False, expected, outcome.feedback, outcome.hint)


def _max_score(question: Question, points: float | None) -> float:
    value = float(points if points is not None else (question.points or 1))
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"points must be a number >= 0, not {points!r}")
    return value


def grading_text(question: Question, points: float) -> str:
    """What decides a grade of `question`, as canonical JSON: the kind, the prompt, the points
    and the kind's answer fields (`Kind.grading_material`). A fixed explanation, tag or
    feedback leaves it unchanged; a changed answer, tolerance or point value changes it."""
    kind = kind_of(question)
    data = {
        "kind": question.kind,
        "prompt": question.prompt,
        "points": repr(float(points)),
        "fields": kind.grading_material(question),
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def grading_hash(question: Question, points: float) -> str:
    """SHA-256 of `grading_text`: matches a response's question to the instructor's copy."""
    import hashlib  # (OpenSSL loads for a hash only: not for a report)

    return "sha256:" + hashlib.sha256(grading_text(question, points).encode("utf-8")).hexdigest()
