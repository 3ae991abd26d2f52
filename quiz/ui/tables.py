"""Every table quiz draws, one way: fitted to the width, paged on a terminal, plain in a pipe.

A table is a title, columns (`TerminalColumn`) and rows of cells (text, several values one a
line; or rich `Text`, already clean). `draw` writes it:

- on a terminal, with rich in the one table style (`quiz.ui.terminal.new_table`);
- anywhere else (a pipe, a file), as plain space-aligned text, a row's first line holding its
  first value of every column, without rich: 10,000 rows cost what writing them costs.

Both fit the same width (`quiz.ui.terminal.output_width`, or the one given) by the same rule
(`fit`): what never breaks (ids, times, numbers such as `0.33/1 (33%)`, headers) is never cut;
when the table is wider than the width, its least needed columns (`TerminalColumn.drop`) are
left out and a line says which and what shows them; when it is still too wide, every row
becomes a stacked block (its first cell as a heading, then a `label  value` line per column),
so that no column is squeezed. Ids (`TerminalColumn.id`) are shown by their shortest unique
prefix among the ids drawn, and never fewer than `SHORT_ID` characters.

On a terminal a long table shows `SCREEN_ROWS` rows and "N more (--all)" (`page`); `--all`
shows every row; `--limit N` caps any output, terminal, pipe or JSON.

Only the standard library is imported at load time; rich loads when a terminal table is drawn.
"""

from __future__ import annotations

import operator
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, TextIO, TypeVar

from quiz.ui.terminal import Style, is_tty, output_width, wrap_line

SCREEN_ROWS = 20  # rows of a long table shown on a terminal (--all: every one)
SHORT_ID = 8  # the fewest characters of an id a table shows (more when 8 are not unique)
WORD_ROOM = 30  # a free-text column is at least as wide as its longest word, up to this
TEXT_ROOM = 12  # ... and at least this wide (or as wide as its widest line, when narrower)
GAP = "  "  # between the columns of a plain table, and between a label and its value

_Row = TypeVar("_Row")


@dataclass(frozen=True)
class TerminalColumn:
    header: str
    right: bool = False  # numbers
    no_wrap: bool = False  # ids, times, numbers: never broken (free text wraps at spaces)
    # Left out when the table is wider than the width: the highest first; 0 never.
    drop: int = 0
    name: str = ""  # the column's full name, when the header is short
    id: bool = False  # an id: cells hold it whole; shown by its shortest unique prefix
    whole_words: bool = False  # free text with ids in it: no word is ever broken
    heading: str = "{}"  # a stacked block's heading, from the first column's cell

    @property
    def label(self) -> str:
        return " ".join((self.name or self.header).split())


@dataclass(frozen=True)
class Layout:
    """How a table fits: as a table of the `shown` columns, or as stacked blocks (every
    column); `left_out` names the columns a table leaves out."""

    stacked: bool
    shown: tuple[int, ...]
    left_out: tuple[str, ...] = ()
    needed: tuple[int, ...] = ()  # each column's `_needed` (for `_widths`)


# -- widths ---------------------------------------------------------------------------------------
def cell_width(text: str) -> int:
    """Columns `text` takes on a terminal: wide (East Asian) characters 2, combining ones 0."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _text(cell: Any) -> str:
    """A cell's plain text: rich `Text` by its `plain`, anything else as `str`."""
    if isinstance(cell, str):
        return cell
    plain = getattr(cell, "plain", None)
    return plain if isinstance(plain, str) else str(cell)


def _lines_width(texts: Sequence[str]) -> int:
    joined = "\n".join(texts)
    if joined.isascii():  # a character a column: the longest line (10,000 rows at C speed)
        return max(map(len, joined.split("\n")), default=0)
    return max((cell_width(line) for text in texts for line in text.split("\n")), default=0)


def _longest_word(texts: Sequence[str]) -> int:
    joined = " ".join(texts)
    if joined.isascii():
        return max(map(len, joined.split()), default=0)
    return max((cell_width(word) for text in texts for word in text.split()), default=0)


def _needed(column: TerminalColumn, texts: Sequence[str]) -> int:
    """The fewest columns `column` can take without breaking what must not break: its widest
    line (and header line) if it never breaks; else its longest word (up to WORD_ROOM, unless
    `whole_words`), and at least TEXT_ROOM (or its widest line, when narrower)."""
    if column.no_wrap:
        return max(_lines_width([column.header]), _lines_width(texts))
    longest = _longest_word(texts)
    return max(
        max((cell_width(word) for word in column.header.split()), default=0),
        longest if column.whole_words else min(longest, WORD_ROOM),
        min(_lines_width(texts), TEXT_ROOM),
    )


def fit(columns: Sequence[TerminalColumn], rows: Sequence[Sequence[str]], width: int) -> Layout:
    """The one fitting rule (see the module's doc), for rich and the plain writer alike."""
    needed = [_needed(c, [row[i] for row in rows]) for i, c in enumerate(columns)]
    shown = list(range(len(columns)))
    left_out: list[str] = []
    # rich's one table style takes 2 columns a column (edges, padding, separators)
    while sum(needed[i] for i in shown) + 2 * len(shown) > width:
        droppable = [i for i in shown if columns[i].drop]
        if not droppable:
            return Layout(stacked=True, shown=tuple(range(len(columns))), needed=tuple(needed))
        gone = max(droppable, key=lambda i: columns[i].drop)
        shown.remove(gone)
        left_out.append(columns[gone].label)
    return Layout(stacked=False, shown=tuple(shown), left_out=tuple(left_out), needed=tuple(needed))


def _widths(
    columns: Sequence[TerminalColumn],
    rows: Sequence[Sequence[str]],
    layout: Layout,
    width: int,
) -> dict[int, int]:
    """The plain writer's column widths: each as wide as its widest line, then the widest
    free-text columns narrowed (not below `_needed`) until the table fits `width`."""
    shown = layout.shown
    least = {i: layout.needed[i] for i in shown}
    widths = {  # a column that never wraps needs its widest line (header or cell) already
        i: least[i]
        if columns[i].no_wrap
        else _lines_width([columns[i].header, *(row[i] for row in rows)])
        for i in shown
    }
    excess = sum(widths.values()) + len(GAP) * (len(shown) - 1) - width
    while excess > 0:
        narrower = [i for i in shown if not columns[i].no_wrap and widths[i] > least[i]]
        if not narrower:
            break
        widest = max(narrower, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    return widths


# -- ids ------------------------------------------------------------------------------------------
def unique_prefix_length(ids: Sequence[str], minimum: int = SHORT_ID) -> int:
    """How many characters tell every one of `ids` apart (at least `minimum`)."""
    distinct = set(ids)
    if len({i[:minimum] for i in distinct}) == len(distinct):
        return minimum  # (most lists: no two ids share their first characters)
    ordered = sorted(distinct)
    length = minimum
    for a, b in pairwise(ordered):
        common = 0
        for x, y in zip(a, b, strict=False):
            if x != y:
                break
            common += 1
        length = max(length, common + 1)
    return length


# -- pages ----------------------------------------------------------------------------------------
def on_terminal(file: TextIO | None = None) -> bool:
    """Whether tables on `file` (standard output) are for a terminal: paged, drawn by rich."""
    return is_tty(sys.stdout if file is None else file)


def page(
    rows: Sequence[_Row], *, terminal: bool, show_all: bool = False, limit: int | None = None
) -> tuple[list[_Row], int]:
    """The rows to draw, and how many more a terminal leaves for `--all`: `limit` caps any
    output; else a terminal shows SCREEN_ROWS unless `show_all`; pipes get every row."""
    if limit is not None:
        return list(rows[:limit]), 0
    if terminal and not show_all and len(rows) > SCREEN_ROWS:
        return list(rows[:SCREEN_ROWS]), len(rows) - SCREEN_ROWS
    return list(rows), 0


def more_line(more: int) -> str:
    """What a terminal says under a table cut to a page."""
    return f"{more} more (--all)"


# -- drawing --------------------------------------------------------------------------------------
def _prepared(columns: Sequence[TerminalColumn], rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Cells cleaned (rich `Text` is clean already), ids cut to their unique prefix."""
    from quiz.sanitize import clean

    def prepared_cell(cell: Any) -> Any:
        return cell if not isinstance(cell, str) and hasattr(cell, "plain") else clean(cell)

    if _printable_text(rows) is not None:  # most tables: copied whole (10,000 rows to a pipe)
        prepared = [list(row) for row in rows]
    else:
        prepared = []
        for row in rows:  # most rows are printable text already: copied whole
            whole = _printable_text((row,)) is not None
            prepared.append(list(row) if whole else [prepared_cell(cell) for cell in row])
    for i, column in enumerate(columns):
        if column.id:
            ids = [_text(row[i]) for row in prepared]
            keep = unique_prefix_length(ids)
            for row in prepared:
                row[i] = _text(row[i])[:keep]
    return prepared


def _printable_text(rows: Iterable[Sequence[Any]]) -> str | None:
    """Every cell's text joined, when all are text of printable characters: one line, no tab,
    nothing to clean (checked at C speed, for 10,000 rows); else None."""
    try:
        joined = "".join(map("".join, rows))
    except TypeError:  # a cell that is no text (rich Text, a number)
        return None
    return joined if joined.isprintable() else None


def draw(
    title: str,
    columns: Sequence[TerminalColumn],
    rows: Sequence[Sequence[Any]],
    *,
    file: TextIO | None = None,
    width: int | None = None,
    terminal: bool | None = None,
    color: bool | None = None,
    more: int = 0,
    elsewhere: str = "--json",
    legend: str = "",
    **table_options: Any,
) -> None:
    """Draw one table on `file` (standard output): see the module's doc. `more`: rows left
    out by `page`; `elsewhere`: what shows every column; `legend`: what short headers stand
    for; `table_options` for rich's table (e.g. `show_lines`)."""
    stream = sys.stdout if file is None else file
    terminal = on_terminal(stream) if terminal is None else terminal
    width = output_width(stream) if width is None else width
    cells = _prepared(columns, rows)
    if terminal:
        _draw_rich(stream, title, columns, cells, width, color, elsewhere, table_options)
    else:
        for line in plain_lines(title, columns, cells, width, elsewhere=elsewhere):
            stream.write(line + "\n")
    tail = ([legend] if legend else []) + ([more_line(more)] if more and terminal else [])
    for line in tail:
        for part in wrap_line(line, width):
            stream.write(part + "\n")


def _plain_row(row: Sequence[Any]) -> Sequence[str]:
    """A row's cells as plain text, tabs as spaces (a row of text without a tab as it is)."""
    try:
        if "\t" not in "".join(row):
            return row
    except TypeError:  # a cell that is no text (rich Text)
        pass
    return [_text(cell).replace("\t", " ") for cell in row]


def plain_lines(
    title: str,
    columns: Sequence[TerminalColumn],
    rows: Sequence[Sequence[Any]],
    width: int,
    *,
    elsewhere: str = "--json",
    style: Style | None = None,
) -> list[str]:
    """The plain writer: a title line, then the table as space-aligned lines (numbers to the
    right; free text wrapped between words within its column, a cell's further values on the
    lines below), or stacked blocks, by the same `fit` as rich. Cells must be clean already."""
    joined = _printable_text(rows)  # most tables (see the fast path below)
    simple = joined is not None
    texts = rows if simple else [_plain_row(row) for row in rows]
    layout = fit(columns, texts, width)
    lines = [title] if title else []
    if layout.stacked:
        return lines + stacked_lines(columns, texts, width, style=style)
    shown = layout.shown
    widths = _widths(columns, texts, layout, width)

    # One line that fits (most rows): padded by one format, as the general case below pads.
    one_line = GAP.join(f"{{:{'>' if columns[i].right else '<'}{widths[i]}}}" for i in shown)
    limits = [widths[i] for i in shown]

    def row_lines(cells: Sequence[str]) -> list[str]:
        joined = "".join(cells)
        if (
            joined.isascii()
            and "\n" not in joined
            and all(map(operator.le, map(len, cells), limits))
        ):
            return [one_line.format(*cells).rstrip()]
        split = []
        for i, text in zip(shown, cells, strict=True):
            parts = []
            for part in text.split("\n"):
                parts += [part] if cell_width(part) <= widths[i] else wrap_line(part, widths[i])
            split.append(parts)
        out = []
        for k in range(max(len(parts) for parts in split)):
            line = []
            for i, parts in zip(shown, split, strict=True):
                text = parts[k] if k < len(parts) else ""
                pad = " " * max(widths[i] - cell_width(text), 0)
                line.append(pad + text if columns[i].right else text + pad)
            out.append(GAP.join(line).rstrip())
        return out

    header = row_lines([columns[i].header for i in shown])
    lines += [style.bold(line) for line in header] if style is not None else header
    if (
        joined is not None
        and texts
        and len(shown) > 1
        and joined.isascii()
        and all(max(map(len, map(operator.itemgetter(i), texts))) <= widths[i] for i in shown)
    ):  # every row is one line that fits, a character a column: one format a row, as above
        pick = operator.itemgetter(*shown)
        lines += [one_line.format(*pick(row)).rstrip() for row in texts]
    else:
        for row in texts:
            lines += row_lines([row[i] for i in shown])
    if layout.left_out:
        lines += wrap_line(left_out_line(layout.left_out, elsewhere), width)
    return lines


def stacked_lines(
    columns: Sequence[TerminalColumn],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    style: Style | None = None,
) -> list[str]:
    """Each row as a block: its first cell as a heading, then one `label  value` line per
    other column (a value's several lines one under the other), wrapped between words at
    `width`; a blank line between blocks. Nothing is left out and nothing is cut."""
    labels = [c.header.replace("\n", " ") for c in columns[1:]]
    room = max((cell_width(label) for label in labels), default=0)
    lines: list[str] = []
    for number, row in enumerate(rows):
        if number:
            lines.append("")
        first, *more = [part for part in row[0].split("\n") if part.strip()] or [""]
        heading = columns[0].heading.format(first)
        lines.append(style.bold(heading) if style is not None else heading)
        for part in more:  # a title under an id, say
            lines += ["  " + line for line in wrap_line(part, max(width - 2, TEXT_ROOM))]
        for label, text in zip(labels, row[1:], strict=True):
            values = [part for part in text.split("\n") if part.strip()] or ["–"]
            indent = "  " + " " * room + GAP
            first = "  " + label + " " * (room - cell_width(label)) + GAP
            room_left = max(width - cell_width(indent), TEXT_ROOM)
            longest = max(cell_width(word) for value in values for word in value.split() or [""])
            if longest > room_left:  # a word (an id) too long beside the labels: under them
                lines.append("  " + label)
                indent = first = "    "
                room_left = max(width - 4, TEXT_ROOM)
            for k, value in enumerate(values):
                for n, part in enumerate(wrap_line(value, room_left)):
                    lines.append((first if k == 0 and n == 0 else indent) + part)
    return lines


def left_out_line(left_out: Sequence[str], elsewhere: str) -> str:
    """The line under a table that leaves columns out to fit."""
    return (
        f"Left out to fit the terminal: {', '.join(left_out)} (a wider terminal, or"
        f" {elsewhere}, shows every column)."
    )


def _draw_rich(
    stream: TextIO,
    title: str,
    columns: Sequence[TerminalColumn],
    rows: Sequence[Sequence[Any]],
    width: int,
    color: bool | None,
    elsewhere: str,
    options: dict[str, Any],
) -> None:
    from quiz.sanitize import for_rich
    from quiz.ui.terminal import make_console, new_table

    console = make_console(stream, color=color)
    console.width = width
    texts = [[_text(cell) for cell in row] for row in rows]
    layout = fit(columns, texts, width)
    if layout.stacked:
        style = Style(color=Style.for_stream(stream).color if color is None else color)
        if title:
            console.print(f"[bold]{for_rich(title)}[/bold]")
        for line in stacked_lines(columns, texts, width, style=style):
            stream.write(line + "\n")
        return
    table = new_table(for_rich(title) if title else None, **options)
    # The widths are decided here, as for the plain writer (rich's own narrowing would cut the
    # narrow columns of a table with wide ones): rich takes 2 more than the plain gaps.
    widths = _widths(columns, texts, layout, width - 2)
    for i in layout.shown:
        column = columns[i]
        table.add_column(
            for_rich(column.header),
            justify="right" if column.right else "left",
            no_wrap=column.no_wrap,
            overflow="ellipsis" if column.no_wrap else "fold",
            width=widths[i],
        )
    for row in rows:
        table.add_row(
            *(for_rich(row[i]) if isinstance(row[i], str) else row[i] for i in layout.shown)
        )
    console.print(table)
    if layout.left_out:
        console.print(for_rich(left_out_line(layout.left_out, elsewhere)), style="dim")
