"""Make untrusted text safe to show in a terminal.

Bank text, responses, user names and results files come from other people. Before any of it
reaches a terminal, `clean` removes escape sequences (CSI, OSC, DCS and the rest) and control
characters other than newline and tab, so a bank cannot retitle the window, clear the screen or
hide text.
"""

from __future__ import annotations

import re
from typing import TypeVar, cast

_V = TypeVar("_V")

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC (ESC ] ... BEL or ST),
# two-character escapes (ESC x). Their 8-bit C1 forms (\x9b, \x9d, ...) are matched too.
_SEQUENCES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?               # CSI
    | (?:\x1b[\]PX^_]|[\x90\x9d\x98\x9e\x9f])       # OSC, DCS, SOS, PM, APC ...
      [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?         # ... up to BEL or ST (or the end)
    | \x1b[ -/]*[0-~]?                              # other ESC sequences, or a lone ESC
    """,
    re.VERBOSE,
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


_SURROGATES = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> str:
    """`text` with every lone surrogate as U+FFFD: the one surrogate scrubber.

    Bytes that are not text in their encoding (argv, the environment, file names, stdin read
    with `surrogateescape`) and JSON escapes arrive as lone surrogates, which can be neither
    stored nor printed; a learner typed text, never raw bytes."""
    if text.isascii() or not _SURROGATES.search(text):
        return text
    return _SURROGATES.sub("\ufffd", text)


def without_surrogates(value: _V) -> _V:
    """A response (text, a list of texts, a mapping of texts, or None) with
    `replace_surrogates` applied to every text in it."""
    if isinstance(value, str):
        return cast(_V, replace_surrogates(value))
    if isinstance(value, list):
        return cast(_V, [replace_surrogates(v) if isinstance(v, str) else v for v in value])
    if isinstance(value, dict):
        return cast(
            _V,
            {
                replace_surrogates(k) if isinstance(k, str) else k: (
                    replace_surrogates(v) if isinstance(v, str) else v
                )
                for k, v in value.items()
            },
        )
    return value


def clean(text: object) -> str:
    """Text with terminal control sequences and control characters removed (\\n, \\t kept)."""
    string = text if isinstance(text, str) else str(text)
    if not string.isprintable():
        string = _CONTROLS.sub("", _SEQUENCES.sub("", string.replace("\r\n", "\n")))
    return string


def without_controls(text: object) -> str:
    """`clean`, and no bidi mark either: for text in a format with no escape for them (GIFT)."""
    return RAW_CONTROLS.sub("", clean(text)).replace("\r", "")


def clean_line(text: object) -> str:
    """Like `clean`, on one line: newlines and tabs become spaces."""
    return " ".join(clean(text).split())


def for_rich(text: object) -> str:
    """`clean`, then escaped for rich markup, so `[/x]` in a name stays text."""
    from rich.markup import escape

    return escape(clean(text))


# Characters no output may carry raw: C0 controls but \n and \t, DEL, C1 controls, bidi controls
# (marks, embeddings, overrides, isolates) and the line and paragraph separators. Formats with an
# escape (JSON, YAML's double quotes) write them as \uXXXX; formats without one (GIFT) drop them.
# Joiners (U+200C, U+200D) are text in many scripts and emoji, and are kept.
RAW_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]"
)


def escape_controls(text: str) -> str:
    """`text` with every character of `RAW_CONTROLS` written `\\uXXXX`: for a serialised JSON
    document (such characters only occur inside its strings, where the escape means the same)
    or a YAML double-quoted scalar."""
    if text.isascii() and text.isprintable():
        return text
    return RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_text(
    data: object, *, indent: int | None = None, compact: bool = False, allow_nan: bool = True
) -> str:
    """`data` as JSON (UTF-8 text kept readable) with no raw control character: C1 and bidi
    controls escaped as `\\uXXXX`, which `json.dumps` leaves raw."""
    import json

    separators = (",", ":") if compact else None
    text = json.dumps(
        data, indent=indent, ensure_ascii=False, separators=separators, allow_nan=allow_nan
    )
    return escape_controls(text)


_FORMAT_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cn"})


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a user name (a control, format, bidi, unassigned or private-use
    character in it, which could make two names look alike), or None when it can. Bytes that
    are not UTF-8 (lone surrogates) are not refused: they are stored as U+FFFD."""
    import unicodedata

    for char in replace_surrogates(name):
        if char in "\n\t" or unicodedata.category(char) in _FORMAT_CATEGORIES:
            return f"a user name cannot hold the invisible or control character U+{ord(char):04X}"
    return None
