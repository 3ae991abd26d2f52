"""What a terminal of 60 columns SHOWS of `quiz scores list` and `quiz banks list`:
`python -m quiz` from this worktree in a pseudo-terminal, rendered by a terminal emulator
(pyte). Every step waits for what the screen shows, never for a fixed time (the timeout only
catches a hang).
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

from tests.test_tables import SCREEN_ROWS, attempt_ids, seed_store, unique_prefix_length

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60.0  # only catches a hang
COLUMNS, ROWS = 60, 40


class Screen:
    """`python -m quiz ARGS` in a pseudo-terminal, and the screen a terminal would show."""

    def __init__(self, *args: str, columns: int = COLUMNS, rows: int = ROWS) -> None:
        env = dict(os.environ, TERM="xterm", NO_COLOR="1")
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

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, pattern: str) -> None:
        """Until `pattern` (a regex) is visible."""
        deadline = time.monotonic() + TIMEOUT
        while not re.search(pattern, self.text, re.M):
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                if not re.search(pattern, self.text, re.M):
                    pytest.fail(f"quiz ended before showing {pattern!r}:\n{self.text}")
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {pattern!r}; the screen:\n{self.text}")

    def run_out(self) -> int:
        """Until quiz ends, every byte shown; its exit status."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                return self.end()
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for the end; the screen:\n{self.text}")

    def end(self) -> int:
        self.child.expect(pexpect.EOF, timeout=TIMEOUT)
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)


def test_scores_list_at_60_columns(quiz_home: Path) -> None:
    count = SCREEN_ROWS + 5
    seed_store(quiz_home, count)
    screen = Screen("scores", "list")
    screen.wait_for(r"^5 more \(--all\)$")
    assert screen.end() == 0
    text = screen.text
    # the rows are blocks: the id (its unique prefix, whole) as a heading, a line per column
    newest = list(reversed(attempt_ids(count)))[:SCREEN_ROWS]
    keep = unique_prefix_length(newest)
    last = newest[-1][:keep]
    assert re.search(rf"^{re.escape(last)}$", text, re.M), text
    block = text[text.index(last) :]
    for label, value in (
        ("Started", r"\d{1,2} (May|Jun) 2024 \d\d:\d\d"),  # local, as people read it
        ("Score", r"0\.33/1 \(33%\)"),
    ):
        assert re.search(rf"^  {label} +{value}$", block, re.M), text
    assert "…" not in text  # nothing cut


def test_banks_list_at_60_columns() -> None:
    screen = Screen("banks", "list")
    screen.wait_for(r"^ ?rason-who-said-what ")
    screen.wait_for(r"shows every\s+column\)\.")
    assert screen.end() == 0
    text = screen.text
    for bank_id in ("rason-exam", "rason-figures", "rason-people-places", "rason-timeline"):
        assert re.search(rf"^ ?{bank_id} ", text, re.M), text  # ids whole, in their column
    assert re.search(r"^ ?Bank +Title +Questions", text, re.M), text  # headers whole
    assert "Left out to fit the terminal: Kinds" in text  # and it says so
    assert "questi\n" not in text and "…" not in text


@pytest.mark.parametrize("columns", [60, 80, 120])
@pytest.mark.parametrize(
    ("args", "title"),
    [
        (("banks", "list"), "Banks"),
        (("scores", "list", "--limit", "3"), "Attempts"),
        (("scores", "stats"), "By bank"),
    ],
    ids=["banks-list", "scores-list", "scores-stats"],
)
def test_every_table_has_the_one_style(
    quiz_home: Path, args: tuple[str, ...], title: str, columns: int
) -> None:
    """banks list, scores list and scores stats at 60, 80 and 120 columns: the title, then at
    once the table's header (or a row's block) flush left, as the plain writer draws them: no
    leading space, no blank line under the title."""
    seed_store(quiz_home, SCREEN_ROWS + 2)
    screen = Screen(*args, columns=columns, rows=60)
    assert screen.run_out() == 0
    lines = screen.text.splitlines()
    start = lines.index(title)
    assert lines[start + 1].strip(), screen.text  # no blank line under the title
    assert not lines[start + 1].startswith(" "), screen.text
    for line in lines:
        assert not re.match(r"^ \S", line), screen.text  # no table starts a column in
        assert len(line) <= columns
    assert "…" not in screen.text


def _skip(screen: Any, item: Any) -> None:
    """Skip `item` with its skip key (typed in a text field), and pass its verdict."""
    from tests.test_screen import ENTER

    if item.kind in ("text", "number", "date"):
        screen.type(":skip")
        screen.press(ENTER)
    else:
        screen.press("s")
    screen.wait_for("Press any key")
    screen.press(" ")


def _save_and_quit(screen: Any, item: Any) -> None:
    from tests.test_screen import ENTER

    if item.kind in ("text", "number", "date"):
        screen.type(":quit")
        screen.press(ENTER)
    else:
        screen.press("q")


def test_resume_counts_one_way_everywhere() -> None:
    """Answered and skipped, counted apart in one wording: the resume question, the line
    as the quiz resumes, the line as it is saved, and `scores list`. Options that would plan
    another quiz, given as the attempt is resumed, are said not to apply."""
    from quiz.bank.loader import load_bank
    from quiz.session import Session
    from tests.test_screen import ENTER, MINI, answer
    from tests.test_screen import Screen as QuizScreen

    items = Session.build([load_bank(MINI)], seed=12).items
    screen = QuizScreen("take", MINI, "--seed", "12", columns=80, rows=24)
    screen.wait_for("Question 1 of 8", "save & quit")
    answer(screen, items[0])
    screen.wait_for("Press any key")
    screen.press(" ")
    for item in items[1:3]:
        screen.wait_for(f"Question {item.number} of 8", "save & quit")
        _skip(screen, item)
    screen.wait_for("Question 4 of 8", "save & quit")
    _save_and_quit(screen, items[3])
    screen.wait_for("Saved. 1 of 8 questions answered, 2 skipped")
    assert screen.end() == 0

    screen = QuizScreen("take", MINI, "--count", "2", columns=80, rows=24)
    screen.wait_for("Resume your unfinished attempt (1 of 8 answered, 2 skipped)?")
    screen.press(ENTER)
    screen.wait_for(
        "Note: --count not applied: the attempt resumes with the questions it started",
        r"^^with\.$",  # wrapped between words
        "Resuming: 1 of 8 answered, 2 skipped.",
        "Question 4 of 8",
    )
    _save_and_quit(screen, items[3])
    screen.wait_for("Saved. 1 of 8 questions answered, 2 skipped")
    assert screen.end() == 0

    listed = Screen("scores", "list", columns=120)
    assert listed.run_out() == 0
    # the count once, in the status (the Answered column holds finished attempts' counts)
    assert re.search(r"  in progress 1/8 +[\d.]+/[\d.]+ \(\d+%\)$", listed.text, re.M), listed.text
    assert re.search(r"^ +2 skipped$", listed.text, re.M), listed.text
