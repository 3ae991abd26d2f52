"""`choice`: one right option among distractors; a response is one option's text."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from quiz.bank.model import ChoiceQuestion, KeySpec, ResponseValue
from quiz.grading.hints import Hint
from quiz.grading.text import find_option, matching_options
from quiz.kinds.base import (
    WRONG,
    Kind,
    OptionSets,
    Outcome,
    ReportPart,
    credit_check,
    credited,
    norm_option,
    option_number,
    repeats,
    shown_option,
    shuffled,
    wrong_type,
)


def shown_options(options: tuple[str, ...], rng: random.Random, shuffle: bool) -> tuple[str, ...]:
    """Options shuffled from the quiz's seed, or sorted: the model keeps the answer first, and
    a fixed first place would give it away."""
    return shuffled(options, rng) if shuffle else tuple(sorted(options, key=str.casefold))


class ChoiceKind(Kind[ChoiceQuestion]):
    name = "choice"
    gift = "multichoice"  # Moodle's question type in GIFT and in Moodle XML
    moodle_xml = "multichoice"
    question_class = ChoiceQuestion
    fields = (
        KeySpec("answer", "option-text", False, "The right option's text."),
        KeySpec(
            "answers",
            "option-texts",
            False,
            "Several fully right options (instead of `answer`).",
            2,
        ),
        KeySpec(
            "distractors",
            "options",
            True,
            "The wrong options; {text, credit} gives one partial credit (0.5) or a penalty.",
            min_items=1,
        ),
    )
    widget = "select"
    few_options_below = 3
    schema_rules: ClassVar[dict[str, Any]] = {
        "oneOf": [{"required": ["answer"]}, {"required": ["answers"]}]
    }

    def check(self, values: Mapping[str, Any]) -> Iterator[tuple[str | None, str]]:
        distractors = values.get("distractors")
        if "answer" in values and "answers" in values:
            yield "answers", "give `answer` (one right option) or `answers` (several), not both"
        answers = values.get("answers") or ((values["answer"],) if "answer" in values else ())
        if "answer" not in values and "answers" not in values:
            yield (
                None,
                "missing required key 'answer' for a choice question (or `answers` for several)",
            )
        elif "answers" in values and len(values["answers"]) < 2:
            yield "answers", "`answers` lists several right options: for one, give `answer`"
        if distractors is not None and not distractors:
            yield "distractors", "a choice question needs at least one distractor"
        both = {norm_option(a) for a in answers} & {norm_option(d) for d in distractors or ()}
        if both:
            yield "distractors", "the answer is also listed among the distractors"
        for message in repeats(distractors or (), "distractor"):
            yield "distractors", message
        for message in repeats(answers, "answer"):
            yield "answers", message
        for message in credit_check(
            values.get("credits", ()), distractors or (), "the distractor", -1, 0.9999999
        ):
            yield "distractors", message + " (a fully right option goes in `answers`)"

    def build(self, values: Mapping[str, Any]) -> ChoiceQuestion:
        data = dict(values)
        answers = data.pop("answers", None)
        if answers:
            data["answer"], data["other_answers"] = answers[0], tuple(answers[1:])
        return ChoiceQuestion(**data)

    def field_value(self, question: ChoiceQuestion, name: str) -> Any:
        several = bool(question.other_answers)
        if name == "answer":
            return None if several else question.answer
        if name == "answers":
            return question.answers if several else ()
        if name == "distractors":
            return credited(question.distractors, question.credits)
        return getattr(question, name)

    def credits(self, question: ChoiceQuestion) -> tuple[tuple[str, float], ...]:
        given = dict(question.credits)
        return (
            *((a, 1.0) for a in question.answers),
            *((d, given.get(d, 0.0)) for d in question.distractors),
        )

    def feedback_options(self, values: Mapping[str, Any]) -> tuple[str, ...] | None:
        answers = values.get("answers") or ((values["answer"],) if "answer" in values else ())
        if answers and values.get("distractors") is not None:
            return (*answers, *values["distractors"])
        return None

    def grade(self, question: ChoiceQuestion, response: object) -> Outcome:
        if not isinstance(response, str):
            return wrong_type(response, "one option's text")
        options = question.options
        index = find_option(options, response)
        feedback = question.feedback_for(response)
        if index is None:
            return Outcome(WRONG, _not_one_option(question, response), feedback)
        if feedback is None:
            feedback = question.feedback_for(options[index])
        credit = self.credits(question)[index][1]
        return Outcome(credit, None, feedback)

    def expected_text(self, question: ChoiceQuestion) -> str:
        return " or ".join(shown_option(question, a) for a in question.answers)

    def options(
        self, question: ChoiceQuestion, rng: random.Random, shuffle: bool
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return shown_options(question.options, rng, shuffle), ()

    def plain_response(
        self, question: ChoiceQuestion, options: tuple[str, ...], text: str
    ) -> ResponseValue:
        chosen = option_number(options, text)
        if chosen is None and find_option(options, text) is None:
            # An option in a format of its own is typed as it is shown (`<b>red</b>`: "red").
            index = find_option(tuple(shown_option(question, o) for o in options), text)
            chosen = options[index] if index is not None else None
        return chosen if chosen is not None else text

    def well_formed(self, question: ChoiceQuestion, response: ResponseValue) -> Hint | None:
        if not isinstance(response, str) or find_option(question.options, response) is not None:
            return None  # a wrong type is graded wrong with its own hint
        if response.strip().rstrip(".)").isdigit():
            return Hint("options.number", {"count": len(question.options)})
        return _not_one_option(question, response)

    def snapshot_options(self, question: ChoiceQuestion) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return question.options, question.answers

    def option_sets(self, question: ChoiceQuestion) -> OptionSets:
        key = "answers" if question.other_answers else "answer"
        return OptionSets(question.answers, question.distractors, key)

    def giveaways(self, question: ChoiceQuestion) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return question.answers, question.distractors

    def from_handout(
        self, question_id: str, prompt: str, data: Mapping[str, Any]
    ) -> ChoiceQuestion:
        options = tuple(data["options"])
        return ChoiceQuestion(
            id=question_id, prompt=prompt, answer=options[0], distractors=options[1:]
        )

    def report_response(self, question: Any, response: ResponseValue) -> tuple[ReportPart, ...]:
        """The option a response names (as the grader finds it), else the text as typed."""
        if isinstance(response, str):
            index = find_option(tuple(question.options), response)
            if index is not None:
                option = question.options[index]
                shown = shown_option(question, option)  # a formatted one as plain text
                return (ReportPart("", option, shown, option in question.answers),)
        return super().report_response(question, response)


KIND = ChoiceKind()


def _not_one_option(question: ChoiceQuestion, response: str) -> Hint:
    """Why `response` picks no option: it names none, or several that differ only in case or
    spacing (`gb` for GB and Gb), which only the exact text tells apart; as written, or as the
    terminal shows them (an option in a format of its own, `<b>GB</b>`, is shown "GB")."""
    for options in (question.options, tuple(shown_option(question, o) for o in question.options)):
        several = matching_options(options, response)
        if len(several) > 1:
            named = [options[i] for i in several]
            return Hint("choice.several_options", {"given": response, "options": named})
    return Hint("choice.not_an_option", {"given": response})
