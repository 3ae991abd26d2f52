"""The match and order widgets (quiz/ui/widgets): their state key by key, what they draw, and
the keystroke budgets measured through prompt_toolkit's pipe input (n pairs: n+1 keys; n
items: n+1 keys), with skip, save and quit, Ctrl-C and Ctrl-D."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pyte
import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output

from quiz.bank.loader import load_bank_text
from quiz.bank.model import Bank
from quiz.session import Item, Session
from quiz.ui.interactive import QUIT, SKIP, ask_item
from quiz.ui.widgets.base import QUIT_RESULT, SKIP_RESULT, Digits, hang, ordinal
from quiz.ui.widgets.match import MatchState
from quiz.ui.widgets.order import OrderState

ENTER, UP, DOWN, RIGHT, LEFT, BACKSPACE = "\r", "\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D", "\x7f"

BANK = """
id: widgets
title: Widgets
questions:
  - id: capitals
    kind: match
    prompt: Match each country to its capital.
    pairs: [[France, Paris], [Italy, Rome], [Spain, Madrid], [Portugal, Lisbon]]
    distractors: [Berlin]
  - id: sizes
    kind: order
    prompt: Put these from smallest to largest.
    items: [ant, mouse, cat, dog, horse]
  - id: long-match
    kind: match
    prompt: Match each long description to the organisation it describes in the article.
    pairs:
      - [The trade promotion agency of South Korea that publishes trade figures, KOTRA]
      - [The body whose data recorded the shipments of refined petroleum, United Nations]
  - id: twelve
    kind: order
    prompt: Put the numbers in order.
    items: [one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve]
"""


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank_text(BANK)


@pytest.fixture
def pipe() -> Iterator[Any]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


def item_of(bank: Bank, question_id: str, seed: int = 4) -> Item:
    session = Session([bank], [(bank.id, question_id)], seed=seed)
    assert session.current is not None
    return session.current


def number(options: tuple[str, ...], wanted: str) -> str:
    return str(options.index(wanted) + 1)


def run(pipe: Any, item: Item, keys: list[str], output: Any = None) -> Any:
    for key in keys:
        pipe.send_text(key)
    return ask_item(item, input=pipe, output=output or DummyOutput())


# -- the budgets ----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_match_with_n_pairs_takes_n_plus_1_keys(bank: Bank, pipe: Any, seed: int) -> None:
    item = item_of(bank, "capitals", seed)
    q: Any = item.question
    keys = [number(item.options, right) for _, right in q.pairs] + [ENTER]
    assert len(keys) == len(q.pairs) + 1
    answer = run(pipe, item, keys)
    assert answer == dict(q.pairs)
    assert Session([bank], [("widgets", "capitals")], seed=seed).answer(answer).correct


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_order_with_n_items_takes_n_plus_1_keys(bank: Bank, pipe: Any, seed: int) -> None:
    item = item_of(bank, "sizes", seed)
    q: Any = item.question
    keys = [number(item.options, wanted) for wanted in q.items] + [ENTER]
    assert len(keys) == len(q.items) + 1
    answer = run(pipe, item, keys)
    assert answer == list(q.items)
    assert Session([bank], [("widgets", "sizes")], seed=seed).answer(answer).correct


def test_past_9_items_digits_then_enter(bank: Bank, pipe: Any) -> None:
    item = item_of(bank, "twelve")
    q: Any = item.question
    keys: list[str] = []
    for wanted in q.items:
        typed = number(item.options, wanted)
        keys += [*typed] if typed not in ("1",) else ["1", ENTER]  # "1" could go on: 10, 11, 12
    keys.append(ENTER)
    assert run(pipe, item, keys) == list(q.items)


# -- match ----------------------------------------------------------------------------------------
def test_match_state_picks_moves_on_and_changes_any_row() -> None:
    state = MatchState(["France", "Italy", "Spain"], ["Rome", "Paris", "Madrid"])
    assert state.key("2") is None and state.picks == [1, None, None] and state.row == 1
    state.key("2")  # an option already used may be used again (and is marked)
    assert state.picks == [1, 1, None] and state.row == 2
    state.key("3")
    assert state.row == 2  # every row has a pick: the pointer stays
    state.key("up")
    state.key("1")  # a row changed after the fact
    assert state.picks == [1, 0, 2]
    assert state.key("enter") == {"France": "Paris", "Italy": "Rome", "Spain": "Madrid"}
    assert state.done


def test_match_enter_with_rows_missing_says_so_and_goes_there() -> None:
    state = MatchState(["France", "Italy", "Spain"], ["Rome", "Paris", "Madrid"])
    state.key("1")
    state.key("down")  # to Spain
    state.key("3")
    assert state.key("enter") is None and not state.done
    assert state.row == 1 and "1 item still without a match" in state.note
    state.key("2")
    assert state.key("enter") == {"France": "Rome", "Italy": "Paris", "Spain": "Madrid"}


def test_match_arrow_keys_step_through_the_options_and_backspace_clears() -> None:
    state = MatchState(["a", "b"], ["x", "y", "z"])
    state.key("right")
    assert state.picks[0] == 0
    state.key("right")
    state.key("space")
    assert state.picks[0] == 2
    state.key("right")  # wraps
    assert state.picks[0] == 0
    state.key("left")
    assert state.picks[0] == 2
    state.key("undo")
    assert state.picks[0] is None
    state.key("left")  # from nothing, left is the last option
    assert state.picks[0] == 2


def test_match_skip_and_quit() -> None:
    assert MatchState(["a", "b"], ["x", "y"]).key("skip") == SKIP_RESULT
    assert MatchState(["a", "b"], ["x", "y"]).key("quit") == QUIT_RESULT


def test_match_draws_every_row_with_its_pick_and_marks_used_options() -> None:
    state = MatchState(["France", "Italy"], ["Rome", "Paris", "Berlin"])
    state.key("2")
    lines = [text for _, text in state.lines(60)]
    assert "   France → Paris" in lines
    assert " » Italy  → …" in lines  # the current row, lined up
    assert "   ○ 1) Rome" in lines and "   ● 2) Paris" in lines and "   ○ 3) Berlin" in lines
    state.key("1")
    state.key("enter")
    assert [text for _, text in state.lines(60)] == [
        "Your matches:",
        "  France → Paris",
        "  Italy → Rome",
    ]  # one row a line, never a run-on paragraph


@pytest.mark.parametrize(("key", "said"), [("skip", "Skipped"), ("quit", "Save and quit")])
def test_a_skipped_or_left_match_or_order_echoes_no_empty_pairs(key: str, said: str) -> None:
    match = MatchState(["France", "Italy"], ["Rome", "Paris"])
    match.key("2")  # one row picked, then skipped: nothing half-done is echoed
    match.key(key)
    assert [text for _, text in match.lines(60)] == [said]
    order = OrderState(["cat", "mouse", "horse"])
    order.key("1")
    order.key(key)
    assert [text for _, text in order.lines(60)] == [said]


def test_match_rows_wrap_between_words_under_their_text() -> None:
    left = "The trade promotion agency of South Korea that publishes trade figures"
    state = MatchState([left, "short"], ["KOTRA", "United Nations"])
    lines = [text for _, text in state.lines(40)]
    assert all(len(line) <= 40 for line in lines)
    joined = " ".join(line.strip() for line in lines)
    assert f"» {left} → …" in joined  # every word whole, in order
    assert lines[1].startswith("   ") and not lines[1].startswith("    ")


# -- order ----------------------------------------------------------------------------------------
def test_order_state_places_undoes_and_takes_out() -> None:
    state = OrderState(["cat", "ant", "dog"])
    state.key("2")
    state.key("1")
    assert state.placed == [1, 0]
    state.key("undo")
    assert state.placed == [1]
    state.key("2")  # a placed item's number takes it out again
    assert state.placed == []
    for key in "213":
        state.key(key)
    assert state.complete and not state.done
    assert state.key("enter") == ["ant", "cat", "dog"] and state.done


def test_order_enter_before_every_item_is_placed() -> None:
    state = OrderState(["cat", "ant", "dog"])
    state.key("2")
    assert state.row == 2  # points at the next item not placed
    state.key("up")  # back to ant, placed
    assert state.key("enter") is None and "2 items still to place" in state.note
    state.key("up")  # cat: Enter places the item pointed at
    state.key("enter")
    state.key("enter")  # dog, pointed at next
    assert state.placed == [1, 0, 2]
    assert state.key("enter") == ["ant", "cat", "dog"]


def test_order_draws_each_place_and_the_whole_order() -> None:
    state = OrderState(["cat", "ant", "dog"])
    first = [text for _, text in state.lines(60)]
    assert " » ○ 1) cat" in first and "   ○ 2) ant" in first
    assert any("press the number of the first item" in line for line in first)
    for key in "21":
        state.key(key)
    lines = [text for _, text in state.lines(60)]
    assert "   ● 2) ant  (1st)" in lines and "   ● 1) cat  (2nd)" in lines
    assert "   Your order: ant → cat → … (1 more)" in lines
    state.key("3")
    lines = [text for _, text in state.lines(60)]
    assert any(line.startswith("   Your order: ant → cat → dog") for line in lines)
    state.key("enter")
    assert [text for _, text in state.lines(60)] == ["Your order: ant → cat → dog"]


def test_digits_name_entries_past_nine() -> None:
    digits = Digits(12)
    assert digits.key("1") is None and digits.typed == "1"  # 10, 11 or 12 may follow
    assert digits.key("2") == 11
    assert digits.key("1") is None and digits.enter() == 0
    assert digits.key("9") == 8
    assert digits.key("0") is None and digits.typed == ""  # no entry 0
    assert Digits(3).key("4") is None


def test_ordinal_and_hang() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
    ]
    assert hang(" » ", "one two three four five", 14) == [" » one two", "   three four", "   five"]


# -- through prompt_toolkit -----------------------------------------------------------------------
@pytest.mark.parametrize("question_id", ["capitals", "sizes"])
def test_skip_quit_ctrl_c_and_ctrl_d(bank: Bank, pipe: Any, question_id: str) -> None:
    item = item_of(bank, question_id)
    assert run(pipe, item, ["1", "s"]) is SKIP
    assert run(pipe, item, ["1", "q"]) is QUIT
    with pytest.raises(KeyboardInterrupt):
        run(pipe, item, ["1", "\x03"])
    with pytest.raises(EOFError):
        run(pipe, item, ["\x04"])


def test_match_with_arrow_keys_only(bank: Bank, pipe: Any) -> None:
    item = item_of(bank, "capitals")
    q: Any = item.question
    keys: list[str] = []
    for _, right in q.pairs:
        keys += [RIGHT] * (item.options.index(right) + 1) + [DOWN]
    assert run(pipe, item, [*keys, ENTER]) == dict(q.pairs)


def test_order_with_arrow_keys_and_undo(bank: Bank, pipe: Any) -> None:
    item = item_of(bank, "sizes")
    q: Any = item.question
    keys = [number(item.options, q.items[-1]), BACKSPACE]  # placed, then taken back
    at = (item.options.index(q.items[-1]) + 1) % len(item.options)  # it pointed on past it
    for wanted in q.items:
        index = item.options.index(wanted)
        keys += [DOWN] * ((index - at) % len(item.options)) + [" "]
        # after Space the pointer moves to the next item not placed: follow it
        placed = q.items[: q.items.index(wanted) + 1]
        rest = [i for i in range(len(item.options)) if item.options[i] not in placed]
        at = next((i for i in rest if i > index), rest[0] if rest else index)
    assert run(pipe, item, [*keys, ENTER]) == list(q.items)


def rendered(text: str, columns: int, rows: int = 30) -> list[str]:
    screen = pyte.Screen(columns, rows)
    pyte.Stream(screen).feed(text.replace("\n", "\r\n") if "\r\n" not in text else text)
    return [line.rstrip() for line in screen.display]


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_the_widget_on_a_screen_keeps_words_whole(bank: Bank, pipe: Any, columns: int) -> None:
    item = item_of(bank, "long-match")
    q: Any = item.question
    out = io.StringIO()
    output = Vt100_Output(out, lambda: Size(rows=30, columns=columns), term="xterm")
    keys = [number(item.options, right) for _, right in q.pairs] + [ENTER]
    assert run(pipe, item, keys, output) == dict(q.pairs)
    visible = rendered(out.getvalue(), columns)
    text = "\n".join(visible)
    assert "Your matches:" in text
    for word in re.findall(r"[A-Za-z]{4,}", " ".join(f"{a} {b}" for a, b in q.pairs)):
        assert any(word in line for line in visible), (word, text)


def test_a_long_pick_goes_on_under_itself_when_rows_line_up() -> None:
    pick = "More Russian tourists could bring Rason's tourism back to life"
    state = MatchState(["Jeong Eunlee", "Cho Sung-chan"], [pick, "Other"])
    state.key("1")
    lines = [text for _, text in state.lines(50)]
    start = len("   Jeong Eunlee  → ")
    assert lines[0].startswith("   Jeong Eunlee  → More Russian")
    assert lines[1].startswith(" " * start) and lines[1][start] != " "
    assert all(len(line) <= 50 for line in lines)
