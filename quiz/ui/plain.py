"""The line-based front end, and the text both front ends print: feedback and the summary.

Plain mode (`--plain`, or stdin/stdout not a terminal) numbers the options, reads one answer per
line and prints the same feedback and summary as the questionary front end, so scripts, screen
readers and pipes work. Everything from a bank or a learner passes through `quiz.sanitize`
before it is printed; colour only decorates words and marks that say the same thing (the
colour, marks, width and wrapping are `quiz.ui.terminal`'s).
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

from quiz.bank.model import Question, format_number
from quiz.grading.hints import Hint, Unreadable
from quiz.kinds import kind_of, shown_text
from quiz.kinds.base import format_response
from quiz.sanitize import clean, clean_line, without_surrogates
from quiz.session import (
    QUIT_WORDS,
    SKIP_WORDS,
    Item,
    Key,
    Result,
    Session,
    Summary,
)
from quiz.store.records import ResponseValue
from quiz.ui.hints import hint_text
from quiz.ui.interrupts import checkpoint
from quiz.ui.terminal import Style, is_tty, output_width, wrap_lines

# The paragraphs of the source each question's facts come from, by (bank id, question id):
# looked up by the command (it knows the source records) and handed to the front ends.
Citations = Mapping[Key, Sequence[int]]


# At most this many characters of what the source paragraph says (about two lines).
SOURCE_ROOM = 140


class Outcome(enum.Enum):
    DONE = "done"  # every question answered or skipped
    QUIT = "quit"  # the learner chose to save and quit
    INTERRUPTED = "interrupted"  # Ctrl-C, Ctrl-D or the end of the input


# -- shared text ---------------------------------------------------------------------------------
def points(value: float) -> str:
    return format_number(round(value, 2))


def response_text(response: ResponseValue, question: Question | None = None) -> str:
    """A response as one safe line, for echoing it back: the question's kind says how
    (`Kind.response_text`: an order's items joined with " → ", as its right answer is shown,
    since items may hold commas and semicolons; other lists with "; ")."""
    if response is None:
        return "(skipped)"
    if question is None:
        text = format_response(response, item=clean_line)
    else:
        text = kind_of(question).response_text(question, response, clean_line)
        if kind_of(question).name == "truefalse":
            text = truefalse_words(text)
    return clean_line(text) or "(nothing)"


def truefalse_words(text: str) -> str:
    """A true/false answer as the widget shows it, "True" or "False", however it was given
    ("true", "t", "yes", "n" from plain mode or a sheet); other text as it is."""
    from quiz.kinds.truefalse import read_bool

    value = read_bool(text)
    return text if value is None else "True" if value else "False"


def how_to_answer(item: Item, *, plain: bool) -> str:
    """One line on how to answer this kind, and how to skip or leave without Ctrl-C."""
    q = item.question
    kind = kind_of(q)
    typed = ":skip to skip, :quit to save and quit"
    listed = 'or pick "Skip this question" or "Save and quit" at the end of the list'
    if kind.widget == "select":
        if not plain:
            return f"Choose one with the arrow keys and Enter, {listed}."
        what = "Type the number of your answer"
    elif kind.widget == "checkbox":
        if not plain:
            return (
                "Tick every right option with Space, then press Enter; press Enter with nothing"
                ' ticked to "Skip this question" or "Save and quit".'
            )
        what = "Type the numbers of every right option, separated by spaces or commas"
    elif kind.widget == "order":
        if not plain:
            return "Press the items' numbers, first to last, then Enter (s skips, q quits)."
        n = len(item.options)
        what = f"Type all {n} numbers, first to last, separated by spaces or commas"
    elif kind.widget == "match":
        if not plain:
            return "Press each item's match by its number, then Enter (s skips, q quits)."
        what = "For each item, type the number of its match"
    else:
        shape = kind.answer_format(q)
        what = hint_text(shape, q) if shape is not None else "Type your answer"
    return f"{what}. ({typed})"


def question_header(item: Item, total: int, style: Style) -> list[str]:
    worth = f"{points(item.points)} point{'' if item.points == 1 else 's'}"
    title = style.bold(f"Question {item.number} of {total}")
    return ["", f"{title}  ({clean_line(item.bank.id)}, {worth})"]


def question_lines(item: Item, total: int, style: Style) -> list[str]:
    """The question as plain mode prints it: header, prompt, numbered options, how to answer."""
    lines = question_header(item, total, style)
    lines.append(clean(shown_text(item.question, item.question.prompt)))
    lines += option_lines(item)
    lines.append(how_to_answer(item, plain=True))
    return lines


def option_lines(item: Item) -> list[str]:
    """The options, numbered ("  1) Paris"); a match question's under "Matches:"."""
    kind = kind_of(item.question)
    lines = ["Matches:"] if kind.widget == "match" else []
    for number, option in enumerate(item.options, 1):
        shown = kind.option_title(item.question, option)
        lines.append(f"  {number}) {clean_line(shown)}")
    return lines


def source_text(paragraphs: Sequence[int]) -> str | None:
    """ "Source: paragraph 16", "Source: paragraphs 9, 10, 16 and 21", or None."""
    numbers = [str(n) for n in sorted(set(paragraphs))]
    if not numbers:
        return None
    if len(numbers) == 1:
        return f"Source: paragraph {numbers[0]}"
    return f"Source: paragraphs {', '.join(numbers[:-1])} and {numbers[-1]}"


def date_words(value: object) -> str | None:
    """A date as people write it ("December 2022", "5 December 2022", "1969"), else None."""
    from quiz.grading.dates import MONTH_NAMES, PartialDate

    if not isinstance(value, PartialDate):
        return None
    if value.month is None:
        return str(value.year)
    month = f"{MONTH_NAMES[value.month - 1]} {value.year}"
    return month if value.day is None else f"{value.day} {month}"


def expected_words(kind: str, expected: str) -> str:
    """A right answer as people write it: a date's "2022-12" as "December 2022", a true/false
    "false" as "False" (as the widget shows it)."""
    if kind == "truefalse":
        return truefalse_words(expected)
    if kind != "date":
        return expected
    from quiz.grading.dates import parse_date
    from quiz.grading.hints import Unreadable

    try:
        return date_words(parse_date(expected)) or expected
    except (Unreadable, ValueError):
        return expected


def right_answer_text(item: Any) -> str:
    """A replayed question's right answer (`quiz.app.replays.ReplayItem`): a multi's, match's
    or order's one item a line, as the feedback lists them; others as people write them."""
    parts = item.right_parts
    if item.kind == "match" and parts:
        return "\n".join(f"{clean_line(left)} → {clean_line(right)}" for left, right in parts)
    if item.kind == "order" and parts:
        return "\n".join(f"{n}. {clean_line(text)}" for n, text in enumerate(parts, 1))
    if item.kind == "multi" and parts:
        return "\n".join(clean_line(str(option)) for option in parts)
    return expected_words(item.kind or "", item.expected or "?")


def right_parts(question: Question) -> tuple[Any, ...]:
    """What `part_lines` compares a response with: a multi's right options, a match's
    (left, right) pairs, an order's items in the right order; () for other kinds."""
    name = kind_of(question).name
    q: Any = question
    if name == "multi":
        return tuple(q.answers)
    if name == "match":
        return tuple((left, right) for left, right in q.pairs)
    if name == "order":
        return tuple(q.items)
    return ()


def part_lines(
    kind: str, response: object, parts: Sequence[Any], style: Style, indent: str = "  "
) -> list[str] | None:
    """Multi, match and order, one line per item: ✓/✗, the pick, the right one (`parts`, see
    `right_parts`). None for other kinds, or a response of another shape."""
    ok, no = style.paint(style.mark("right"), "right"), style.paint(style.mark("wrong"), "wrong")
    lines: list[str] = []
    if not parts:
        return None
    if kind == "multi" and isinstance(response, list):
        right = set(parts)
        for option in response:
            good = option in right
            why = "" if good else "  (not a right option)"
            lines.append(f"{indent}{ok if good else no} {clean_line(str(option))}{why}")
        for option in parts:
            if option not in response:
                lines.append(f"{indent}{no} {clean_line(option)}  (a right option, not picked)")
        return lines
    if kind == "match" and isinstance(response, dict):
        for left, wanted in parts:
            got = response.get(left)
            shown = clean_line(str(got)) if got is not None else "(none)"
            line = f"{clean_line(left)} → {shown}"
            if got == wanted:
                lines.append(f"{indent}{ok} {line}")
            else:
                lines.append(f"{indent}{no} {line}  (right: {clean_line(wanted)})")
        return lines
    if kind == "order" and isinstance(response, list):
        for place, wanted in enumerate(parts, 1):
            got = response[place - 1] if place <= len(response) else None
            shown = clean_line(str(got)) if got is not None else "(none)"
            if got == wanted:
                lines.append(f"{indent}{ok} {place}. {shown}")
            else:
                lines.append(f"{indent}{no} {place}. {shown}  (right: {clean_line(wanted)})")
        return lines
    return None


def item_lines(result: Result, style: Style, indent: str = "  ") -> list[str] | None:
    """Multi, match and order feedback, one line per item: ✓/✗, the pick, the right one.
    None for other kinds (and for a skipped or unreadable answer)."""
    question = result.question
    response = result.response
    if question is None or result.skipped or result.unreadable or response is None:
        return None
    name = kind_of(question).name
    return part_lines(name, response, right_parts(question), style, indent)


def fuzzy_spelling(result: Result) -> str | None:
    """The right spelling when a typed answer was accepted with a typo (`fuzzy`), else None."""
    return typo_of(result.question, result.response) if result.score > 0 else None


def typo_of(question: Question | None, response: object) -> str | None:
    """The spelling a typed answer was accepted for despite a typo (`Kind.typo_of`)."""
    return None if question is None else kind_of(question).typo_of(question, response)


def answer_words(result: Result) -> str:
    """The right answer as people write it (a date's "2022-12" as "December 2022")."""
    if result.question is not None and kind_of(result.question).name == "date":
        return date_words(getattr(result.question, "answer", None)) or result.expected
    if result.question is not None:
        return expected_words(kind_of(result.question).name, result.expected)
    return result.expected


def verdict_text(result: Result, style: Style) -> str:
    """The verdict in a mark and a word: an answer recorded as unreadable says so."""
    if result.unreadable:
        return style.paint(f"{style.mark('wrong')} Unreadable answer", "wrong")
    return style.verdict(result.verdict)


def right_lines(question: Question | None, style: Style, indent: str = "  ") -> list[str] | None:
    """A multi's, match's or order's right answer one line per item, under "Answer:" (for a
    skipped or unreadable answer); None for other kinds."""
    if question is None:
        return None
    name = kind_of(question).name
    parts = right_parts(question)
    if not parts:
        return None
    if name == "match":
        items = [f"{clean_line(left)} → {clean_line(right)}" for left, right in parts]
    elif name == "order":
        items = [f"{place}. {clean_line(item)}" for place, item in enumerate(parts, 1)]
    else:
        items = [clean_line(str(option)) for option in parts]
    return [f"{indent}Answer:", *(f"{indent}  {item}" for item in items)]


def feedback_lines(
    result: Result,
    style: Style,
    *,
    show_prompt: bool = False,
    paragraphs: Sequence[int] = (),
    source: str | None = None,
) -> list[str]:
    """What is said after an answer: the verdict in a word and a mark, the answer, why, where.

    Multi, match and order answers one line per item (✓/✗, the pick, the right one), right
    or not. `paragraphs`: the source paragraphs of the question's facts (see `Citations`);
    without them, the question's own `paragraph`. `source`: what those paragraphs say (the
    source record's statements of the question's facts), shown after them.
    """
    return [
        *verdict_lines(result, style, show_prompt=show_prompt),
        *feedback_body(result, style, paragraphs=paragraphs, source=source),
    ]


def verdict_lines(result: Result, style: Style, *, show_prompt: bool = False) -> list[str]:
    """The verdict line (after the prompt, with `show_prompt`)."""
    lines: list[str] = []
    if show_prompt and result.question is not None:
        lines.append(clean_line(shown_text(result.question, result.question.prompt)))
    score = f"{points(result.score)}/{points(result.max_score)}"
    lines.append(f"{verdict_text(result, style)}  ({score})")
    return lines


def feedback_body(
    result: Result,
    style: Style,
    *,
    paragraphs: Sequence[int] = (),
    source: str | None = None,
) -> list[str]:
    """Everything `feedback_lines` says after the verdict line."""
    lines: list[str] = []
    per_item = item_lines(result, style)
    if per_item is not None:
        lines += per_item
    else:
        if result.unreadable or (not result.correct and not result.skipped):
            lines.append(f"  Your answer: {response_text(result.response, result.question)}")
        listed = right_lines(result.question, style)
        lines += listed or [f"  Answer: {clean_line(answer_words(result))}"]
    typo = fuzzy_spelling(result)
    if typo is not None:
        lines.append(f"  Accepted, spelled {clean_line(typo)}")
    if result.feedback:
        said = shown_text(result.question, result.feedback) if result.question else result.feedback
        lines.append(f"  {clean(said)}")
    if result.hint and not result.correct and per_item is None:  # (items say which themselves)
        lines.append(f"  Hint: {clean_line(hint_text(result.hint, result.question))}")
    question = result.question
    if question is not None and question.explanation:
        lines.append(f"  {clean(shown_text(question, question.explanation))}")
    if not paragraphs and question is not None and question.paragraph:
        paragraphs = (question.paragraph,)
    cited = source_text(paragraphs)
    if cited:
        said = _shortened(clean_line(source or ""), SOURCE_ROOM)
        lines.append(f"  {cited}: {said}" if said else f"  {cited}")
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
        lines += ["", *tag_table_lines(summary.by_tag, output_width())]
    if summary.missed:
        lines += ["", "Missed:"]
        for result in summary.missed:
            prompt = clean_line(result.question.prompt) if result.question else result.question_id
            lines.append(f"  {verdict_text(result, style)}  {prompt}")
            per_item = item_lines(result, style, indent="      ")
            if per_item is not None:  # the feedback's layout: one line per item
                lines += per_item
                continue
            if not result.skipped:
                lines.append(
                    f"      Your answer: {response_text(result.response, result.question)}"
                )
            listed = right_lines(result.question, style, indent="      ")
            lines += listed or [f"      Answer: {clean_line(answer_words(result))}"]
    typos = [(r, fuzzy_spelling(r)) for r in summary.results]
    typos = [(r, typo) for r, typo in typos if typo is not None]
    if typos:
        lines += ["", "Accepted with a typo:"]
        for result, typo in typos:
            prompt = clean_line(result.question.prompt) if result.question else result.question_id
            said = response_text(result.response, result.question)
            lines.append(f"  {style.mark('right')} {prompt}")
            lines.append(f"      Your answer: {said}, accepted, spelled {clean_line(typo)}")
    return lines


def end_screen_lines(
    summary: Summary,
    style: Style,
    *,
    width: int,
    rows: int,
    attempt_id: str = "",
    next_steps: Sequence[str] = (),
) -> list[str]:
    """The end of a quiz on a terminal, in at most `rows` lines of `width` columns: the score
    first, a short by-tag table, the missed questions one per line ("… N more: quiz scores
    show ID" when they do not fit) and the next step."""
    counts = f"{summary.right} right, {len(summary.missed) - summary.skipped} wrong or partly"
    counts += f" right, {summary.skipped} skipped, of {summary.total}."
    score = f"Score: {points(summary.score)}/{points(summary.max_score)} ({summary.percent:.0f}%)"
    head = ["", style.bold(score), *wrap_lines([counts], width)]
    tail = [f"Next: {step}" for step in next_steps]
    tail = wrap_lines(tail, width)
    room = max(rows - len(head) - len(tail) - 1, 0)
    tags: list[str] = []
    if summary.by_tag and room >= 3:
        for count in range(min(5, len(summary.by_tag), room // 2), 0, -1):
            candidate = tag_table_lines(summary.by_tag, width, count)
            if len(candidate) <= room // 2 + 2:
                tags = candidate
                break
    room -= len(tags)
    missed: list[str] = []
    if summary.missed and room >= 2:
        missed = ["Missed:"]
        fits = room - 1
        shown_missed = list(summary.missed)
        more = 0
        if len(shown_missed) > fits:
            more = len(shown_missed) - (fits - 1)
            shown_missed = shown_missed[: fits - 1]
        for result in shown_missed:
            prompt = clean_line(result.question.prompt) if result.question else result.question_id
            mark = style.paint(
                style.mark("wrong" if result.unreadable else result.verdict), result.verdict
            )
            missed.append(f"  {mark} {_shortened(prompt, width - 4)}")
        if more:
            where = f": quiz scores show {attempt_id[:8]}" if attempt_id else ""
            missed.append(f"  … {more} more{where}")
    room -= len(missed)
    typos = [(r, fuzzy_spelling(r)) for r in summary.results]
    noted = [
        f"  {style.mark('right')} {_shortened(response_text(r.response, r.question), width // 2)}"
        f": accepted, spelled {_shortened(clean_line(typo), width // 2 - 4)}"
        for r, typo in typos
        if typo is not None
    ]
    if noted and room >= 2:
        if len(noted) > room - 1:
            noted = [*noted[: room - 2], f"  … {len(noted) - room + 2} more"]
        missed += ["Accepted with a typo:", *noted]
    return head + tags + missed + tail


def _shortened(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    cut = text[: max(room - 1, 1)]
    space = cut.rfind(" ")
    if space > room // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def exam_review_lines(
    results: Sequence[Result], style: Style, citations: Citations | None = None
) -> list[str]:
    """Exam mode: the feedback held back during the quiz, question by question."""
    lines = ["", style.bold("Review")]
    for number, result in enumerate(results, 1):
        lines.append("")
        lines.append(f"{number}.")
        paragraphs = (citations or {}).get(result.key, ())
        lines += feedback_lines(result, style, show_prompt=True, paragraphs=paragraphs)
    return lines


# -- the plain front end --------------------------------------------------------------------------
class _Leave(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.value)
        self.outcome = outcome


class FrontEnd:
    """What both front ends share: where they write, how, and the feedback after an answer."""

    def __init__(
        self,
        stdout: TextIO,
        *,
        style: Style | None = None,
        exam: bool = False,
        clock: Callable[[], float] = time.monotonic,
        citations: Citations | None = None,
        width: int | None = None,
        sources: Mapping[Key, str] | None = None,
    ) -> None:
        self.stdout = stdout
        self.style = style or Style.for_stream(stdout)
        self.exam = exam
        self.clock = clock
        self.citations: Citations = citations or {}
        # What the cited paragraphs say, by question (`quiz.app.attempts.source_notes`).
        self.sources: Mapping[Key, str] = sources or {}
        self.width = width

    def write(self, *lines: str) -> None:
        """Lines wrapped to `output_width` (the one width rule), between words, indents kept."""
        for line in wrap_lines(lines, self.width or output_width(self.stdout)):
            self.stdout.write(line + "\n")
        self.stdout.flush()

    def give_feedback(self, result: Result) -> None:
        """Right or wrong, the answer, the explanation, the source (held back in an exam)."""
        if not self.exam:
            paragraphs = self.citations.get(result.key, ())
            source = self.sources.get(result.key)
            self.write(*feedback_lines(result, self.style, paragraphs=paragraphs, source=source))
        checkpoint("feedback")


class PlainFrontEnd(FrontEnd):
    """Reads answers line by line from `stdin`, writes questions and feedback to `stdout`."""

    def __init__(self, stdin: TextIO, stdout: TextIO, **options: Any) -> None:
        super().__init__(stdout, **options)
        self.stdin = stdin

    def read(self, prompt: str = "> ") -> str:
        """One line, without its newline; the end of input leaves the quiz (answers kept)."""
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.write("")
            raise _Leave(Outcome.INTERRUPTED)
        # Bytes that are not text in the input's encoding (read with `surrogateescape`) become
        # U+FFFD here, before anything is echoed, graded or stored.
        text = str(without_surrogates(line.rstrip("\r\n")))
        if not is_tty(self.stdin):
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
                if response is _SKIP:
                    result = session.skip(seconds)
                elif isinstance(response, _UnreadableLine):
                    result = session.answer_unreadable(response.text, response.hint, seconds)
                else:
                    result = session.answer(_as_response(response), seconds)
                self.give_feedback(result)
        except _Leave as leave:
            return leave.outcome
        except KeyboardInterrupt:
            self.write("")
            return Outcome.INTERRUPTED
        return Outcome.DONE

    def ask(self, item: Item) -> ResponseValue | object:
        if kind_of(item.question).widget == "match":
            return self._ask_match(item)
        while True:
            line = self.read()
            if line.strip().lower() in SKIP_WORDS:
                return _SKIP
            try:
                response = item.plain_response(line)
            except Unreadable as error:
                if not is_tty(self.stdin):  # from a pipe, never asked again (see below)
                    return _UnreadableLine(line, error.hint)
                self.write(f"  {clean_line(hint_text(error.hint, item.question))}")
                continue
            refused = item.well_formed(response)
            if refused is not None and is_tty(self.stdin):
                # On a terminal a badly formed answer is asked again and costs nothing; from
                # a pipe, asking again would shift every later line onto the wrong question,
                # so it is recorded as unreadable (Session.answer) and the quiz goes on.
                self.write(f"  {clean_line(hint_text(refused, item.question))}; try again")
                continue
            return response

    def _ask_match(self, item: Item) -> ResponseValue | object:
        answer: dict[str, str] = {}
        for left in item.lefts:
            while True:
                left_title = kind_of(item.question).option_title(item.question, left)
                line = self.read(f"  {clean_line(left_title)} → ")
                if line.strip().lower() in SKIP_WORDS:
                    return _SKIP
                chosen = item.option_text(line) or _option_named(item.options, line)
                if chosen is not None:
                    answer[left] = chosen
                    break
                if not is_tty(self.stdin):
                    # From a pipe, never asked again (every later line would answer the wrong
                    # row): this row is recorded without a match, and scores nothing.
                    self.write("  no such option: this row is recorded without a match")
                    break
                self.write(f"  type a number from 1 to {len(item.options)}, or :skip")
        return answer


_SKIP = object()


class _UnreadableLine:
    """A line read from a pipe that is no answer: recorded as unreadable (0 points)."""

    def __init__(self, text: str, hint: Hint) -> None:
        self.text = text
        self.hint = hint


def _option_named(options: Sequence[str], typed: str) -> str | None:
    """The option whose text was typed (exactly, else case and spacing aside, when that names
    one option: `GB` and `Gb` are two), else None."""
    if typed in options:
        return typed
    wanted = " ".join(typed.split()).casefold()
    named = [option for option in options if " ".join(option.split()).casefold() == wanted]
    return named[0] if len(named) == 1 else None


def _as_response(value: ResponseValue | object) -> ResponseValue:
    assert value is None or isinstance(value, (str, list, dict))
    return value


def tag_table_lines(by_tag: Sequence[Any], width: int, count: int | None = None) -> list[str]:
    """The end's by-tag table in the one table layout (`quiz.ui.tables`): "By tag:", then a
    row per tag (its first `count`, and "… N more tags"), indented by two; a block per tag
    when a tag is too long for a row. Tags and scores such as `0.33/1` are never cut."""
    from quiz.ui.tables import TerminalColumn, plain_lines

    shown = list(by_tag)[:count] if count is not None else list(by_tag)
    columns = [
        TerminalColumn("Tag", no_wrap=True),
        TerminalColumn("Score", right=True, no_wrap=True),
        TerminalColumn("Percent", right=True, no_wrap=True),
    ]
    rows = [
        [clean_line(t.tag), f"{points(t.score)}/{points(t.max_score)}", f"{t.percent:.0f}%"]
        for t in shown
    ]
    lines = ["By tag:"] + ["  " + line for line in plain_lines("", columns, rows, width - 2)]
    if len(by_tag) > len(shown):
        lines.append(f"  … {len(by_tag) - len(shown)} more tags")
    return lines
