"""Questions of one bank that give away each other's answers.

A learner sees a question's prompt, its options, then (after answering) its explanation and
any feedback, all before the next question. When one of those texts contains another question's
answer, asking that other question later in the same sitting tests nothing. `find_giveaways`
finds every such pair of a bank; `quiz banks lint` warns about them (rule `gives-away`) and the
quiz session (`quiz.session`) orders a quiz so that a question is never asked after one that
gave its answer away. An author who keeps a pair on purpose lists the revealed question under
the revealing question's `reveals:` key: lint is then silent, and the session still handles it.

How an answer is looked for, by the kind's answer (each kind says what its answers are):

- words (a text answer and its accepted alternatives; a choice answer; each answer of a multi
  question, from the kind's `giveaways(question)`): as the grader compares them, whole words
  after `normalize_text` (NFKD, accents dropped, case-folded, letters and digits only), so
  "Kim Jong-un" is found in "kim jong un said" but "Tokyo" is not in "Tokyoites"; a leading
  "the", "a" or "an" may be left out. Whole words, whatever they mean: an answer "May" is found
  in "what may be new". A choice or multi answer is not given away by a field (the prompt, the
  options, ...) that also names one of that question's distractors ("Was it X or Y?").
- a number (an answer field of type `number` in the kind's key table): by value, within the
  question's tolerance: 67,300, 67 300, 67.3k and 67.3 thousand are one value, "97%" is 97,
  "two" is 2; never a digit string inside another number (97 is not in 1997, 9.7 or 970).
- a date (an answer field of type `date`): at its precision, as a value: a year as a whole
  four-digit number (1991, not 1990s or 19910); a month as "December 2022", "Dec. 2022",
  "2022-12" or "12/2022"; a day as "2022-12-05", "5 December 2022" or "December 5, 2022". The
  month names that are also everyday words (May, March, Mar) count as months only when written
  with a capital: "it may 2022" is not May 2022.

True/false, match and order answers have no words to find. Standard library, the model, the
grading parsers and the kinds only.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from quiz.bank.model import Bank, PartialDate, Question, Tolerance, format_number
from quiz.grading.dates import month_number
from quiz.grading.numbers import parse_decimal
from quiz.grading.text import normalize_text
from quiz.kinds import kind_of

__all__ = [
    "Giveaway",
    "contains_words",
    "find_giveaways",
    "given_away",
    "numbers_in",
    "reveal_graph",
    "shown_fields",
]

_ARTICLES = frozenset({"the", "a", "an"})
_SMALL_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen"
)
_SMALL_NUMBERS = {word: value for value, word in enumerate(_SMALL_NUMBER_WORDS.split(" "))}
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_TENS = {word: 10 * value for value, word in enumerate(_TENS_WORDS.split(" "), start=2)}
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+(?!\d)|\d+(?:\.\d+)?)"
    r"(?:\s?(k|thousand|million|m|bn|billion)\b)?(?!\w|[.,]\d)"
)
_YEAR = re.compile(r"(?<![\w.,])(\d{4})(?!\w|[.,]\d)")
# Month names that are everyday words too: months only when written with a capital.
_WORD_MONTHS = frozenset({"may", "march", "mar"})
_MONTH_YEAR = re.compile(r"\b([^\W\d_]+)\.?,?\s+(\d{4})\b")
_YEAR_MONTH = re.compile(r"\b(\d{4})[-/](\d{1,2})\b")
_MONTH_SLASH_YEAR = re.compile(r"\b(\d{1,2})/(\d{4})\b")
_ISO_DAY = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([^\W\d_]+)\.?,?\s+(\d{4})\b")
_MONTH_DAY_YEAR = re.compile(r"\b([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")


# -- reading texts -------------------------------------------------------------------------------
def _plain(text: str) -> str:
    """NFKD without combining accents (case kept: the date scanner needs it)."""
    if isinstance(text, str) and text.isascii():  # nothing to decompose (a 10 MB prompt)
        return text
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    """The words of `text` as the grader compares them (each through `normalize_text`)."""
    found = (normalize_text(word) for word in re.findall(r"[^\W_]+", _plain(text)))
    return [word for word in found if word]


def _needles(answer: str) -> set[str]:
    """An answer as the grader compares it, with and without a leading article."""
    words = _words(answer)
    found = {"".join(words)}
    if len(words) > 1 and words[0] in _ARTICLES:
        found.add("".join(words[1:]))
    return {needle for needle in found if needle}


def contains_words(text: str, needle: str) -> bool:
    """Does a run of whole words of `text`, joined, spell `needle` ("jeong eun-lee" ~
    "jeongeunlee")? `needle` is compared as `normalize_text` gives it."""
    return needle in _runs(_words(text), {needle}, _prefixes([needle]))


def _prefixes(needles: Iterable[str]) -> set[str]:
    return {needle[:end] for needle in needles for end in range(1, len(needle))}


def _runs(words: list[str], needles: set[str], prefixes: set[str]) -> set[str]:
    """The needles that a run of whole words of `words` spells (one scan for all of them)."""
    found = set()
    for start in range(len(words)):
        joined = ""
        for end in range(start, len(words)):  # (not words[start:]: a copy each time, quadratic)
            joined += words[end]
            if joined in needles:
                found.add(joined)
            if joined not in prefixes:
                break
    return found


def numbers_in(text: str) -> set[Decimal]:
    """Every number written in `text`, by value: 67,300, 67 300, 67.3k, 2 thousand, 97%, two."""
    plain = _plain(text).casefold()
    values: set[Decimal] = set()
    for match in _NUMBER.finditer(plain):
        try:
            values.add(parse_decimal(match.group(0))[0])
        except ValueError:
            continue
    words = re.findall(r"[^\W_]+", plain)
    for index, word in enumerate(words):
        if word in _SMALL_NUMBERS:
            values.add(Decimal(_SMALL_NUMBERS[word]))
        elif word in _TENS:
            following = words[index + 1] if index + 1 < len(words) else ""
            unit = _SMALL_NUMBERS.get(following, 0)
            values.add(Decimal(_TENS[word] + (unit if unit < 10 else 0)))
    return values


def _month(word: str) -> int | None:
    if word.casefold() in _WORD_MONTHS and not word[:1].isupper():
        return None
    return month_number(word)


def _valid(year: int, month: int, day: int | None = None) -> bool:
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= 31


def dates_in(text: str) -> set[PartialDate]:
    """Every date written in `text`, at each precision it gives (a day gives its month and
    its year too)."""
    plain = _plain(text)
    found: set[PartialDate] = {PartialDate(int(y)) for y in _YEAR.findall(plain)}
    for match in _MONTH_YEAR.finditer(plain):
        month = _month(match.group(1))
        if month is not None:
            found.add(PartialDate(int(match.group(2)), month))
    for match in _YEAR_MONTH.finditer(plain):
        year, month = int(match.group(1)), int(match.group(2))
        if _valid(year, month):
            found.add(PartialDate(year, month))
    for match in _MONTH_SLASH_YEAR.finditer(plain):
        year, month = int(match.group(2)), int(match.group(1))
        if _valid(year, month):
            found.add(PartialDate(year, month))
    for match in _ISO_DAY.finditer(plain):
        year, month, day = (int(part) for part in match.groups())
        if _valid(year, month, day):
            found.add(PartialDate(year, month, day))
    for match in _DAY_MONTH_YEAR.finditer(plain):
        month = _month(match.group(2))
        if month is not None:
            found.add(PartialDate(int(match.group(3)), month, int(match.group(1))))
    for match in _MONTH_DAY_YEAR.finditer(plain):
        month = _month(match.group(1))
        if month is not None:
            found.add(PartialDate(int(match.group(3)), month, int(match.group(2))))
    return found


# -- what a question shows, and what gives its answer away ---------------------------------------
def shown_fields(question: Question) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """What a learner sees of a question, field by field: (field, key, texts). The field is
    prompt, options, explanation or feedback; the key is where the texts are in the bank."""
    kind = kind_of(question)
    yield "prompt", "prompt", (question.prompt,)
    options = tuple(kind.snapshot_options(question)[0]) + tuple(kind.lefts(question))
    if options:
        sets = kind.option_sets(question)
        key = sets.answers_key if sets is not None else kind.fields[0].name
        yield "options", key, options
    if question.explanation:
        yield "explanation", "explanation", (question.explanation,)
    if question.feedback:
        yield "feedback", "feedback", tuple(message for _, message in question.feedback)


def _answer_spec_type(question: Question) -> str | None:
    """The value type of the kind's `answer` field in the key table ("number", "date", ...)."""
    for spec in kind_of(question).fields:
        if spec.name == "answer":
            return spec.type
    return None


@dataclass(frozen=True)
class _Sought:
    """What gives one question's answer away: words (with the distractors that cancel them),
    or a number within a tolerance, or a date at its precision."""

    words: tuple[tuple[str, frozenset[str]], ...] = ()  # (answer as written, its needles)
    distractors: frozenset[str] = frozenset()
    number: tuple[Decimal, Decimal] | None = None  # (answer, allowed difference)
    date: PartialDate | None = None
    shown_as: str = ""  # the number or date as said in messages

    @property
    def needles(self) -> set[str]:
        found = set(self.distractors)
        for _, needles in self.words:
            found |= needles
        return found


def _sought(question: Question) -> _Sought:
    spec_type = _answer_spec_type(question)
    answer = getattr(question, "answer", None)
    if spec_type == "number" and isinstance(answer, (int, float)):
        tolerance = getattr(question, "tolerance", Tolerance())
        value = Decimal(repr(float(answer)))
        allowed = Decimal(repr(abs(float(tolerance.value))))
        if tolerance.relative:
            allowed *= abs(value)
        return _Sought(number=(value, allowed), shown_as=format_number(float(answer)))
    if spec_type == "date" and isinstance(answer, PartialDate):
        return _Sought(date=answer, shown_as=str(answer))
    answers, distractors = kind_of(question).giveaways(question)
    return _Sought(
        words=tuple((str(a), frozenset(_needles(str(a)))) for a in answers),
        distractors=frozenset(n for d in distractors for n in _needles(str(d))),
    )


@dataclass
class _Text:
    """One field's texts, read once: words found, numbers, dates."""

    texts: tuple[str, ...]
    needles: set[str]
    numbers: list[Decimal]
    dates: set[PartialDate]


def _read(texts: tuple[str, ...], needles: set[str], prefixes: set[str]) -> _Text:
    found: set[str] = set()
    numbers: set[Decimal] = set()
    dates: set[PartialDate] = set()
    for text in texts:
        found |= _runs(_words(text), needles, prefixes)
        numbers |= numbers_in(text)
        dates |= dates_in(text)
    return _Text(texts, found, sorted(numbers), dates)


def _part_given(read: _Text, sought: _Sought) -> str | None:
    if sought.number is not None:
        answer, allowed = sought.number
        epsilon = Decimal(4 * math.ulp(float(max(abs(answer), allowed, Decimal(1)))))
        low = answer - allowed - epsilon
        index = bisect_left(read.numbers, low)
        hit = index < len(read.numbers) and read.numbers[index] <= answer + allowed + epsilon
        return sought.shown_as if hit else None
    if sought.date is not None:
        return sought.shown_as if sought.date in read.dates else None
    if sought.distractors & read.needles:
        return None  # "Was it X or Y?": the field does not single the answer out
    for written, needles in sought.words:
        if needles & read.needles:
            return written
    return None


def given_away(texts: Iterable[str], question: Question) -> str | None:
    """The part of `question`'s answer that `texts` (one field of another question) give
    away, as the author wrote it (a number or a date in its plain form), or None."""
    sought = _sought(question)
    needles = sought.needles
    return _part_given(_read(tuple(texts), needles, _prefixes(needles)), sought)


@dataclass(frozen=True)
class Giveaway:
    """`shown`'s `field` (at `key` in the bank) contains `asked`'s answer (`part` of it)."""

    shown: Question
    field: str  # prompt, options, explanation or feedback
    key: str  # the key of `shown` that holds the text: prompt, distractors, explanation...
    asked: Question
    part: str

    @property
    def declared(self) -> bool:
        """The author listed it under `reveals:`: lint is silent about it."""
        return self.asked.id in self.shown.reveals

    @property
    def answer_key(self) -> str:
        """The key of `asked` that holds the answer found (`accept` for an alternative)."""
        for spec in kind_of(self.asked).fields:
            value = getattr(self.asked, spec.name, None)
            if value == self.part or (isinstance(value, tuple) and self.part in value):
                return spec.name
        return kind_of(self.asked).fields[0].name


class _Index:
    """Every question of a bank by what would give its answer away, so that each field is
    compared with the questions it could concern, not with every question of the bank."""

    def __init__(self, questions: tuple[Question, ...]) -> None:
        self.sought = {id(q): _sought(q) for q in questions}
        self.by_needle: dict[str, list[Question]] = {}
        self.by_value: dict[Decimal, list[Question]] = {}
        self.tolerant: list[tuple[Decimal, Question]] = []  # (answer, question), by answer
        self.widest = Decimal(0)
        self.by_date: dict[PartialDate, list[Question]] = {}
        for question in questions:
            sought = self.sought[id(question)]
            for needle in sought.needles:
                self.by_needle.setdefault(needle, []).append(question)
            if sought.number is not None:
                answer, allowed = sought.number
                if allowed:
                    self.tolerant.append((answer, question))
                    self.widest = max(self.widest, allowed)
                else:
                    self.by_value.setdefault(answer, []).append(question)
            if sought.date is not None:
                self.by_date.setdefault(sought.date, []).append(question)
        self.tolerant.sort(key=lambda pair: pair[0])
        self.tolerant_answers = [pair[0] for pair in self.tolerant]
        self.needles = set(self.by_needle)
        self.prefixes = _prefixes(self.needles)

    def candidates(self, read: _Text) -> list[Question]:
        """The questions whose answers `read` may give away (checked with `_part_given`)."""
        found: dict[int, Question] = {}
        for needle in read.needles:
            found.update((id(q), q) for q in self.by_needle.get(needle, ()))
        for value in read.numbers:
            found.update((id(q), q) for q in self.by_value.get(value, ()))
            if self.tolerant:
                start = bisect_left(self.tolerant_answers, value - self.widest - 1)
                for answer, question in self.tolerant[start:]:
                    if answer > value + self.widest + 1:
                        break
                    found[id(question)] = question
        for date in read.dates:
            found.update((id(q), q) for q in self.by_date.get(date, ()))
        return list(found.values())


def find_giveaways(bank: Bank) -> list[Giveaway]:
    """Every (field of one question, other question) of the bank where the field shows the
    other's answer, in the bank's order; declared pairs (`reveals:`) included."""
    index = _Index(bank.questions)
    order = {id(question): number for number, question in enumerate(bank.questions)}
    found = []
    for shown in bank.questions:
        for field, key, texts in shown_fields(shown):
            read = _read(texts, index.needles, index.prefixes)
            if not (read.needles or read.numbers or read.dates):
                continue
            candidates = sorted(index.candidates(read), key=lambda q: order[id(q)])
            for asked in candidates:
                if asked is shown:
                    continue
                part = _part_given(read, index.sought[id(asked)])
                if part is not None:
                    found.append(Giveaway(shown, field, key, asked, part))
    return found


def reveal_graph(bank: Bank) -> dict[str, set[str]]:
    """For each question id of the bank, the ids of the questions whose answers it reveals:
    those its `reveals:` lists, and those `find_giveaways` finds."""
    ids = {question.id for question in bank.questions}
    graph: dict[str, set[str]] = {question.id: set() for question in bank.questions}
    for question in bank.questions:
        graph[question.id] |= {other for other in question.reveals if other in ids}
    for giveaway in find_giveaways(bank):
        graph[giveaway.shown.id].add(giveaway.asked.id)
    for question_id, revealed in graph.items():
        revealed.discard(question_id)
    return graph
