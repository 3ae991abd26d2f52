"""What the widgets share: number keys (past 9 entries, digits then Enter), wrapping a row
between words under its text, and the prompt_toolkit application around a widget's state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from quiz.ui.terminal import wrap_line

# A line of the widget: (prompt_toolkit style class, text).
Line = tuple[str, str]

SKIP_RESULT = "<skip>"
QUIT_RESULT = "<quit>"


class Digits:
    """Digits typed to name entry 1..`count`: a number is taken as soon as no longer number
    starts with it (with 9 entries or fewer, every digit at once); else Enter takes it."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.typed = ""

    def key(self, digit: str) -> int | None:
        """The 0-based entry the digits now name for good, else None (waiting, or no entry)."""
        number = int(self.typed + digit)
        if not 1 <= number <= self.count:
            number = int(digit)  # a fresh start
            if not 1 <= number <= self.count:
                self.typed = ""
                return None
        if number * 10 > self.count:
            self.typed = ""
            return number - 1
        self.typed = str(number)
        return None

    def enter(self) -> int | None:
        """Enter after digits that could go on: the entry they name (None if none typed)."""
        if not self.typed:
            return None
        number, self.typed = int(self.typed), ""
        return number - 1

    def clear(self) -> None:
        self.typed = ""

    def named(self, key: str) -> tuple[bool, int | None]:
        """A widget's key through the digits: (taken, the entry named for good). A digit is
        always taken; Enter only when digits wait for it (else it submits); any other key
        clears them."""
        if key.isdigit():
            return True, self.key(key)
        if key == "enter":
            chosen = self.enter()
            return chosen is not None, chosen
        self.clear()
        return False, None


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def hang(first: str, text: str, width: int) -> list[str]:
    """`first` + `text`, wrapped between words to `width`, continuation lines under `text`."""
    indent = " " * len(first)
    lines = wrap_line(indent + text, max(width, len(first) + 8))
    return [first + lines[0][len(first) :], *lines[1:]]


class State(Protocol):
    """A widget's state: keys change it, `lines` draws it, `done` is set once answered."""

    done: bool

    def lines(self, width: int) -> list[Line]: ...

    def key(self, name: str) -> Any: ...


# Keys the widgets read, by the name given to `State.key` (digits are themselves).
KEYS = {
    "up": ("up", "k"),
    "down": ("down", "j"),
    "left": ("left",),
    "right": ("right",),
    "enter": ("enter",),
    "space": ("space",),
    "undo": ("backspace", "delete"),
    "skip": ("s",),
    "quit": ("q",),
}

# questionary's look: its default classes, and the current row in bold.
STYLE_RULES = [("highlighted", "bold"), ("answer", "fg:#FF9D00 bold"), ("note", "italic")]


def build(state: State, message: str = "", **kwargs: Any) -> Any:
    """A questionary `Question` (a prompt_toolkit application) drawing `state` as the terminal's
    width allows and feeding it keys; its result is what `state.key` returned to end it
    (an answer, `SKIP_RESULT` or `QUIT_RESULT`). `kwargs`: `input=` and `output=`, as for
    questionary's prompts."""
    import questionary
    from prompt_toolkit.application import Application, get_app
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.layout import HSplit, Layout, Window
    from prompt_toolkit.layout.controls import FormattedTextControl
    from prompt_toolkit.styles import Style, merge_styles
    from questionary.constants import DEFAULT_QUESTION_PREFIX, DEFAULT_STYLE

    def width() -> int:
        try:
            return max(get_app().output.get_size().columns - 1, 20)  # the last column left free
        except Exception:
            return 79

    def text() -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if message:  # questionary's "? message", wrapped between words
            first, *more = hang(f"{DEFAULT_QUESTION_PREFIX} ", message, width())
            out += [("class:qmark", first[:2]), ("class:question", first[2:]), ("", "\n")]
            for line in more:
                out += [("class:question", line), ("", "\n")]
        lines = state.lines(width())
        for number, (style, line) in enumerate(lines):
            out.append((style, line))
            if number < len(lines) - 1:
                out.append(("", "\n"))
        return out

    bindings = KeyBindings()

    def on(name: str) -> Callable[[Any], None]:
        def handler(event: Any) -> None:
            result = state.key(name)
            if state.done:
                event.app.exit(result=result)

        return handler

    for digit in "0123456789":
        bindings.add(digit, eager=True)(on(digit))
    for name, keys in KEYS.items():
        for key in keys:
            bindings.add(key, eager=True)(on(name))

    # A callable of (style, text) pairs; prompt_toolkit's stubs differ between releases.
    formatted: Any = text
    control = FormattedTextControl(formatted, focusable=True, show_cursor=False)
    layout = Layout(HSplit([Window(control, dont_extend_height=True, wrap_lines=False)]))
    style = merge_styles([DEFAULT_STYLE, Style(STYLE_RULES)])
    app: Any = Application(layout=layout, key_bindings=bindings, style=style, **kwargs)
    return questionary.Question(app)
