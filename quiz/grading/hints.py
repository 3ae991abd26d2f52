"""Structured hints: why a response was refused or marked wrong, as a code and values.

The grader and the parsers never write prose for the learner and never quote a sample answer:
they say *what* happened (`Hint("number.decimal_comma", {"token": "1,5"})`) and the front ends
(`quiz.ui.hints`) say it in words, with neutral examples chosen so that none is the answer.
Values are plain data (text, numbers, tuples of text) taken from the learner's own response or
from what the question already shows (its unit, the precision it asks for), never the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Hint:
    """One reason, by code ("<kind or parser>.<what>"), with the values its words need."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __hash__(self) -> int:  # values is a mapping: hash what identifies the hint
        return hash((self.code, tuple(sorted(self.values))))


class Unreadable(ValueError):
    """A response (or a part of one) that cannot be read: the hint says why.

    A ValueError, so callers that only need to know *whether* text reads can keep catching
    that; `str()` is the hint's code, for logs and tests, never for the learner.
    """

    def __init__(self, hint: Hint) -> None:
        super().__init__(hint.code)
        self.hint = hint


def unreadable(code: str, **values: Any) -> Unreadable:
    """`raise unreadable("number.range")`: shorthand for Unreadable(Hint(code, values))."""
    return Unreadable(Hint(code, values))
