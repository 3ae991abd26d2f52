"""`match`: pairs to match; a response is a mapping left -> right (or a list of pairs).

Partial credit: the share of pairs matched right.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from quiz.bank.model import KeySpec, MatchQuestion, ResponseValue
from quiz.grading.hints import Hint, unreadable
from quiz.grading.text import find_option, normalize_text, same_text
from quiz.kinds.base import (
    RIGHT,
    WRONG,
    Kind,
    Outcome,
    ReportPart,
    deranged,
    format_response,
    join_messages,
    repeats,
    shown_option,
    wrong_type,
)


def _as_pairs(response: object) -> list[tuple[str, str]] | None:
    if isinstance(response, Mapping):
        items = list(response.items())
    elif isinstance(response, (list, tuple)):
        items = []
        for entry in response:
            if not isinstance(entry, (list, tuple)) or len(entry) != 2:
                return None
            items.append((entry[0], entry[1]))
    else:
        return None
    pairs: list[tuple[str, str]] = []
    for left, right in items:
        if not isinstance(left, str) or not isinstance(right, str):
            return None
        pairs.append((left, right))
    return pairs


class MatchKind(Kind[MatchQuestion]):
    name = "match"
    gift = "matching"  # Moodle's question type in GIFT and in Moodle XML
    moodle_xml = "matching"
    question_class = MatchQuestion
    fields = (
        KeySpec("pairs", "pairs", True, "List of [left, right] pairs.", min_items=2),
        KeySpec("distractors", "strs", False, "Extra right-hand options that match no left item."),
    )
    widget = "match"
    sheet_shape = "mapping"

    def check(self, values: Mapping[str, Any]) -> Iterator[tuple[str | None, str]]:
        if "pairs" not in values:
            return
        pairs = values["pairs"]
        if len(pairs) < 2:
            yield "pairs", "a match question needs at least two pairs"
        for message in repeats([left for left, _ in pairs], "left side"):
            yield "pairs", message
        rights = {right for _, right in pairs}
        for extra in values.get("distractors", ()):
            if extra in rights:
                yield "distractors", f"the distractor '{extra}' is also a right-hand side"
        for message in repeats(values.get("distractors", ()), "distractor"):
            yield "distractors", message

    def feedback_options(self, values: Mapping[str, Any]) -> tuple[str, ...] | None:
        if "pairs" not in values:
            return None
        return (*(right for _, right in values["pairs"]), *values.get("distractors", ()))

    def grade(self, question: MatchQuestion, response: object) -> Outcome:
        pairs = _as_pairs(response)
        if pairs is None:
            return wrong_type(response, "a mapping from each left item to its partner")
        lefts = tuple(left for left, _ in question.pairs)
        chosen: dict[int, str] = {}
        for left, right in pairs:
            index = find_option(lefts, left)
            if index is not None:
                chosen.setdefault(index, right)
        n = len(question.pairs)
        if n == 0:
            return Outcome(WRONG, Hint("match.no_pairs"))
        good = 0
        wrong_values: list[str] = []
        for index, (_, wanted) in enumerate(question.pairs):
            given = chosen.get(index)
            if given is not None and same_text(given, wanted):
                good += 1
            elif given is not None:
                wrong_values.append(given)
        if good == n:
            return Outcome(RIGHT)
        hint = Hint("match.partial", {"right": good, "total": n, "missing": n - len(chosen)})
        feedback = join_messages([question.feedback_for(value) for value in wrong_values])
        return Outcome(good / n, hint, feedback)

    def expected_text(self, question: MatchQuestion) -> str:
        pairs = question.pairs
        return "; ".join(f"{shown_option(question, left)} → {right}" for left, right in pairs)

    def response_text(
        self, question: MatchQuestion, response: object, item: Callable[[str], str] = str
    ) -> str:
        if isinstance(response, (list, tuple)) and all(
            isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in response
        ):  # a list of [left, right] pairs reads as the mapping it means

            def left(text: str) -> str:  # a left item with a format of its own: its plain text
                return item(shown_option(question, text))

            return "; ".join(
                f"{format_response(pair[0], item=left)} → {format_response(pair[1], item=item)}"
                for pair in response
            )
        return super().response_text(question, response, item)

    def options(
        self, question: MatchQuestion, rng: random.Random, shuffle: bool
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        lefts = tuple(left for left, _ in question.pairs)
        rights = tuple(right for _, right in question.pairs)
        return deranged((*rights, *question.distractors), rng), lefts

    def plain_response(
        self, question: MatchQuestion, options: tuple[str, ...], text: str
    ) -> ResponseValue:
        raise unreadable("match.one_at_a_time")

    def lefts(self, question: MatchQuestion) -> tuple[str, ...]:
        return tuple(left for left, _ in question.pairs)

    def snapshot_options(self, question: MatchQuestion) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (*(right for _, right in question.pairs), *question.distractors), ()

    def from_handout(self, question_id: str, prompt: str, data: Mapping[str, Any]) -> MatchQuestion:
        pairs = tuple(zip(data["lefts"], data["options"], strict=True))
        return MatchQuestion(id=question_id, prompt=prompt, pairs=pairs)

    def report_response(self, question: Any, response: ResponseValue) -> tuple[ReportPart, ...]:
        """One part per left item: the right-hand option given for it (as the grader finds
        it), right when it is the pair's."""
        pairs = _as_pairs(response)
        if pairs is None:
            return super().report_response(question, response)
        rights = tuple(question.options)
        segments = question.expected.split("; ")
        known = set(segments) if len(segments) == len(rights) else None
        parts = []
        seen: set[str] = set()
        for left, right in pairs:
            if left in seen:
                continue
            seen.add(left)
            index = find_option(rights, right)
            text = rights[index] if index is not None else " ".join(right.split())
            key = text if index is not None else normalize_text(text) or text.casefold()
            good = None if known is None else f"{left} → {text}" in known
            parts.append(ReportPart(left, key, text, good))
        return tuple(parts)


KIND = MatchKind()
