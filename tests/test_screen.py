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

    def __init__(
        self, *args: str, columns: int, rows: int, env: dict[str, str] | None = None
    ) -> None:
        env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm", NO_COLOR="1", **(env or {}))
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
    screen.wait_for("Interrupted.", "Resume with:")
    lines = screen.lines  # the message wrapped between words (at 60 too), then the command
    first = next(i for i, line in enumerate(lines) if line.startswith("Interrupted."))
    last = next(i for i, line in enumerate(lines) if line.startswith("Resume with:"))
    said = "Interrupted. 1 of 8 questions answered, 1 skipped; every answer is kept."
    assert " ".join(lines[first:last]) == said, screen.text
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


def skip_every_question(screen: Screen, total: int, *, feedback: bool) -> None:
    """Skip each question with its own key (`s` in a list, `:skip` in a text field)."""
    for number_ in range(1, total + 1):
        screen.wait_for(f"Question {number_} of {total}", "save & quit")  # the widget's footer
        footer = [line for line in screen.lines if line.strip()][-1]
        if ":skip" in footer:
            screen.type(":skip")
            screen.press(ENTER)
        else:
            screen.press("s")
        if feedback:
            screen.wait_for("→ Skipped", "Press any key")
            screen.press(" ")


@pytest.mark.parametrize(("columns", "rows"), [(60, 20), (80, 24)])
def test_the_end_of_an_exam_shows_the_score_after_the_review(columns: int, rows: int) -> None:
    """The review of every answer scrolls; the end on one screen comes last, so the score,
    the missed questions and the next step are what stays visible."""
    screen = Screen("take", MINI, "--exam", "--seed", "12", columns=columns, rows=rows)
    screen.wait_for("Exam: no feedback until the end.")
    skip_every_question(screen, 8, feedback=False)
    screen.wait_for("Score: 0/8 (0%)", "Missed:", "Next: quiz take", "Next: quiz study")
    assert screen.end() == 0


@pytest.mark.parametrize(("columns", "rows"), [(60, 20), (80, 24)])
def test_the_end_of_a_study_session_fits_the_screen(columns: int, rows: int) -> None:
    screen = Screen("study", MINI, columns=columns, rows=rows)
    screen.wait_for("Question 1 of 8")
    skip_every_question(screen, 8, feedback=True)
    screen.wait_for("Score: 0/8 (0%)", "Missed:", "Due today:")
    assert screen.end() == 0


@pytest.mark.parametrize(("columns", "rows"), SIZES)
def test_every_list_shows_the_numbers_its_keys_pick(columns: int, rows: int) -> None:
    """The footer says "1-9 pick" / "1-9 tick": each option shows its number."""
    args = ("take", MINI, "--kind", "choice", "--kind", "multi", "--no-shuffle")
    session = Session.build(
        [load_bank(MINI)], seed=1, shuffle=False, filters=Filters(kinds=("choice", "multi"))
    )
    screen = Screen(*args, columns=columns, rows=rows)
    for item in session.items:
        shown = [f"{n}) {clean_line(option)}" for n, option in enumerate(item.options, 1)]
        screen.wait_for(f"Question {item.number} of 2", "save & quit", *shown)
        answer(screen, item)
        screen.wait_for("✓ Right", "Press any key")
        screen.press(" ")
    screen.wait_for("Score: 2/2 (100%)")
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
    screen.wait_for("Resume your unfinished attempt (1 of 2 answered)?")
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
    screen.wait_for("Every question is answered and kept:", "^^quiz scores show [0-9a-f]{8}$")
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


# -- the review's findings (the verdict always visible, nothing left over) ------------------------
VERDICT = r"^^(✓ Right|◐ Partly right|✗ Wrong)  \([\d.]+/1\)$"


@pytest.mark.parametrize(("columns", "rows"), [(60, 20), (80, 24)])
def test_a_long_match_verdict_stays_visible_while_the_rest_scrolls(columns: int, rows: int) -> None:
    from quiz.bank.catalog import Catalog

    [bank] = [b for b in Catalog().banks() if b.id == "rason-who-said-what"]
    [item] = Session.build([bank], Filters(kinds=("match",), count=1), seed=5).items
    q: Any = item.question
    args = ("take", "rason-who-said-what", "--kind", "match", "-n", "1", "--seed", "5")
    screen = Screen(*args, columns=columns, rows=rows)
    screen.wait_for("Question 1 of 1", "Matches:")
    wrong = [item.options[(item.options.index(r) + 1) % len(item.options)] for _, r in q.pairs]
    screen.press(*[number(item.options, w) for w in wrong], ENTER)  # every pair wrong
    screen.wait_for(VERDICT, LAST_PAUSE)
    assert "Your matches" not in screen.text  # no run-on paragraph of the answer
    first_left = clean_line(q.pairs[0][0])
    screen.wait_for(f"^^  ✗ {re.escape(first_left)} → ")  # one line per pair
    rows_drawn = screen.lines
    continued = [line for line in rows_drawn if line.startswith("    ") and line[4] != " "]
    assert continued, screen.text  # a pair too long for its line hangs under its text
    if "more: ↑↓ scroll" in screen.text:  # scroll down: the verdict stays where it is
        for _ in range(8):
            screen.press("j")
        screen.wait_for("above", VERDICT, LAST_PAUSE)
    screen.press(" ")
    screen.wait_for("Score: 0/1 (0%)")
    assert screen.end() == 0


def test_loading_is_gone_once_the_first_question_draws() -> None:
    screen = Screen("take", MINI, "--kind", "choice", columns=80, rows=24)
    screen.wait_for("Question 1 of 1", "save & quit")
    assert "Loading" not in screen.text
    screen.press("q")
    screen.wait_for("Saved.")
    assert screen.end() == 0


def test_the_resume_question_is_wrapped_between_words_at_60() -> None:
    kinds = ("choice", "truefalse", "multi")
    args = ("take", MINI, "--seed", "3", *[a for k in kinds for a in ("--kind", k)])
    session = Session.build([load_bank(MINI)], seed=3, filters=Filters(kinds=kinds))
    screen = Screen(*args, columns=60, rows=20)
    screen.wait_for("Question 1 of 3", "save & quit")
    answer(screen, session.items[0])
    screen.wait_for("Press any key")
    screen.press(" ")
    screen.wait_for("Question 2 of 3", "save & quit")
    screen.press("s")
    screen.wait_for("→ Skipped", "Press any key")
    screen.child.sendcontrol("c")
    screen.wait_for("Interrupted.")
    assert screen.end() == 130

    screen = Screen(*args, columns=60, rows=20)
    screen.wait_for("Resume your unfinished attempt", "(Y/n)")
    asked = [line for line in screen.lines if line.strip()]  # broken between words only
    assert " ".join(asked) == "? Resume your unfinished attempt (1 of 3 answered, 1 skipped)? (Y/n)"
    screen.press(ENTER)
    screen.wait_for("Question 3 of 3", "save & quit")
    screen.press("q")
    screen.wait_for("Saved.")
    assert screen.end() == 0


@pytest.mark.parametrize(("columns", "rows"), [(60, 20), (80, 24)])
def test_an_exam_leaves_no_empty_pairs_nor_live_hints_behind(columns: int, rows: int) -> None:
    args = ("take", MINI, "--exam", "--kind", "match", "--kind", "number", "--no-shuffle")
    screen = Screen(*args, columns=columns, rows=rows)
    screen.wait_for("Question 1 of 2", "How many barrels?")
    screen.type("67300")
    screen.wait_for("reads as 67,300")  # the live hint while typing
    screen.press(ENTER)
    screen.wait_for("Question 2 of 2", "1-9 match", "Exam: no feedback until the end.")
    # One question a screen, as with feedback: the first is gone, its hint with it.
    assert "How many barrels?" not in screen.text and "reads as" not in screen.text
    screen.press("2", "q")  # save and quit: it says so, and echoes no "Italy → …"
    screen.wait_for("^^Save and quit$", "Saved.")
    assert "→ …" not in screen.text and "→ ," not in screen.text, screen.text
    assert screen.end() == 0


def test_the_order_footer_says_what_the_digits_do() -> None:
    screen = Screen("take", MINI, "--kind", "order", columns=60, rows=20)
    screen.wait_for(
        "Question 1 of 1", "^^1-3 place next · Bksp undo · Enter · s skip · q save & quit$"
    )
    screen.press("q")
    screen.wait_for("Saved.")
    assert screen.end() == 0


def test_a_skipped_true_false_shows_the_answer_as_the_widget_does() -> None:
    screen = Screen("take", MINI, "--kind", "truefalse", columns=80, rows=24)
    screen.wait_for("Question 1 of 1", "True", "False")
    screen.press("s")
    screen.wait_for("→ Skipped", "Answer: False", LAST_PAUSE)
    screen.press(" ")
    screen.wait_for("Score: 0/1")
    assert screen.end() == 0


# -- the README's screens are what the program draws ---------------------------------------------
README = ROOT / "README.md"
BANKS = {"QUIZ_BANKS": str(ROOT / "tests" / "data" / "banks")}  # `quiz take mini`


def readme_block(name: str) -> list[str]:
    """The ```text block after `<!-- screen: NAME -->` in the README."""
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"<!-- screen: {name} -->\n```text\n(.*?)\n```", text, re.S)
    assert found is not None, f"no README block named {name}"
    return found.group(1).split("\n")


def drawn(screen: Screen, first: str) -> list[str]:
    """The screen from the line starting with `first` to the last line with text."""
    lines = screen.lines
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = max(i for i, line in enumerate(lines) if line.strip())
    return lines[start : end + 1]


def same_but_ids(shown: list[str], written: list[str]) -> bool:
    def plain(lines: list[str]) -> list[str]:
        return [re.sub(r"\b[0-9a-f]{8}\b", "ID", line) for line in lines]

    return plain(shown) == plain(written)


def readme_screens() -> dict[str, list[str]]:
    """Run the README's example at 80x24 and draw its three screens: a match question, its
    verdict, and the end."""
    session = Session.build([load_bank(MINI)], seed=12)
    screen = Screen("take", "mini", "--seed", "12", columns=80, rows=24, env=BANKS)
    shots: dict[str, list[str]] = {}
    for item in session.items:
        screen.wait_for(f"Question {item.number} of 8", *FOOTER_WORDS)
        q: Any = item.question
        if q.kind == "match":
            n = {o: number(item.options, o) for o in item.options}
            screen.wait_for("Matches:")
            screen.press(n["Paris"])
            screen.wait_for("^^ +France +→ Paris$")
            shots["match"] = drawn(screen, "A small bank")
            screen.press(n["Rome"], n["Rome"], ENTER)  # Italy right, Spain wrong
            screen.wait_for("◐ Partly right", "Press any key")
            shots["verdict"] = drawn(screen, "A small bank")
        elif q.kind in ("multi", "order"):
            screen.press("s")
            screen.wait_for("Skipped", "Press any key")
        else:
            answer(screen, item)
            screen.wait_for("✓ Right", "Press any key")
        screen.press(" ")
    screen.wait_for("Score:", "Next: quiz study")
    shots["end"] = drawn(screen, "Score:")
    assert screen.end() == 0
    return shots


def test_the_readme_shows_what_the_quiz_draws() -> None:
    shots = readme_screens()
    for name, shown in shots.items():
        written = readme_block(name)
        assert same_but_ids(shown, written), (
            f"README block {name!r} is not what is drawn at 80x24:\n" + "\n".join(shown)
        )


if __name__ == "__main__":  # print the screens, to paste into the README
    for name, shown in readme_screens().items():
        print(f"<!-- screen: {name} -->\n```text\n" + "\n".join(shown) + "\n```\n")
