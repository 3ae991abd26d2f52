"""The questionary front end, driven with real keystrokes through prompt_toolkit's pipe input."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output

from quiz.bank.catalog import Catalog
from quiz.bank.loader import load_bank
from quiz.bank.model import Bank
from quiz.kinds import grade
from quiz.session import Item, Session
from quiz.ui.interactive import (
    QUIT,
    SKIP,
    InteractiveFrontEnd,
    ask_item,
    bank_titles,
    choose_bank,
    live_hint,
    option_titles,
    shorten,
)
from quiz.ui.plain import Outcome, Style

BANKS = Path(__file__).parent / "data" / "banks"
DOWN, UP, ENTER, SPACE = "\x1b[B", "\x1b[A", "\r", " "


@pytest.fixture(scope="module")
def mini() -> Bank:
    return load_bank(BANKS / "mini.yaml")


@pytest.fixture
def pipe() -> Iterator[Any]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


def item_of(bank: Bank, question_id: str, seed: int = 3) -> Item:
    session = Session([bank], [(bank.id, question_id)], seed=seed)
    assert session.current is not None
    return session.current


def pick(options: tuple[str, ...] | list[str], wanted: str) -> str:
    return DOWN * list(options).index(wanted) + ENTER


def number(options: tuple[str, ...] | list[str], wanted: str) -> str:
    return str(list(options).index(wanted) + 1)


def right_keys(item: Item) -> str:
    """The keystrokes that answer an item right."""
    q: Any = item.question
    if q.kind == "choice":
        return pick(item.options, q.answer)
    if q.kind == "truefalse":
        return pick(item.options, "true" if q.answer else "false")
    if q.kind == "multi":
        keys, at = "", 0
        for index in sorted(item.options.index(a) for a in q.answers):
            keys += DOWN * (index - at) + SPACE
            at = index
        return keys + ENTER
    if q.kind == "match":  # each row's match by its number, then Enter
        return "".join(number(item.options, right) for _, right in q.pairs) + ENTER
    if q.kind == "order":  # the items' numbers first to last, then Enter
        return "".join(number(item.options, wanted) for wanted in q.items) + ENTER
    if q.kind == "number":
        return "67,300 barrels" + ENTER
    if q.kind == "date":
        return "1969" + ENTER
    return "shakespeare" + ENTER


NEXT = " "  # any key: the feedback stays on screen until one is pressed


def ask(pipe: Any, item: Item, keys: str) -> Any:
    pipe.send_text(keys)
    return ask_item(item, input=pipe, output=DummyOutput())


KINDS = {
    "capital": "choice",
    "primes": "multi",
    "sky": "truefalse",
    "author": "text",
    "barrels": "number",
    "moon": "date",
    "pairs": "match",
    "sizes": "order",
}


@pytest.mark.parametrize("question_id", list(KINDS))
@pytest.mark.parametrize("seed", [1, 2])
def test_every_kind_answered_right_with_keystrokes(
    mini: Bank, pipe: Any, question_id: str, seed: int
) -> None:
    session = Session([mini], [("mini", question_id)], seed=seed)
    item = session.current
    assert item is not None and item.kind == KINDS[question_id]
    response = ask(pipe, item, right_keys(item))
    result = session.answer(response)
    assert result.correct, (item.options, response)


def test_choice_returns_the_option_text(mini: Bank, pipe: Any) -> None:
    item = item_of(mini, "capital")
    assert ask(pipe, item, DOWN + ENTER) == item.options[1]
    assert ask(pipe, item, DOWN + UP + ENTER) == item.options[0]


def test_truefalse_answers_are_words(mini: Bank, pipe: Any) -> None:
    item = item_of(mini, "sky")
    assert ask(pipe, item, ENTER) == "true"
    assert ask(pipe, item, DOWN + ENTER) == "false"


def test_multi_ticks_and_unticks(mini: Bank, pipe: Any) -> None:
    item = item_of(mini, "primes")
    assert ask(pipe, item, SPACE + DOWN + SPACE + SPACE + ENTER) == [item.options[0]]


def test_multi_with_nothing_ticked_is_not_an_answer(mini: Bank, pipe: Any) -> None:
    item = item_of(mini, "primes")
    # Enter on nothing: a follow-up list (go back, skip, quit); going back, then ticking one
    assert ask(pipe, item, ENTER + ENTER + SPACE + ENTER) == [item.options[0]]
    assert ask(pipe, item, ENTER + DOWN + ENTER) is SKIP
    assert ask(pipe, item, ENTER + UP + ENTER) is QUIT


def test_checkbox_cannot_tick_skip_or_quit(mini: Bank, pipe: Any) -> None:
    item = item_of(mini, "primes")
    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=20, columns=100), term="xterm")
    # UP wraps to the last row: an option, never "Save and quit"
    pipe.send_text(UP + SPACE + ENTER)
    assert ask_item(item, input=pipe, output=output) == [item.options[-1]]
    assert "Skip this question" not in screen.getvalue()
    assert "Save and quit" not in screen.getvalue()


@pytest.mark.parametrize("question_id", ["capital", "sky"])
def test_lists_offer_skip_and_quit(mini: Bank, pipe: Any, question_id: str) -> None:
    item = item_of(mini, question_id)
    assert ask(pipe, item, UP + ENTER) is QUIT  # the list wraps: last is "Save and quit"
    assert ask(pipe, item, UP + UP + ENTER) is SKIP


@pytest.mark.parametrize("question_id", ["capital", "sky", "primes", "pairs", "sizes"])
def test_s_skips_and_q_saves_and_quits_in_every_widget(
    mini: Bank, pipe: Any, question_id: str
) -> None:
    item = item_of(mini, question_id)
    assert ask(pipe, item, "1s") is SKIP  # even after a pick
    assert ask(pipe, item, "q") is QUIT


def test_checkbox_offers_skip_and_quit_when_nothing_is_ticked(mini: Bank, pipe: Any) -> None:
    item = item_of(mini, "primes")
    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=20, columns=100), term="xterm")
    pipe.send_text(ENTER + DOWN + ENTER)
    assert ask_item(item, input=pipe, output=output) is SKIP
    assert "Nothing is ticked." in screen.getvalue()


@pytest.mark.parametrize("question_id", ["author", "barrels", "moon"])
def test_text_prompts_take_skip_and_quit_words(mini: Bank, pipe: Any, question_id: str) -> None:
    item = item_of(mini, question_id)
    assert ask(pipe, item, ":skip" + ENTER) is SKIP
    assert ask(pipe, item, " :QUIT " + ENTER) is QUIT


def test_text_prompt_refuses_an_empty_answer(mini: Bank, pipe: Any) -> None:
    item = item_of(mini, "barrels")
    # Enter on nothing is refused; an unreadable number is asked again (at no cost)
    assert ask(pipe, item, ENTER + "lots" + ENTER + "67.3k" + ENTER) == "67.3k"


@pytest.mark.parametrize(
    ("question_id", "bad", "good"),
    [("barrels", "two experts", "67300"), ("moon", "jan 23 of nothing", "1969")],
)
def test_text_prompt_asks_again_for_a_badly_formed_answer(
    mini: Bank, pipe: Any, question_id: str, bad: str, good: str
) -> None:
    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=20, columns=100), term="xterm")
    pipe.send_text(bad + ENTER + good + ENTER)
    assert ask_item(item_of(mini, question_id), input=pipe, output=output) == good
    assert "try again" in screen.getvalue()


def test_ctrl_c_and_ctrl_d(mini: Bank, pipe: Any) -> None:
    with pytest.raises(KeyboardInterrupt):
        ask(pipe, item_of(mini, "capital"), "\x03")
    with pytest.raises(EOFError):
        ask(pipe, item_of(mini, "capital"), "\x04")
    with pytest.raises(EOFError):
        ask(pipe, item_of(mini, "author"), "\x04")
    with pytest.raises(KeyboardInterrupt):
        ask(pipe, item_of(mini, "primes"), "\x03")
    for question_id in ("pairs", "sizes"):  # the match and order widgets, after a pick
        with pytest.raises(KeyboardInterrupt):
            ask(pipe, item_of(mini, question_id), "1\x03")
        with pytest.raises(EOFError):
            ask(pipe, item_of(mini, question_id), "1\x04")


def test_live_hint(mini: Bank) -> None:
    number = item_of(mini, "barrels")
    assert live_hint(number, "67.3k") == "reads as 67,300"
    assert live_hint(number, "97%") == "reads as 97 %"
    assert "1,5" in live_hint(number, "1,5") or "comma" in live_hint(number, "1,5").lower()
    assert live_hint(number, "") == live_hint(number, ":skip") == ""
    date = item_of(mini, "moon")
    assert live_hint(date, "Dec 2022") == "reads as 2022-12"
    assert live_hint(date, "03/04/2023") and "reads as" not in live_hint(date, "03/04/2023")
    assert live_hint(item_of(mini, "author"), "x") == ""


def test_live_hint_gives_no_answer_away() -> None:
    banks = [load_bank(BANKS / "examples.yaml"), *Catalog().banks()]
    typed_texts = ["x", "19", "Dec", "December", "5 2022", "03/04/2023", "lots", "1,5", "12 13"]
    for bank in banks:
        for question in bank.questions:
            if question.kind not in ("number", "date"):
                continue
            item = item_of(bank, question.id)
            for typed in typed_texts:
                hint = live_hint(item, typed)
                words = hint.replace("(", " ").replace(")", " ").split()
                for start in range(len(words)):
                    for end in range(start + 1, min(start + 4, len(words)) + 1):
                        span = " ".join(words[start:end]).strip(".,;:")
                        if span and span not in typed and not hint.startswith("reads as"):
                            assert not grade(question, span).correct, (question.id, typed, hint)


def test_live_hint_replaces_the_fixed_examples() -> None:
    bank = load_bank(BANKS / "examples.yaml")
    month = item_of(bank, "month-2022-12")
    assert "December 2022" not in live_hint(month, "Dec")
    assert "December 2022" not in live_hint(month, "x")
    assert "December 2022" not in live_hint(item_of(bank, "year-1991"), "Dec")  # any question
    number = item_of(bank, "number-67300")
    assert "67,300" not in live_hint(number, "lots") and "67.3k" not in live_hint(number, "lots")
    assert "such as" in live_hint(number, "lots")
    # what the learner typed may be read back to them
    assert live_hint(month, "03/04/2023").startswith("03/04/2023 could be")


def test_live_hint_is_drawn_beside_the_answer_and_goes_once_answered(mini: Bank, pipe: Any) -> None:
    import threading

    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=20, columns=100), term="xterm")

    def enter_once_the_hint_shows() -> None:  # waits for what is drawn, never for a time
        deadline = time.monotonic() + 60
        while "reads as 67,3" not in screen.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        answered_at[0] = len(screen.getvalue())
        pipe.send_text(ENTER)

    answered_at = [0]
    pipe.send_text("67.3k")
    typist = threading.Thread(target=enter_once_the_hint_shows)
    typist.start()
    assert ask_item(item_of(mini, "barrels"), input=pipe, output=output) == "67.3k"
    typist.join()
    drawn = screen.getvalue()
    assert "reads as 67,3" in drawn[: answered_at[0]]  # (the last column is drawn apart)
    assert "reads as" not in drawn[answered_at[0] :]  # the answered line keeps no hint
    assert "How many barrels? 67.3k" in drawn.replace("\x1b[0;38;5;214;1m", "")  # no gap


def screen_output(columns: int = 100) -> tuple[io.StringIO, Vt100_Output]:
    screen = io.StringIO()
    return screen, Vt100_Output(screen, lambda: Size(rows=30, columns=columns), term="xterm")


@pytest.mark.parametrize("question_id", ["pairs", "sizes"])
def test_match_and_order_show_their_message(mini: Bank, pipe: Any, question_id: str) -> None:
    item = item_of(mini, question_id)
    screen, output = screen_output()
    pipe.send_text(right_keys(item))
    ask_item(item, input=pipe, output=output)
    assert item.question.prompt in screen.getvalue()  # by default, the question's prompt
    screen, output = screen_output()
    pipe.send_text(right_keys(item))
    ask_item(item, "Custom message", input=pipe, output=output)
    assert "Custom message" in screen.getvalue()


def test_shorten() -> None:
    assert shorten("short", 10) == "short"
    text = "Russia resumed its sales before the December 2022 restart"
    cut = shorten(text, 40)
    assert len(cut) <= 40 and cut.endswith("…") and text.startswith(cut[:-1])
    assert shorten("x" * 50, 10) == "x" * 9 + "…"


def test_long_options_are_numbered_and_shortened_visibly() -> None:
    options = ["short", "a long option " * 6]
    # numbered always, as the number keys pick them (true/false has t and f instead)
    assert option_titles(options, 100) == ["1) short", "2) " + ("a long option " * 6).strip()]
    assert option_titles(options, 100, numbered=False) == ["short", options[1].strip()]
    assert option_titles(["x" * 49], 60) == ["1) " + "x" * 49]  # its row: 60 - 7 columns
    assert option_titles(["x" * 51], 60) == [shorten("1) " + "x" * 51, 53)]
    titles = option_titles(options, 40)
    assert titles[0] == "1) short"
    assert titles[1].startswith("2) a long option") and titles[1].endswith("…")
    assert len(titles[1]) <= 40 - 7


def test_front_end_prints_long_options_whole_above_the_list(pipe: Any) -> None:
    bank = load_bank(BANKS / "examples.yaml")
    session = Session([bank], [("examples", "long-choice")], seed=1, shuffle=False)
    item = session.items[0]
    answer = item.question.answer  # type: ignore[attr-defined]
    screen, output = screen_output(columns=60)
    pipe.send_text(pick(item.options, answer) + NEXT)  # the last verdict stays too
    out = io.StringIO()
    front = InteractiveFrontEnd(stdout=out, style=Style(), width=60, input=pipe, output=output)
    assert front.run(session) is Outcome.DONE
    assert session.results[0].correct
    printed = out.getvalue()
    assert all(len(line) <= 60 for line in printed.splitlines())
    number = item.options.index(answer) + 1
    assert f"  {number}) Russia resumed" in printed
    assert "restart that the United Nations data" in " ".join(printed.split())  # whole
    assert "…" in screen.getvalue() and f"{number}) Russia resumed" in screen.getvalue()
    # the prompt and the explanation are wrapped between words, indents kept
    assert "edge of a" in " ".join(printed.split())
    lines = printed.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  The explanation is long"))
    assert lines[at + 1].startswith("  ") and lines[at + 1].strip()


@pytest.mark.parametrize("question_id", list(KINDS))
def test_front_end_shows_every_prompt(mini: Bank, pipe: Any, question_id: str) -> None:
    session = Session([mini], [("mini", question_id)], seed=3)
    pipe.send_text(right_keys(session.items[0]) + NEXT)
    out = io.StringIO()
    front = InteractiveFrontEnd(stdout=out, style=Style(), input=pipe, output=DummyOutput())
    assert front.run(session) is Outcome.DONE
    assert session.items[0].question.prompt in out.getvalue().splitlines()


def test_front_end_cites_the_paragraphs_it_is_given(mini: Bank, pipe: Any) -> None:
    session = Session([mini], [("mini", "capital"), ("mini", "sky")], seed=3)
    pipe.send_text(NEXT.join(right_keys(item) for item in session.items) + NEXT)
    out = io.StringIO()
    front = InteractiveFrontEnd(
        stdout=out,
        style=Style(),
        citations={("mini", "sky"): (9, 10, 21, 16)},
        input=pipe,
        output=DummyOutput(),
    )
    assert front.run(session) is Outcome.DONE
    assert "Source: paragraph 3" in out.getvalue()  # no facts looked up: its own paragraph
    assert "Source: paragraphs 9, 10, 16 and 21" in out.getvalue()


def test_choose_bank(pipe: Any) -> None:
    pipe.send_text(DOWN + ENTER)
    entries = [("a", "First"), ("b", "Second")]
    assert choose_bank(entries, input=pipe, output=DummyOutput()) == "b"
    pipe.send_text(UP + ENTER)
    assert choose_bank(entries, input=pipe, output=DummyOutput()) is None


# -- the whole front end ---------------------------------------------------------------------------
def test_front_end_runs_a_quiz(mini: Bank, pipe: Any) -> None:
    saved: list[Any] = []
    session = Session.build([mini], seed=8, on_answer=saved.append)
    pipe.send_text(NEXT.join(right_keys(item) for item in session.items) + NEXT)
    out = io.StringIO()
    front = InteractiveFrontEnd(stdout=out, style=Style(), input=pipe, output=DummyOutput())
    assert front.run(session) is Outcome.DONE
    assert len(saved) == 8
    assert session.summary().score == 8
    text = out.getvalue()
    assert text.count("✓ Right") == 8
    assert "Question 8 of 8" in text
    assert "Source: paragraph 3" in text  # the capital question cites paragraph 3
    assert "Paris has been the capital for centuries." in text


def test_front_end_skip_quit_and_exam(mini: Bank, pipe: Any) -> None:
    session = Session.build([mini], seed=8)
    first, second = session.items[0], session.items[1]
    keys = right_keys(first)
    typed = ("text", "number", "date")
    keys += ":skip" + ENTER if second.kind in typed else "s"
    third = session.items[2]
    keys += ":quit" + ENTER if third.kind in typed else "q"
    pipe.send_text(keys)
    out = io.StringIO()
    front = InteractiveFrontEnd(
        stdout=out, style=Style(), exam=True, input=pipe, output=DummyOutput()
    )
    assert front.run(session) is Outcome.QUIT
    assert [r.verdict for r in session.results] == ["right", "skipped"]
    assert "Right" not in out.getvalue() and "Skipped" not in out.getvalue()  # exam: held back


def test_front_end_ctrl_c_keeps_answers(mini: Bank, pipe: Any) -> None:
    session = Session.build([mini], seed=8)
    pipe.send_text(right_keys(session.items[0]) + "\x03")
    front = InteractiveFrontEnd(stdout=io.StringIO(), input=pipe, output=DummyOutput())
    assert front.run(session) is Outcome.INTERRUPTED
    assert len(session.results) == 1


HOSTILE = ("\x1b]0;owned\x07", "\x1b[2J", "owned\x07", "\x1b]")


def test_hostile_text_never_reaches_the_terminal(pipe: Any) -> None:
    bank = load_bank(BANKS / "hostile.yaml")
    session = Session.build([bank], seed=1, shuffle=False)
    screen = io.StringIO()
    output = Vt100_Output(screen, lambda: Size(rows=40, columns=120), term="xterm")
    pipe.send_text(DOWN + ENTER + "safe\x1b[2J" + ENTER + NEXT)
    out = io.StringIO()
    front = InteractiveFrontEnd(stdout=out, style=Style(), input=pipe, output=output)
    assert front.run(session) is Outcome.DONE
    for text in (screen.getvalue(), out.getvalue()):
        for bad in HOSTILE:
            assert bad not in text
    assert "Which is safe?" in out.getvalue()  # the front end prints the prompt, cleaned
    assert "Your answer" in screen.getvalue()
    assert "Not that one" in out.getvalue()  # the author's feedback, cleaned


def test_bank_titles_keep_the_id_whole() -> None:
    """At 60 columns "Rason: people, organisations and places  (rason-people-places)" was
    clipped to "(rason-people-pl": the title gives way, the id never does."""
    entries = [("rason-people-places", "Rason: people, organisations and places"), ("a", "A")]
    narrow = bank_titles(entries, 60)
    assert narrow[0].endswith("…  (rason-people-places)") and len(narrow[0]) <= 60 - 7
    assert narrow[1] == "A  (a)"
    assert (
        bank_titles(entries, 80)[0]
        == "Rason: people, organisations and places  (rason-people-places)"
    )
