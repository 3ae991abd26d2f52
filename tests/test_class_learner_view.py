"""What a learner sees on a class store before and after the instructor's grade step: every
learner-visible command (scores list, stats, show, report; take --resume, --wrong-only; study).
Before grading, a learner's answers score nothing (their role cannot write scores), and each
command says they are waiting for the instructor's grading instead of showing 0%.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.class_setup import ClassStore, class_fixture
from tests.conftest import psycopg_or_skip

psycopg_or_skip()

WAITING = "waiting for your instructor's grading"
NOTHING_GRADED = "Nothing graded yet: on a class store your instructor grades your answers"


@pytest.fixture
def room(postgres_server: Any, postgres_db: str, tmp_path: Path) -> Iterator[ClassStore]:
    yield from class_fixture(postgres_server, postgres_db, tmp_path)


def ok(room: ClassStore, who: str | None, *args: str, answers: str | None = None) -> str:
    result = room.run(who, list(args), answers)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def test_a_learner_before_and_after_the_grade_step(room: ClassStore) -> None:
    (ann,) = room.add("ann")
    take = ["take", "class-bank", "--plain", "--no-shuffle"]
    # Two answers (q01 right, q02 wrong), then save and quit; then --resume: q03 right, q04.
    ok(room, ann, *take, answers="1\n7\n:quit\n")
    listed = ok(room, ann, "scores", "list")
    assert "waiting for grading" in listed and "0/0" not in listed and WAITING in listed
    attempt = json.loads(ok(room, ann, "scores", "list", "--json"))[0]
    assert (attempt["answered"], attempt["score"], attempt["ungraded"]) == (2, 0, 2)
    resumed = ok(room, ann, "take", "class-bank", "--resume", "--plain", answers="3\n9\n")
    assert "Score: 2/4" in resumed  # the learner's own feedback, from their bank

    # Before the instructor's grade step: no 0%, each command says the answers wait.
    listed = ok(room, ann, "scores", "list")
    assert "waiting for grading" in listed and "(4 answers)" in listed and "0%" not in listed
    stats = ok(room, ann, "scores", "stats")
    assert NOTHING_GRADED in stats and "0%" not in stats
    shown = ok(room, ann, "scores", "show", attempt["id"][:8])
    assert WAITING in shown and "scores regrade" not in shown
    assert "Type 1." in shown and "question text not stored" not in shown
    assert "not known here" not in shown
    for by in ("user", "question"):
        report = ok(room, ann, "scores", "report", "--by", by)
        assert f"4 of your answers are {WAITING}" in report
        assert "No attempts to report" not in report
    wrong_only = room.run(ann, [*take, "--wrong-only"], "")
    assert wrong_only.exit_code == 1 and "Traceback" not in wrong_only.output
    assert f"your last answers to class-bank are {WAITING}" in wrong_only.output
    studied = ok(room, ann, "study", "class-bank", "--plain", answers=":quit\n")
    assert "Study: 0 due for review, 4 new." in studied  # study works before grading too

    ok(room, None, "class", "grade")

    # After it: the instructor's grades, everywhere, with no word of waiting.
    listed = ok(room, ann, "scores", "list", "--all")
    assert WAITING not in listed and "waiting" not in listed
    scored = json.loads(ok(room, ann, "scores", "list", "--json", "--all"))
    mine = {a["id"]: (a["score"], a["max_score"], a["ungraded"]) for a in scored}
    assert mine[attempt["id"]] == (2, 4, 0)
    stats = json.loads(ok(room, ann, "scores", "stats", "--json"))
    by_bank = [g for g in stats if g["group"] == "bank"]
    assert by_bank and by_bank[0]["id"] == "class-bank"
    shown = ok(room, ann, "scores", "show", attempt["id"][:8])
    assert WAITING not in shown and "✗ wrong" in shown and "✓ right" in shown
    report = ok(room, ann, "scores", "report")
    assert ann in report and WAITING not in report
    retry = ok(room, ann, *take, "--wrong-only", answers="2\n4\n")
    assert "Question 1 of 2" in retry and "Type 2." in retry and "Type 4." in retry
