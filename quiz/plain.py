"""The line-based front end, and the text both front ends print: feedback and the summary.

Plain mode (`--plain`, or stdin/stdout not a terminal) numbers the options, reads one answer per
line and prints the same feedback and summary as the questionary front end, so scripts, screen
readers and pipes work. Everything from a bank or a learner passes through `quiz.sanitize`
before it is printed; colour only decorates words and marks that say the same thing.
"""

from __future__ import annotations

import enum
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from quiz.model import (
    ChoiceQuestion,
    DateQuestion,
    MatchQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    TextQuestion,
    TrueFalseQuestion,
    format_number,
)
from quiz.records import ResponseValue
from quiz.sanitize import clean, clean_line
from quiz.session import QUIT_WORDS, SKIP_WORDS, Item, Result, Session, Summary


class Outcome(enum.Enum):
    DONE = "done"  # every question answered or skipped
    QUIT = "quit"  # the learner chose to save and quit
    INTERRUPTED = "interrupted"  # Ctrl-C, Ctrl-D or the end of the input


# -- colour and marks ---------------------------------------------------------------------------
def color_wanted(stream: TextIO) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _encodes(stream: TextIO | None, text: str) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return False
    return True


_COLORS = {"right": "32", "partial": "33", "wrong": "31", "skipped": "2"}
_MARKS = {"right": "✓", "partial": "◐", "wrong": "✗", "skipped": "→"}
_ASCII_MARKS = {"right": "+", "partial": "~", "wrong": "x", "skipped": "-"}
_WORDS = {"right": "Right", "partial": "Partly right", "wrong": "Wrong", "skipped": "Skipped"}


@dataclass(frozen=True)
class Style:
    """How verdicts look: a mark and a word always; colour on top when wanted."""

    color: bool = False
    unicode: bool = True

    @classmethod
    def for_stream(cls, stream: TextIO) -> Style:
        return cls(color=color_wanted(stream), unicode=_encodes(stream, "✓◐✗→—"))

    def paint(self, text: str, verdict: str) -> str:
        if not self.color or verdict not in _COLORS:
            return text
        return f"\x1b[{_COLORS[verdict]}m{text}\x1b[0m"

    def bold(self, text: str) -> str:
        return f"\x1b[1m{text}\x1b[0m" if self.color else text

    def verdict(self, verdict: str) -> str:
        marks = _MARKS if self.unicode else _ASCII_MARKS
        return self.paint(f"{marks[verdict]} {_WORDS[verdict]}", verdict)


# -- shared text ---------------------------------------------------------------------------------
def points(value: float) -> str:
    return format_number(round(value, 2))


def response_text(response: ResponseValue) -> str:
    """A response as one safe line, for echoing it back."""
    if response is None:
        return "(skipped)"
    if isinstance(response, dict):
        return "; ".join(f"{clean_line(k)} → {clean_line(v)}" for k, v in response.items())
    if isinstance(response, list):
        return "; ".join(clean_line(v) for v in response) or "(nothing)"
    return clean_line(response) or "(nothing)"


def how_to_answer(item: Item, *, plain: bool) -> str:
    """One line on how to answer this kind, and how to skip or leave without Ctrl-C."""
    q = item.question
    typed = ":skip to skip, :quit to save and quit"
    listed = 'or pick "Skip this question" or "Save and quit" at the end of the list'
    if isinstance(q, (ChoiceQuestion, TrueFalseQuestion)):
        if not plain:
            return f"Choose one with the arrow keys and Enter, {listed}."
        what = "Type the number of your answer"
    elif isinstance(q, MultiQuestion):
        if not plain:
            return f"Tick every right option with Space, then Enter; {listed}."
        what = "Type the numbers of every right option, such as 1,3"
    elif isinstance(q, OrderQuestion):
        if not plain:
            return f"Pick the first item, then the next, and so on; {listed}."
        what = "Type the numbers in the right order, such as 3 1 2"
    elif isinstance(q, MatchQuestion):
        if not plain:
            return f"Pick the match of each item in turn; {listed}."
        what = "For each item, type the number of its match"
    elif isinstance(q, NumberQuestion):
        unit = f" (in {clean_line(q.unit)})" if q.unit else ""
        what = f"Type a number{unit}, such as 67,300 or 67.3k"
    elif isinstance(q, DateQuestion):
        what = {
            "year": "Type a year, such as 1991",
            "month": "Type a month and year, such as 2022-12 or December 2022",
            "day": "Type a full date, such as 2022-12-05 or 5 December 2022",
        }[q.answer.precision]
    elif isinstance(q, TextQuestion):
        what = "Type your answer"
    else:
        what = "Answer"
    return f"{what}. ({typed})"


def question_header(item: Item, total: int, style: Style) -> list[str]:
    worth = f"{points(item.points)} point{'' if item.points == 1 else 's'}"
    title = style.bold(f"Question {item.number} of {total}")
    return ["", f"{title}  ({clean_line(item.bank.id)}, {worth})"]


def question_lines(item: Item, total: int, style: Style) -> list[str]:
    """The question as plain mode prints it: header, prompt, numbered options, how to answer."""
    lines = question_header(item, total, style)
    lines.append(clean(item.question.prompt))
    if isinstance(item.question, MatchQuestion):
        lines.append("Matches:")
    for number, option in enumerate(item.options, 1):
        shown = option.capitalize() if isinstance(item.question, TrueFalseQuestion) else option
        lines.append(f"  {number}) {clean_line(shown)}")
    lines.append(how_to_answer(item, plain=True))
    return lines


def feedback_lines(result: Result, style: Style, *, show_prompt: bool = False) -> list[str]:
    """What is said after an answer: the verdict in a word and a mark, the answer, why, where."""
    lines: list[str] = []
    if show_prompt and result.question is not None:
        lines.append(clean_line(result.question.prompt))
    score = f"{points(result.score)}/{points(result.max_score)}"
    lines.append(f"{style.verdict(result.verdict)}  ({score})")
    if not result.correct and not result.skipped:
        lines.append(f"  Your answer: {response_text(result.response)}")
    lines.append(f"  Answer: {clean_line(result.expected)}")
    if result.feedback:
        lines.append(f"  {clean(result.feedback)}")
    if result.hint and not result.correct:
        lines.append(f"  Hint: {clean_line(result.hint)}")
    question = result.question
    if question is not None and question.explanation:
        lines.append(f"  {clean(question.explanation)}")
    if question is not None and question.paragraph:
        lines.append(f"  Source: paragraph {question.paragraph}")
    return lines


def summary_lines(summary: Summary, style: Style) -> list[str]:
    """Score, percentage, a per-tag table and the missed questions with their answers."""
    lines = [
        "",
        style.bold(
            f"Score: {points(summary.score)}/{points(summary.max_score)} ({summary.percent:.0f}%)"
        ),
    ]
    counts = f"{summary.right} right, {len(summary.missed) - summary.skipped} wrong or partly"
    noun = "question" if summary.total == 1 else "questions"
    counts += f" right, {summary.skipped} skipped, of {summary.total} {noun}"
    unasked = summary.total - summary.answered - summary.skipped
    if unasked > 0:
        counts += f" ({unasked} not reached)"
    lines.append(counts + ".")
    if summary.by_tag:
        width = max(len(clean_line(t.tag)) for t in summary.by_tag)
        width = max(width, 3)
        lines += ["", "By tag:", f"  {'tag':<{width}}  {'score':>9}  {'percent':>7}"]
        for total in summary.by_tag:
            score = f"{points(total.score)}/{points(total.max_score)}"
            lines.append(f"  {clean_line(total.tag):<{width}}  {score:>9}  {total.percent:>6.0f}%")
    if summary.missed:
        lines += ["", "Missed:"]
        for result in summary.missed:
            prompt = clean_line(result.question.prompt) if result.question else result.question_id
            lines.append(f"  {style.verdict(result.verdict)}  {prompt}")
            if not result.skipped:
                lines.append(f"      Your answer: {response_text(result.response)}")
            lines.append(f"      Answer: {clean_line(result.expected)}")
    return lines


def exam_review_lines(results: Sequence[Result], style: Style) -> list[str]:
    """Exam mode: the feedback held back during the quiz, question by question."""
    lines = ["", style.bold("Review")]
    for number, result in enumerate(results, 1):
        lines.append("")
        lines.append(f"{number}.")
        lines += feedback_lines(result, style, show_prompt=True)
    return lines


# -- the plain front end --------------------------------------------------------------------------
class _Leave(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.value)
        self.outcome = outcome


class PlainFrontEnd:
    """Reads answers line by line from `stdin`, writes questions and feedback to `stdout`."""

    def __init__(
        self,
        stdin: TextIO,
        stdout: TextIO,
        *,
        style: Style | None = None,
        exam: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.style = style or Style.for_stream(stdout)
        self.exam = exam
        self.clock = clock

    def write(self, *lines: str) -> None:
        for line in lines:
            self.stdout.write(line + "\n")
        self.stdout.flush()

    def read(self, prompt: str = "> ") -> str:
        """One line, without its newline; the end of input leaves the quiz (answers kept)."""
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.write("")
            raise _Leave(Outcome.INTERRUPTED)
        text = line.rstrip("\r\n")
        if not _is_tty(self.stdin):
            self.write(clean_line(text))  # echo piped answers, so the transcript reads well
        word = text.strip().lower()
        if word in QUIT_WORDS:
            raise _Leave(Outcome.QUIT)
        return text

    def run(self, session: Session) -> Outcome:
        """Ask every remaining question; DONE, or QUIT/INTERRUPTED with every answer kept."""
        try:
            while (item := session.current) is not None:
                self.write(*question_lines(item, session.total, self.style))
                start = self.clock()
                response = self.ask(item)
                seconds = round(self.clock() - start, 3)
                result = (
                    session.skip(seconds)
                    if response is _SKIP
                    else session.answer(_as_response(response), seconds)
                )
                if not self.exam:
                    self.write(*feedback_lines(result, self.style))
        except _Leave as leave:
            return leave.outcome
        except KeyboardInterrupt:
            self.write("")
            return Outcome.INTERRUPTED
        return Outcome.DONE

    def ask(self, item: Item) -> ResponseValue | object:
        if isinstance(item.question, MatchQuestion):
            return self._ask_match(item)
        while True:
            line = self.read()
            if line.strip().lower() in SKIP_WORDS:
                return _SKIP
            try:
                return item.plain_response(line)
            except ValueError as error:
                self.write(f"  {error}")

    def _ask_match(self, item: Item) -> ResponseValue | object:
        answer: dict[str, str] = {}
        for left in item.lefts:
            while True:
                line = self.read(f"  {clean_line(left)} → ")
                if line.strip().lower() in SKIP_WORDS:
                    return _SKIP
                chosen = item.option_text(line) or _option_named(item.options, line)
                if chosen is not None:
                    answer[left] = chosen
                    break
                self.write(f"  type a number from 1 to {len(item.options)}, or :skip")
        return answer


_SKIP = object()


def _option_named(options: Sequence[str], typed: str) -> str | None:
    """The option whose text was typed (case and spacing aside), else None."""
    wanted = " ".join(typed.split()).casefold()
    for option in options:
        if " ".join(option.split()).casefold() == wanted:
            return option
    return None


def _as_response(value: ResponseValue | object) -> ResponseValue:
    assert value is None or isinstance(value, (str, list, dict))
    return value


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
