"""What a question kind is: the one class every kind's module fills in.

A `Kind` holds together, for one kind of question: its name and question class (the frozen
dataclass in `quiz.bank.model`), its answer fields and the loader's checks across them, how a
response is graded, how a response and the right answer are said in text, how a typed answer
is read (plain mode), how an answer is typed (the hints for a typed answer), and what the
answer sheet, the store's snapshot and lint need to know. Every other module asks
`quiz.kinds.kind_of(question)` instead of testing the question's class.

The places later work fills in are named at the end of the class (`credits`, `gift`,
`moodle_xml`, and the widget's `well_formed` check): see
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
from quiz.grading.text import normalize_text, plain_text

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
class ReportPart:
    """One part of a response as the response analysis counts it.

    `part` is "" for a response counted whole, the left item of a match question, the position
    ("position 2") of an order question; `key` is what is counted (the response normalised the
    way the grader compares it), `text` how it is shown; `right` says whether this part is
    right where the kind can tell by part (None: the mark earned says it)."""

    part: str
    key: str
    text: str
    right: bool | None = None


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
    # JSON Schema rules across the kind's fields (added to its `then` in the bank schema)
    schema_rules: ClassVar[dict[str, Any]] = {}

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

    def field_value(self, question: Q, name: str) -> Any:
        """The value of the bank field `name` as the author writes it (the dumper asks): an
        option with a credit is `{"text": ..., "credit": ...}`."""
        return getattr(question, name)

    # -- grading and text -----------------------------------------------------------------------
    @abstractmethod
    def grade(self, question: Q, response: object) -> Outcome:
        """The share of marks `response` earns, and why (`quiz.kinds.grade` adds the safety
        net: a response that makes this raise is wrong, not a crash)."""

    @abstractmethod
    def expected_text(self, question: Q) -> str:
        """The right answer in words, for feedback, reports and `banks show --answers`."""

    def typo_of(self, question: Q, response: object) -> str | None:
        """The right spelling when `response` earns marks only because a typo was forgiven
        (`fuzzy`), for "accepted, spelled …"; None for kinds that forgive none."""
        return None

    def response_text(self, question: Q, response: object, item: Callable[[str], str] = str) -> str:
        """A response as one line of text (see `format_response`); `item` cleans each text. An
        option picked that has a format of its own (from Moodle) is shown as its plain text."""
        if question.formats:
            clean = item
            item = lambda text: clean(shown_option(question, text))  # noqa: E731
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

    def option_title(self, question: Q, option: str) -> str:
        """How an option (or a left item) is shown in a list ("true" -> "True"; an option in a
        format of its own as plain text); the response is the option."""
        return shown_option(question, option)

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
    def credits(self, question: Q) -> tuple[tuple[str, float], ...] | None:
        """Each option (or accepted answer) and the fraction of the marks it earns, every
        default resolved, in the bank's order; None for a kind without per-answer credit."""
        return None

    def well_formed(self, question: Q, response: ResponseValue) -> Hint | None:
        """Whether `response` is an answer at all: None when it may be graded, else why not
        (an option number out of range, text that is no option, a number or date that cannot
        be read, a date less precise than asked). On a terminal the learner is asked again
        and it costs nothing; with no terminal (a pipe, a sheet) it is recorded as unreadable,
        0 points. A kind whose widget can only produce well-formed answers keeps this."""
        return None

    # -- handouts and re-grading (issue 14) --------------------------------------------------
    def redact(self, question: Q, rng: random.Random) -> dict[str, Any]:
        """The kind's part of a sealed handout: what a learner needs to answer, and nothing
        from which the answer can be recovered (no answer fields, accepted alternatives,
        tolerances, feedback or explanation). Options and items come in `rng`'s order (a fresh
        seed): the model keeps a choice's answer first and an order's items in the right order.
        The default suits every kind whose options (or left-hand items) are all it shows."""
        options, lefts = self.options(question, rng, True)
        data: dict[str, Any] = {}
        if options:
            data["options"] = list(options)
        if lefts:
            data["lefts"] = list(lefts)
        return data

    def from_handout(self, question_id: str, prompt: str, data: Mapping[str, Any]) -> Q:
        """A question to put on screen from a handout's redacted `data`: its answer fields
        are placeholders (a handout attempt is never graded by the learner's copy)."""
        raise NotImplementedError(f"no handout support for the kind {self.name!r}")

    def grading_material(self, question: Q) -> dict[str, Any]:
        """The fields that decide a grade, as JSON data (the grading hash and the handout
        token cover these, with the kind, prompt and points): the kind's answer fields.
        Explanations, feedback, tags and facts are not in it, so fixing a typo in them keeps
        the hash. Credits are (a half-credit option grades differently from a wrong one)."""
        material = {spec.name: _plain(getattr(question, spec.name, None)) for spec in self.fields}
        credits = self.credits(question)
        if credits is not None:
            material["credits"] = [[text, _plain(credit)] for text, credit in credits]
        return material

    # -- reports: the response analysis (`quiz scores report --by responses`) ------------------
    def report_response(self, question: Any, response: ResponseValue) -> tuple[ReportPart, ...]:
        """A response as the response analysis counts it: normalised the way the grader
        compares responses, so that the same answer written two ways is counted once.

        `question` is the store's snapshot of the question (`kind`, `options`, `answers`,
        `expected`): reports outlive the YAML. The default suits a typed answer: letters and
        digits only, case and accents aside (`quiz.grading.text.normalize_text`)."""
        if not isinstance(response, str):
            text = format_response(response)
            return (ReportPart("", text, text),) if text else ()
        shown = " ".join(response.split())
        if not shown:
            return ()
        return (ReportPart("", normalize_text(shown) or shown.casefold(), shown),)

    # The interchange mappings: the Moodle question type the kind is written as in GIFT and in
    # Moodle XML (and, for Canvas, in QTI), or None when the kind has none (it is then written
    # as a short answer of its expected text, with a warning). quiz.formats writes the syntax
    # of each type from the kind's credits() and fields.
    gift: ClassVar[str | None] = None
    moodle_xml: ClassVar[str | None] = None

    def __repr__(self) -> str:
        return f"<kind {self.name}>"


# -- shared by the kinds -------------------------------------------------------------------
def _plain(value: object) -> Any:
    """A field's value as JSON data, the same for equal values."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return repr(float(value))
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return str(value)  # Tolerance ("5%", "2"), PartialDate ("2022-12")


def shown_text(question: Question, text: str) -> str:
    """A text of the question (prompt, explanation, feedback) as the terminal shows it: in
    its own format (`Question.formats`) or else the question's `format` (from Moodle) as plain text,
    tags removed and entities decoded."""
    return plain_text(text, question.own_format(text) or question.format)


def shown_option(question: Question, text: str) -> str:
    """An option (or a left item) as the terminal shows it: options are plain text unless
    they have a format of their own (`Question.formats`), shown then as plain text."""
    return plain_text(text, question.own_format(text))


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


def _small_number(text: str) -> bool:
    """ASCII digits `int` reads at once: "²".isdigit() is true, and 5000 digits are refused."""
    return 0 < len(text) <= 9 and text.isascii() and text.isdigit()


def option_number(options: tuple[str, ...], typed: str) -> str | None:
    """The option shown as number `typed` ("2" -> the second option), else None."""
    text = typed.strip().rstrip(".)")
    if _small_number(text) and 1 <= int(text) <= len(options):
        return options[int(text) - 1]
    return None


def option_numbers(options: tuple[str, ...], text: str, *, every: bool) -> list[str]:
    """Option numbers typed "1 3", "1,3" or "1; 3" as option texts; `Unreadable` if not.

    `every`: all the options must be given (an order), each once.
    """
    tokens = [t for t in re.split(r"[\s,;]+", text) if t]
    n = len(options)
    if not tokens or not all(_small_number(t) and 1 <= int(t) <= n for t in tokens):
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


def credited(texts: Sequence[str], credits: Sequence[tuple[str, float]]) -> list[Any]:
    """Options as the author writes them: a text, or {text, credit} where a credit was given."""
    given = dict(credits)
    return [
        {"text": text, "credit": _plain_credit(given[text])} if text in given else text
        for text in texts
    ]


def _plain_credit(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def credit_check(
    credits: Sequence[tuple[str, float]], texts: Sequence[str], what: str, low: float, high: float
) -> Iterator[str]:
    """A message for each credit of `texts` outside low..high ("an answer's credit...")."""
    names = set(texts)
    for text, credit in credits:
        if text in names and not low <= credit <= high:
            yield f"the credit of {what} '{text}' must be from {low:g} to {high:g}, not {credit:g}"


def norm_option(text: str) -> str:
    """How the loader compares options for repeats: spacing aside. Case counts, as in Moodle
    (`GB` and `Gb` are two options: the learner picks one exactly)."""
    return " ".join(text.split())


def repeats(texts: Sequence[str], what: str) -> Iterator[str]:
    """A message for each text given again, spacing aside ("the item 'x' is given twice")."""
    seen: set[str] = set()
    for text in texts:
        if norm_option(text) in seen:
            yield f"the {what} '{text}' is given twice"
        seen.add(norm_option(text))
