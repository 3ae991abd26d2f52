"""What a question kind is: the one class every kind's module fills in.

A `Kind` holds together, for one kind of question: its name and question class (the frozen
dataclass in `quiz.bank.model`), its answer fields and the loader's checks across them, how a
response is graded, how a response and the right answer are said in text, how a typed answer
is read (plain mode), how an answer is typed (the hints for a typed answer), and what the
answer sheet, the store's snapshot and lint need to know. Every other module asks
`quiz.kinds.kind_of(question)` instead of testing the question's class.

The places later work fills in are named at the end of the class (`redact`, `report_response`,
`credits`, `gift`, `moodle_xml`, and the widget's `well_formed` check): see
docs/adding-a-kind.md.
"""

from __future__ import annotations

import datetime as _dt
import random
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Generic, Literal, TypeVar

from quiz.bank.model import KeySpec, PartialDate, Question, ResponseValue, format_number
from quiz.grading.hints import Hint, unreadable

Q = TypeVar("Q", bound=Question)

# How the interactive screen asks a kind: one option from a list, ticks in a checklist, one
# pick per left-hand item, picks in order, or typed text (see quiz.ui.interactive).
Widget = Literal["select", "checkbox", "match", "order", "text"]
# How an answer sheet writes a response: one scalar, a list, a list or one scalar (a single
# pick), or a mapping left -> right (see quiz.bank.sheet).
SheetShape = Literal["scalar", "list", "list-or-scalar", "mapping"]

WRONG = 0.0
RIGHT = 1.0


@dataclass(frozen=True)
class Outcome:
    """What a kind's grader decides: the share of marks (0..1), why, and the author's message."""

    fraction: float
    hint: Hint | None = None
    feedback: str | None = None


@dataclass(frozen=True)
class OptionSets:
    """A question's right and wrong options as the author wrote them (for lint)."""

    answers: tuple[str, ...]
    distractors: tuple[str, ...]
    answers_key: str  # the field that holds the right options: "answer" or "answers"


class Kind(ABC, Generic[Q]):
    """One kind of question. Subclasses set the class attributes and implement `grade` and
    `expected_text`; everything else has a default that suits a kind answered by typing."""

    name: ClassVar[str]
    question_class: ClassVar[type[Question]]
    fields: ClassVar[tuple[KeySpec, ...]]  # the kind's answer fields, in the key table's terms
    widget: ClassVar[Widget] = "text"
    sheet_shape: ClassVar[SheetShape] = "scalar"
    list_joiner: ClassVar[str] = "; "  # between the items of a list response, in text
    # lint's `few-options`: warn when a question has fewer options than this (0: never)
    few_options_below: ClassVar[int] = 0

    # -- the bank: fields, checks across them, building the question -------------------------
    def check(self, values: Mapping[str, Any]) -> Iterator[tuple[str | None, str]]:
        """The loader's checks across the kind's fields, on whatever was readable: each problem
        as (the field it is about, or None for the question, message)."""
        return iter(())

    def feedback_options(self, values: Mapping[str, Any]) -> tuple[str, ...] | None:
        """What a `feedback` key may name (its options), or None when any response may."""
        return None

    def build(self, values: Mapping[str, Any]) -> Q:
        """The question from its checked values (`id`, `line` and the fields)."""
        return self.question_class(**values)  # type: ignore[return-value]

    # -- grading and text -----------------------------------------------------------------------
    @abstractmethod
    def grade(self, question: Q, response: object) -> Outcome:
        """The share of marks `response` earns, and why (`quiz.kinds.grade` adds the safety
        net: a response that makes this raise is wrong, not a crash)."""

    @abstractmethod
    def expected_text(self, question: Q) -> str:
        """The right answer in words, for feedback, reports and `banks show --answers`."""

    def response_text(self, question: Q, response: object, item: Callable[[str], str] = str) -> str:
        """A response as one line of text (see `format_response`); `item` cleans each text."""
        return format_response(response, joiner=self.list_joiner, item=item)

    # -- the quiz: options shown, typed answers ---------------------------------------------------
    def options(
        self, question: Q, rng: random.Random, shuffle: bool
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(options in the order shown, left-hand items) for one quiz; none for a typed kind.

        `rng` is seeded from the quiz and the question; `shuffle` is false for `--no-shuffle`
        and for banks that do not shuffle choices.
        """
        return (), ()

    def plain_response(self, question: Q, options: tuple[str, ...], text: str) -> ResponseValue:
        """A line typed in plain mode (not empty, not a skip or quit word) as the response
        graded and stored: option numbers become option texts. `Unreadable` when it cannot be
        read for this kind (the learner is asked again)."""
        return text

    def option_title(self, option: str) -> str:
        """How an option is shown in a list ("true" -> "True"); the response is the option."""
        return option

    def answer_format(self, question: Q) -> Hint | None:
        """How an answer to this question is typed (shown before it is), or None."""
        return None

    def typed_hint(self, question: Q, text: str) -> Hint | None:
        """What is shown beside a typed answer while it is typed: how it reads, or why not."""
        return None

    # -- what other layers need to know ---------------------------------------------------------
    def snapshot_options(self, question: Q) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(every option, the right ones) as the store's snapshot keeps them (reports count
        distractors from it); none for a kind without options."""
        return (), ()

    def lefts(self, question: Q) -> tuple[str, ...]:
        """The items a learner pairs options with (match's left-hand side); none elsewhere."""
        return ()

    def option_sets(self, question: Q) -> OptionSets | None:
        """The right and wrong options, for lint's `long-answer`; None without options."""
        return None

    def giveaways(self, question: Q) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(answers, distractors) for lint's `answer-in-prompt`: an answer's words in the
        prompt give it away, unless a distractor's are there too."""
        return (), ()

    # -- places for what later work adds (None: not yet; see docs/adding-a-kind.md) -------------
    def well_formed(self, question: Q, response: ResponseValue) -> Hint | None:
        """Whether `response` is an answer at all: None when it may be graded, else why not
        (an option number out of range, text that is no option, a number or date that cannot
        be read, a date less precise than asked). On a terminal the learner is asked again
        and it costs nothing; with no terminal (a pipe, a sheet) it is recorded as unreadable,
        0 points. A kind whose widget can only produce well-formed answers keeps this."""
        return None

    # Each is None until that work defines it here as a method (`def redact(self, question)`),
    # so a caller can tell "not yet" (None) from "nothing to do".
    # handout redaction: the question without anything from which its answer can be recovered
    redact: ClassVar[Callable[[Any], Any] | None] = None
    # response normalisation for reports (the same answer written two ways counted once)
    report_response: ClassVar[Callable[[Any, ResponseValue], str] | None] = None
    # credits: who wrote or adapted the kind's questions, as item metadata
    credits: ClassVar[Callable[[Any], Sequence[str]] | None] = None
    # the GIFT mapping (quiz.formats.gift renders each kind by name today) and Moodle XML's
    gift: ClassVar[Callable[[Any], list[str]] | None] = None
    moodle_xml: ClassVar[Callable[[Any], str] | None] = None

    def __repr__(self) -> str:
        return f"<kind {self.name}>"


# -- shared by the kinds -------------------------------------------------------------------
def format_response(
    response: object, *, joiner: str = "; ", item: Callable[[str], str] = str
) -> str:
    """The one response formatter: a response as text, for feedback, results and reports.

    Text as it is; true/false as "true"/"false"; numbers plainly (67300); dates in ISO; a
    mapping (or a list of pairs) as "left → right; left → right"; a list joined with `joiner`
    ("; ", or " → " for an order question, as its right answer is shown). `item` is applied
    to each text (the front ends clean it for the terminal). Never raises: "?" if unshowable.
    """
    try:
        return _format(response, joiner, item)
    except Exception:
        return "?"


def _format(response: object, joiner: str, item: Callable[[str], str]) -> str:
    if response is None:
        return ""
    if isinstance(response, bool):
        return "true" if response else "false"
    if isinstance(response, str):
        return item(response)
    if isinstance(response, (int, float, Decimal, Fraction)):
        return format_number(float(response))
    if isinstance(response, PartialDate):
        return str(response)
    if isinstance(response, _dt.date):
        return response.isoformat()
    if isinstance(response, Mapping):
        return "; ".join(
            f"{_format(left, joiner, item)} → {_format(right, joiner, item)}"
            for left, right in response.items()
        )
    if isinstance(response, (list, tuple, set, frozenset)):
        return joiner.join(_format(part, joiner, item) for part in response)
    return item(str(response))


def type_name(value: object) -> str:
    """What a response is, for `response.wrong_type`: "nothing", "text", "a list"..."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float, Decimal, Fraction)):
        return "a number"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "a list"
    return "a " + type(value).__name__


def wrong_type(response: object, expected: str) -> Outcome:
    """A response of the wrong type: `expected` names what the kind takes ("a number")."""
    return Outcome(
        WRONG, Hint("response.wrong_type", {"expected": expected, "got": type_name(response)})
    )


def join_messages(messages: Iterator[str | None] | Sequence[str | None]) -> str | None:
    """The author's messages, each once, in order; None if there is none."""
    seen: list[str] = []
    for message in messages:
        if message and message not in seen:
            seen.append(message)
    return " ".join(seen) if seen else None


def as_text_list(response: object, separators: str) -> list[str] | None:
    """A list of texts from a list/tuple/set of str, or from one str split on `separators`."""
    if isinstance(response, str):
        parts = re.split(separators, response)
        return [part.strip() for part in parts if part.strip()]
    if isinstance(response, (list, tuple, set, frozenset)):
        items = list(response)
        if all(isinstance(part, str) for part in items):
            return [part for part in items if isinstance(part, str)]
    return None


def option_number(options: tuple[str, ...], typed: str) -> str | None:
    """The option shown as number `typed` ("2" -> the second option), else None."""
    text = typed.strip().rstrip(".)")
    if text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1]
    return None


def option_numbers(options: tuple[str, ...], text: str, *, every: bool) -> list[str]:
    """Option numbers typed "1 3", "1,3" or "1; 3" as option texts; `Unreadable` if not.

    `every`: all the options must be given (an order), each once.
    """
    tokens = [t for t in re.split(r"[\s,;]+", text) if t]
    n = len(options)
    if not tokens or not all(t.isdigit() and 1 <= int(t) <= n for t in tokens):
        raise unreadable("options.numbers", count=n)
    numbers = [int(t) for t in tokens]
    if len(set(numbers)) != len(numbers):
        raise unreadable("options.repeated")
    if every and len(numbers) != n:
        raise unreadable("options.not_all", count=n)
    return [options[i - 1] for i in numbers]


def shuffled(values: Sequence[str], rng: random.Random) -> tuple[str, ...]:
    out = list(values)
    rng.shuffle(out)
    return tuple(out)


def deranged(values: Sequence[str], rng: random.Random) -> tuple[str, ...]:
    """Shuffled, and not in the given order when that is possible."""
    out = list(values)
    if len(set(out)) < 2:
        return tuple(out)
    for _ in range(20):
        rng.shuffle(out)
        if out != list(values):
            return tuple(out)
    return (*out[1:], out[0]) if out == list(values) else tuple(out)


def norm_option(text: str) -> str:
    """How the loader compares options for repeats: case and spacing aside."""
    return " ".join(text.casefold().split())


def repeats(texts: Sequence[str], what: str) -> Iterator[str]:
    """A message for each text given again, case and spacing aside ("the item 'x' is given
    twice")."""
    seen: set[str] = set()
    for text in texts:
        if norm_option(text) in seen:
            yield f"the {what} '{text}' is given twice"
        seen.add(norm_option(text))
