"""The questionary front end: arrow keys and Enter in a terminal.

Imported only inside the commands that ask questions (questionary and prompt_toolkit are slow to
import). Every prompt function passes `**kwargs` through to questionary, so tests can give
`input=` and `output=`. Each question can be skipped or left ("Save and quit") without Ctrl-C:
extra choices in lists, `:skip` and `:quit` in text prompts. Ctrl-C and Ctrl-D end the quiz with
every answer kept. Every text shown comes from `quiz.sanitize` first.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import questionary
from prompt_toolkit.application import get_app
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys
from questionary import Choice, Separator

from quiz import grading
from quiz.model import (
    DateQuestion,
    MatchQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    TrueFalseQuestion,
)
from quiz.plain import (
    Outcome,
    Style,
    feedback_lines,
    how_to_answer,
    question_header,
)
from quiz.records import ResponseValue
from quiz.sanitize import clean, clean_line
from quiz.session import QUIT_WORDS, SKIP_WORDS, Item, Session


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
START_OVER_TITLE = "Start over"
_SKIP_VALUE = -1
_QUIT_VALUE = -2
_RESTART_VALUE = -3


def _ask(question: questionary.Question) -> Any:
    """Run a prompt; Ctrl-C raises KeyboardInterrupt and Ctrl-D EOFError, for the caller."""
    app = question.application
    extra = KeyBindings()

    @extra.add(Keys.ControlD, eager=True)
    def _eof(event: Any) -> None:
        buffer = event.app.current_buffer
        if not buffer.text:
            event.app.exit(exception=EOFError, style="class:aborting")
        else:
            buffer.delete()

    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), extra])
    return question.unsafe_ask()


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


def _titles(options: Sequence[str]) -> list[Choice]:
    return [
        Choice(clean_line(text) or "(empty)", value=index) for index, text in enumerate(options)
    ]


def message_for(item: Item) -> str:
    return clean_line(item.question.prompt)


# -- one function per kind ------------------------------------------------------------------------
def ask_select(item: Item, message: str | None = None, **kwargs: Any) -> Answer:
    """choice and truefalse: one option, or skip / quit."""
    titles = (
        ["True", "False"] if isinstance(item.question, TrueFalseQuestion) else list(item.options)
    )
    value = _ask(
        questionary.select(
            message or message_for(item),
            choices=[*_titles(titles), *_leave_choices()],
            instruction="(arrow keys, then Enter)",
            **kwargs,
        )
    )
    signal = _signal(value)
    return signal if signal is not None else item.options[value]


def ask_checkbox(item: Item, message: str | None = None, **kwargs: Any) -> Answer:
    """multi: tick every right option (Space), Enter to submit; ticking Skip or Quit wins."""
    values = _ask(
        questionary.checkbox(
            message or message_for(item),
            choices=[*_titles(item.options), *_leave_choices()],
            instruction="(Space to tick each right option, Enter to submit)",
            **kwargs,
        )
    )
    if _QUIT_VALUE in values:
        return QUIT
    if _SKIP_VALUE in values:
        return SKIP
    return [item.options[v] for v in values]


def live_hint(item: Item, text: str) -> str:
    """What is shown beside a number or date while it is typed: how it reads, or why not.

    Only a hint: whatever is submitted is graded (and an unreadable answer is wrong, with the
    same hint in the feedback).
    """
    typed = text.strip()
    if not typed or typed.lower() in SKIP_WORDS | QUIT_WORDS:
        return ""
    try:
        if isinstance(item.question, NumberQuestion):
            value, unit = grading.parse_number(typed)
            shown = f"{value:,.10g}" + (f" {unit}" if unit else "")
            return f"reads as {clean_line(shown)}"
        if isinstance(item.question, DateQuestion):
            return f"reads as {grading.parse_date(typed)}"
    except ValueError as error:
        return clean_line(error)
    return ""


def ask_text(item: Item, message: str | None = None, **kwargs: Any) -> Answer:
    """text, number and date: typed, with a live hint on the right; `:skip` / `:quit` leave.

    The hint is a right-hand prompt rather than a bottom toolbar: prompt_toolkit draws a
    toolbar only once the terminal has reported the cursor position, which not all do.
    """

    def hint() -> str:
        try:
            return live_hint(item, get_app().current_buffer.text)
        except Exception:  # a hint must never break the prompt
            return ""

    if isinstance(item.question, (NumberQuestion, DateQuestion)):
        kwargs.setdefault("rprompt", hint)
    text = _ask(
        questionary.text(
            message or message_for(item),
            instruction="(:skip, :quit)",
            validate=lambda typed: bool(typed.strip()) or "Type an answer, :skip or :quit",
            **kwargs,
        )
    )
    word = text.strip().lower()
    if word in SKIP_WORDS:
        return SKIP
    if word in QUIT_WORDS:
        return QUIT
    return str(text)


def ask_match(item: Item, message: str | None = None, **kwargs: Any) -> Answer:
    """match: one select per left-hand item, choosing its match."""
    answer: dict[str, str] = {}
    for left in item.lefts:
        value = _ask(
            questionary.select(
                f"{clean_line(left)} →",
                choices=[*_titles(item.options), *_leave_choices()],
                instruction="(its match: arrow keys, then Enter)",
                **kwargs,
            )
        )
        signal = _signal(value)
        if signal is not None:
            return signal
        answer[left] = item.options[value]
    return answer


def ask_order(item: Item, message: str | None = None, **kwargs: Any) -> Answer:
    """order: pick what comes first, then next, from the items left; the last one goes last."""
    chosen: list[str] = []
    remaining = list(item.options)
    while len(remaining) > 1:
        so_far = " → ".join(clean_line(c) for c in chosen)
        prompt = f"{len(chosen) + 1}. what comes {'first' if not chosen else 'next'}?"
        if so_far:
            prompt += f"  (so far: {so_far})"
        extra: list[Any] = [*_leave_choices()]
        if chosen:
            extra.insert(1, Choice(START_OVER_TITLE, value=_RESTART_VALUE))
        value = _ask(
            questionary.select(
                prompt,
                choices=[*_titles(remaining), *extra],
                instruction="(arrow keys, then Enter)",
                **kwargs,
            )
        )
        if value == _RESTART_VALUE:
            chosen, remaining = [], list(item.options)
            continue
        signal = _signal(value)
        if signal is not None:
            return signal
        chosen.append(remaining.pop(value))
    return chosen + remaining


def ask_item(item: Item, **kwargs: Any) -> Answer:
    """Ask one question with the prompt that suits its kind."""
    question = item.question
    if isinstance(question, MultiQuestion):
        return ask_checkbox(item, **kwargs)
    if isinstance(question, MatchQuestion):
        return ask_match(item, **kwargs)
    if isinstance(question, OrderQuestion):
        return ask_order(item, **kwargs)
    if item.options:  # choice, truefalse
        return ask_select(item, **kwargs)
    return ask_text(item, **kwargs)


def choose_bank(entries: Sequence[tuple[str, str]], **kwargs: Any) -> str | None:
    """Pick one of the bundled banks: (id, title) pairs; None to quit."""
    choices = [
        Choice(f"{clean_line(title)}  ({clean_line(bank_id)})", value=bank_id)
        for bank_id, title in entries
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
class InteractiveFrontEnd:
    """Asks each remaining question of a session with questionary and prints the feedback."""

    def __init__(
        self,
        *,
        stdout: TextIO,
        style: Style | None = None,
        exam: bool = False,
        clock: Callable[[], float] = time.monotonic,
        **prompt_kwargs: Any,
    ) -> None:
        self.stdout = stdout
        self.style = style or Style.for_stream(stdout)
        self.exam = exam
        self.clock = clock
        self.prompt_kwargs = prompt_kwargs

    def write(self, *lines: str) -> None:
        for line in lines:
            self.stdout.write(line + "\n")
        self.stdout.flush()

    def run(self, session: Session) -> Outcome:
        try:
            while (item := session.current) is not None:
                self.write(*question_header(item, session.total, self.style))
                prompt = clean(item.question.prompt)
                if "\n" in prompt.strip():
                    self.write(prompt.strip())
                self.write(how_to_answer(item, plain=False))
                start = self.clock()
                answer = ask_item(item, **self.prompt_kwargs)
                seconds = round(self.clock() - start, 3)
                if answer is QUIT:
                    return Outcome.QUIT
                if isinstance(answer, Signal):
                    result = session.skip(seconds)
                else:
                    result = session.answer(answer, seconds)
                if not self.exam:
                    self.write(*feedback_lines(result, self.style))
        except (KeyboardInterrupt, EOFError):
            self.write("")
            return Outcome.INTERRUPTED
        return Outcome.DONE
