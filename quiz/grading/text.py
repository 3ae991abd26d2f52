"""Text as the grader compares it: letters and digits only, and the one-edit rule.

`Jeong Eun-lee`, `JEONG EUNLEE` and `jeong eun lee` are one answer (`normalize_text`); a fuzzy
answer of `FUZZY_MIN_LENGTH` letters or more also forgives one edit (`within_one_edit`).
Standard library only.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "DASHES",
    "FUZZY_MIN_LENGTH",
    "find_option",
    "matching_options",
    "normalize_text",
    "same_text",
    "within_one_edit",
]

# Every dash a keyboard or a word processor makes, read as "-".
DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"})

# A fuzzy text answer forgives one edit only when it has at least this many letters and digits.
FUZZY_MIN_LENGTH = 6

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


def within_one_edit(a: str, b: str) -> bool:
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


def same_text(given: str, wanted: str) -> bool:
    """Whether `given` names `wanted`: as written, trimmed, or after `normalize_text`."""
    if given == wanted or given.strip() == wanted.strip():
        return True
    norm = normalize_text(given)
    return bool(norm) and norm == normalize_text(wanted)


def find_option(options: tuple[str, ...], text: str) -> int | None:
    """Index of the option `text` names: exact first, then trimmed, then after normalize_text;
    None when no option, or several (`GB` and `Gb` for "gb": options that differ only in case
    are two options, and a looser match never picks one of them)."""
    found = matching_options(options, text)
    return found[0] if len(found) == 1 else None


def matching_options(options: tuple[str, ...], text: str) -> list[int]:
    """The indexes of the options `text` could name, by the first of `find_option`'s rules that
    matches any: one index, or several when it cannot tell them apart, or none."""
    for index, option in enumerate(options):
        if option == text:
            return [index]
    stripped = text.strip()
    norm = normalize_text(text)
    for same in (
        lambda option: option.strip() == stripped,
        lambda option: bool(norm) and normalize_text(option) == norm,
    ):
        found = [index for index, option in enumerate(options) if same(option)]
        if found:
            return found
    return []


_BLOCK_TAG = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/h[1-6]|/pre)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def plain_text(text: str, text_format: str | None) -> str:
    """Text in a Moodle format as plain text for the terminal: `html` and `moodle` text without
    its tags (a line break for <br> and the end of a paragraph, a list item, a <pre>), entities
    decoded; `markdown` and plain text as written. Linear in the text's length."""
    if text_format not in ("html", "moodle"):
        return text
    import html

    lines = _TAG.sub("", _BLOCK_TAG.sub("\n", text))
    decoded = html.unescape(lines)
    return "\n".join(line.strip() for line in decoded.strip().split("\n") if line.strip())
