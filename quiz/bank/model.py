"""The bank model: frozen dataclasses, and the table of keys that everything else reads.

The key table (`BANK_KEYS`, `DEFAULTS_KEYS`, `QUESTION_KEYS`, and each kind's `fields` in the
registry of `quiz.kinds`) is the single source of truth for what a bank may contain: the loader
rejects anything else, the JSON Schema is generated from it, and the YAML dumper writes exactly
these keys. The question classes live here; everything else about a kind (its fields,
validation, grading, text) lives with it in `quiz.kinds`, which also holds the one list of kinds.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import ClassVar, Literal

# A date answer's type: defined with the date parser, re-exported here with the model.
from quiz.grading.dates import PartialDate as PartialDate
from quiz.limits import format_number as format_number

# A response as the learner gave it: text for choice/truefalse/text/number/date, a list of option
# texts for multi and order, a mapping left -> right for match; None for a skipped question.
ResponseValue = str | list[str] | dict[str, str] | None

DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

# Value types used by the key table. They name what the loader checks and what the schema says.
# "str": non-empty text; "text?": text that may be empty; "id": [a-z0-9-]+; "ids": list of ids;
# "strs": list of non-empty texts; "number": int or float; "tolerance": number >= 0 or "N%";
# "bool": true/false; "date": YYYY, YYYY-MM or YYYY-MM-DD; "pairs": list of [left, right];
# "difficulty": one of DIFFICULTIES; "kind": a registered kind (quiz.kinds);
# "mapping-str": text -> message; "int": positive whole number; "questions": list of question
# mappings; "defaults": mapping; "option-text", "option-texts": an option, a list of options;
# "formatted": text. A message, option, left item or formatted text may be written
# {text, format} when it has a format of its own (TEXT_FORMATS; see `Question.formats`).
ValueType = Literal[
    "str",
    "id",
    "ids",
    "strs",
    "number",
    "tolerance",
    "bool",
    "date",
    "pairs",
    "difficulty",
    "kind",
    "mapping-str",
    "int",
    "questions",
    "defaults",
    "points",
    "answer-text",
    "options",
    "number-answers",
    "format",
    "option-text",
    "option-texts",
    "formatted",
]

# Text formats a question's text may be written in (Moodle's and GIFT's markers): the terminal
# shows every format as plain text (tags removed, entities decoded); the format is kept so an
# export gives it back.
TEXT_FORMATS: tuple[str, ...] = ("moodle", "html", "markdown", "plain")


# Formats shown alike in the terminal (as written): one may stand for the other.
_ALIKE = (("plain", None), ("markdown", None), ("plain", "markdown"), ("html", "moodle"))
_SAME_SHOWING: frozenset[tuple[str | None, str | None]] = frozenset(
    {*_ALIKE, *((b, a) for a, b in _ALIKE)}
)


@dataclass(frozen=True)
class KeySpec:
    """One key a mapping may hold: its name, whether it is required, its value type, its help."""

    name: str
    type: ValueType
    required: bool = False
    help: str = ""
    min_items: int = 0  # a list that must have at least this many items (0: any)


BANK_KEYS: tuple[KeySpec, ...] = (
    KeySpec("id", "id", True, "Bank id, [a-z0-9-]+, unique across loaded banks."),
    KeySpec("title", "str", True, "Title shown to learners."),
    KeySpec("description", "str", False, "One or two sentences on what the bank covers."),
    KeySpec("source", "id", False, "A seeds/ record; then every question needs `facts`."),
    KeySpec("language", "str", False, "Language tag of the bank's text, such as `en`."),
    KeySpec("defaults", "defaults", False, "Defaults for every question."),
    KeySpec("questions", "questions", True, "The questions, in order."),
)

DEFAULTS_KEYS: tuple[KeySpec, ...] = (
    KeySpec("points", "points", False, "Points a question is worth (default 1)."),
    KeySpec(
        "shuffle_choices", "bool", False, "Shuffle options when a quiz is taken (default true)."
    ),
)

QUESTION_KEYS: tuple[KeySpec, ...] = (
    KeySpec(
        "id", "id", True, "Question id, unique within the bank and stable: scores refer to it."
    ),
    # (the schema's help for `kind` lists the registered kinds when it is generated)
    KeySpec("kind", "kind", True, "The question's kind."),
    KeySpec("prompt", "str", True, "The question as the learner sees it."),
    KeySpec(
        "explanation",
        "formatted",
        False,
        "Shown after the answer: why it is right, and the source ({text, format} in a format"
        " of its own).",
    ),
    KeySpec("facts", "ids", False, "Ids of the facts in the bank's source record this tests."),
    KeySpec("tags", "ids", False, "Topic tags; reports total scores by tag."),
    KeySpec("difficulty", "difficulty", False, "easy, medium or hard."),
    KeySpec("points", "points", False, "Points this question is worth."),
    KeySpec(
        "feedback",
        "mapping-str",
        False,
        "Wrong option or response -> message ({text, format} in a format of its own).",
    ),
    KeySpec("draft", "bool", False, "A draft question loads with a warning."),
    KeySpec("paragraph", "int", False, "Paragraph of the source article the question comes from."),
    KeySpec(
        "reveals",
        "ids",
        False,
        "Ids of questions of this bank whose answers this one shows: lint is then silent, and"
        " a quiz asks those first.",
    ),
    KeySpec(
        "format", "format", False, "The text's format (html, markdown, moodle, plain): from Moodle."
    ),
    KeySpec("idnumber", "str", False, "The question's id number in Moodle ([id:...] in GIFT)."),
)


def question_key_names(kind: str | None) -> tuple[str, ...]:
    """Every key a question of this kind may have (common keys first)."""
    from quiz.kinds import find_kind  # the registry is above the model: read when asked

    names = tuple(spec.name for spec in QUESTION_KEYS)
    found = find_kind(kind) if kind is not None else None
    if found is not None:
        names += tuple(spec.name for spec in found.fields)
    return names


@dataclass(frozen=True)
class Defaults:
    points: float = 1
    shuffle_choices: bool = True


@dataclass(frozen=True, kw_only=True)
class Question:
    """Fields every kind shares; `kind` is a class constant of each subclass."""

    kind: ClassVar[str] = ""
    id: str
    prompt: str
    explanation: str | None = None
    facts: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    difficulty: str | None = None
    points: float | None = None  # None: the bank default applies
    feedback: tuple[tuple[str, str], ...] = ()
    draft: bool = False
    paragraph: int | None = None
    reveals: tuple[str, ...] = ()  # ids of questions of the bank whose answers this one shows
    format: str | None = None  # None: plain text as written (see TEXT_FORMATS)
    idnumber: str | None = None
    # Texts (options, left items, feedback messages, the explanation) in a format of their own,
    # as a GIFT marker or Moodle XML's format attribute gave it: text -> format. A bank writes
    # each such text where it stands as {text: ..., format: html}.
    formats: tuple[tuple[str, str], ...] = ()
    # Where the question starts in its file: for messages, never compared.
    line: int | None = field(default=None, compare=False, repr=False)

    def feedback_for(self, response: str) -> str | None:
        """The author's message for this wrong option or response, if any, in the question's
        format (see `in_question_format`)."""
        for key, message in self.feedback:
            if key == response:
                return self.in_question_format(message)
        return None

    def own_format(self, text: str) -> str | None:
        """The format `text` has of its own (`formats`), if any."""
        for key, text_format in self.formats:
            if key == text:
                return text_format
        return None

    def in_question_format(self, message: str) -> str:
        """A message (a feedback) as text in the question's format, so that messages can be
        joined and shown as the question's other texts are: one in another format of its own
        becomes the plain text it shows, escaped for HTML when the question is in HTML."""
        own = self.own_format(message)
        if own is None or own == self.format or (own, self.format) in _SAME_SHOWING:
            return message
        from quiz.grading.text import plain_text

        shown = plain_text(message, own)
        if self.format in ("html", "moodle"):
            import html

            return html.escape(shown, quote=False).replace("\n", "<br>")
        return shown


@dataclass(frozen=True, kw_only=True)
class ChoiceQuestion(Question):
    kind: ClassVar[str] = "choice"
    answer: str
    distractors: tuple[str, ...]
    other_answers: tuple[str, ...] = ()  # further fully right options (`answers:` in YAML)
    credits: tuple[tuple[str, float], ...] = ()  # distractor -> credit, as the author gave it

    @property
    def answers(self) -> tuple[str, ...]:
        """Every fully right option (the first is `answer`)."""
        return (self.answer, *self.other_answers)

    @property
    def options(self) -> tuple[str, ...]:
        return (self.answer, *self.other_answers, *self.distractors)


@dataclass(frozen=True, kw_only=True)
class MultiQuestion(Question):
    kind: ClassVar[str] = "multi"
    answers: tuple[str, ...]
    distractors: tuple[str, ...] = ()
    credits: tuple[tuple[str, float], ...] = ()  # option -> credit, as the author gave it

    @property
    def options(self) -> tuple[str, ...]:
        return (*self.answers, *self.distractors)


@dataclass(frozen=True, kw_only=True)
class TrueFalseQuestion(Question):
    kind: ClassVar[str] = "truefalse"
    answer: bool


@dataclass(frozen=True, kw_only=True)
class TextQuestion(Question):
    kind: ClassVar[str] = "text"
    answer: str
    accept: tuple[str, ...] = ()
    fuzzy: bool = False
    credits: tuple[tuple[str, float], ...] = ()  # accepted answer -> credit below 1


@dataclass(frozen=True)
class Tolerance:
    """How far a number may be off: absolute, or relative (a fraction of the answer)."""

    value: float = 0
    relative: bool = False

    def __str__(self) -> str:
        if self.relative:
            return f"{format_number(round(self.value * 100, 9))}%"
        return format_number(self.value)


@dataclass(frozen=True)
class NumberAnswer:
    """A further answer of a number question: its value, tolerance, credit and message."""

    value: float
    tolerance: Tolerance = Tolerance()
    credit: float = 1.0
    feedback: str | None = None


@dataclass(frozen=True, kw_only=True)
class NumberQuestion(Question):
    kind: ClassVar[str] = "number"
    answer: float
    unit: str | None = None
    tolerance: Tolerance = Tolerance()
    answers: tuple[NumberAnswer, ...] = ()  # further answers, each with its credit


@dataclass(frozen=True, kw_only=True)
class DateQuestion(Question):
    kind: ClassVar[str] = "date"
    answer: PartialDate


@dataclass(frozen=True, kw_only=True)
class MatchQuestion(Question):
    kind: ClassVar[str] = "match"
    pairs: tuple[tuple[str, str], ...]
    distractors: tuple[str, ...] = ()  # extra right-hand options that match no left item


@dataclass(frozen=True, kw_only=True)
class OrderQuestion(Question):
    kind: ClassVar[str] = "order"
    items: tuple[str, ...]


@dataclass(frozen=True)
class Handout:
    """What makes a bank a sealed handout: the bank it was made from, and each question's
    token (an HMAC keyed by the instructor's secret; see `quiz.app.handouts`)."""

    source: str
    tokens: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    questions: tuple[Question, ...]
    description: str | None = None
    source: str | None = None
    language: str | None = None
    defaults: Defaults = Defaults()
    # Where it was loaded from and a hash of its bytes: provenance, never compared.
    path: str | None = field(default=None, compare=False)
    content_hash: str | None = field(default=None, compare=False)
    handout: Handout | None = None  # a sealed handout: its answers are withheld

    def points(self, question: Question) -> float:
        return question.points if question.points is not None else self.defaults.points

    def question(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    @functools.cached_property
    def _by_id(self) -> dict[str, Question]:
        """Questions by id, the first of a repeated id (an import asks once per response)."""
        found: dict[str, Question] = {}
        for question in self.questions:
            found.setdefault(question.id, question)
        return found

    @property
    def kinds(self) -> tuple[str, ...]:
        """Kinds used, in the registry's order (see `quiz.kinds`)."""
        from quiz.kinds import kind_names  # the registry is above the model: read when asked

        used = {q.kind for q in self.questions}
        return tuple(kind for kind in kind_names() if kind in used)


FACT_KINDS: tuple[str, ...] = ("date", "figure", "person", "organisation", "place", "claim")


@dataclass(frozen=True)
class Fact:
    """One checkable fact of a source, restated in the project's own words."""

    id: str
    kind: str
    statement: str
    paragraph: int
    details: tuple[tuple[str, str], ...] = ()  # value, unit, when, who, role, speaker, ...


@dataclass(frozen=True)
class Source:
    """A seeds/ record: the citation and its facts."""

    id: str
    title: str
    outlet: str
    facts: tuple[Fact, ...]
    unused: tuple[tuple[str, str], ...] = ()  # fact id -> why no question tests it
    path: str | None = field(default=None, compare=False)

    def fact(self, fact_id: str) -> Fact | None:
        for fact in self.facts:
            if fact.id == fact_id:
                return fact
        return None


def __getattr__(name: str) -> object:
    """`KINDS`: the names of the registered kinds, read from the one list in `quiz.kinds`."""
    if name == "KINDS":
        from quiz.kinds import kind_names

        return kind_names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
