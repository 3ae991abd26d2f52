"""What a learner SEES: `python -m quiz take` from this worktree in a pseudo-terminal, rendered
by a terminal emulator (pyte) at 60x20, 80x24 and 120x40.

Every step waits for what the visible screen shows, never for a fixed time (the timeout only
catches a hang). After each answer of each kind the verdict must be on screen with the key that
goes on; every question shows its footer of keys; the end shows the score; no word of the app's
own text is broken across lines; and each kind is answered within its keystroke budget (choice 2,
true/false 2, multi with k right options k+1, match with n pairs n+1, order with n items n+1).
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from quiz.bank.loader import load_bank
from quiz.sanitize import clean_line
from quiz.session import Filters, Item, Session

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

ROOT = Path(__file__).resolve().parent.parent
MINI = str(ROOT / "tests" / "data" / "banks" / "mini.yaml")
ENTER = "\r"
SIZES = [(60, 20), (80, 24), (120, 40)]
TIMEOUT = 60.0  # only catches a hang
BUDGET = {"choice": 2, "truefalse": 2}


class Screen:
    """A quiz in a pseudo-terminal, and the screen a terminal would show."""

    def __init__(self, *args: str, columns: int, rows: int) -> None:
        env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm", NO_COLOR="1")
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "quiz", *args],
            cwd=str(ROOT),  # this worktree's code, not the installed quiz
            env=env,
            encoding="utf-8",
            dimensions=(rows, columns),
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)
        self.keys = 0

    @property
    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def _pump(self, wait: float) -> bool:
        try:
            data = self.child.read_nonblocking(65536, timeout=wait)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
        self.stream.feed(data)
        return True

    def wait_for(self, *wanted: str) -> None:
        """Until every text (or regex, for those starting with '^') is visible at once."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            if all(self._visible(w) for w in wanted):
                return
            alive = self._pump(0.2)
            if not alive and not all(self._visible(w) for w in wanted):
                pytest.fail(f"quiz ended before showing {wanted!r}; the screen:\n{self.text}")
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {wanted!r}; the screen:\n{self.text}")

    def _visible(self, wanted: str) -> bool:
        if wanted.startswith("^"):
            return re.search(wanted[1:], self.text, re.MULTILINE) is not None
        return wanted in self.text

    def press(self, *keys: str) -> None:
        for key in keys:
            self.keys += 1
            self.child.send(key)

    def type(self, text: str) -> None:
        self.keys += len(text)
        self.child.send(text)

    def end(self) -> int:
        deadline = time.monotonic() + TIMEOUT
        while self._pump(0.2):
            if time.monotonic() > deadline:
                pytest.fail(f"quiz did not end; the screen:\n{self.text}")
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)


def number(options: tuple[str, ...] | list[str], wanted: str) -> str:
    return str(list(options).index(wanted) + 1)


def answer(screen: Screen, item: Item) -> int:
    """Answer `item` right with the fewest keys; the keys it took."""
    q: Any = item.question
    before = screen.keys
    if q.kind == "choice":
        screen.press(number(item.options, q.answer), ENTER)
    elif q.kind == "truefalse":
        screen.press("t" if q.answer else "f", ENTER)
    elif q.kind == "multi":
        screen.press(*[number(item.options, a) for a in q.answers], ENTER)
    elif q.kind == "match":  # one screen: each row's match by number, then Enter
        screen.wait_for(f"{q.pairs[0][0]} ", "Matches:")
        screen.press(*[number(item.options, right) for _, right in q.pairs], ENTER)
    elif q.kind == "order":  # the items' numbers first to last, then Enter
        screen.wait_for("Your order:")
        screen.press(*[number(item.options, wanted) for wanted in q.items], ENTER)
    else:
        typed = {"text": "Shakespeare", "number": "67300", "date": "1969"}[q.kind]
        screen.type(typed)
        screen.press(ENTER)
        return 1  # a typed answer: the Enter that submits it
    return screen.keys - before


def budget(item: Item) -> int:
    q: Any = item.question
    if q.kind == "multi":
        return len(q.answers) + 1
    if q.kind == "match":
        return len(q.pairs) + 1
    if q.kind == "order":
        return len(q.items) + 1
    return BUDGET.get(q.kind, 1)


FOOTER_WORDS = ("skip", "save & quit")
LAST_PAUSE = "Press any key to see your score"


def whole_words(screen: Screen, *texts: str) -> None:
    """Every word of `texts` (the app's own text) is whole on some visible line."""
    visible = screen.lines
    for text in texts:
        for word in re.findall(r"[A-Za-z]{4,}", text):
            assert any(word in line for line in visible), (word, screen.text)


@pytest.mark.parametrize(("columns", "rows"), SIZES)
def test_a_whole_quiz_as_the_learner_sees_it(columns: int, rows: int) -> None:
    session = Session.build([load_bank(MINI)], seed=12)
    screen = Screen("take", MINI, "--seed", "12", columns=columns, rows=rows)
    for item in session.items:
        screen.wait_for(f"Question {item.number} of 8", *FOOTER_WORDS)
        q: Any = item.question
        whole_words(screen, q.prompt)
        assert "mini" in screen.text or "every kind" in screen.text  # the header's bank title
        used = answer(screen, item)
        assert used <= budget(item), (q.kind, used, budget(item))
        last = item.number == 8
        pause = LAST_PAUSE if last else "Press any key for the next question"
        screen.wait_for("✓ Right", pause)  # the verdict stays, the last one too
        whole_words(screen, q.explanation, pause)
        assert "Score:" not in screen.text
        screen.press(" ")
    screen.wait_for("Score: 8/8 (100%)")
    assert screen.end() == 0


@pytest.mark.parametrize(("columns", "rows"), SIZES)
def test_the_header_keeps_a_running_tally(columns: int, rows: int) -> None:
    session = Session.build([load_bank(MINI)], seed=12)
    screen = Screen("take", MINI, "--seed", "12", columns=columns, rows=rows)
    first, second = session.items[0], session.items[1]
    screen.wait_for("Question 1 of 8")
    answer(screen, first)
    screen.wait_for("Press any key")
    screen.press(" ")
    screen.wait_for("Question 2 of 8", "1✓ 0◐ 0✗")
    if second.kind in ("text", "number", "date"):
        screen.type(":skip")
        screen.press(ENTER)
    else:
        screen.press("s")
    screen.wait_for("Skipped", "Press any key")
    screen.press(" ")
    screen.wait_for("Question 3 of 8", "1✓ 0◐ 0✗ 1→")
    screen.child.sendcontrol("c")
    screen.wait_for("Interrupted.")
    assert screen.end() == 130


@pytest.mark.parametrize(("columns", "rows"), SIZES)
def test_save_and_quit_is_a_key_and_exits_0(columns: int, rows: int) -> None:
    screen = Screen("take", MINI, "--kind", "choice", columns=columns, rows=rows)
    screen.wait_for("Question 1 of 1", "q save & quit")
    screen.press("q")
    screen.wait_for("Saved.")
    assert screen.end() == 0


@pytest.mark.parametrize(("columns", "rows"), SIZES)
def test_a_wrong_answer_shows_the_verdict_and_the_right_answer(columns: int, rows: int) -> None:
    session = Session.build([load_bank(MINI)], seed=12)
    capital = next(item for item in session.items if item.question.id == "capital")
    wrong = next(o for o in capital.options if o != "Paris")
    screen = Screen("take", MINI, "--seed", "12", "--kind", "choice", columns=columns, rows=rows)
    screen.wait_for("Which city is the capital of France?")
    screen.press(number(capital.options, wrong), ENTER)
    screen.wait_for("✗ Wrong", f"Your answer: {wrong}", "Answer: Paris", LAST_PAUSE)
    screen.press(" ")
    screen.wait_for("Score: 0/1")
    screen.wait_for("--wrong-only", "Next: quiz study")  # the next step
    assert screen.end() == 0


@pytest.mark.parametrize(("columns", "rows"), SIZES)
def test_exam_says_there_is_no_feedback(columns: int, rows: int) -> None:
    screen = Screen("take", MINI, "--exam", "--kind", "choice", columns=columns, rows=rows)
    screen.wait_for("Exam: no feedback until the end.", "Question 1 of 1")
    screen.press("1", ENTER)
    screen.wait_for("Score:")
    assert screen.end() == 0


def test_an_unfinished_attempt_is_offered_on_a_terminal() -> None:
    args = ("take", MINI, "--kind", "choice", "--kind", "truefalse", "--seed", "3")
    session = Session.build(
        [load_bank(MINI)], seed=3, filters=Filters(kinds=("choice", "truefalse"))
    )
    screen = Screen(*args, columns=80, rows=24)
    screen.wait_for("Question 1 of 2", "save & quit")
    answer(screen, session.items[0])
    screen.wait_for("Press any key")
    screen.child.sendcontrol("c")
    screen.wait_for("Interrupted.")
    assert screen.end() == 130

    screen = Screen(*args[:-2], columns=80, rows=24)  # a new quiz on the same banks
    screen.wait_for("Resume your unfinished attempt (1 of 2)?")
    screen.press(ENTER)
    screen.wait_for("Question 2 of 2")
    answer(screen, session.items[1])
    screen.wait_for(LAST_PAUSE)
    screen.press(" ")
    screen.wait_for("Score:")
    assert screen.end() == 0


@pytest.mark.parametrize(("columns", "rows"), SIZES)
def test_the_end_fits_one_screen(columns: int, rows: int) -> None:
    session = Session.build([load_bank(MINI)], seed=12)
    screen = Screen("take", MINI, "--seed", "12", columns=columns, rows=rows)
    for item in session.items:
        screen.wait_for(f"Question {item.number} of 8", "save & quit")
        if item.kind in ("text", "number", "date"):
            screen.type(":skip")
            screen.press(ENTER)
        else:
            screen.press("s")
        screen.wait_for("Skipped", "Press any key")
        screen.press(" ")
    screen.wait_for("Score: 0/8 (0%)", "^Next: quiz study")
    text = screen.text
    assert "Score: 0/8 (0%)" in text and "--wrong-only" in text  # all on the last screen
    missed = [line for line in screen.lines if line.startswith("  → ")]
    assert len(missed) == 8 or re.search(r"… \d+ more: quiz scores show [0-9a-f]{8}", text), text
    assert screen.end() == 0


def one_of(kind: str) -> Item:
    [item] = Session.build([load_bank(MINI)], seed=12, filters=Filters(kinds=(kind,))).items
    return item


@pytest.mark.parametrize(("columns", "rows"), SIZES)
def test_match_on_one_screen(columns: int, rows: int) -> None:
    item = one_of("match")
    q: Any = item.question
    n = {option: number(item.options, option) for option in item.options}
    screen = Screen("take", MINI, "--seed", "12", "--kind", "match", columns=columns, rows=rows)
    screen.wait_for("Question 1 of 1", "Matches:", *FOOTER_WORDS)
    for left, _ in q.pairs:  # every left item, none picked yet
        screen.wait_for(f"^^ +(» )?{left} +→ …$")
    whole_words(screen, q.prompt)
    screen.press(n["Paris"])  # France; then on to the next row by itself
    screen.wait_for("^^ +France +→ Paris$", "^^ » Italy +→ …$", f"● {n['Paris']}) Paris")
    screen.wait_for(*[f"○ {n[o]}) {o}" for o in ("Rome", "Madrid")])  # not used yet
    screen.press(n["Madrid"], n["Rome"])  # Italy, Spain: both wrong
    screen.wait_for("^^ +Italy +→ Madrid$", "^^ » Spain +→ Rome$")
    screen.press("\x1b[A", n["Rome"])  # any row changes: back up to Italy
    screen.wait_for("^^ » Italy +→ Rome$", "^^ +Spain +→ Rome$", f"● {n['Rome']}) Rome")
    screen.press(ENTER)
    screen.wait_for(
        "◐ Partly right",
        "✓ France → Paris",
        "✓ Italy → Rome",
        "✗ Spain → Rome  (right: Madrid)",
        LAST_PAUSE,
    )
    whole_words(screen, q.explanation, LAST_PAUSE)
    screen.press(" ")
    screen.wait_for("Score: 0.67/1")
    assert screen.end() == 0


@pytest.mark.parametrize(("columns", "rows"), SIZES)
def test_order_as_a_list_the_learner_builds(columns: int, rows: int) -> None:
    item = one_of("order")
    n = {option: number(item.options, option) for option in item.options}
    screen = Screen("take", MINI, "--seed", "12", "--kind", "order", columns=columns, rows=rows)
    screen.wait_for("Question 1 of 1", "press the number of the first item", *FOOTER_WORDS)
    screen.press(n["horse"])
    screen.wait_for(f"● {n['horse']}) horse  (1st)", "Your order: horse → … (2 more)")
    screen.press("\x7f")  # Backspace: taken back
    screen.wait_for(f"○ {n['horse']}) horse", "press the number of the first item")
    before = screen.keys
    screen.press(n["mouse"], n["cat"], n["horse"])
    screen.wait_for("Your order: mouse → cat → horse", f"● {n['cat']}) cat  (2nd)")
    screen.press(ENTER)
    assert screen.keys - before == 4  # n items: n+1 keys
    screen.wait_for("✓ Right", "✓ 1. mouse", "✓ 2. cat", "✓ 3. horse", LAST_PAUSE)
    screen.press(" ")
    screen.wait_for("Score: 1/1 (100%)")
    assert screen.end() == 0


@pytest.mark.parametrize("kind", ["match", "order"])
def test_ctrl_c_in_match_and_order_exits_130(kind: str) -> None:
    screen = Screen("take", MINI, "--kind", kind, columns=80, rows=24)
    screen.wait_for("Question 1 of 1", "save & quit")
    screen.press("1")
    screen.child.sendcontrol("c")
    screen.wait_for("Interrupted.")
    assert screen.end() == 130


def test_ctrl_c_at_the_last_verdict_keeps_the_finished_attempt(quiz_home: Path) -> None:
    from quiz.store import Store

    screen = Screen("take", MINI, "--kind", "choice", columns=80, rows=24)
    screen.wait_for("Question 1 of 1", "save & quit")
    screen.press("1", ENTER)
    screen.wait_for(LAST_PAUSE)
    screen.child.sendcontrol("c")
    screen.wait_for("Every question is answered and kept: quiz scores show")
    assert screen.end() == 130
    with Store.open(quiz_home) as store:
        [attempt] = store.attempts()
    assert attempt.status == "finished" and len(attempt.responses) == 1


@pytest.mark.parametrize(("columns", "rows"), SIZES)
def test_a_long_match_keeps_every_word_whole(columns: int, rows: int) -> None:
    from quiz.bank.catalog import Catalog

    [bank] = [b for b in Catalog().banks() if b.id == "rason-who-said-what"]
    filters = Filters(kinds=("match",), count=1)
    [item] = Session.build([bank], filters, seed=5).items
    q: Any = item.question
    args = ("take", "rason-who-said-what", "--kind", "match", "-n", "1", "--seed", "5")
    screen = Screen(*args, columns=columns, rows=rows)
    screen.wait_for("Question 1 of 1", "Matches:", *FOOTER_WORDS)
    whole_words(screen, q.prompt, *item.lefts, *item.options)
    screen.press(*[number(item.options, right) for _, right in q.pairs])
    last = re.escape(clean_line(q.pairs[-1][0]))
    screen.wait_for(f"^^ +(» )?{last} +→ [^…\\s]")  # the last row has its pick
    whole_words(screen, *[right for _, right in q.pairs])
    screen.press(ENTER)
    screen.wait_for("✓ Right", LAST_PAUSE)
    screen.press(" ")
    screen.wait_for("Score: 1/1 (100%)")
    assert screen.end() == 0
