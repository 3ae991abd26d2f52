"""Grading: pure functions from a question and a response to a `Grade`.

Responses are read the way people type them: numbers with thousands separators, `k`/`million`
suffixes, percent signs and units; dates in ISO or in words, at the answer's precision; text
compared on letters and digits only. A response that cannot be read, or is of the wrong type,
is graded wrong with a `hint` saying why: `grade` never raises for any response value.

Only the standard library and `quiz.bank.model` are imported: no I/O, no clock, no randomness.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from quiz.bank.model import (
    ChoiceQuestion,
    DateQuestion,
    MatchQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    PartialDate,
    Question,
    TextQuestion,
    TrueFalseQuestion,
    expected_text,
    format_number,
)

__all__ = [
    "Grade",
    "format_response",
    "grade",
    "normalize_text",
    "parse_date",
    "parse_number",
]


@dataclass(frozen=True)
class Grade:
    """The result of grading one response. `correct` means full marks."""

    score: float
    max_score: float
    correct: bool
    expected: str
    feedback: str | None = None  # the author's message for this wrong response
    hint: str | None = None  # why the response was refused or wrong, in the learner's terms

    @property
    def fraction(self) -> float:
        """Score as a share of the maximum (0..1); a zero-point question counts as 1 if correct."""
        if self.max_score > 0:
            return self.score / self.max_score
        return 1.0 if self.correct else 0.0


@dataclass(frozen=True)
class _Outcome:
    """What a kind's grader decides: the share of marks, and why."""

    fraction: float
    hint: str | None = None
    feedback: str | None = None


_WRONG = 0.0
_RIGHT = 1.0


# --------------------------------------------------------------------------------------------
# grade


def grade(question: Question, response: object, *, points: float | None = None) -> Grade:
    """Grade `response` to `question`, out of `points` (default: `question.points or 1`).

    Never raises for any response value; raises ValueError only for negative or non-finite
    `points`, which is the caller's mistake, not the learner's.
    """
    max_score = _max_score(question, points)
    expected = expected_text(question)
    try:
        outcome = _grade(question, response)
    except Exception:  # a safety net: a response must never crash a quiz
        outcome = _Outcome(_WRONG, "this answer could not be read")
    fraction = outcome.fraction
    if math.isnan(fraction):
        fraction = 0.0
    fraction = min(1.0, max(0.0, fraction))
    correct = fraction >= 1.0
    score = max_score if correct else min(max_score, max(0.0, fraction * max_score))
    if correct:
        return Grade(score, max_score, True, expected)
    return Grade(score, max_score, False, expected, outcome.feedback, outcome.hint)


def _max_score(question: Question, points: float | None) -> float:
    value = float(points if points is not None else (question.points or 1))
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"points must be a number >= 0, not {points!r}")
    return value


def _grade(question: Question, response: object) -> _Outcome:
    if isinstance(question, NumberQuestion):
        return _grade_number(question, response)
    if isinstance(question, DateQuestion):
        return _grade_date(question, response)
    if isinstance(question, TextQuestion):
        return _grade_text(question, response)
    if isinstance(question, TrueFalseQuestion):
        return _grade_truefalse(question, response)
    if isinstance(question, ChoiceQuestion):
        return _grade_choice(question, response)
    if isinstance(question, MultiQuestion):
        return _grade_multi(question, response)
    if isinstance(question, MatchQuestion):
        return _grade_match(question, response)
    if isinstance(question, OrderQuestion):
        return _grade_order(question, response)
    return _Outcome(_WRONG, f"questions of kind {question.kind or '?'!r} cannot be graded")


def _type_name(value: object) -> str:
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


def _wrong_type(response: object, wanted: str) -> _Outcome:
    return _Outcome(_WRONG, f"expected {wanted}, got {_type_name(response)}")


def _join(messages: Iterable[str | None]) -> str | None:
    seen: list[str] = []
    for message in messages:
        if message and message not in seen:
            seen.append(message)
    return " ".join(seen) if seen else None


# --------------------------------------------------------------------------------------------
# text


_MAX_NORMALIZE_ROUNDS = 8


def normalize_text(s: str) -> str:
    """Letters and digits only, after NFKD, without combining accents, case-folded.

    `Jeong Eun-lee`, `JEONG EUNLEE` and `jeong eun lee` all give `jeongeunlee`.
    Idempotent: normalize_text(normalize_text(x)) == normalize_text(x).
    """
    text = s if isinstance(s, str) else str(s)
    for _ in range(_MAX_NORMALIZE_ROUNDS):
        once = _normalize_once(text)
        if once == text:
            break
        text = once
    return text


def _normalize_once(text: str) -> str:
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(ch for ch in folded if ch.isalnum() and not unicodedata.combining(ch))


def _within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one insert, delete, substitution or neighbour swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        if len(diffs) == 2:
            i, j = diffs
            return j == i + 1 and a[i] == b[j] and a[j] == b[i]
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


FUZZY_MIN_LENGTH = 6


def _grade_text(question: TextQuestion, response: object) -> _Outcome:
    if not isinstance(response, str):
        return _wrong_type(response, "text")
    candidates = (question.answer, *question.accept)
    stripped = response.strip()
    if any(stripped == c.strip() for c in candidates):
        return _Outcome(_RIGHT)
    norm = normalize_text(response)
    norms = [normalize_text(c) for c in candidates]
    if norm and norm in norms:
        return _Outcome(_RIGHT)
    # Answers with no letters or digits at all ("?") compare case-insensitively as typed.
    bare = [c.strip().casefold() for n, c in zip(norms, candidates, strict=True) if not n]
    if not norm and stripped.casefold() in bare:
        return _Outcome(_RIGHT)
    feedback = _text_feedback(question, response, norm)
    if not norm:
        return _Outcome(_WRONG, "write the answer in letters or digits", feedback)
    close = [n for n in norms if n and _within_one_edit(norm, n)]
    if question.fuzzy and any(len(n) >= FUZZY_MIN_LENGTH for n in close):
        return _Outcome(_RIGHT)
    hint = "close: check the spelling" if close else None
    return _Outcome(_WRONG, hint, feedback)


def _text_feedback(question: Question, response: str, norm: str) -> str | None:
    message = question.feedback_for(response)
    if message is None and response.strip() != response:
        message = question.feedback_for(response.strip())
    if message is None and norm:
        for key, text in question.feedback:
            if normalize_text(key) == norm:
                return text
    return message


# --------------------------------------------------------------------------------------------
# true/false


_TRUE_WORDS = frozenset({"true", "t", "yes", "y"})
_FALSE_WORDS = frozenset({"false", "f", "no", "n"})


def _read_bool(text: str) -> bool | None:
    word = unicodedata.normalize("NFKC", text).strip().casefold().rstrip(".!").strip()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


def _grade_truefalse(question: TrueFalseQuestion, response: object) -> _Outcome:
    if isinstance(response, bool):
        value: bool | None = response
    elif isinstance(response, str):
        value = _read_bool(response)
    else:
        return _wrong_type(response, "true or false")
    if value is None:
        return _Outcome(_WRONG, "answer true or false (t/f, yes/no and y/n work too)")
    if value == question.answer:
        return _Outcome(_RIGHT)
    feedback = question.feedback_for(response) if isinstance(response, str) else None
    if feedback is None:
        feedback = question.feedback_for("true" if value else "false")
    if feedback is None:
        for key, text in question.feedback:
            if _read_bool(key) is value:
                feedback = text
                break
    return _Outcome(_WRONG, None, feedback)


# --------------------------------------------------------------------------------------------
# choice, multi, match, order


def _find_option(options: tuple[str, ...], text: str) -> int | None:
    """Index of the option `text` names: exact first, then after normalize_text."""
    for index, option in enumerate(options):
        if option == text:
            return index
    stripped = text.strip()
    for index, option in enumerate(options):
        if option.strip() == stripped:
            return index
    norm = normalize_text(text)
    if norm:
        for index, option in enumerate(options):
            if normalize_text(option) == norm:
                return index
    return None


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”"


def _grade_choice(question: ChoiceQuestion, response: object) -> _Outcome:
    if not isinstance(response, str):
        return _wrong_type(response, "one option's text")
    options = question.options
    index = _find_option(options, response)
    if index == 0:
        return _Outcome(_RIGHT)
    feedback = question.feedback_for(response)
    if index is None:
        return _Outcome(_WRONG, f"{_quote(response)} is not one of the options", feedback)
    if feedback is None:
        feedback = question.feedback_for(options[index])
    return _Outcome(_WRONG, None, feedback)


def _as_text_list(response: object, separators: str) -> list[str] | None:
    """A list of texts from a list/tuple/set of str, or from one str split on `separators`."""
    if isinstance(response, str):
        parts = re.split(separators, response)
        return [part.strip() for part in parts if part.strip()]
    if isinstance(response, (list, tuple, set, frozenset)):
        items = list(response)
        if all(isinstance(item, str) for item in items):
            return [item for item in items if isinstance(item, str)]
    return None


def _grade_multi(question: MultiQuestion, response: object) -> _Outcome:
    options = question.options
    if isinstance(response, str) and _find_option(options, response) is not None:
        picks: list[str] | None = [response]
    else:
        picks = _as_text_list(response, r"[;\n]")
    if picks is None:
        return _wrong_type(response, "a list of options")
    right: set[int] = set()
    wrong: set[int] = set()
    unknown: dict[str, str] = {}
    for pick in picks:
        index = _find_option(options, pick)
        if index is None:
            unknown.setdefault(normalize_text(pick) or pick.strip(), pick)
        elif index < len(question.answers):
            right.add(index)
        else:
            wrong.add(index)
    n = len(question.answers)
    wrong_count = len(wrong) + len(unknown)
    if n == 0:
        fraction = _RIGHT if wrong_count == 0 else _WRONG
    else:
        fraction = max(0.0, (len(right) - wrong_count) / n)
    if fraction >= 1.0:
        return _Outcome(_RIGHT)
    parts = [f"{len(right)} of {n} right options picked"]
    if wrong_count:
        parts.append(f"{wrong_count} wrong {'pick' if wrong_count == 1 else 'picks'}")
    hint = ", ".join(parts)
    if unknown:
        names = ", ".join(_quote(text) for text in unknown.values())
        hint += f"; not options: {names}"
    feedback = _join(question.feedback_for(options[i]) for i in sorted(wrong))
    return _Outcome(fraction, hint, feedback)


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


def _same_text(given: str, wanted: str) -> bool:
    if given == wanted or given.strip() == wanted.strip():
        return True
    norm = normalize_text(given)
    return bool(norm) and norm == normalize_text(wanted)


def _grade_match(question: MatchQuestion, response: object) -> _Outcome:
    pairs = _as_pairs(response)
    if pairs is None:
        return _wrong_type(response, "a mapping from each left item to its partner")
    lefts = tuple(left for left, _ in question.pairs)
    chosen: dict[int, str] = {}
    for left, right in pairs:
        index = _find_option(lefts, left)
        if index is not None:
            chosen.setdefault(index, right)
    n = len(question.pairs)
    if n == 0:
        return _Outcome(_WRONG, "this question has no pairs to match")
    good = 0
    wrong_values: list[str] = []
    for index, (_, wanted) in enumerate(question.pairs):
        given = chosen.get(index)
        if given is not None and _same_text(given, wanted):
            good += 1
        elif given is not None:
            wrong_values.append(given)
    if good == n:
        return _Outcome(_RIGHT)
    hint = f"{good} of {n} pairs right"
    missing = n - len(chosen)
    if missing:
        hint += f", {missing} not matched"
    feedback = _join(question.feedback_for(value) for value in wrong_values)
    return _Outcome(good / n, hint, feedback)


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


def _grade_order(question: OrderQuestion, response: object) -> _Outcome:
    items = question.items
    given = _as_text_list(response, r"\s*(?:→|->|;|\n)\s*")
    if given is None:
        return _wrong_type(response, "a list of the items in order")
    if isinstance(response, str) and len(given) == 1 and len(items) > 1:
        return _Outcome(_WRONG, "give the items as a list, in order")
    used: set[int] = set()
    positions: list[int] = []
    for text in given:
        index = _find_unused(items, text, used)
        if index is not None:
            used.add(index)
            positions.append(index)
    n = len(items)
    if n == 0:
        return _Outcome(_WRONG, "this question has no items to order")
    length = _longest_increasing(positions)
    # (L-1)/(n-1); a single item is right when it is given.
    fraction = max(0.0, (length - 1) / (n - 1)) if n > 1 else float(length == 1)
    if fraction >= 1.0:
        return _Outcome(_RIGHT)
    hint = f"{length} of {n} items in the right relative order"
    if len(used) < n:
        hint += f"; {n - len(used)} missing"
    return _Outcome(fraction, hint)


def _find_unused(items: tuple[str, ...], text: str, used: set[int]) -> int | None:
    """First item not yet placed that `text` names (exact, then normalised): duplicates allowed."""
    for index, item in enumerate(items):
        if index not in used and item == text:
            return index
    for index, item in enumerate(items):
        if index not in used and _same_text(text, item):
            return index
    return None


# --------------------------------------------------------------------------------------------
# numbers

NUMBER_HINT = "write a number, such as 67300, 67,300, 67 300 or 67.3k"

_MULTIPLIERS: dict[str, Decimal] = {
    "k": Decimal(10) ** 3,
    "thousand": Decimal(10) ** 3,
    "m": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "mln": Decimal(10) ** 6,
    "mio": Decimal(10) ** 6,
    "million": Decimal(10) ** 6,
    "b": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "billion": Decimal(10) ** 9,
    "tn": Decimal(10) ** 12,
    "trillion": Decimal(10) ** 12,
}
_MULTIPLIER_RE = re.compile(
    r"(?P<word>thousands?|millions?|billions?|trillions?|mln|mio|mn|bn|tn|k|m|b)"
    r"(?![^\W\d_])\.?\s*",
    re.IGNORECASE,
)
_APPROX_RE = re.compile(
    r"(?:~|≈|(?:about|approximately|approx|around|roughly|circa|some)(?![^\W\d_])\.?|ca\.)\s*",
    re.IGNORECASE,
)
_LEAD_RE = re.compile(r"(?P<sign>[+-])?\s*(?P<cur>us\$|[$€£¥₩])?\s*(?P<sign2>[+-])?\s*", re.I)
_NUMBER_TOKEN_RE = re.compile(r"[0-9.,]*[0-9](?: [0-9]{3}(?![0-9,]))*(?:\.[0-9]+)?|\.[0-9]+")
_EXPONENT_RE = re.compile(r"[eE](?P<exp>[+-]?[0-9]{1,3})(?![^\W\d_])")
_PLAIN_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_COMMA_GROUPS_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_SPACE_GROUPS_RE = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+(?:\.[0-9]+)?")
# A unit: a symbol, or words of letters (a trailing 2 or 3 for squares and cubes).
_UNIT_RE = re.compile(
    r"%|[$€£¥₩]|°\s?[^\W\d_]?|[^\W\d_]+[23]?(?:(?:\s|/|-|\.\s?|'|’)[^\W\d_]+[23]?)*",
)
# Words that make "5 or 6", "5 to 7", "5 or more" a range, not a number with a unit.
_NOT_UNIT_WORDS = frozenset(
    re.findall(r"\w+", "or to and plus minus more less than over under between from times x by")
)
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"})

_PERCENT_FORMS = ("%", "percent", "per cent", "pct", "pc", "per-cent")
_UNIT_ALIASES: dict[str, str] = {form: "%" for form in _PERCENT_FORMS}
_UNIT_ALIASES.update(
    {form: "$" for form in ("$", "us$", "usd", "dollar", "us dollar", "u.s. dollar")}
)
_UNIT_ALIASES.update({form: "€" for form in ("€", "eur", "euro")})
_UNIT_ALIASES.update({form: "£" for form in ("£", "gbp", "pound sterling")})
_UNIT_ALIASES.update({form: "₩" for form in ("₩", "krw", "won")})


def _clean_number_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(".!").strip()


def parse_number(s: str) -> tuple[float, str | None]:
    """Read a number as people type it: (value, unit or None). Raises ValueError with a hint.

    `67,300`, `67 300`, `67.3k`, `2 thousand`, `0.2 million`, `97%` (unit `%`), `97 per cent`,
    `67,300 barrels` (unit `barrels`), `~5`, `about -3.5`, `$1.5bn` (unit `$`).
    """
    if not isinstance(s, str):
        raise ValueError(NUMBER_HINT)
    value, unit = _parse_number(s)
    return float(value), unit


def _parse_number(s: str) -> tuple[Decimal, str | None]:
    text = _clean_number_text(s)
    pos = 0
    while match := _APPROX_RE.match(text, pos):
        if match.end() == pos:
            break
        pos = match.end()
    lead = _LEAD_RE.match(text, pos)
    assert lead is not None  # every part is optional
    if lead.group("sign") and lead.group("sign2"):
        raise ValueError(NUMBER_HINT)
    negative = (lead.group("sign") or lead.group("sign2") or "+") == "-"
    currency = lead.group("cur")
    pos = lead.end()
    token_match = _NUMBER_TOKEN_RE.match(text, pos)
    if token_match is None:
        raise ValueError(NUMBER_HINT)
    token = token_match.group()
    pos = token_match.end()
    digits = _read_digits(token)
    try:
        value = Decimal(digits)
    except InvalidOperation as error:  # pragma: no cover - the regexes admit only digits
        raise ValueError(NUMBER_HINT) from error
    exponent = _EXPONENT_RE.match(text, pos)
    if exponent:
        value = value.scaleb(int(exponent.group("exp")))
        pos = exponent.end()
    rest = text[pos:].strip()
    multiplier = _MULTIPLIER_RE.match(rest)
    if multiplier:
        word = multiplier.group("word").casefold()
        word = word[:-1] if word.endswith("s") and word[:-1] in _MULTIPLIERS else word
        value *= _MULTIPLIERS[word]
        rest = rest[multiplier.end() :].strip()
    unit = _read_unit(rest) if rest else None
    if unit is None and currency:
        unit = "$" if currency.casefold() == "us$" else currency
    if negative:
        value = -value
    if not value.is_finite() or not math.isfinite(float(value)):
        raise ValueError("that number is too large")
    return value, unit


def _read_digits(token: str) -> str:
    """The digits of a number token without its group separators; ValueError with a hint."""
    if _PLAIN_RE.fullmatch(token):
        return token
    if _COMMA_GROUPS_RE.fullmatch(token) or _SPACE_GROUPS_RE.fullmatch(token):
        return token.replace(",", "").replace(" ", "")
    if re.fullmatch(r"[0-9]+,[0-9]+", token):
        raise ValueError(
            f"{token}: use a dot for decimals ({token.replace(',', '.')}); "
            "a comma separates thousands only before groups of three digits (1,500)"
        )
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+|[0-9]+\.[0-9]{3},[0-9]+", token):
        fixed = token.replace(".", ",").rsplit(",", 1)
        raise ValueError(
            f"{token}: use a dot for decimals and a comma for thousands ({fixed[0]}.{fixed[1]})"
        )
    if "," in token:
        raise ValueError(
            f"{token}: a comma separates thousands only before groups of three digits (67,300)"
        )
    raise ValueError(NUMBER_HINT)


def _read_unit(rest: str) -> str:
    if rest.startswith(("(", "[")) or not _UNIT_RE.fullmatch(rest):
        raise ValueError(NUMBER_HINT)
    words = re.split(r"[\s/\-.]+", rest.casefold())
    if any(word in _NOT_UNIT_WORDS for word in words):
        raise ValueError("give one number, not a range or a comparison")
    key = _unit_base(rest)
    if _UNIT_ALIASES.get(key) == "%":
        return "%"
    return rest


def _unit_base(unit: str) -> str:
    text = unicodedata.normalize("NFKC", unit).casefold()
    return re.sub(r"\s+", " ", text).strip().rstrip(".").strip()


def _unit_variants(base: str) -> set[str]:
    """The unit as written, and its singular/plural forms (barrel/barrels, box/boxes)."""
    forms = {base}
    if base.endswith("ies") and len(base) > 3:
        forms.add(base[:-3] + "y")
    if base.endswith("es") and len(base) > 2:
        forms.add(base[:-2])
    if base.endswith("s") and len(base) > 1 and not base.endswith("ss"):
        forms.add(base[:-1])
    if base[-1:].isalpha():
        forms.add(base + "s")
        if base.endswith(("s", "x", "z", "ch", "sh")):
            forms.add(base + "es")
        if base.endswith("y") and len(base) > 1:
            forms.add(base[:-1] + "ies")
    return forms


def _unit_keys(unit: str) -> set[str]:
    """Canonical keys of a unit: two units are the same if their keys meet."""
    keys = set()
    for form in _unit_variants(_unit_base(unit)):
        keys.add(_UNIT_ALIASES.get(form, form))
    return keys


def _same_unit(a: str, b: str) -> bool:
    return bool(_unit_keys(a) & _unit_keys(b))


def _unit_forms(unit: str) -> list[str]:
    """Every way of writing `unit` (aliases, singular, plural), longest first."""
    keys = _unit_keys(unit)
    forms = set(_unit_variants(_unit_base(unit)))
    for alias, canonical in _UNIT_ALIASES.items():
        if canonical in keys:
            forms |= _unit_variants(alias)
    return sorted((form for form in forms if form), key=len, reverse=True)


def _split_unit_multiplier(unit: str | None) -> tuple[Decimal, str | None]:
    """'million barrels' -> (10**6, 'barrels'); 'barrels' -> (1, 'barrels')."""
    if not unit:
        return Decimal(1), unit
    match = _MULTIPLIER_RE.match(unit.strip())
    if match and len(match.group("word")) > 1:
        word = match.group("word").casefold()
        word = word[:-1] if word.endswith("s") and word[:-1] in _MULTIPLIERS else word
        rest = unit.strip()[match.end() :].strip()
        return _MULTIPLIERS[word], rest or None
    return Decimal(1), unit


def _strip_unit_suffix(text: str, unit: str) -> str | None:
    """`text` without a trailing `unit` (in any of its forms), or None if it has none."""
    cleaned = _clean_number_text(text)
    folded = cleaned.casefold()
    if len(folded) != len(cleaned):
        return None
    for form in _unit_forms(unit):
        if folded.endswith(form) and len(form) < len(folded):
            head = cleaned[: len(cleaned) - len(form)]
            if form[0].isalpha() and head[-1:].isalpha():
                continue  # "5 km" does not end with the unit "m"
            return head.strip()
    return None


class _WrongUnit(ValueError):
    def __init__(self, given: str, wanted: str) -> None:
        shown = "%" if _UNIT_ALIASES.get(_unit_base(wanted)) == "%" else wanted
        super().__init__(
            f"the answer is in {shown}, not {given}: write the unit as {shown} (or leave it out)"
        )


def _number_values(question: NumberQuestion, text: str) -> list[Decimal]:
    """The values `text` may mean in the question's unit; ValueError with a hint if none."""
    unit = question.unit
    if unit:
        head = _strip_unit_suffix(text, unit)
        if head:
            try:
                value, extra = _parse_number(head)
            except ValueError:
                pass
            else:
                if extra is None:
                    return [value]
    value, given = _parse_number(text)
    scale, base = _split_unit_multiplier(unit)
    if given is None or not unit:
        return [value, value / scale] if scale != 1 else [value]
    if _same_unit(given, unit):
        return [value]
    if scale != 1 and base and _same_unit(given, base):
        return [value / scale]
    raise _WrongUnit(given, unit)


def _close(value: float, answer: float, allowed: float) -> bool:
    # Float error only: a few units in the last place of the largest number involved.
    epsilon = 4 * math.ulp(max(abs(answer), abs(value), allowed))
    return abs(value - answer) <= allowed + epsilon


def _allowed(question: NumberQuestion) -> float:
    tolerance = question.tolerance
    value = abs(float(tolerance.value))
    return value * abs(question.answer) if tolerance.relative else value


def _grade_number(question: NumberQuestion, response: object) -> _Outcome:
    if isinstance(response, bool) or not isinstance(response, (str, int, float, Decimal, Fraction)):
        return _wrong_type(response, "a number")
    answer = float(question.answer)
    allowed = _allowed(question)
    if isinstance(response, str):
        try:
            values = [float(v) for v in _number_values(question, response)]
        except ValueError as error:
            feedback = question.feedback_for(response)
            return _Outcome(_WRONG, str(error), feedback)
    else:
        try:
            values = [float(response)]
        except (OverflowError, ValueError):
            values = []
    values = [v for v in values if math.isfinite(v)]
    if not values:
        return _Outcome(_WRONG, NUMBER_HINT)
    if any(_close(v, answer, allowed) for v in values):
        return _Outcome(_RIGHT)
    value = values[0]
    feedback = _number_feedback(question, response, value)
    hint = _comma_hint(question, response, answer, allowed)
    return _Outcome(_WRONG, hint or _number_hint(question, value, answer, allowed), feedback)


def _comma_hint(
    question: NumberQuestion, response: object, answer: float, allowed: float
) -> str | None:
    """`1,500` for an answer of 1.5: the comma was meant as a decimal point."""
    if not isinstance(response, str):
        return None
    match = re.search(r"[0-9]+,[0-9]{3}(?![0-9,])", response)
    if match is None or response.count(",") != 1:
        return None
    dotted = response.replace(",", ".")
    try:
        values = _number_values(question, dotted)
    except ValueError:
        return None
    if any(_close(float(v), answer, allowed) for v in values):
        token = match.group()
        return f"{token} reads as {token.replace(',', '')}: use a dot for decimals"
    return None


def _number_hint(
    question: NumberQuestion, value: float, answer: float, allowed: float
) -> str | None:
    percent = bool(question.unit) and _UNIT_ALIASES.get(_unit_base(question.unit or "")) == "%"
    if percent and value != 0 and _close(value * 100, answer, allowed):
        return f"write it as a percentage: {format_number(value * 100)}%"
    if answer and value:
        for factor, word in ((1e3, "thousand"), (1e6, "million"), (1e9, "billion")):
            if _close(value * factor, answer, allowed) or _close(value / factor, answer, allowed):
                return f"check the size: off by a factor of a {word}"
    return None


def _number_feedback(question: NumberQuestion, response: object, value: float) -> str | None:
    if isinstance(response, str):
        message = question.feedback_for(response) or question.feedback_for(response.strip())
        if message:
            return message
    for key, text in question.feedback:
        try:
            key_values = _number_values(question, key)
        except ValueError:
            continue
        if any(_close(value, float(v), 0.0) for v in key_values):
            return text
    return None


# --------------------------------------------------------------------------------------------
# dates

DATE_HINT = "write a date such as 2022-12-05, 5 December 2022, December 2022 or 2022"

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(_MONTH_NAMES, start=1):
    _MONTHS[_name.casefold()] = _number
    _MONTHS[_name[:3].casefold()] = _number
_MONTHS["sept"] = 9
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FILLER_WORDS = frozenset({day[:3] for day in _WEEKDAYS}) | frozenset(
    ("the", "of", "on", "in", "year", "tues", "thur", "thurs", *_WEEKDAYS)
)
_DAY_TOKEN_RE = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?")
_YEAR_TOKEN_RE = re.compile(r"[0-9]{4}")
_SEP = r"[-/.]"
_NUMERIC_DATES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"([0-9]{4})"), "y"),
    (re.compile(rf"([0-9]{{4}}){_SEP}([0-9]{{1,2}})"), "ym"),
    (re.compile(rf"([0-9]{{1,2}}){_SEP}([0-9]{{4}})"), "my"),
    (re.compile(rf"([0-9]{{4}}){_SEP}([0-9]{{1,2}}){_SEP}([0-9]{{1,2}})"), "ymd"),
    (re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"), "ymd"),
    (re.compile(rf"([0-9]{{1,2}}){_SEP}([0-9]{{1,2}}){_SEP}([0-9]{{4}})"), "??y"),
)


def parse_date(s: str) -> PartialDate:
    """Read a date at the precision given: a year, a month or a day. ValueError with a hint.

    `1991`; `December 2022`, `Dec. 2022`, `December, 2022`, `2022-12`, `12/2022`, `2022/12`;
    `2022-12-05`, `5 December 2022`, `December 5, 2022`, `5th Dec 2022`, `25/12/2022`.
    An all-number date whose day and month could be swapped (`03/04/2023`) is refused.
    """
    if not isinstance(s, str):
        raise ValueError(DATE_HINT)
    text = unicodedata.normalize("NFKC", s).translate(_DASHES)
    text = re.sub(r"\s+", " ", text).strip().rstrip(".").strip()
    if not text:
        raise ValueError(DATE_HINT)
    if re.search(r"[^\W\d_]", text):
        return _parse_worded_date(text)
    return _parse_numeric_date(text)


def _parse_numeric_date(text: str) -> PartialDate:
    compact = re.sub(r"\s*([-/.])\s*", r"\1", text)
    for pattern, shape in _NUMERIC_DATES:
        match = pattern.fullmatch(compact)
        if match is None:
            continue
        numbers = [int(group) for group in match.groups()]
        if shape == "y":
            return _checked_date(numbers[0])
        if shape == "ym":
            return _checked_date(numbers[0], numbers[1])
        if shape == "my":
            return _checked_date(numbers[1], numbers[0])
        if shape == "ymd":
            return _checked_date(numbers[0], numbers[1], numbers[2])
        first, second, year = numbers
        if first <= 12 and second <= 12 and first != second:
            raise ValueError(
                f"{compact} could be {_words(year, second, first)} or "
                f"{_words(year, first, second)}: write the month in words "
                f"({_words(year, second, first)}) or use ISO ({year:04d}-{second:02d}-{first:02d})"
            )
        if first > 12 >= second:
            return _checked_date(year, second, first)  # day/month/year
        if second > 12 >= first:
            return _checked_date(year, first, second)  # month/day/year
        if first == second:
            return _checked_date(year, first, first)
        raise ValueError(f"{compact}: neither {first} nor {second} is a month")
    raise ValueError(DATE_HINT)


def _words(year: int, month: int, day: int) -> str:
    name = _MONTH_NAMES[month - 1] if 1 <= month <= 12 else str(month)
    return f"{day} {name} {year:04d}"


def _parse_worded_date(text: str) -> PartialDate:
    tokens = [token for token in re.split(r"[\s,./\-]+", text.casefold()) if token]
    year: int | None = None
    month: int | None = None
    day: int | None = None
    for token in tokens:
        if token in _MONTHS:
            if month is not None:
                raise ValueError(f"give one month, not two: {DATE_HINT}")
            month = _MONTHS[token]
        elif token in _FILLER_WORDS:
            continue
        elif _YEAR_TOKEN_RE.fullmatch(token):
            if year is not None:
                raise ValueError(f"give one year, not two: {DATE_HINT}")
            year = int(token)
        elif match := _DAY_TOKEN_RE.fullmatch(token):
            if day is not None:
                raise ValueError(f"give one day, not two: {DATE_HINT}")
            day = int(match.group(1))
        else:
            raise ValueError(DATE_HINT)
    if year is None:
        raise ValueError("give the year too, with four digits (December 2022)")
    if month is None and day is not None:
        raise ValueError(f"give the month in words with the day ({day} December {year})")
    return _checked_date(year, month, day)


def _checked_date(year: int, month: int | None = None, day: int | None = None) -> PartialDate:
    if not 1 <= year <= 9999:
        raise ValueError(f"{year} is not a year: {DATE_HINT}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"there is no month {month}: months run from 1 to 12")
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            name = _MONTH_NAMES[month - 1]
            raise ValueError(f"there is no {day} {name} {year}: {name} {year} has {last} days")
    return PartialDate(year, month, day)


_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


def _date_feedback(question: DateQuestion, response: object, got: PartialDate) -> str | None:
    if isinstance(response, str):
        message = question.feedback_for(response) or question.feedback_for(response.strip())
        if message:
            return message
    for key, text in question.feedback:
        try:
            if parse_date(key) == got:
                return text
        except ValueError:
            continue
    return None


def _grade_date(question: DateQuestion, response: object) -> _Outcome:
    if isinstance(response, PartialDate):
        got = response
    elif isinstance(response, _dt.date):
        got = PartialDate(response.year, response.month, response.day)
    elif isinstance(response, str):
        try:
            got = parse_date(response)
        except ValueError as error:
            return _Outcome(_WRONG, str(error), question.feedback_for(response))
    else:
        return _wrong_type(response, "a date")
    want = question.answer
    feedback = _date_feedback(question, response, got)
    if _PRECISION_RANK[got.precision] < _PRECISION_RANK[want.precision]:
        missing = "month" if want.precision == "month" else "day"
        if want.precision == "day" and got.precision == "year":
            missing = "month and the day"
        return _Outcome(_WRONG, f"be more precise: give the {missing}", feedback)
    inside = (
        got.year == want.year
        and (not want.month or got.month == want.month)
        and (not want.day or got.day == want.day)
    )
    if inside:
        return _Outcome(_RIGHT)
    return _Outcome(_WRONG, None, feedback)


# --------------------------------------------------------------------------------------------
# display


def format_response(question: Question, response: object) -> str:
    """A response as text, for results screens and reports (not cleaned: see quiz.sanitize)."""
    try:
        return _format_response(question, response)
    except Exception:
        return "?"


def _format_response(question: Question, response: object) -> str:
    if response is None:
        return ""
    if isinstance(response, bool):
        return "true" if response else "false"
    if isinstance(response, str):
        return response
    if isinstance(response, (int, float, Decimal, Fraction)):
        return format_number(float(response))
    if isinstance(response, PartialDate):
        return str(response)
    if isinstance(response, _dt.date):
        return response.isoformat()
    if isinstance(response, Mapping):
        return "; ".join(f"{left} → {right}" for left, right in response.items())
    if isinstance(response, (list, tuple, set, frozenset)):
        if isinstance(question, MatchQuestion) and all(
            isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in response
        ):
            return "; ".join(f"{pair[0]} → {pair[1]}" for pair in response)
        separator = " → " if isinstance(question, OrderQuestion) else "; "
        return separator.join(_format_response(question, item) for item in response)
    return str(response)
