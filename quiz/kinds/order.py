"""`order`: items to put in order; a response is the list in the learner's order.

Partial credit: (L-1)/(n-1), L the longest run of items in the right relative order.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from typing import Any

from quiz.bank.model import KeySpec, OrderQuestion, ResponseValue
from quiz.grading.hints import Hint
from quiz.grading.text import normalize_text, same_text
from quiz.kinds.base import (
    RIGHT,
    WRONG,
    Kind,
    Outcome,
    ReportPart,
    as_text_list,
    deranged,
    option_numbers,
    repeats,
    wrong_type,
)

SEPARATOR = " → "  # between the items of an order response, as in its right answer


def _longest_increasing(positions: list[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    for position in positions:
        at = bisect_left(tails, position)
        if at == len(tails):
            tails.append(position)
        else:
            tails[at] = position
    return len(tails)


def _find_unused(items: tuple[str, ...], text: str, used: set[int]) -> int | None:
    """First item not yet placed that `text` names (exact, then normalised): duplicates allowed."""
    for index, item in enumerate(items):
        if index not in used and item == text:
            return index
    for index, item in enumerate(items):
        if index not in used and same_text(text, item):
            return index
    return None


class OrderKind(Kind[OrderQuestion]):
    name = "order"
    gift = "matching"  # Moodle's question type in GIFT and in Moodle XML
    moodle_xml = "ordering"
    question_class = OrderQuestion
    fields = (KeySpec("items", "strs", True, "The items in the right order.", min_items=2),)
    widget = "order"
    sheet_shape = "list"
    # Items may hold commas and semicolons: joined as the right answer is shown.
    list_joiner = SEPARATOR

    def check(self, values: Mapping[str, Any]) -> Iterator[tuple[str | None, str]]:
        if "items" not in values:
            return
        items = values["items"]
        if len(items) < 2:
            yield "items", "an order question needs at least two items"
        for message in repeats(items, "item"):
            yield "items", message

    def grade(self, question: OrderQuestion, response: object) -> Outcome:
        items = question.items
        given = as_text_list(response, r"\s*(?:→|->|;|\n)\s*")
        if given is None:
            return wrong_type(response, "a list of the items in order")
        if isinstance(response, str) and len(given) == 1 and len(items) > 1:
            return Outcome(WRONG, Hint("order.not_a_list"))
        used: set[int] = set()
        positions: list[int] = []
        for text in given:
            index = _find_unused(items, text, used)
            if index is not None:
                used.add(index)
                positions.append(index)
        n = len(items)
        if n == 0:
            return Outcome(WRONG, Hint("order.no_items"))
        length = _longest_increasing(positions)
        # (L-1)/(n-1); a single item is right when it is given.
        fraction = max(0.0, (length - 1) / (n - 1)) if n > 1 else float(length == 1)
        if fraction >= 1.0:
            return Outcome(RIGHT)
        hint = Hint("order.partial", {"in_order": length, "total": n, "missing": n - len(used)})
        return Outcome(fraction, hint)

    def expected_text(self, question: OrderQuestion) -> str:
        return SEPARATOR.join(question.items)

    def options(
        self, question: OrderQuestion, rng: random.Random, shuffle: bool
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        # Always shuffled, and never shown in the right order: that would be the answer.
        return deranged(question.items, rng), ()

    def plain_response(
        self, question: OrderQuestion, options: tuple[str, ...], text: str
    ) -> ResponseValue:
        return option_numbers(options, text, every=True)

    def snapshot_options(self, question: OrderQuestion) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return question.items, ()

    def from_handout(self, question_id: str, prompt: str, data: Mapping[str, Any]) -> OrderQuestion:
        return OrderQuestion(id=question_id, prompt=prompt, items=tuple(data["options"]))

    def report_response(self, question: Any, response: ResponseValue) -> tuple[ReportPart, ...]:
        """One part per position: the item put there (as the grader finds it), right when it
        is the item that belongs there."""
        given = as_text_list(response, r"\s*(?:→|->|;|\n)\s*")
        if given is None:
            return super().report_response(question, response)
        items = tuple(question.options)
        parts = []
        for position, text in enumerate(given, start=1):
            index = _find_unused(items, text, set())
            shown = items[index] if index is not None else " ".join(text.split())
            key = shown if index is not None else normalize_text(shown) or shown.casefold()
            right = position <= len(items) and items[position - 1] == shown
            parts.append(ReportPart(f"position {position}", key, shown, right))
        return tuple(parts)


KIND = OrderKind()
