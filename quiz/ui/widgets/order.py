"""Order as a list the learner builds: press the items' numbers first to last (each placed item
shows its place), Backspace takes the last one back, pressing a placed item's number takes it
out; the whole order is shown, and Enter submits it once every item has its place.

Arrow keys work too: ↑↓ (j/k) point at an item, Space or Enter places it next (or takes it out).
With n items, n digits and Enter answer it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from quiz.sanitize import clean_line
from quiz.ui.widgets.base import QUIT_RESULT, SKIP_RESULT, Digits, Line, hang, ordinal

POINTER = "»"
PLACED, FREE = "●", "○"


class OrderState:
    """The items as shown (numbered 1..n for good) and the order they have been placed in."""

    def __init__(self, items: Sequence[str], *, shown: Callable[[str], str] = str) -> None:
        self.items = tuple(items)
        self.shown = shown  # how a text is shown (an item in a format of its own: plain)
        self.placed: list[int] = []
        self.row = 0
        self.digits = Digits(len(self.items))
        self.note = ""
        self.done = False
        self.left_as: str | None = None  # "Skipped" or "Save and quit": how it ended unanswered

    @property
    def complete(self) -> bool:
        return len(self.placed) == len(self.items)

    # -- keys -----------------------------------------------------------------------------------
    def key(self, name: str) -> Any:
        """Apply one key; returns the answer (the items in the learner's order), SKIP_RESULT or
        QUIT_RESULT once `done`, else None."""
        if self.done:
            return None
        self.note = ""
        taken, chosen = self.digits.named(name)
        if taken:
            if chosen is not None:
                self.toggle(chosen)
            return None
        if name == "enter":
            if self.complete:
                self.done = True
                return [self.items[i] for i in self.placed]
            if self.row not in self.placed:
                self.toggle(self.row)
            else:
                left = len(self.items) - len(self.placed)
                self.note = f"{left} item{'' if left == 1 else 's'} still to place"
            return None
        if name in ("up", "down"):
            self.row = (self.row + (1 if name == "down" else -1)) % len(self.items)
        elif name == "space":
            self.toggle(self.row)
        elif name == "undo" and self.placed:
            self.placed.pop()
        elif name in ("skip", "quit"):
            self.done = True
            self.left_as = "Skipped" if name == "skip" else "Save and quit"
            return SKIP_RESULT if name == "skip" else QUIT_RESULT
        return None

    def toggle(self, item: int) -> None:
        """Place `item` next, or take it out of the order if it is placed."""
        if item in self.placed:
            self.placed.remove(item)
        else:
            self.placed.append(item)
            self.row = item
            for step in range(1, len(self.items) + 1):  # point at the next one not placed
                row = (item + step) % len(self.items)
                if row not in self.placed:
                    self.row = row
                    break

    # -- drawing --------------------------------------------------------------------------------
    def lines(self, width: int) -> list[Line]:
        """The items numbered, each placed one with its place; then the order so far."""
        items = [clean_line(self.shown(item)) or "(empty)" for item in self.items]
        order = " → ".join(items[i] for i in self.placed)
        if self.done and self.left_as is not None:  # no half-built order echoed
            return [("class:answer", self.left_as)]
        if self.done:
            return [("class:answer", line) for line in hang("Your order: ", order, width)]
        out: list[Line] = []
        for index, item in enumerate(items):
            current = index == self.row
            lead = f" {POINTER} " if current else "   "
            if index in self.placed:
                mark, place = PLACED, f"  ({ordinal(self.placed.index(index) + 1)})"
            else:
                mark, place = FREE, ""
            style = "class:highlighted" if current else ("class:selected" if place else "")
            row = hang(f"{lead}{mark} {index + 1}) ", item + place, width)
            out += [(style, line) for line in row]
        rest = len(self.items) - len(self.placed)
        if not self.placed:
            shown = "(press the number of the first item)"
        elif rest:
            shown = f"{order} → … ({rest} more)"
        else:
            shown = f"{order}   (Enter to answer)"
        out += [("class:answer", line) for line in hang("   Your order: ", shown, width)]
        if self.digits.typed:
            out.append(("class:instruction", f"   {self.digits.typed}… (Enter)"))
        if self.note:
            out.append(("class:note", f"   {self.note}"))
        return out
