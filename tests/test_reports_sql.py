"""Reports computed by the store's queries (#18) equal the Python over loaded attempts, which is
kept as the oracle: `--by user` (per-attempt percentages and per-tag mastery from each
learner's latest response, a window query) on generated stores with several banks, bank
versions whose tags differ, planned questions left unanswered, skipped and ungraded responses,
study sessions and unfinished attempts."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import pytest

from quiz.reports import items as analysis
from quiz.store import Store
from quiz.store.records import (
    AttemptRecord,
    BankSnapshot,
    QuestionSnapshot,
    ResponseRecord,
)

BANKS = ("alpha", "beta", "gamma")
TAGS = ("trade", "ports", "people", "dates")


def _snapshot(rng: random.Random, bank_id: str, version: int) -> BankSnapshot:
    questions = tuple(
        QuestionSnapshot(
            bank_id=bank_id,
            question_id=f"q{i}",
            kind="choice",
            prompt=f"Question {i} of {bank_id}",
            max_score=float(rng.choice([1, 1, 2, 3])),
            expected="A",
            tags=tuple(rng.sample(TAGS, rng.randint(0, 2))),
        )
        for i in range(rng.randint(3, 7))
    )
    return BankSnapshot(bank_id, f"{bank_id}-hash-{version}", f"{bank_id} v{version}", questions)


def generated_store(home: Path | str, seed: int) -> list[BankSnapshot]:
    rng = random.Random(seed)
    snapshots = [_snapshot(rng, b, v) for b in BANKS for v in range(rng.randint(1, 2))]
    by_bank: dict[str, list[BankSnapshot]] = {}
    for s in snapshots:
        by_bank.setdefault(s.bank_id, []).append(s)
    attempts = []
    for _ in range(rng.randint(15, 40)):
        chosen = rng.sample(BANKS, rng.randint(1, 2))
        versions = [rng.choice(by_bank[b]) for b in chosen]
        plan = [(q.bank_id, q.question_id) for s in versions for q in s.questions]
        if rng.random() < 0.2:
            plan.append(plan[0])  # a plan naming a question twice counts it once
        responses = []
        for s in versions:
            for q in s.questions:
                roll = rng.random()
                if roll < 0.15:
                    continue  # planned, never answered (left early)
                graded = rng.random() > 0.1
                skipped = roll < 0.25
                score = 0.0 if skipped else rng.choice([0.0, q.max_score / 2, q.max_score])
                responses.append(
                    ResponseRecord(
                        q.bank_id,
                        q.question_id,
                        None if skipped else rng.choice(["A", "B", ["x", "y"]]),
                        score if graded else 0.0,
                        q.max_score if graded else 0.0,
                        graded and score == q.max_score,
                        skipped=skipped,
                        graded=graded,
                    )
                )
        if rng.random() < 0.1:  # a response to a question the plan did not name
            s = versions[0]
            responses.append(ResponseRecord(s.bank_id, "extra", "A", 1.0, 1.0, True))
        rng.shuffle(responses)
        status = rng.choice(["finished", "finished", "finished", "in_progress", "abandoned"])
        # few distinct start times: ties are ordered by attempt id, in both paths
        started = f"2024-06-{rng.randint(1, 5):02d}T09:{rng.randint(0, 2):02d}:00+00:00"
        attempts.append(
            AttemptRecord(
                id=str(uuid.UUID(int=rng.getrandbits(128))),
                user=f"learner{rng.randint(0, 6)}",
                banks=tuple((s.bank_id, s.content_hash) for s in versions),
                mode=rng.choice(["take", "take", "take", "study", "grade"]),
                started_at=started,
                status=status,
                finished_at=started if status == "finished" else None,
                plan=tuple(plan),
                responses=tuple(responses),
            )
        )
    with Store.open(home) as store:
        store.merge(attempts, snapshots)
    return snapshots


def assert_rows_equal(got: list[analysis.UserRow], expected: list[analysis.UserRow]) -> None:
    assert [r.user for r in got] == [r.user for r in expected]
    for mine, theirs in zip(got, expected, strict=True):
        assert mine.attempts == theirs.attempts
        for name in ("best", "last", "mean", "first"):
            assert getattr(mine, name) == pytest.approx(getattr(theirs, name), rel=1e-12)
        assert [t for t, _ in mine.tags] == [t for t, _ in theirs.tags]
        assert [v for _, v in mine.tags] == pytest.approx([v for _, v in theirs.tags], rel=1e-12)


@pytest.mark.parametrize("seed", range(12))
def test_by_user_in_sql_equals_the_python_over_attempts(
    store_location: Path | str, seed: int
) -> None:
    generated_store(store_location, seed)
    with Store.open(store_location) as store:
        snapshots = store.snapshots()
        users = [None, *store.users()[:2]]
        compared = 0
        for bank in [None, *BANKS, "unknown"]:
            for user in users:
                records = store.attempts(user=user, bank=bank)
                reportable = [a for a in records if analysis.counts_for_reports(a)]
                expected = analysis.user_rows(reportable, snapshots, bank)
                inputs = store.user_report_inputs(user=user, bank=bank)
                assert_rows_equal(analysis.user_rows_from_totals(inputs, snapshots), expected)
                bank_ids = [bank] if bank else None
                assert analysis.version_notes_of(inputs.banks, bank_ids) == (
                    analysis.version_notes(reportable, bank_ids)
                )
                compared += len(expected)
        assert compared > 0


def test_planned_questions_without_a_response_count_as_in_python(
    store_location: Path | str,
) -> None:
    """An attempt left early: its planned questions score 0 out of their points, and a later
    attempt that planned a question but never answered it is the learner's latest mark."""
    snapshot = BankSnapshot(
        "b",
        "h1",
        "B",
        (
            QuestionSnapshot("b", "q1", "choice", "Q1", 2.0, "A", tags=("t",)),
            QuestionSnapshot("b", "q2", "choice", "Q2", 3.0, "A", tags=("t", "u")),
        ),
    )
    plan = (("b", "q1"), ("b", "q2"))
    first = AttemptRecord(
        str(uuid.UUID(int=1)),
        "ann",
        (("b", "h1"),),
        "take",
        "2024-01-01T00:00:00+00:00",
        "finished",
        "2024-01-01T00:10:00+00:00",
        plan=plan,
        responses=(
            ResponseRecord("b", "q1", "A", 2.0, 2.0, True),
            ResponseRecord("b", "q2", "A", 3.0, 3.0, True),
        ),
    )
    second = AttemptRecord(
        str(uuid.UUID(int=2)),
        "ann",
        (("b", "h1"),),
        "take",
        "2024-01-02T00:00:00+00:00",
        "finished",
        "2024-01-02T00:10:00+00:00",
        plan=plan,
        responses=(ResponseRecord("b", "q1", "A", 2.0, 2.0, True),),
    )
    with Store.open(store_location) as store:
        store.merge([first, second], [snapshot])
        got = analysis.user_rows_from_totals(store.user_report_inputs(), store.snapshots())
    assert len(got) == 1
    row = got[0]
    assert (row.first, row.last, row.best) == (100.0, pytest.approx(40.0), 100.0)
    assert dict(row.tags) == {"t": pytest.approx(40.0), "u": 0.0}


def _list_on_a_terminal(home: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    from click.testing import CliRunner

    from quiz.cli import cli
    from quiz.commands import scores as scores_command

    monkeypatch.setattr(scores_command, "_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(cli, ["scores", "list", *args], env={"QUIZ_HOME": str(home)})
    assert result.exit_code == 0, result.output
    return result.output


def test_scores_list_on_a_terminal_shows_a_page_and_how_many_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz.commands.scores import SCREEN_ROWS as PAGE

    generated_store(tmp_path, 3)
    with Store.open(tmp_path) as store:
        every = [row for row in store.summaries() if row.answered]
    assert len(every) > PAGE
    out = _list_on_a_terminal(tmp_path, monkeypatch)
    assert f"{len(every) - PAGE} more (older)" in out
    assert every[PAGE - 1].id[:8] in out and every[PAGE].id[:8] not in out
    # --limit says how many; not on a terminal (a pipe, a file), every attempt is written
    assert "more (older)" not in _list_on_a_terminal(tmp_path, monkeypatch, "--limit", "100")
    from click.testing import CliRunner

    from quiz.cli import cli

    monkeypatch.undo()  # CliRunner's output is not a terminal
    piped = CliRunner().invoke(cli, ["scores", "list"], env={"QUIZ_HOME": str(tmp_path)})
    assert "more (older)" not in piped.output and every[-1].id[:8] in piped.output
