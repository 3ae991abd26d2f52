"""Numbers as people type them: `67,300`, `67 300`, `67.3k`, `2 thousand`, `97%`, `$1.5bn`.

`parse_number` reads one number and its unit; `values_in_unit` reads a response in a question's
unit (a multiplier in the unit, such as "million barrels", and the unit's aliases and plurals).
What cannot be read raises `Unreadable` with a structured hint (see `quiz.grading.hints`).
Standard library only.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from quiz.grading.hints import unreadable
from quiz.grading.text import DASHES

__all__ = [
    "is_percent",
    "parse_decimal",
    "parse_number",
    "same_unit",
    "split_unit_multiplier",
    "values_in_unit",
]

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

_PERCENT_FORMS = ("%", "percent", "per cent", "pct", "pc", "per-cent")
_UNIT_ALIASES: dict[str, str] = {form: "%" for form in _PERCENT_FORMS}
_UNIT_ALIASES.update(
    {form: "$" for form in ("$", "us$", "usd", "dollar", "us dollar", "u.s. dollar")}
)
_UNIT_ALIASES.update({form: "€" for form in ("€", "eur", "euro")})
_UNIT_ALIASES.update({form: "£" for form in ("£", "gbp", "pound sterling")})
_UNIT_ALIASES.update({form: "₩" for form in ("₩", "krw", "won")})


def _clean_number_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(DASHES)
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(".!").strip()


def parse_number(s: str) -> tuple[float, str | None]:
    """Read a number as people type it: (value, unit or None). Raises `Unreadable`.

    `67,300`, `67 300`, `67.3k`, `2 thousand`, `0.2 million`, `97%` (unit `%`), `97 per cent`,
    `67,300 barrels` (unit `barrels`), `~5`, `about -3.5`, `$1.5bn` (unit `$`).
    """
    if not isinstance(s, str):
        raise unreadable("number.unreadable")
    value, unit = parse_decimal(s)
    return float(value), unit


def parse_decimal(s: str) -> tuple[Decimal, str | None]:
    """`parse_number`, exactly: the value as a Decimal (what grading compares)."""
    text = _clean_number_text(s)
    pos = 0
    while match := _APPROX_RE.match(text, pos):
        if match.end() == pos:
            break
        pos = match.end()
    lead = _LEAD_RE.match(text, pos)
    assert lead is not None  # every part is optional
    if lead.group("sign") and lead.group("sign2"):
        raise unreadable("number.unreadable")
    negative = (lead.group("sign") or lead.group("sign2") or "+") == "-"
    currency = lead.group("cur")
    pos = lead.end()
    token_match = _NUMBER_TOKEN_RE.match(text, pos)
    if token_match is None:
        raise unreadable("number.unreadable")
    token = token_match.group()
    pos = token_match.end()
    digits = _read_digits(token)
    try:
        value = Decimal(digits)
    except InvalidOperation as error:  # pragma: no cover - the regexes admit only digits
        raise unreadable("number.unreadable") from error
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
        raise unreadable("number.too_large")
    return value, unit


def _read_digits(token: str) -> str:
    """The digits of a number token without its group separators; `Unreadable` if none."""
    if _PLAIN_RE.fullmatch(token):
        return token
    if _COMMA_GROUPS_RE.fullmatch(token) or _SPACE_GROUPS_RE.fullmatch(token):
        return token.replace(",", "").replace(" ", "")
    if re.fullmatch(r"[0-9]+,[0-9]+", token):
        raise unreadable("number.decimal_comma", token=token)
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+|[0-9]+\.[0-9]{3},[0-9]+", token):
        raise unreadable("number.swapped_separators", token=token)
    if "," in token:
        raise unreadable("number.bad_grouping", token=token)
    raise unreadable("number.unreadable")


def _read_unit(rest: str) -> str:
    if rest.startswith(("(", "[")) or not _UNIT_RE.fullmatch(rest):
        raise unreadable("number.unreadable")
    words = re.split(r"[\s/\-.]+", rest.casefold())
    if any(word in _NOT_UNIT_WORDS for word in words):
        raise unreadable("number.range")
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


def same_unit(a: str, b: str) -> bool:
    return bool(_unit_keys(a) & _unit_keys(b))


def _unit_forms(unit: str) -> list[str]:
    """Every way of writing `unit` (aliases, singular, plural), longest first."""
    keys = _unit_keys(unit)
    forms = set(_unit_variants(_unit_base(unit)))
    for alias, canonical in _UNIT_ALIASES.items():
        if canonical in keys:
            forms |= _unit_variants(alias)
    return sorted((form for form in forms if form), key=len, reverse=True)


def split_unit_multiplier(unit: str | None) -> tuple[Decimal, str | None]:
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


def is_percent(unit: str | None) -> bool:
    """Whether `unit` is a way of writing % (percent, per cent, pct...)."""
    return bool(unit) and _UNIT_ALIASES.get(_unit_base(unit or "")) == "%"


def values_in_unit(text: str, unit: str | None) -> list[Decimal]:
    """The values `text` may mean in `unit` (a question's); `Unreadable` if none.

    "67.3k" and "67,300 barrels" for barrels; "0.2" or "200,000" for "million barrels"
    (the unit's multiplier may be left out or written out); "97 per cent" for %.
    """
    if unit:
        head = _strip_unit_suffix(text, unit)
        if head:
            try:
                value, extra = parse_decimal(head)
            except ValueError:
                pass
            else:
                if extra is None:
                    return [value]
    value, given = parse_decimal(text)
    scale, base = split_unit_multiplier(unit)
    if given is None or not unit:
        return [value, value / scale] if scale != 1 else [value]
    if same_unit(given, unit):
        return [value]
    if scale != 1 and base and same_unit(given, base):
        return [value / scale]
    raise unreadable("number.wrong_unit", given=given, unit="%" if is_percent(unit) else unit)
