"""`multi`: every right option among distractors; a response is a list of option texts.

Partial credit: right picks minus wrong picks, over the number of right options, floor 0.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from typing import Any

from quiz.bank.model import KeySpec, MultiQuestion, ResponseValue
from quiz.grading.hints import Hint
from quiz.grading.text import find_option, normalize_text
from quiz.kinds.base import (
    RIGHT,
    WRONG,
    Kind,
    OptionSets,
    Outcome,
    ReportPart,
    as_text_list,
    join_messages,
    norm_option,
    option_numbers,
    repeats,
    wrong_type,
)
from quiz.kinds.choice import shown_options


class MultiKind(Kind[MultiQuestion]):
    name = "multi"
    question_class = MultiQuestion
    fields = (
        KeySpec("answers", "strs", True, "Every right option.", min_items=1),
        KeySpec("distractors", "strs", False, "The wrong options."),
    )
    widget = "checkbox"
    sheet_shape = "list-or-scalar"

    def check(self, values: Mapping[str, Any]) -> Iterator[tuple[str | None, str]]:
        answers = values.get("answers")
        distractors = values.get("distractors", ())
        if answers is not None and not answers:
            yield "answers", "a multi question needs at least one right answer"
        both = {norm_option(a) for a in answers or ()} & {norm_option(d) for d in distractors}
        if both:
            yield (
                "distractors",
                "an answer is also listed among the distractors: " + ", ".join(sorted(both)),
            )
        else:
            for message in repeats((*(answers or ()), *distractors), "option"):
                yield "answers", message

    def feedback_options(self, values: Mapping[str, Any]) -> tuple[str, ...] | None:
        if values.get("answers") is None:
            return None
        return (*values["answers"], *values.get("distractors", ()))

    def grade(self, question: MultiQuestion, response: object) -> Outcome:
        options = question.options
        if isinstance(response, str) and find_option(options, response) is not None:
            picks: list[str] | None = [response]
        else:
            picks = as_text_list(response, r"[;\n]")
        if picks is None:
            return wrong_type(response, "a list of options")
        right: set[int] = set()
        wrong: set[int] = set()
        unknown: dict[str, str] = {}
        for pick in picks:
            index = find_option(options, pick)
            if index is None:
                unknown.setdefault(normalize_text(pick) or pick.strip(), pick)
            elif index < len(question.answers):
                right.add(index)
            else:
                wrong.add(index)
        n = len(question.answers)
        wrong_count = len(wrong) + len(unknown)
        if n == 0:
            fraction = RIGHT if wrong_count == 0 else WRONG
        else:
            fraction = max(0.0, (len(right) - wrong_count) / n)
        if fraction >= 1.0:
            return Outcome(RIGHT)
        hint = Hint(
            "multi.partial",
            {
                "right": len(right),
                "total": n,
                "wrong": wrong_count,
                "not_options": tuple(unknown.values()),
            },
        )
        feedback = join_messages([question.feedback_for(options[i]) for i in sorted(wrong)])
        return Outcome(fraction, hint, feedback)

    def expected_text(self, question: MultiQuestion) -> str:
        return "; ".join(question.answers)

    def options(
        self, question: MultiQuestion, rng: random.Random, shuffle: bool
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return shown_options(question.options, rng, shuffle), ()

    def plain_response(
        self, question: MultiQuestion, options: tuple[str, ...], text: str
    ) -> ResponseValue:
        return option_numbers(options, text, every=False)

    def snapshot_options(self, question: MultiQuestion) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return question.options, question.answers

    def option_sets(self, question: MultiQuestion) -> OptionSets:
        return OptionSets(question.answers, question.distractors, "answers")

    def giveaways(self, question: MultiQuestion) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return question.answers, question.distractors

    def from_handout(self, question_id: str, prompt: str, data: Mapping[str, Any]) -> MultiQuestion:
        options = tuple(data["options"])
        return MultiQuestion(
            id=question_id, prompt=prompt, answers=options[:1], distractors=options[1:]
        )

    def report_response(self, question: Any, response: ResponseValue) -> tuple[ReportPart, ...]:
        """The set of options picked, in the options' order (each pick once); a pick that is no
        option is kept as typed, after them."""
        options = tuple(question.options)
        if isinstance(response, str) and find_option(options, response) is not None:
            picks: list[str] | None = [response]
        else:
            picks = as_text_list(response, r"[;\n]")
        if picks is None:
            return super().report_response(question, response)
        found: set[int] = set()
        others: dict[str, str] = {}
        for pick in picks:
            index = find_option(options, pick)
            if index is None:
                shown = " ".join(pick.split())
                others.setdefault(normalize_text(shown) or shown.casefold(), shown)
            else:
                found.add(index)
        if not found and not others:
            return ()
        chosen = [options[i] for i in sorted(found)]
        keys = [*chosen, *sorted(others)]
        texts = [*chosen, *(others[k] for k in sorted(others))]
        right = not others and set(chosen) == set(question.answers)
        return (ReportPart("", "\x1f".join(keys), "; ".join(texts), right),)


KIND = MultiKind()
