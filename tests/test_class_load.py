"""A class under load: 30 learner processes, each its own role, answering 20 questions each at
once on one server; and a learner process killed with SIGKILL mid-quiz loses nothing it had
answered. Deterministic: the tests wait for what the processes print, never for time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from tests.class_setup import ClassStore, class_fixture
from tests.conftest import psycopg_or_skip

psycopg_or_skip()

ROOT = Path(__file__).resolve().parent.parent
LEARNERS = 30
QUESTIONS = 20
# question qNN's answer is NN: every learner gets the odd ones right, the even ones wrong
ANSWERS = [str(n) if n % 2 else str(n + 100) for n in range(1, QUESTIONS + 1)]


@pytest.fixture
def room(postgres_server: Any, postgres_db: str, tmp_path: Path) -> Iterator[ClassStore]:
    yield from class_fixture(postgres_server, postgres_db, tmp_path, QUESTIONS)


def learner_process(
    room: ClassStore, learner: str, home: Path, *extra: str
) -> subprocess.Popen[str]:
    """`quiz take class-bank --plain EXTRA...` as this learner, from this worktree's code."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "QUIZ_"))}
    env.update(room.learner_env(learner))
    env.update({"QUIZ_HOME": str(home), "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"})
    return subprocess.Popen(
        [sys.executable, "-m", "quiz", "take", "class-bank", "--plain", *extra],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )


def read_until(stream: IO[str], marker: str, seen: list[str]) -> None:
    """Read lines until one contains `marker` (EOF first fails, showing what was read)."""
    while True:
        line = stream.readline()
        if not line:
            raise AssertionError(f"no {marker!r} before the end:\n" + "".join(seen[-30:]))
        seen.append(line)
        if marker in line:
            return


def counts(room: ClassStore, learner: str | None = None) -> tuple[int, int, int]:
    """(attempts, finished attempts, responses), of one learner or everyone."""
    where = "" if learner is None else "WHERE a.user_name = %s"
    with room.connect() as conn:
        row = conn.execute(
            "SELECT count(DISTINCT a.id), count(DISTINCT a.id) FILTER (WHERE a.status ="
            f" 'finished'), count(r.id) FROM attempts a LEFT JOIN responses r"
            f" ON r.attempt_id = a.id {where}",
            [] if learner is None else [learner],
        ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


@pytest.mark.slow
def test_thirty_learners_answer_at_once(room: ClassStore, tmp_path: Path) -> None:
    learners = room.add(*(f"l{n:02d}" for n in range(LEARNERS)))
    processes = [
        learner_process(room, learner, tmp_path / "homes" / learner, "--no-shuffle")
        for learner in learners
    ]
    answers = "".join(a + "\n" for a in ANSWERS)
    outputs = []
    for process in processes:  # every process is running; each reads its answers as it asks
        assert process.stdin is not None
        process.stdin.write(answers)
        process.stdin.close()
    for process in processes:
        assert process.stdout is not None
        outputs.append(process.stdout.read())
        assert process.wait() == 0, outputs[-1][-2000:]
    assert all(f"Score: 10/{QUESTIONS}" in out for out in outputs), outputs[0][-500:]
    assert not any("Error" in out for out in outputs)
    assert counts(room) == (LEARNERS, LEARNERS, LEARNERS * QUESTIONS)
    # The instructor's grade step scores all 600 from the bank; every learner 10 of 20.
    listed = room.run(None, ["scores", "list", "--json", "--all"])
    assert listed.exit_code == 0, listed.output
    scored = json.loads(listed.output)
    assert len(scored) == LEARNERS
    assert {(a["score"], a["max_score"]) for a in scored} == {(10, QUESTIONS)}


@pytest.mark.slow
def test_a_learner_killed_mid_quiz_loses_nothing(room: ClassStore, tmp_path: Path) -> None:
    (learner,) = room.add("killed")
    home = tmp_path / "home"
    process = learner_process(room, learner, home, "--no-shuffle")
    assert process.stdin is not None and process.stdout is not None
    seen: list[str] = []
    given = 7
    for number in range(1, given + 1):
        read_until(process.stdout, f"Question {number} of {QUESTIONS}", seen)
        process.stdin.write(ANSWERS[number - 1] + "\n")
        process.stdin.flush()
    # The next question is asked only once the answer before it is committed.
    read_until(process.stdout, f"Question {given + 1} of {QUESTIONS}", seen)
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdin.close()
    process.stdout.close()
    assert counts(room, learner) == (1, 0, given)
    # --resume continues where it stopped; the attempt ends with every answer.
    resumed = learner_process(room, learner, home, "--resume")
    out, _ = resumed.communicate("".join(a + "\n" for a in ANSWERS[given:]))
    assert resumed.returncode == 0, out[-2000:]
    assert f"Score: 10/{QUESTIONS}" in out, out[-3000:]
    assert counts(room, learner) == (1, 1, QUESTIONS)
