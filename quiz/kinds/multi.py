"""`multi`: every right option among distractors; a response is a list of option texts.

Partial credit: right picks minus wrong picks, over the number of right options, floor 0.
With credits (Moodle's form): the sum of the picked options' credits, from 0 to 1; an answer
without a credit shares what the credited answers leave, a distractor without one costs nothing.
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
    credited,
    join_messages,
    norm_option,
    option_numbers,
    repeats,
    shown_option,
    wrong_type,
)
from quiz.kinds.choice import shown_options


class MultiKind(Kind[MultiQuestion]):
    name = "multi"
    gift = "multichoice"  # Moodle's question type in GIFT and in Moodle XML
    moodle_xml = "multichoice"
    question_class = MultiQuestion
    fields = (
        KeySpec(
            "answers",
            "options",
            True,
            "Every right option; {text, credit} gives one its share (credits add up to 1).",
            min_items=1,
        ),
        KeySpec(
            "distractors",
            "options",
            False,
            "The wrong options; {text, credit} gives one a penalty (-0.5).",
        ),
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
        given = dict(values.get("credits", ()))
        for text in answers or ():
            if text in given and not 0 < given[text] <= 1:
                yield "answers", f"the credit of the answer '{text}' must be above 0, up to 1"
        for text in distractors:
            if text in given and not -1 <= given[text] <= 0:
                yield (
                    "distractors",
                    f"the credit of the distractor '{text}' must be from -1 to 0 (a penalty)",
                )
        if answers and any(text in given for text in (*answers, *distractors)):
            listed = [given[a] for a in answers if a in given]
            total = sum(listed)
            if len(listed) == len(answers) and abs(total - 1) > 1e-6:
                yield "answers", f"the answers' credits add up to {total:g}, not 1"
            elif len(listed) < len(answers) and total > 1 - 1e-6:
                yield "answers", "the credited answers leave nothing for the others"

    def build(self, values: Mapping[str, Any]) -> MultiQuestion:
        return MultiQuestion(**values)

    def field_value(self, question: MultiQuestion, name: str) -> Any:
        if name in ("answers", "distractors"):
            return credited(getattr(question, name), question.credits)
        return getattr(question, name)

    def credits(self, question: MultiQuestion) -> tuple[tuple[str, float], ...]:
        given = dict(question.credits)
        n = len(question.answers)
        if not given:  # today's rule: each right pick 1/n, each wrong pick -1/n
            share = 1 / n if n else 0.0
            return (
                *((a, share) for a in question.answers),
                *((d, -share) for d in question.distractors),
            )
        unlisted = [a for a in question.answers if a not in given]
        left = 1 - sum(given[a] for a in question.answers if a in given)
        share = left / len(unlisted) if unlisted else 0.0
        return (
            *((a, given.get(a, share)) for a in question.answers),
            *((d, given.get(d, 0.0)) for d in question.distractors),
        )

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
        credits = self.credits(question)
        if n == 0:
            fraction = RIGHT if wrong_count == 0 else WRONG
        else:
            total = sum(credits[i][1] for i in (*right, *wrong))
            if not question.credits:
                total -= len(unknown) / n
            fraction = min(1.0, max(0.0, total))
            if fraction > 1.0 - 1e-6:
                # Moodle's grades are 7-place decimals (3 x 33.33333% = 99.99999%): above
                # 0.999999 Moodle calls a fraction right (question_state
                # `graded_state_for_fraction`), as the credits' check here allows.
                fraction = RIGHT
        # Every picked option's message, right or wrong, as Moodle shows each chosen option's
        # feedback (qtype_multichoice's renderer): a right pick's too when others are missed.
        feedback = join_messages([question.feedback_for(options[i]) for i in sorted(right | wrong)])
        if fraction == RIGHT:
            return Outcome(RIGHT, None, feedback)
        hint = Hint(
            "multi.partial",
            {
                "right": len(right),
                "total": n,
                "wrong": wrong_count,
                "not_options": tuple(unknown.values()),
            },
        )
        return Outcome(fraction, hint, feedback)

    def expected_text(self, question: MultiQuestion) -> str:
        return "; ".join(shown_option(question, a) for a in question.answers)

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
        plain = [shown_option(question, option) for option in chosen]  # formatted: plain
        texts = [*plain, *(others[k] for k in sorted(others))]
        right = not others and set(chosen) == set(question.answers)
        return (ReportPart("", "\x1f".join(keys), "; ".join(texts), right),)


KIND = MultiKind()
