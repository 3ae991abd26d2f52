"""Match on one screen: every left item with its current pick, the options with the used ones
marked, any row changeable until Enter submits.

Keys: a digit gives the current row that option and moves to the next row without one (past 9
options, digits then Enter); ↑↓ (j/k) move between rows; ←→ and Space step the current row
through the options; Backspace clears it; Enter submits once every row has a pick. With n rows,
n digits and Enter answer it all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from quiz.sanitize import clean_line
from quiz.ui.widgets.base import QUIT_RESULT, SKIP_RESULT, Digits, Line, hang

POINTER = "»"
USED, FREE = "●", "○"
NO_PICK = "…"


class MatchState:
    """Which option each left item has; `key` takes a key's name, `lines` draws it."""

    def __init__(
        self,
        lefts: Sequence[str],
        options: Sequence[str],
        *,
        shown: Callable[[str], str] = str,
    ) -> None:
        self.lefts = tuple(lefts)
        self.shown = shown  # how a text is shown (an option in a format of its own: plain)
        self.options = tuple(options)
        self.picks: list[int | None] = [None] * len(self.lefts)
        self.row = 0
        self.digits = Digits(len(self.options))
        self.note = ""
        self.done = False
        self.left_as: str | None = None  # "Skipped" or "Save and quit": how it ended unanswered

    # -- keys -----------------------------------------------------------------------------------
    def key(self, name: str) -> Any:
        """Apply one key; returns the answer (a mapping left -> option), SKIP_RESULT or
        QUIT_RESULT once `done`, else None."""
        if self.done:
            return None
        self.note = ""
        taken, chosen = self.digits.named(name)
        if taken:
            if chosen is not None:
                self.pick(chosen)
            return None
        if name == "enter":
            return self.submit()
        if name in ("up", "down"):
            self.row = (self.row + (1 if name == "down" else -1)) % len(self.lefts)
        elif name in ("left", "right", "space"):
            self.step(-1 if name == "left" else 1)
        elif name == "undo":
            self.picks[self.row] = None
        elif name in ("skip", "quit"):
            self.done = True
            self.left_as = "Skipped" if name == "skip" else "Save and quit"
            return SKIP_RESULT if name == "skip" else QUIT_RESULT
        return None

    def pick(self, option: int) -> None:
        """The current row takes `option`; then on to the next row still without a pick."""
        self.picks[self.row] = option
        count = len(self.lefts)
        for step in range(1, count + 1):
            row = (self.row + step) % count
            if self.picks[row] is None:
                self.row = row
                return

    def step(self, by: int) -> None:
        at = self.picks[self.row]
        start = -1 if at is None and by > 0 else (0 if at is None else at)
        self.picks[self.row] = (start + by) % len(self.options)

    def submit(self) -> Any:
        missing = [row for row, pick in enumerate(self.picks) if pick is None]
        if missing:
            self.row = missing[0]
            left = len(missing)
            self.note = f"{left} item{'' if left == 1 else 's'} still without a match"
            return None
        self.done = True
        return self.answer()

    def answer(self) -> dict[str, str]:
        return {
            left: self.options[pick]
            for left, pick in zip(self.lefts, self.picks, strict=True)
            if pick is not None
        }

    # -- drawing --------------------------------------------------------------------------------
    def lines(self, width: int) -> list[Line]:
        """The rows (left → pick), then the options numbered, the used ones marked."""
        lefts = [clean_line(self.shown(left)) or "(empty)" for left in self.lefts]
        options = [clean_line(self.shown(option)) or "(empty)" for option in self.options]
        if self.done:  # one row a line; a skip or a quit echoes no empty pairs
            if self.left_as is not None:
                return [("class:answer", self.left_as)]
            echo: list[Line] = [("class:answer", "Your matches:")]
            for left, pick in zip(lefts, self.picks, strict=True):
                given = f"{left} → {options[pick] if pick is not None else NO_PICK}"
                echo += [("class:answer", line) for line in hang("  ", given, width)]
            return echo
        pad = max(len(left) for left in lefts)
        if pad > width // 3:
            pad = 0  # too long to line up: each row as it is
        out: list[Line] = []
        for row, (left, pick) in enumerate(zip(lefts, self.picks, strict=True)):
            current = row == self.row
            chosen = options[pick] if pick is not None else NO_PICK
            lead = f" {POINTER} " if current else "   "
            style = "class:highlighted" if current else ""
            if pad:  # lined up: a long pick goes on under itself
                row_lines = hang(f"{lead}{left:<{pad}} → ", chosen, width)
            else:
                row_lines = hang(lead, f"{left} → {chosen}", width)
            out += [(style, line) for line in row_lines]
        out.append(("class:instruction", "   Matches:"))
        used = {pick for pick in self.picks if pick is not None}
        for number, option in enumerate(options, 1):
            mark = USED if number - 1 in used else FREE
            style = "class:selected" if number - 1 in used else ""
            out += [(style, line) for line in hang(f"   {mark} {number}) ", option, width)]
        if self.digits.typed:
            out.append(("class:instruction", f"   {self.digits.typed}… (Enter)"))
        if self.note:
            out.append(("class:note", f"   {self.note}"))
        return out
