"""The terminal, once: output width, wrapping, colour and verdict marks, the rich console and the
one table style every rich table uses.

The width rule: output on a terminal uses the terminal's width; output that is not a terminal
(a pipe, a file) is plain aligned text at `$COLUMNS` columns when that is set, else
`PIPE_WIDTH` (100). Only the standard library is imported at load time; rich loads inside
`make_console` and `new_table`.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO

PIPE_WIDTH = 100  # columns of output that is not a terminal, when $COLUMNS is not set
MIN_WIDTH = 20  # narrower than this, nothing reads well: wrap at this width anyway


# -- width ---------------------------------------------------------------------------------------
def is_tty(stream: object) -> bool:
    """Whether `stream` is a terminal (False for anything that cannot say)."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def output_width(stream: Any = None) -> int:
    """The one width rule: a terminal's own width; otherwise $COLUMNS, else PIPE_WIDTH."""
    stream = sys.stdout if stream is None else stream
    if is_tty(stream):
        try:
            columns = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = shutil.get_terminal_size((PIPE_WIDTH, 24)).columns
        if columns > 0:
            return max(columns, MIN_WIDTH)
    columns_env = os.environ.get("COLUMNS", "").strip()
    digits = columns_env.isascii() and columns_env.isdigit() and len(columns_env) <= 6
    if digits and int(columns_env) > 0:
        return max(int(columns_env), MIN_WIDTH)
    return PIPE_WIDTH


# -- colour and verdict marks --------------------------------------------------------------------
def color_wanted(stream: TextIO) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    return is_tty(stream)


def encodes(stream: TextIO | None, text: str) -> bool:
    """Whether `stream`'s encoding can write `text` (UTF-8 when it does not say)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return False
    return True


COLORS = {"right": "32", "partial": "33", "wrong": "31", "skipped": "2"}
MARKS = {"right": "✓", "partial": "◐", "wrong": "✗", "skipped": "→", "ungraded": "○"}
ASCII_MARKS = {"right": "+", "partial": "~", "wrong": "x", "skipped": "-", "ungraded": "o"}
WORDS = {
    "right": "Right",
    "partial": "Partly right",
    "wrong": "Wrong",
    "skipped": "Skipped",
    "ungraded": "Ungraded",
}


@dataclass(frozen=True)
class Style:
    """How verdicts look: a mark and a word always; colour on top when wanted."""

    color: bool = False
    unicode: bool = True

    @classmethod
    def for_stream(cls, stream: TextIO) -> Style:
        return cls(color=color_wanted(stream), unicode=encodes(stream, "✓◐✗→—"))

    def paint(self, text: str, verdict: str) -> str:
        if not self.color or verdict not in COLORS:
            return text
        return f"\x1b[{COLORS[verdict]}m{text}\x1b[0m"

    def bold(self, text: str) -> str:
        return f"\x1b[1m{text}\x1b[0m" if self.color else text

    def mark(self, verdict: str) -> str:
        return (MARKS if self.unicode else ASCII_MARKS)[verdict]

    def verdict(self, verdict: str) -> str:
        return self.paint(f"{self.mark(verdict)} {WORDS[verdict]}", verdict)


# -- wrapping ------------------------------------------------------------------------------------
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the only escapes printed: Style's colour and bold
# A numbered option, a verdict mark's item line ("  ✗ Spain → Rome") or an answer line:
# continuation lines hang under its text.
_HANGING = re.compile(r"(\s*)(\d+\) |[✓◐✗→○+~x] |(?:Your answer|Answer): )")
_CHUNKS = re.compile(r"\s+|\S+")
_WHITESPACE = str.maketrans("\t\n\x0b\x0c\r", "     ")


def _fill(text: str, width: int, subsequent: str) -> list[str]:
    """`textwrap.wrap(text, width, subsequent_indent=subsequent, break_on_hyphens=False)`,
    in time linear in the length of `text` (textwrap copies the rest of a long word each
    time it breaks it, which takes seconds for a megabyte without a space)."""
    text = text.expandtabs().translate(_WHITESPACE)
    chunks = [m.group() for m in _CHUNKS.finditer(text)]
    lines: list[str] = []
    i, offset = 0, 0  # the next chunk, and how much of it is already placed
    while i < len(chunks):
        indent = subsequent if lines else ""
        room = width - len(indent)
        if lines and offset == 0 and chunks[i].isspace():
            i += 1  # whitespace that would start a continuation line is dropped
            continue
        line: list[str] = []
        used = 0  # columns of `line`
        while i < len(chunks) and used + len(chunks[i]) - offset <= room:
            line.append(chunks[i][offset:])
            used += len(chunks[i]) - offset
            i, offset = i + 1, 0
        if i < len(chunks) and chunks[i].isspace():
            i += 1  # the space between this line and the next
        elif i < len(chunks) and len(chunks[i]) - offset > room:  # a word longer than a line
            take = room - used if room >= 1 else 1
            if take > 0:
                line.append(chunks[i][offset : offset + take])
                offset += take
                if offset >= len(chunks[i]):
                    i, offset = i + 1, 0
        if line and line[-1].isspace():
            line.pop()
        if line:
            lines.append(indent + "".join(line))
    return lines


def wrap_line(line: str, width: int) -> list[str]:
    """One printed line as lines of at most `width` columns, broken between words.

    Continuation lines keep the line's indent (a numbered option's continue under its text).
    Colour and bold escapes, which only decorate the start of a line, are not counted.
    """
    if len(line) <= width:
        return [line]
    visible = _ANSI.sub("", line)
    if len(visible) <= width:
        return [line]
    indent = visible[: len(visible) - len(visible.lstrip())]
    hanging = _HANGING.match(visible)
    subsequent = " " * len(hanging.group(0)) if hanging else indent
    prefix, rest = "", line
    decorated = list(_ANSI.finditer(line))
    if decorated:  # keep the decorated start whole, then wrap the plain rest after it
        end = decorated[-1].end()
        prefix, rest = line[:end], line[end:]
    placeholder = "\0" * len(_ANSI.sub("", prefix))
    if prefix and len(placeholder) >= width - 10:
        return [line]
    lines = _fill(placeholder + rest if prefix else rest, width, subsequent)
    if not lines:
        return [line]
    if prefix:
        lines[0] = prefix + lines[0][len(placeholder) :]
    return lines


def wrap_lines(lines: Iterable[str], width: int) -> list[str]:
    """Every line wrapped (see `wrap_line`); embedded newlines start new lines."""
    out: list[str] = []
    for line in lines:
        first, *more = line.split("\n")
        indent = first[: len(first) - len(first.lstrip(" "))]
        out += wrap_line(first, width)
        for part in more:
            out += wrap_line(indent + part if part else part, width)
    return out


# -- rich: the console and the table style --------------------------------------------------------
def make_console(file: TextIO | None = None, *, color: bool | None = None) -> Any:
    """The rich console every table prints on, `output_width(file)` columns wide (rich's own 80
    would break ids and headers inside words). Colour follows the terminal (none for a pipe,
    none with NO_COLOR) unless `color` says otherwise."""
    from rich.console import Console

    stream = file if file is not None else sys.stdout
    return Console(
        file=stream,
        width=output_width(stream),
        no_color=(color is False) or None,
        force_terminal=True if color else None,
        soft_wrap=False,
        highlight=False,
        emoji=False,
    )


# The look of every quiz table: flush left under its title (no edge, so no leading space
# and no blank line, as the plain writer and stacked blocks), narrow padding, bold headers.
TABLE_STYLE: dict[str, Any] = {
    "padding": (0, 1, 0, 0),
    "pad_edge": False,
    "show_edge": False,
    "header_style": "bold",
    "title_justify": "left",
    "highlight": False,
}


def new_table(title: str | None = None, **options: Any) -> Any:
    """A rich table in the one table style (`TABLE_STYLE`, box SIMPLE_HEAD); `options` for
    what one table needs on top (e.g. `show_lines`). `title` must already be safe for rich."""
    from rich import box
    from rich.table import Table

    return Table(title=title, **{"box": box.SIMPLE_HEAD, **TABLE_STYLE, **options})
