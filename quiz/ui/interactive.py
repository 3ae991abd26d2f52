"""The questionary front end: arrow keys and Enter in a terminal.

Imported only inside the commands that ask questions (questionary and prompt_toolkit are slow to
import). Every prompt function passes `**kwargs` through to questionary, so tests can give
`input=` and `output=`. Each question can be skipped or left ("Save and quit") without Ctrl-C:
`s` and `q` in every list, extra choices in lists, `:skip` and `:quit` in text prompts, and in
a checkbox (where they cannot be ticked) a follow-up list when Enter is pressed with nothing
ticked. Match and order are `quiz.ui.widgets` (questionary has no such prompt), run through the
same `_ask`. Ctrl-C and Ctrl-D end the quiz with every answer kept. Every text shown comes from
`quiz.sanitize` first.

The front end prints each question's prompt itself, wrapped between words to the terminal, and
gives questionary a short label ("Your answer"): prompt_toolkit breaks long lines anywhere and
clips long choices at the right edge. A list shows each option with the number its key picks;
when an option is too long for its row, the full options are printed above the list, numbered,
and the list shows each one shortened with "…" (see `option_titles`).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

import questionary
from prompt_toolkit.application import get_app
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys
from questionary import Choice, Separator

from quiz.kinds import kind_of, shown_text
from quiz.sanitize import clean, clean_line
from quiz.session import QUIT_WORDS, SKIP_WORDS, Item, Key, Result, Session
from quiz.store.records import ResponseValue
from quiz.ui.hints import hint_text
from quiz.ui.interrupts import checkpoint, keys_not_signals
from quiz.ui.plain import (
    Citations,
    FrontEnd,
    Outcome,
    feedback_body,
    option_lines,
    verdict_lines,
)
from quiz.ui.terminal import Style, is_tty, output_width, wrap_lines


class Signal:
    """A learner's request instead of an answer."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


SKIP = Signal("skip")
QUIT = Signal("quit")
Answer = ResponseValue | Signal

SKIP_TITLE = "Skip this question"
QUIT_TITLE = "Save and quit"
BACK_TITLE = "Go back and tick options"
NOTHING_TICKED = "Nothing is ticked."
ANSWER_LABEL = "Your answer"  # questionary's message when the front end printed the prompt
_SKIP_VALUE = -1
_QUIT_VALUE = -2
_BACK_VALUE = -4
# Columns a list takes before a choice's text (" » ○ "), and the last column, left free.
CHOICE_MARGIN = 7


# The one footer line of keys under each widget (see `footer_for`).
# At most 59 columns: it fits a 60-column terminal on one line, its last column left free.
FOOTERS = {
    "select": "1-9 pick · ↑↓ · Enter answer · s skip · q save & quit",
    "truefalse": "t/y true · f/n false · Enter · s skip · q save & quit",
    "checkbox": "1-9 tick · Space · Enter answer · s skip · q save & quit",
    "match": "1-9 match · ↑↓ row · Enter answer · s skip · q save & quit",
    "order": "{keys} place next · Bksp undo · Enter · s skip · q save & quit",
    "text": "Enter answer · :skip · :quit save & quit · Ctrl-C stop",
}
PAUSE = "Press any key for the next question"
PAUSE_LAST = "Press any key to see your score"  # after the last answer


def footer_for(item: Item) -> str:
    """The keys of this item's widget, in one line."""
    kind = kind_of(item.question)
    if kind.name == "truefalse":
        return FOOTERS["truefalse"]
    if kind.widget == "order":  # "1-4 place next": the digits say which item goes next
        count = len(item.options)
        keys = f"1-{count}" if 1 < count <= 9 else ("1" if count == 1 else "Digits")
        return FOOTERS["order"].format(keys=keys)
    return FOOTERS.get(kind.widget, FOOTERS["select"])


def _inquirer(app: Any) -> Any:
    """questionary's list control inside a prompt's application (None for a text prompt)."""
    from questionary.prompts.common import InquirerControl

    for window in app.layout.find_all_windows():
        if isinstance(window.content, InquirerControl):
            return window.content
    return None


def _number_keys(app: Any, *, tick: bool, letters: dict[str, int] | None = None) -> KeyBindings:
    """Number keys in a list: a digit points at (or, with `tick`, ticks) that option; past
    9 options, digits then Enter. `letters`: more keys that point at an option (t/f).
    s skips and q saves and quits at once."""
    control = _inquirer(app)
    bindings = KeyBindings()
    if control is None:
        return bindings
    picks = [c for c in control.choices if not isinstance(c, Separator)]
    options = [c for c in picks if c.value not in (_SKIP_VALUE, _QUIT_VALUE)]
    typed: list[str] = []

    def point(index: int) -> None:
        choice = options[index]
        control.pointed_at = control.choices.index(choice)

    def toggle(index: int) -> None:
        value = options[index].value
        if value in control.selected_options:
            control.selected_options.remove(value)
        else:
            control.selected_options.append(value)

    def digit(event: Any) -> None:
        number = int("".join(typed) + event.data) if typed else int(event.data)
        if not 1 <= number <= len(options):
            typed.clear()
            number = int(event.data)
            if not 1 <= number <= len(options):
                return
        typed[:] = list(str(number))
        if number * 10 > len(options):  # no longer number starts with it: done
            typed.clear()
            (toggle if tick else point)(number - 1)
        elif not tick:
            point(number - 1)

    for key in "0123456789":
        bindings.add(key, eager=True)(digit)

    if tick:

        @bindings.add(Keys.Enter, eager=True, filter=Condition(lambda: bool(typed)))
        def _finish_number(event: Any) -> None:
            number = int("".join(typed))
            typed.clear()
            toggle(number - 1)

    for key, index in (letters or {}).items():
        bindings.add(key, eager=True)(lambda event, index=index: point(index))

    @bindings.add("s", eager=True)
    def _skip(event: Any) -> None:
        event.app.exit(result=[_SKIP_VALUE] if tick else _SKIP_VALUE)

    @bindings.add("q", eager=True)
    def _quit(event: Any) -> None:
        event.app.exit(result=[_QUIT_VALUE] if tick else _QUIT_VALUE)

    return bindings


def _with_footer(app: Any, footer: str) -> None:
    """One line of keys under the widget, while it reads keys (once answered, it goes)."""
    from prompt_toolkit.filters import is_done
    from prompt_toolkit.layout import ConditionalContainer, HSplit, Layout, Window
    from prompt_toolkit.layout.controls import FormattedTextControl

    line = Window(FormattedTextControl([("class:instruction", footer)]), height=1)
    footer_line = ConditionalContainer(line, filter=~is_done)
    app.layout = Layout(HSplit([app.layout.container, footer_line]))


def _ask(
    question: questionary.Question,
    *,
    keys: Callable[[Any], KeyBindings] | None = None,
    footer: str | None = None,
    point: str = "keys",
) -> Any:
    """Run a prompt; Ctrl-C raises KeyboardInterrupt and Ctrl-D EOFError, for the caller, at any
    instant: as the list is drawn as well as once it reads keys. `keys`: more bindings, made
    from the application; `footer`: a line of keys under the widget."""
    app = question.application
    extra = KeyBindings()

    @extra.add(Keys.ControlD, eager=True)
    def _eof(event: Any) -> None:
        buffer = event.app.current_buffer
        if not buffer.text:
            event.app.exit(exception=EOFError, style="class:aborting")
        else:
            buffer.delete()

    @extra.add(Keys.SIGINT, eager=True)
    def _sigint(event: Any) -> None:
        # A Ctrl-C typed before the terminal is in raw mode arrives as a signal, which
        # prompt_toolkit turns into this key; its default binding ignores it.
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    @extra.add(Keys.ControlC, eager=True)
    def _ctrl_c(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    more = [keys(app)] if keys is not None else []
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), *more, extra])
    if footer:
        _with_footer(app, footer)
    # From here until the prompt is done, Ctrl-C is a key to read, never a signal that
    # prompt_toolkit's start-up could drop (see quiz.ui.interrupts).
    with keys_not_signals(app.input):
        return app.run(pre_run=lambda: checkpoint(point))


def _leave_choices() -> list[Any]:
    return [
        Separator(),
        Choice(SKIP_TITLE, value=_SKIP_VALUE),
        Choice(QUIT_TITLE, value=_QUIT_VALUE),
    ]


def _signal(value: Any) -> Signal | None:
    if value == _SKIP_VALUE:
        return SKIP
    if value == _QUIT_VALUE:
        return QUIT
    return None


def options_fit(options: Sequence[str], width: int | None, *, numbered: bool = True) -> bool:
    """Whether every option, with its number ("10) "), fits on its row of a list `width`
    columns wide (None: assume so)."""
    if width is None:
        return True
    label = len(f"{len(options)}) ") if numbered else 0
    room = width - CHOICE_MARGIN - label
    return all(len(clean_line(text) or "(empty)") <= room for text in options)


def shorten(text: str, room: int) -> str:
    """`text` cut to `room` columns, between words where it can, ending with "…"."""
    if len(text) <= room:
        return text
    cut = text[: max(room - 1, 1)]
    space = cut.rfind(" ")
    if space > room // 2 and text[len(cut)] != " ":
        cut = cut[:space]
    return cut.rstrip() + "…"


def option_titles(
    options: Sequence[str],
    width: int | None = None,
    numbers: Sequence[int] | None = None,
    *,
    numbered: bool = True,
) -> list[str]:
    """How options are shown in a list: each with the number its key picks ("2) Paris", as
    in the match and order widgets; not `numbered` for true/false, whose keys are t and f),
    and, when one is too long for `width`, shortened with "…" (the full options are printed
    above the list, numbered alike)."""
    shown = [clean_line(text) or "(empty)" for text in options]
    labels = numbers if numbers is not None else range(1, len(options) + 1)
    if numbered:
        shown = [f"{n}) {text}" for n, text in zip(labels, shown, strict=True)]
    if width is None or options_fit(options, width, numbered=numbered):
        return shown
    room = max(width - CHOICE_MARGIN, 12)
    return [shorten(text, room) for text in shown]


def _titles(
    options: Sequence[str], width: int | None = None, *, numbered: bool = True
) -> list[Choice]:
    return [
        Choice(title, value=index)
        for index, title in enumerate(option_titles(options, width, numbered=numbered))
    ]


def message_for(item: Item) -> str:
    return clean_line(shown_text(item.question, item.question.prompt))


# -- one function per kind ------------------------------------------------------------------------
def _message(item: Item, message: str | None) -> str:
    return message_for(item) if message is None else message


def ask_select(
    item: Item, message: str | None = None, *, width: int | None = None, **kwargs: Any
) -> Answer:
    """choice and truefalse: one option, or skip / quit."""
    kind = kind_of(item.question)
    titles = [kind.option_title(item.question, option) for option in item.options]
    letters: dict[str, int] = {}
    if kind.name == "truefalse":
        for index, option in enumerate(item.options):
            for key in ("t", "y") if option == "true" else ("f", "n"):
                letters[key] = index
    value = _ask(
        questionary.select(
            _message(item, message),
            choices=[*_titles(titles, width, numbered=not letters), *_leave_choices()],
            instruction=" ",
            **kwargs,
        ),
        keys=lambda app: _number_keys(app, tick=False, letters=letters),
        footer=footer_for(item),
    )
    signal = _signal(value)
    return signal if signal is not None else item.options[value]


def ask_checkbox(
    item: Item, message: str | None = None, *, width: int | None = None, **kwargs: Any
) -> Answer:
    """multi: tick every right option (Space), Enter to submit.

    Only the options can be ticked. Enter with nothing ticked is not an answer: a follow-up list
    offers to go back, skip the question, or save and quit.
    """
    while True:
        values = _ask(
            questionary.checkbox(
                _message(item, message),
                choices=_titles(item.options, width),
                instruction=" ",
                **kwargs,
            ),
            keys=lambda app: _number_keys(app, tick=True),
            footer=footer_for(item),
        )
        if values in ([_SKIP_VALUE], [_QUIT_VALUE]):
            return SKIP if values == [_SKIP_VALUE] else QUIT
        if values:
            return [item.options[v] for v in values]
        value = _ask(
            questionary.select(
                NOTHING_TICKED,
                choices=[
                    Choice(BACK_TITLE, value=_BACK_VALUE),
                    Choice(SKIP_TITLE, value=_SKIP_VALUE),
                    Choice(QUIT_TITLE, value=_QUIT_VALUE),
                ],
                instruction="(arrow keys, then Enter)",
                **kwargs,
            )
        )
        signal = _signal(value)
        if signal is not None:
            return signal


def live_hint(item: Item, text: str) -> str:
    """What is shown beside a number or date while it is typed: how it reads, or why not.

    Only a hint: whatever is submitted is graded (and an unreadable answer is wrong, with the
    same hint in the feedback).
    """
    typed = text.strip()
    if not typed or typed.lower() in SKIP_WORDS | QUIT_WORDS:
        return ""
    hint = kind_of(item.question).typed_hint(item.question, typed)
    return clean_line(hint_text(hint, item.question)) if hint is not None else ""


def ask_text(
    item: Item, message: str | None = None, *, width: int | None = None, **kwargs: Any
) -> Answer:
    """text, number and date: typed, with a live hint on the right; `:skip` / `:quit` leave.

    The hint is a right-hand prompt rather than a bottom toolbar: prompt_toolkit draws a
    toolbar only once the terminal has reported the cursor position, which not all do.
    """

    def hint() -> str:
        try:
            app = get_app()
            if app.is_done:  # once answered, the hint goes
                return ""
            return live_hint(item, app.current_buffer.text)
        except Exception:  # a hint must never break the prompt
            return ""

    if kind_of(item.question).answer_format(item.question) is not None:  # number, date
        kwargs.setdefault("rprompt", hint)
    shown = _message(item, message)
    while True:
        text = _ask(
            questionary.text(
                shown,
                validate=lambda typed: bool(typed.strip()) or "Type an answer, :skip or :quit",
                **kwargs,
            ),
            footer=footer_for(item),
        )
        word = text.strip().lower()
        if word in SKIP_WORDS:
            return SKIP
        if word in QUIT_WORDS:
            return QUIT
        refused = item.well_formed(str(text))
        if refused is None:
            return str(text)
        # Not an answer (a number or date that cannot be read, a date less precise than
        # asked): asked again, with why, at no cost.
        why = clean_line(hint_text(refused, item.question))
        shown = f"{why[:1].upper()}{why[1:]}: try again"
        if width is not None:
            shown = "\n".join(wrap_lines([shown], max(width - 4, 20)))


def _widget(state: Any, item: Item, message: str | None, footer: str, **kwargs: Any) -> Answer:
    """Run one of `quiz.ui.widgets`' states as a prompt: its answer, SKIP or QUIT."""
    from quiz.ui.widgets.base import QUIT_RESULT, SKIP_RESULT, build

    result = _ask(build(state, _message(item, message), **kwargs), footer=footer)
    if result == SKIP_RESULT:
        return SKIP
    if result == QUIT_RESULT:
        return QUIT
    answer: ResponseValue = result
    return answer


def _shown(item: Item) -> Callable[[str], str]:
    """How the widgets show an option or a left item (`Kind.option_title`)."""
    kind = kind_of(item.question)
    return lambda text: kind.option_title(item.question, text)


def ask_match(
    item: Item, message: str | None = None, *, width: int | None = None, **kwargs: Any
) -> Answer:
    """match, on one screen: every left item with its pick, the options with the used ones
    marked; a digit picks for the current row, any row can be changed, Enter submits.

    `message` (by default the question's prompt; "" for none) is shown above the rows.
    """
    from quiz.ui.widgets.match import MatchState

    state = MatchState(item.lefts, item.options, shown=_shown(item))
    return _widget(state, item, message, FOOTERS["match"], **kwargs)


def ask_order(
    item: Item, message: str | None = None, *, width: int | None = None, **kwargs: Any
) -> Answer:
    """order, as a list the learner builds: digits place items first to last (Backspace
    undoes), the whole order shown; Enter submits it once every item is placed.

    `message` (by default the question's prompt; "" for none) is shown above the list.
    """
    from quiz.ui.widgets.order import OrderState

    state = OrderState(item.options, shown=_shown(item))
    return _widget(state, item, message, footer_for(item), **kwargs)


def ask_item(
    item: Item, message: str | None = None, *, width: int | None = None, **kwargs: Any
) -> Answer:
    """Ask one question with the prompt that suits its kind.

    `message`: what questionary shows (by default the question's prompt). `width`: the
    terminal's, to shorten options that would be clipped (None: leave them whole).
    """
    ask: Callable[..., Answer] = WIDGETS[kind_of(item.question).widget]
    return ask(item, message, width=width, **kwargs)


# The function that asks each kind's widget (`Kind.widget`).
WIDGETS: dict[str, Callable[..., Answer]] = {
    "select": ask_select,
    "checkbox": ask_checkbox,
    "match": ask_match,
    "order": ask_order,
    "text": ask_text,
}


def confirm_resume(progress: str, **kwargs: Any) -> bool:
    """ "Resume your unfinished attempt (3 of 17 answered, 2 skipped)? (Y/n)": Enter or y
    resumes it; `progress` in the one wording (`quiz.commands.common.progress_text`)."""
    # Wrapped between words: prompt_toolkit would cut "skipped" at 60 columns. The room left
    # is for "? " before it and " (Y/n) " after it, the last column left free.
    asked = wrap_lines([f"Resume your unfinished attempt ({progress})?"], output_width() - 10)
    with keys_not_signals(kwargs.get("input") or sys.stdin):
        return bool(_ask(questionary.confirm("\n".join(asked), default=True, **kwargs)))


def bank_titles(entries: Sequence[tuple[str, str]], width: int) -> list[str]:
    """ "Title  (id)" for each bank, the title shortened with "…" where the row is too narrow:
    the id, which `quiz take ID` needs, is never cut (prompt_toolkit would clip it)."""
    titles = []
    for bank_id, title in entries:
        shown = f"  ({clean_line(bank_id)})"
        titles.append(
            shorten(clean_line(title), max(width - CHOICE_MARGIN - len(shown), 12)) + shown
        )
    return titles


def choose_bank(entries: Sequence[tuple[str, str]], **kwargs: Any) -> str | None:
    """Pick one of the bundled banks: (id, title) pairs; None to quit."""
    titles = bank_titles(entries, output_width())
    choices = [
        Choice(title, value=bank_id) for title, (bank_id, _) in zip(titles, entries, strict=True)
    ]
    value = _ask(
        questionary.select(
            "Which quiz?",
            choices=[*choices, Separator(), Choice("Quit", value=_QUIT_VALUE)],
            instruction="(arrow keys, then Enter)",
            **kwargs,
        )
    )
    return None if value == _QUIT_VALUE else str(value)


# -- the front end --------------------------------------------------------------------------------
def tally(results: Sequence[Result], style: Style) -> str:
    """The running tally: "5✓ 1◐ 1✗" (and "2→" for skips), marks never colour alone."""
    counts = {"right": 0, "partial": 0, "wrong": 0, "skipped": 0}
    for result in results:
        counts[result.verdict] += 1
    parts = [f"{counts[v]}{style.mark(v)}" for v in ("right", "partial", "wrong")]
    if counts["skipped"]:
        parts.append(f"{counts['skipped']}{style.mark('skipped')}")
    return " ".join(parts)


class InteractiveFrontEnd(FrontEnd):
    """Asks each remaining question of a session with questionary and prints the feedback."""

    def __init__(
        self,
        *,
        stdout: TextIO,
        style: Style | None = None,
        exam: bool = False,
        clock: Callable[[], float] = time.monotonic,
        citations: Citations | None = None,
        width: int | None = None,
        sources: Mapping[Key, str] | None = None,
        **prompt_kwargs: Any,
    ) -> None:
        super().__init__(
            stdout,
            style=style,
            exam=exam,
            clock=clock,
            citations=citations,
            width=width,
            sources=sources,
        )
        self.prompt_kwargs = prompt_kwargs

    def question_lines(
        self, item: Item, total: int, width: int, results: Sequence[Result] = ()
    ) -> list[str]:
        """What is printed above the list or the text box: one header line (bank title,
        question k of n, the running tally), the prompt in bold, and the full options when
        the list would have to shorten them. The keys are the widget's footer."""
        header = f"{clean_line(item.bank.title)} · Question {item.number} of {total}"
        if results and not self.exam:
            header += f" · {tally(results, self.style)}"
        lines = [header, ""]
        prompt = wrap_lines([clean(shown_text(item.question, item.question.prompt)).strip()], width)
        lines += [self.style.bold(line) for line in prompt]
        widget = kind_of(item.question).widget
        if widget not in ("match", "order") and not options_fit(item.options, width):
            lines += option_lines(item)  # (match and order wrap their options themselves)
        return lines

    def clear(self) -> None:
        """A fresh screen for each question (the previous verdict was read: a key was pressed)."""
        if is_tty(self.stdout):
            self.stdout.write("\x1b[H\x1b[J")
            self.stdout.flush()

    def rows(self) -> int:
        """The terminal's height (24 when it cannot say)."""
        try:
            return max(os.get_terminal_size(self.stdout.fileno()).lines, 8)
        except (AttributeError, ValueError, OSError):
            return 24

    def pause(self, message: str = PAUSE) -> None:
        """Keep the feedback on screen until a key is pressed."""
        with keys_not_signals(self.prompt_kwargs.get("input") or sys.stdin):
            question = questionary.press_any_key_to_continue(message, **self.prompt_kwargs)
            _ask(question, point="pause")

    def feedback_screen(
        self, item: Item, result: Result, total: int, results: Sequence[Result], *, last: bool
    ) -> None:
        """After an answer, a screen of its own that always shows the verdict: the header, the
        question (two lines at most), the verdict, then your answer, the right one, the
        explanation and the source; when they do not fit, they scroll under the verdict
        (↑↓) until a key is pressed. In an exam, nothing (the feedback waits for the end)."""
        if self.exam:
            checkpoint("feedback")
            return
        width = self.width or output_width(self.stdout)
        rows = self.rows()
        self.clear()
        header = f"{clean_line(item.bank.title)} · Question {item.number} of {total}"
        header += f" · {tally(results, self.style)}"
        prompt = clean(shown_text(item.question, item.question.prompt)).strip()
        prompt_lines = wrap_lines([prompt], width - 1)
        if len(prompt_lines) > 2:
            prompt_lines = [prompt_lines[0], shorten(prompt_lines[1] + " …", width - 1)]
        top = [*wrap_lines([header], width - 1), ""]
        top += [*(self.style.bold(line) for line in prompt_lines), ""]
        paragraphs = self.citations.get(result.key, ())
        verdict = verdict_lines(result, self.style)
        body = wrap_lines(
            feedback_body(
                result, self.style, paragraphs=paragraphs, source=self.sources.get(result.key)
            ),
            width - 1,
        )
        message = PAUSE_LAST if last else PAUSE
        room = rows - len(top) - len(verdict) - 2  # the pause line, and the line it ends on
        if room < 3:  # a very small terminal: the verdict first of all
            top, room = [], rows - len(verdict) - 2
        self.write(*top, *verdict)
        if len(body) <= room:
            self.write(*body)
            checkpoint("feedback")
            self.pause(message)
        else:
            checkpoint("feedback")
            self.scroll(body, max(room - 1, 1), message)
        self.clear()

    def scroll(self, body: Sequence[str], room: int, message: str) -> None:
        """`body` in a window of `room` lines that ↑↓ (j/k, Page Up/Down) scroll; any other
        key goes on."""
        with keys_not_signals(self.prompt_kwargs.get("input") or sys.stdin):
            _ask(feedback_pager(body, room, message, **self.prompt_kwargs), point="pause")

    def run(self, session: Session) -> Outcome:
        answered_here = 0
        try:
            while (item := session.current) is not None:
                width = self.width or output_width(self.stdout)
                if not answered_here and is_tty(self.stdout):
                    self.stdout.write("\x1b[K")  # over "Loading…", if it is still there
                if self.exam:  # one question a screen, as with feedback; the first keeps
                    if answered_here:  # the notes said before it
                        self.clear()
                    self.write(self.style.bold("Exam: no feedback until the end."))
                self.write(*self.question_lines(item, session.total, width, session.results))
                # match and order show the prompt above their first step, not as a label
                widget = kind_of(item.question).widget
                label = "" if widget in ("match", "order") else None
                start = self.clock()
                # While the widget is built and shown, Ctrl-C is a key it reads (see
                # quiz.ui.interrupts); while our own code runs, a SIGINT.
                with keys_not_signals(self.prompt_kwargs.get("input") or sys.stdin):
                    answer = ask_item(
                        item,
                        ANSWER_LABEL if label is None else label,
                        width=width,
                        **self.prompt_kwargs,
                    )
                seconds = round(self.clock() - start, 3)
                answered_here += 1
                if answer is QUIT:
                    return Outcome.QUIT
                result = (
                    session.skip(seconds)
                    if isinstance(answer, Signal)
                    else session.answer(answer, seconds)
                )
                self.feedback_screen(
                    item, result, session.total, session.results, last=session.done
                )
        except (KeyboardInterrupt, EOFError):
            self.write("")
            return Outcome.INTERRUPTED
        return Outcome.DONE


def feedback_pager(body: Sequence[str], room: int, message: str, **kwargs: Any) -> Any:
    """A prompt showing `room` lines of `body` at a time, ↑↓ (j/k, Page Up/Down) to scroll,
    and `message`; any other key ends it."""
    from prompt_toolkit.application import Application
    from prompt_toolkit.formatted_text import ANSI
    from prompt_toolkit.layout import HSplit, Layout, Window
    from prompt_toolkit.layout.controls import FormattedTextControl

    at = [0]
    last = max(len(body) - room, 0)

    def text() -> Any:  # lines with Style's colour escapes: prompt_toolkit's ANSI text
        shown = list(body[at[0] : at[0] + room])
        below = len(body) - at[0] - room
        more = []
        if at[0]:
            more.append(f"↑ {at[0]} above")
        if below > 0:
            more.append(f"↓ {below} more")
        return ANSI("\n".join([*shown, f"  ({', '.join(more)}: ↑↓ scroll)" if more else ""]))

    bindings = KeyBindings()

    def move(by: int) -> Callable[[Any], None]:
        def handler(event: Any) -> None:
            at[0] = min(max(at[0] + by, 0), last)

        return handler

    for keys, by in (
        (("down", "j"), 1),
        (("up", "k"), -1),
        (("pagedown",), room),
        (("pageup",), -room),
    ):
        for key in keys:
            bindings.add(key, eager=True)(move(by))

    @bindings.add(Keys.Any)
    def _go_on(event: Any) -> None:
        event.app.exit(result=None)

    formatted: Any = text
    lines = Window(FormattedTextControl(formatted), height=room + 1, wrap_lines=False)
    footer = Window(FormattedTextControl([("", f" {message}")]), height=1)
    app: Any = Application(layout=Layout(HSplit([lines, footer])), key_bindings=bindings, **kwargs)
    return questionary.Question(app)
