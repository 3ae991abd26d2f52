"""`choice`: one right option among distractors; a response is one option's text."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from typing import Any

from quiz.bank.model import ChoiceQuestion, KeySpec, ResponseValue
from quiz.grading.hints import Hint
from quiz.grading.text import find_option
from quiz.kinds.base import (
    RIGHT,
    WRONG,
    Kind,
    OptionSets,
    Outcome,
    norm_option,
    option_number,
    repeats,
    shuffled,
    wrong_type,
)


def shown_options(options: tuple[str, ...], rng: random.Random, shuffle: bool) -> tuple[str, ...]:
    """Options shuffled from the quiz's seed, or sorted: the model keeps the answer first, and
    a fixed first place would give it away."""
    return shuffled(options, rng) if shuffle else tuple(sorted(options, key=str.casefold))


class ChoiceKind(Kind[ChoiceQuestion]):
    name = "choice"
    question_class = ChoiceQuestion
    fields = (
        KeySpec("answer", "answer-text", True, "The right option's text."),
        KeySpec("distractors", "strs", True, "The wrong options.", min_items=1),
    )
    widget = "select"
    few_options_below = 3

    def check(self, values: Mapping[str, Any]) -> Iterator[tuple[str | None, str]]:
        distractors = values.get("distractors")
        if distractors is not None and not distractors:
            yield "distractors", "a choice question needs at least one distractor"
        if "answer" in values and norm_option(values["answer"]) in {
            norm_option(d) for d in distractors or ()
        }:
            yield "distractors", "the answer is also listed among the distractors"
        for message in repeats(distractors or (), "distractor"):
            yield "distractors", message

    def feedback_options(self, values: Mapping[str, Any]) -> tuple[str, ...] | None:
        if "answer" in values and values.get("distractors") is not None:
            return (values["answer"], *values["distractors"])
        return None

    def grade(self, question: ChoiceQuestion, response: object) -> Outcome:
        if not isinstance(response, str):
            return wrong_type(response, "one option's text")
        options = question.options
        index = find_option(options, response)
        if index == 0:
            return Outcome(RIGHT)
        feedback = question.feedback_for(response)
        if index is None:
            return Outcome(WRONG, Hint("choice.not_an_option", {"given": response}), feedback)
        if feedback is None:
            feedback = question.feedback_for(options[index])
        return Outcome(WRONG, None, feedback)

    def expected_text(self, question: ChoiceQuestion) -> str:
        return question.answer

    def options(
        self, question: ChoiceQuestion, rng: random.Random, shuffle: bool
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return shown_options(question.options, rng, shuffle), ()

    def plain_response(
        self, question: ChoiceQuestion, options: tuple[str, ...], text: str
    ) -> ResponseValue:
        chosen = option_number(options, text)
        return chosen if chosen is not None else text

    def well_formed(self, question: ChoiceQuestion, response: ResponseValue) -> Hint | None:
        if not isinstance(response, str) or find_option(question.options, response) is not None:
            return None  # a wrong type is graded wrong with its own hint
        if response.strip().rstrip(".)").isdigit():
            return Hint("options.number", {"count": len(question.options)})
        return Hint("choice.not_an_option", {"given": response})

    def snapshot_options(self, question: ChoiceQuestion) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return question.options, (question.answer,)

    def option_sets(self, question: ChoiceQuestion) -> OptionSets:
        return OptionSets((question.answer,), question.distractors, "answer")

    def giveaways(self, question: ChoiceQuestion) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (question.answer,), question.distractors


KIND = ChoiceKind()
