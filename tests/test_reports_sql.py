"""Reports computed by the store's queries (#18) equal the Python over loaded attempts, which is
kept as the oracle: `--by user` (per-attempt percentages and per-tag mastery from each
learner's latest response, a window query) on generated stores with several banks, bank
versions whose tags differ, planned questions left unanswered, skipped and ungraded responses,
study sessions and unfinished attempts."""

from __future__ import annotations

import dataclasses
import random
import uuid
from pathlib import Path
from typing import Any

import pytest

from quiz.reports import items as analysis
from quiz.store import Store
from quiz.store.records import (
    AttemptRecord,
    BankSnapshot,
    QuestionSnapshot,
    ResponseRecord,
)
from quiz.store.summaries import AttemptPage, AttemptSummary

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
    from quiz.ui import tables

    monkeypatch.setattr(tables, "on_terminal", lambda file=None: True)
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(cli, ["scores", "list", *args], env={"QUIZ_HOME": str(home)})
    assert result.exit_code == 0, result.output
    return result.output


def test_scores_list_on_a_terminal_shows_a_page_and_how_many_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz.ui.tables import SCREEN_ROWS as PAGE

    generated_store(tmp_path, 3)
    with Store.open(tmp_path) as store:
        every = [row for row in store.summaries() if row.answered]
    assert len(every) > PAGE
    out = _list_on_a_terminal(tmp_path, monkeypatch)
    assert f"{len(every) - PAGE} more (--all)" in out
    assert every[PAGE - 1].id[:8] in out and every[PAGE].id[:8] not in out
    # --limit says how many; not on a terminal (a pipe, a file), every attempt is written
    assert "more (--all)" not in _list_on_a_terminal(tmp_path, monkeypatch, "--limit", "100")
    from click.testing import CliRunner

    from quiz.cli import cli

    monkeypatch.undo()  # CliRunner's output is not a terminal
    piped = CliRunner().invoke(cli, ["scores", "list"], env={"QUIZ_HOME": str(tmp_path)})
    assert "more (--all)" not in piped.output and every[-1].id[:8] in piped.output


# --- scores list: a page read from the totals kept with every write ----------------------------


def _summary_oracle(record: AttemptRecord) -> tuple[object, ...]:
    """An attempt's row of `scores list`, computed over its loaded responses (the oracle)."""
    responses = record.responses
    return (
        record.id,
        record.user,
        record.banks,
        record.mode,
        record.status,
        record.started_at,
        record.finished_at,
        record.seed,
        len(record.plan),
        sum(1 for r in responses if not r.skipped and r.response is not None),
        pytest.approx(sum(r.score for r in responses)),
        pytest.approx(sum(r.max_score for r in responses)),
        sum(1 for r in responses if not r.graded),
    )


def _summary_row(row: AttemptSummary) -> tuple[object, ...]:
    return (
        row.id,
        row.user,
        row.banks,
        row.mode,
        row.status,
        row.started_at,
        row.finished_at,
        row.seed,
        row.planned,
        row.answered,
        row.score,
        row.max_score,
        row.ungraded,
    )


@pytest.mark.parametrize("seed", range(8))
def test_scores_list_pages_equal_the_python_over_attempts(
    store_location: Path | str, seed: int
) -> None:
    """`attempt_page` (a page of attempts holding an answer, and their count) and `summaries`
    equal the rows computed over loaded attempts, for every filter, page size and offset."""
    generated_store(store_location, seed)
    with Store.open(store_location) as store:
        # an attempt begun but never answered: listed by `summaries`, never by a page
        store.start_attempt(
            user="learner1",
            banks=[("alpha", "alpha-hash-0")],
            mode="take",
            seed=1,
            plan=[("alpha", "q0")],
        )
        for user in [None, *store.users()[:2]]:
            for bank in [None, *BANKS, "unknown"]:
                records = store.attempts(user=user, bank=bank)  # newest first
                every = [_summary_oracle(a) for a in records]
                assert [_summary_row(s) for s in store.summaries(user=user, bank=bank)] == every
                answered = [row for row in every if row[9]]
                page = store.attempt_page(user=user, bank=bank)
                assert page.total == len(answered)
                assert [_summary_row(s) for s in page.rows] == answered
                for limit, offset in [(1, 0), (3, 2), (20, 0), (5, len(answered) - 2), (4, 99)]:
                    page = store.attempt_page(user=user, bank=bank, limit=limit, offset=offset)
                    assert page.total == len(answered)
                    want = answered[max(0, offset) : max(0, offset) + limit]
                    assert [_summary_row(s) for s in page.rows] == want
                    uncounted = store.attempt_page(
                        user=user, bank=bank, limit=limit, offset=offset, count=False
                    )  # `scores list` to a pipe: the same rows, no count read
                    assert uncounted.rows == page.rows
                tail = store.attempt_page(user=user, bank=bank, offset=1)
                assert [_summary_row(s) for s in tail.rows] == answered[1:]


@pytest.mark.parametrize("seed", range(4))
def test_ungraded_count_equals_the_python_over_attempts(
    store_location: Path | str, seed: int
) -> None:
    generated_store(store_location, seed)
    with Store.open(store_location) as store:
        for user in [None, *store.users()[:3]]:
            for bank in [None, *BANKS]:
                expected = sum(
                    1
                    for a in store.attempts(user=user)
                    if a.status == "finished"
                    for r in a.responses
                    if not r.graded and (bank is None or r.bank_id == bank)
                )
                assert store.ungraded_count(user=user, bank=bank) == expected


def test_the_list_counts_follow_every_write(store_location: Path | str) -> None:
    """Answering, re-answering, finishing, re-grading and deleting keep the page's counts."""
    with Store.open(store_location) as store:
        attempt = store.start_attempt(
            user="ann", banks=[("b", "h")], mode="take", seed=None, plan=[("b", "q1"), ("b", "q2")]
        )
        assert store.attempt_page().total == 0
        store.record_response(
            attempt, ResponseRecord("b", "q1", None, 0.0, 1.0, False, skipped=True)
        )
        assert store.attempt_page().total == 0  # a skipped question is no answer
        store.record_response(attempt, ResponseRecord("b", "q2", "A", 1.0, 1.0, True))
        store.record_response(attempt, ResponseRecord("b", "q1", "B", 0.0, 1.0, False))
        (row,) = store.attempt_page().rows
        assert (row.answered, row.planned, row.score, row.max_score) == (2, 2, 1.0, 2.0)
        record = store.attempt(attempt)
        ungraded = ResponseRecord("b", "q2", "A", 0.0, 0.0, False, graded=False)
        store.regrade([dataclasses.replace(record, responses=(ungraded,))])
        assert store.attempt_page().rows[0].ungraded == 1
        store.finish_attempt(attempt)
        assert store.ungraded_count() == 1
        store.delete_attempt(attempt)
        assert store.attempt_page() == AttemptPage((), 0)


# --- planned questions without a response: found through the count kept with the totals ----


def _all_graded(home: Path | str) -> None:
    """The generated store with every response graded (the item-analysis oracle does not model
    ungraded responses, which reports leave out)."""
    from quiz.store import totals

    def grade_all(conn: Any) -> None:
        conn.execute("UPDATE responses SET graded = 1, max_score = 1.0 WHERE graded = 0")
        totals.refresh(conn, None)

    with Store.open(home) as store:
        store.run(grade_all)


@pytest.mark.parametrize("seed", range(12))
def test_item_inputs_equal_the_oracle_with_responses_outside_the_plan(
    store_location: Path | str, seed: int
) -> None:
    """An attempt answering a question its plan did not name, and leaving a planned one
    unanswered: the planned one still counts as no answer (it was missed when attempts were
    picked by comparing counts)."""
    from tests.oracle_items import collect_bank

    generated_store(store_location, seed)
    _all_graded(store_location)
    with Store.open(store_location) as store:
        snapshots = store.snapshots()
        records = store.attempts()  # the oracle picks the reportable ones itself
        for bank in BANKS:
            for rule in ("first", "last", "best", "all"):
                got = store.item_inputs(bank, rule=rule, snapshots=snapshots)
                expected = collect_bank(records, snapshots, bank, rule=rule)
                key = {i.question_id: (i.n, i.no_answer) for i in got.items}
                assert key == {i.question_id: (i.n, i.no_answer) for i in expected.items}
                assert [i.sum_f for i in got.items] == pytest.approx(
                    [i.sum_f for i in expected.items]
                )
                assert got.complete == expected.complete
                assert sorted(got.percents) == pytest.approx(sorted(expected.percents))


def _unanswered_by_python(record: AttemptRecord) -> int:
    answered = {(r.bank_id, r.question_id) for r in record.responses}
    return len(set(record.plan) - answered)


def test_each_attempts_count_of_unanswered_planned_questions_follows_every_write(
    store_location: Path | str,
) -> None:
    def unanswered(conn: Any) -> dict[str, int]:
        return dict(conn.execute("SELECT id, unanswered FROM attempts").fetchall())

    generated_store(store_location, 5)
    with Store.open(store_location) as store:

        def stored() -> dict[str, int]:
            return store.run(unanswered, write=False)

        assert stored() == {a.id: _unanswered_by_python(a) for a in store.attempts()}
        plan = [("b", "q1"), ("b", "q2"), ("b", "q1")]
        attempt = store.start_attempt(user="ann", banks=[("b", "h")], mode="take", seed=None,
                                      plan=plan)  # fmt: skip
        assert stored()[attempt] == 2
        store.record_response(attempt, ResponseRecord("b", "q9", "A", 1.0, 1.0, True))
        assert stored()[attempt] == 2  # a question outside the plan
        store.record_response(attempt, ResponseRecord("b", "q2", None, 0.0, 1.0, False,
                                                      skipped=True))  # fmt: skip
        assert stored()[attempt] == 1  # a skipped question has its response
        store.record_response(attempt, ResponseRecord("b", "q1", "A", 1.0, 1.0, True))
        assert stored()[attempt] == 0
        assert stored() == {a.id: _unanswered_by_python(a) for a in store.attempts()}
