"""`quiz take` (this checkout's, as `python -m quiz`) in a pseudo-terminal: arrow keys, Enter,
the store, SIGKILL, resume. (tests/test_screen.py checks what the screen shows.)

Each key is sent as one write (an arrow key's escape sequence included), after waiting for the
prompt it answers, so prompt_toolkit reads it as one key press. PROMPT_TOOLKIT_NO_CPR=1 stops
prompt_toolkit asking the terminal for the cursor position, which pexpect would not answer.

Every step waits for what the screen shows (or for the process to end), never for a fixed time;
the 30-second timeout only catches a hang. Where a key sent from outside would hit a window only
by chance (a Ctrl-C as a list is being drawn), the test hook `QUIZ_TEST_SIGINT_AT` makes the
process interrupt itself at exactly that instant. `tests/benchmarks/repeat_pty.py` runs these
tests many times, under CPU load, to show they do not flake.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from quiz.bank.loader import load_bank
from quiz.session import Item, Session
from quiz.store import Store

pexpect = pytest.importorskip("pexpect")

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX"),
]
ROOT = Path(__file__).resolve().parent.parent

BANKS = Path(__file__).parent / "data" / "banks"
MINI = str(BANKS / "mini.yaml")
THREE = str(BANKS / "three.yaml")
HOSTILE = str(BANKS / "hostile.yaml")
DOWN, RIGHT, ENTER, SPACE = "\x1b[B", "\x1b[C", "\r", " "


class Child(pexpect.spawn):  # type: ignore[misc]
    """A spawned quiz whose timeouts report the whole screen transcript, not its last line."""

    def expect_exact(self, *args: Any, **kwargs: Any) -> Any:
        return self._with_transcript(super().expect_exact, *args, **kwargs)

    def expect(self, *args: Any, **kwargs: Any) -> Any:
        return self._with_transcript(super().expect, *args, **kwargs)

    def _with_transcript(self, expect: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return expect(*args, **kwargs)
        except pexpect.TIMEOUT:
            seen = self.logfile_read.getvalue() if self.logfile_read else ""
            pytest.fail(f"timed out waiting for {args[0]!r}; the terminal showed:\n{seen!r}")


def spawn(
    *args: str,
    columns: int = 160,
    sigint_at: str | None = None,
    ctrl_c_at: str | None = None,
    installed: bool = False,
) -> Any:
    """`quiz ARGS` in a pseudo-terminal: this checkout's code (`python -m quiz`), or with
    `installed` the `quiz` command that `pip install` put on PATH, as a learner runs it."""
    env = dict(
        os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm", COLUMNS=str(columns), LINES="40"
    )
    if sigint_at is not None:
        env["QUIZ_TEST_SIGINT_AT"] = sigint_at
    if ctrl_c_at is not None:
        env["QUIZ_TEST_CTRL_C_AT"] = ctrl_c_at
    if installed:
        command = shutil.which("quiz")
        if command is None:
            pytest.skip("the quiz command is not installed (pip install .)")
        program, argv = command, list(args)
    else:
        program, argv = sys.executable, ["-m", "quiz", *args]
    child = Child(
        program,
        argv,
        cwd=str(ROOT),  # this checkout's code
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, columns),
        # As from a shell's foreground: Ctrl-C interrupts. (A job started in the background by a
        # non-interactive shell, as CI may start the tests, inherits SIGINT ignored.)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    child.logfile_read = io.StringIO()
    return child


def keys(child: Any, *presses: str) -> None:
    for press in presses:
        child.send(press)


def choose(child: Any, options: tuple[str, ...] | list[str], wanted: str) -> None:
    keys(child, *[DOWN] * list(options).index(wanted), ENTER)


def answer_right(child: Any, item: Item) -> None:
    """Wait for each prompt of the item, then answer it right with arrow keys, Space, Enter."""
    q: Any = item.question
    if q.kind == "match":  # on one screen: → steps a row through the options, ↓ next row
        child.expect_exact("Matches:")
        for _, right in q.pairs:
            keys(child, *[RIGHT] * (item.options.index(right) + 1), DOWN)
        keys(child, ENTER)
        return
    if q.kind == "order":  # the items' numbers, first to last, then Enter
        child.expect_exact("Your order:")
        keys(child, *[str(item.options.index(wanted) + 1) for wanted in q.items], ENTER)
        return
    child.expect_exact(q.prompt)
    if q.kind == "choice":
        choose(child, item.options, q.answer)
    elif q.kind == "truefalse":
        choose(child, item.options, "true" if q.answer else "false")
    elif q.kind == "multi":
        at = 0
        for index in sorted(item.options.index(a) for a in q.answers):
            keys(child, *[DOWN] * (index - at), SPACE)
            at = index
        keys(child, ENTER)
    else:
        text = {"text": "Shakespeare", "number": "67.3k", "date": "1969"}[q.kind]
        keys(child, *text)
        if q.kind == "number":
            child.expect_exact("reads as 67,3")  # the live hint, beside the answer
        keys(child, ENTER)


def next_question(child: Any) -> None:
    """The feedback stays on screen until a key is pressed."""
    child.expect_exact("Press any key for the next question")
    keys(child, SPACE)


def see_the_score(child: Any) -> None:
    """The last verdict stays on screen too, until a key is pressed."""
    child.expect_exact("Press any key to see your score")
    keys(child, SPACE)


def finish(child: Any) -> str:
    child.expect(pexpect.EOF)
    child.close()
    return str(child.logfile_read.getvalue())


def test_take_with_arrow_keys(quiz_home: Path) -> None:
    """The installed `quiz` command, as a learner runs it (the other tests run the checkout)."""
    session = Session.build([load_bank(MINI)], seed=17)
    child = spawn("take", MINI, "--seed", "17", installed=True)
    for item in session.items:
        child.expect_exact(f"Question {item.number} of 8")
        answer_right(child, item)
        child.expect_exact("Right")
        if item.number < 8:
            next_question(child)
    see_the_score(child)
    child.expect_exact("Score: 8/8 (100%)")
    output = finish(child)
    assert child.exitstatus == 0, output
    assert "Wrong" not in output
    with Store.open(quiz_home) as store:
        [attempt] = store.attempts()
    assert attempt.status == "finished" and attempt.user == "tester"
    assert attempt.plan == session.plan
    assert len(attempt.responses) == 8 and attempt.score == 8


@pytest.mark.parametrize("plain", [False, True])
def test_hostile_bank_shows_no_escapes(plain: bool) -> None:
    child = spawn("take", HOSTILE, "--no-shuffle", *(["--plain"] if plain else []))
    child.expect_exact("Which is safe?")
    if plain:
        child.expect_exact("> ")
        keys(child, "2", ENTER)
    else:
        keys(child, DOWN, ENTER)
        next_question(child)
    child.expect_exact("Type calm")  # (not a word of the other question: no give-away)
    keys(child, *"calm", ENTER)
    if not plain:
        see_the_score(child)
    child.expect(r"Score: \d/2")
    output = finish(child)
    assert child.exitstatus == 0, output
    assert "Not that one" in output  # the author's feedback, shown cleaned
    for bad in ("\x1b]0;owned\x07", "\x1b[2J", "owned"):
        assert bad not in output


def test_sigkill_keeps_answers_and_resume_asks_the_third(quiz_home: Path) -> None:
    session = Session.build([load_bank(THREE)], seed=23)
    first, second, third = session.items
    child = spawn("take", THREE, "--seed", "23")
    child.expect_exact("Question 1 of 3")
    answer_right(child, first)
    next_question(child)
    child.expect_exact("Question 2 of 3")
    answer_right(child, second)
    next_question(child)
    # the third question is shown only after the second answer was stored
    child.expect_exact("Question 3 of 3")
    child.expect_exact(third.question.prompt)
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    assert child.signalstatus == signal.SIGKILL

    with Store.open(quiz_home) as store:
        [attempt] = store.attempts()
    assert attempt.status == "in_progress"
    assert [r.question_id for r in attempt.responses] == [
        first.question.id,
        second.question.id,
    ]
    assert all(r.correct for r in attempt.responses)

    child = spawn("take", THREE, "--resume")
    child.expect_exact("Resuming: 2 of 3 answered.")
    child.expect_exact("Question 3 of 3")
    answer_right(child, third)  # waits for the third question's prompt first
    see_the_score(child)
    child.expect_exact("Score: 3/3 (100%)")
    output = finish(child)
    assert child.exitstatus == 0, output
    asked = re.findall(r"Question (\d) of 3", output)
    assert set(asked) == {"3"}  # (its header is drawn again on the verdict's own screen)
    with Store.open(quiz_home) as store:
        [attempt] = store.attempts()
    assert attempt.status == "finished" and len(attempt.responses) == 3


def test_ctrl_c_saves_and_exits_130(quiz_home: Path) -> None:
    session = Session.build([load_bank(THREE)], seed=2)
    child = spawn("take", THREE, "--seed", "2")
    answer_right(child, session.items[0])
    next_question(child)
    child.expect_exact("Question 2 of 3")
    child.expect_exact(session.items[1].question.prompt)
    keys(child, "\x03")
    child.expect_exact("Resume with: quiz take")
    output = finish(child)
    assert child.exitstatus == 130, output
    assert f"{THREE} --resume" in output.replace("\r\n", "")
    with Store.open(quiz_home) as store:
        [attempt] = store.attempts()
    assert len(attempt.responses) == 1 and attempt.status == "in_progress"


def test_order_and_match_prompts_are_shown(quiz_home: Path) -> None:
    session = Session.build([load_bank(MINI)], seed=5, shuffle=False)
    items = {item.kind: item for item in session.items}
    child = spawn("take", MINI, "--no-shuffle", "--kind", "match", "--kind", "order")
    for kind in ("match", "order"):  # the bank's order: match first
        child.expect_exact(items[kind].question.prompt)
        answer_right(child, items[kind])
        child.expect_exact("Right")
        if kind == "match":
            next_question(child)
    see_the_score(child)
    child.expect_exact("Score: 2/2 (100%)")
    output = finish(child)
    assert child.exitstatus == 0, output


def test_multi_with_nothing_ticked_offers_skip(quiz_home: Path) -> None:
    child = spawn("take", MINI, "--kind", "multi")
    child.expect_exact("Which of these numbers are prime?")
    child.expect_exact("1-9 tick")  # the footer of keys
    keys(child, ENTER)
    child.expect_exact("Nothing is ticked.")
    child.expect_exact("Save and quit")
    keys(child, DOWN, ENTER)  # "Skip this question"
    child.expect_exact("Skipped")
    see_the_score(child)
    output = finish(child)
    assert child.exitstatus == 0, output
    with Store.open(quiz_home) as store:
        [attempt] = store.attempts()
    assert attempt.responses[0].skipped


def test_a_narrow_terminal_gets_whole_words(quiz_home: Path) -> None:
    bank = BANKS / "examples.yaml"
    child = spawn("take", str(bank), "--no-shuffle", "--kind", "choice", columns=60)
    # The list itself, not the instruction line (which names "Save and quit" too).
    child.expect_exact("Your answer")
    child.expect_exact("Save and quit")
    keys(child, "\x03")
    output = finish(child)
    assert child.exitstatus == 130, output
    printed = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output).split("Your answer")[0]
    lines = [line for line in printed.replace("\r\n", "\n").split("\n")[:-1] if line.strip()]
    assert lines and all(len(line) <= 60 for line in lines), lines
    assert "This prompt is long on purpose, so that it has to be" in printed
    assert "restart that the United Nations data recorded" in " ".join(printed.split())


# -- Ctrl-C and Ctrl-D at any instant: exit 130, every given answer kept, --resume offered --------
def interrupted(child: Any, resume: str = "Resume with: quiz take") -> str:
    child.expect_exact(resume)
    output = finish(child)
    assert child.exitstatus == 130, output
    assert "Traceback" not in output and "Aborted" not in output
    return output


def stored_attempt(quiz_home: Path) -> Any:
    with Store.open(quiz_home) as store:
        [attempt] = store.attempts()
    return attempt


@pytest.mark.parametrize(
    ("point", "answered"),
    [
        ("start", 0),  # the attempt is stored, the first question not yet drawn
        ("keys", 0),  # the first list is drawn, before the terminal is in raw mode
        ("keys:2", 1),  # the same, as the second question's list appears
        ("feedback", 1),  # after the first answer's feedback, before the next question
    ],
)
def test_sigint_at_each_instant_saves_and_exits_130(
    quiz_home: Path, point: str, answered: int
) -> None:
    session = Session.build([load_bank(THREE)], seed=2)
    child = spawn("take", THREE, "--seed", "2", sigint_at=point)
    if answered:
        answer_right(child, session.items[0])
        if point != "feedback":
            next_question(child)
    output = interrupted(child)
    assert f"{THREE} --resume" in output.replace("\r\n", "")
    assert f"{answered} of 3 questions answered" in output
    attempt = stored_attempt(quiz_home)
    assert attempt.status == "in_progress"
    assert [r.question_id for r in attempt.responses] == [
        item.question.id for item in session.items[:answered]
    ]


def _can_type_on_a_terminal() -> bool:
    """TIOCSTI (typing into a terminal's input) is refused on some kernels."""
    import fcntl
    import termios

    leader, follower = os.openpty()
    try:
        fcntl.ioctl(follower, termios.TIOCSTI, b"x")
        return True
    except OSError:
        return False
    finally:
        os.close(leader)
        os.close(follower)


@pytest.mark.skipif(not _can_type_on_a_terminal(), reason="this kernel refuses TIOCSTI")
@pytest.mark.parametrize(("point", "answered"), [("keys", 0), ("keys:2", 1)])
def test_ctrl_c_typed_as_a_list_is_being_built(quiz_home: Path, point: str, answered: int) -> None:
    """Ctrl-C typed (not signalled) at the instant the widget starts: the learner's real key."""
    session = Session.build([load_bank(THREE)], seed=2)
    child = spawn("take", THREE, "--seed", "2", ctrl_c_at=point)
    if answered:
        answer_right(child, session.items[0])
        next_question(child)
    output = interrupted(child)
    assert f"{answered} of 3 questions answered" in output
    assert len(stored_attempt(quiz_home).responses) == answered


def test_sigint_while_loading_exits_130_quietly(quiz_home: Path) -> None:
    child = spawn("take", THREE, sigint_at="load")
    child.expect_exact("Interrupted.")
    output = finish(child)
    assert child.exitstatus == 130, output
    assert "Traceback" not in output and "Aborted" not in output


@pytest.mark.parametrize("key", ["\x03", "\x04"], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_or_d_inside_a_text_field(quiz_home: Path, key: str) -> None:
    child = spawn("take", MINI, "--kind", "text", "--kind", "choice", "--no-shuffle")
    session = Session.build([load_bank(MINI)], seed=0, shuffle=False)
    kinds = {"choice", "text"}
    first = next(item for item in session.items if item.kind in kinds)
    answer_right(child, first)
    child.expect_exact("Right")
    next_question(child)
    child.expect_exact("Your answer")  # the text field
    if key == "\x03":
        # Half an answer typed (the field is in raw mode once drawn), then Ctrl-C: it leaves,
        # and the half answer is not graded.
        keys(child, *"Shakesp")
    keys(child, key)
    interrupted(child)
    attempt = stored_attempt(quiz_home)
    assert [r.question_id for r in attempt.responses] == [first.question.id]


def test_ctrl_c_as_a_list_appears_in_study(quiz_home: Path) -> None:
    child = spawn("study", THREE, "-n", "3", sigint_at="keys:2")
    child.expect_exact("Pick")
    child.expect_exact("Your answer")
    keys(child, ENTER)  # whichever option is first: right or wrong, it is an answer
    next_question(child)
    output = interrupted(child, resume="Continue with: quiz study")
    assert "1 of 3 questions answered" in output
    attempt = stored_attempt(quiz_home)
    assert len(attempt.responses) == 1
