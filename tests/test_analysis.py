"""Item analysis and summaries (quiz.reports.items), checked against values worked by hand.

Item analysis runs as `quiz scores report --by question` runs it: the attempts go into a real
store and its query (`Store.item_inputs`) collects the inputs. Every time, the reference written
over attempt records (`tests/oracle_items.py`) must give the same statistics: on the hand-worked
classes and on random ones.
"""

from __future__ import annotations

import dataclasses
import math
import random
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest

from quiz.reports import items as analysis
from quiz.reports.items import (
    BankStats,
    analyse_bank,
    attempt_rows,
    gradebook,
    histogram,
    random_guess_score,
    user_rows,
    version_notes,
)
from quiz.store import Store
from quiz.store.records import AttemptRecord, BankSnapshot, QuestionSnapshot, ResponseRecord
from tests import oracle_items as oracle

BANK = "facts"
HASH = "h1"

Q1 = QuestionSnapshot(BANK, "q1", "choice", "Which?", 1.0, "A", ("dates",), ("A", "B", "C"), ("A",))
Q2 = QuestionSnapshot(BANK, "q2", "truefalse", "True?", 1.0, "true", ("dates", "people"))
Q3 = QuestionSnapshot(BANK, "q3", "text", "Who?", 1.0, "Kim", ("people",))
Q4 = QuestionSnapshot(BANK, "q4", "choice", "Nobody sees me", 1.0, "X", (), ("X", "Y"), ("X",))
SNAPSHOT = BankSnapshot(BANK, HASH, "Facts", (Q1, Q2, Q3, Q4))
BY_ID = {q.question_id: q for q in SNAPSHOT.questions}

_counter = 0


def make_attempt(
    user: str,
    answers: dict[str, tuple[float, Any]],
    *,
    plan: list[str] | None = None,
    status: str = "finished",
    mode: str = "take",
    bank: str = BANK,
    content_hash: str = HASH,
    started: str | None = None,
    skipped: tuple[str, ...] = (),
) -> AttemptRecord:
    """An attempt: question id -> (score, response); `plan` defaults to the answered ones."""
    global _counter
    _counter += 1
    responses = []
    for qid, (score, value) in answers.items():
        max_score = BY_ID[qid].max_score if qid in BY_ID else 1.0
        responses.append(
            ResponseRecord(
                bank_id=bank,
                question_id=qid,
                response=None if qid in skipped else value,
                score=score,
                max_score=max_score,
                correct=score == max_score,
                skipped=qid in skipped,
            )
        )
    planned = plan if plan is not None else list(answers)
    return AttemptRecord(
        id=str(uuid.UUID(int=_counter)),
        user=user,
        banks=((bank, content_hash),),
        mode=mode,
        started_at=started or f"2024-03-01T10:{_counter % 60:02d}:{_counter // 60:02d}+00:00",
        status=status,
        finished_at=None,
        plan=tuple((bank, q) for q in planned),
        responses=tuple(responses),
    )


def class_of_four() -> list[AttemptRecord]:
    """The hand-worked class: 4 learners' first attempts, and attempts that must not count.

    learner  q1 (choice)  q2 (truefalse)  q3 (text)  total
    u1       1  "A"       1               1          3
    u2       1  "A"       0               1          2
    u3       0  "B"       1               0          1
    u4       0  "C"       0               0          0
    """
    return [
        make_attempt("u1", {"q1": (1, "A"), "q2": (1, "true"), "q3": (1, "Kim")}),
        make_attempt("u2", {"q1": (1, "A"), "q2": (0, "false"), "q3": (1, "Kim")}),
        make_attempt("u3", {"q1": (0, "B"), "q2": (1, "true"), "q3": (0, "Lee")}),
        make_attempt("u4", {"q1": (0, "C"), "q2": (0, "false"), "q3": (0, "Park")}),
        # Not counted: u1's second attempt (first attempts only), a study session, an
        # unfinished one.
        make_attempt("u1", {"q1": (0, "B"), "q2": (0, "false"), "q3": (0, "x")}),
        make_attempt("u5", {"q1": (1, "A"), "q2": (1, "true"), "q3": (1, "Kim")}, mode="study"),
        make_attempt("u6", {"q1": (1, "A")}, plan=["q1", "q2", "q3"], status="in_progress"),
    ]


def stats_for(
    attempts: list[AttemptRecord],
    snapshots: tuple[BankSnapshot, ...] = (SNAPSHOT,),
    *,
    home: Path | None = None,
    **kwargs: Any,
) -> BankStats:
    """Item analysis of BANK from a store holding these attempts (a fresh one unless `home`),
    after checking that the oracle agrees."""
    if home is None:
        with tempfile.TemporaryDirectory() as scratch:
            return stats_for(attempts, snapshots, home=Path(scratch), **kwargs)
    with Store.open(home) as store:
        store.merge(attempts, snapshots)
        stored = store.attempts()
        stored_snapshots = store.snapshots()
        from_store = analyse_bank(store.item_inputs(BANK, **kwargs))
    user = kwargs.pop("user", None)
    if user is not None:
        stored = [a for a in stored if a.user == user]
    from_oracle = analyse_bank(oracle.collect_bank(stored, stored_snapshots, BANK, **kwargs))
    _assert_same(_sorted_percents(from_oracle), _sorted_percents(from_store))
    return from_store


def item(stats: BankStats, qid: str) -> analysis.ItemStats:
    return next(i for i in stats.items if i.question_id == qid)


def test_hand_worked_item_statistics() -> None:
    stats = stats_for(class_of_four())
    assert stats.attempts == 4

    q1 = item(stats, "q1")
    # x = [1, 1, 0, 0], rest y = total - x = [2, 1, 1, 0]; mean x = 0.5, mean y = 1.
    # Facility = mean fraction = 2/4 = 50%.
    assert q1.attempts == 4
    assert q1.facility == pytest.approx(50.0)
    # SD (sample, n-1) of the fractions: sqrt(4 * 0.25 / 3) = sqrt(1/3) = 57.735%.
    assert q1.sd == pytest.approx(100 * math.sqrt(1 / 3))
    # cov(x, y) = [0.5*1 + 0.5*0 + (-0.5)*0 + (-0.5)*(-1)] / 3 = 1/3;
    # var x = 1/3; var y = (1 + 0 + 0 + 1) / 3 = 2/3.
    # Discrimination index = 100 * (1/3) / sqrt(1/3 * 2/3) = 100 / sqrt(2) = 70.71.
    assert q1.discrimination == pytest.approx(100 / math.sqrt(2))
    # Max covariance pairs sorted x [0,0,1,1] with sorted y [0,1,1,2]:
    # [(-0.5)(-1) + (-0.5)(0) + (0.5)(0) + (0.5)(1)] / 3 = 1/3, so efficiency = 100 * 1 = 100.
    assert q1.efficiency == pytest.approx(100.0)
    # Random guess on a 3-option choice: 1/3.
    assert q1.random_guess == pytest.approx(100 / 3)
    # Options: A twice (right), B once, C once, of 4 attempts.
    assert [(o.option, o.count, o.correct) for o in q1.options] == [
        ("A", 2, True),
        ("B", 1, False),
        ("C", 1, False),
    ]
    assert [o.percent for o in q1.options] == [50.0, 25.0, 25.0]

    q2 = item(stats, "q2")
    # x = [1, 0, 1, 0], y = [2, 2, 0, 0]; cov = [0.5*1 - 0.5*1 - 0.5*(-1)... ] =
    # [0.5 - 0.5 - 0.5 + 0.5] / 3 = 0: no discrimination at all.
    assert q2.facility == pytest.approx(50.0)
    assert q2.discrimination == pytest.approx(0.0)
    # Max covariance: sorted x [0,0,1,1], sorted y [0,0,2,2]: (0.5 + 0.5 + 0.5 + 0.5) / 3 = 2/3;
    # efficiency = 0 / (2/3) = 0.
    assert q2.efficiency == pytest.approx(0.0)
    assert q2.random_guess == pytest.approx(50.0)
    assert q2.options == ()  # option counts are for choice and multi questions

    q3 = item(stats, "q3")
    # Same marks as q1: x = [1, 1, 0, 0], y = [2, 1, 1, 0].
    assert q3.discrimination == pytest.approx(100 / math.sqrt(2))
    assert q3.efficiency == pytest.approx(100.0)
    assert q3.random_guess == pytest.approx(0.0)


def test_hand_worked_test_statistics() -> None:
    stats = stats_for(class_of_four())
    # Percentages 100, 66.67, 33.33, 0: mean 50, median 50.
    assert stats.mean == pytest.approx(50.0)
    assert stats.median == pytest.approx(50.0)
    # SD: deviations ±50 and ±16.67: sqrt((2 * 2500 + 2 * 277.78) / 3) = 43.03.
    assert stats.sd == pytest.approx(math.sqrt((2 * 2500 + 2 * (50 / 3) ** 2) / 3))
    # Cronbach's alpha over the k = 3 questions someone saw (q4 nobody saw):
    # item variances 1/3 + 1/3 + 1/3 = 1; totals [3, 2, 1, 0]: variance 5/3.
    # alpha = 3/2 * (1 - 1 / (5/3)) = 1.5 * 0.4 = 0.6.
    assert stats.complete == 4
    assert stats.alpha == pytest.approx(0.6)
    # Moodle's error ratio = 100 * sqrt(1 - alpha) = 63.25; standard error = ER/100 * SD.
    assert stats.error_ratio == pytest.approx(100 * math.sqrt(0.4))
    assert stats.standard_error == pytest.approx(math.sqrt(0.4) * stats.sd)


def test_a_question_nobody_saw_is_reported_empty() -> None:
    q4 = item(stats_for(class_of_four()), "q4")
    assert q4.attempts == 0
    assert q4.facility is q4.sd is q4.discrimination is q4.efficiency is None
    assert q4.random_guess == pytest.approx(50.0)
    assert [(o.option, o.count, o.percent) for o in q4.options] == [("X", 0, None), ("Y", 0, None)]


def test_all_attempts_counts_every_finished_attempt() -> None:
    stats = stats_for(class_of_four(), all_attempts=True)
    # The 4 first attempts and u1's second (all wrong); not the study or unfinished ones.
    assert stats.attempts == 5
    assert item(stats, "q1").facility == pytest.approx(40.0)


def test_one_attempt() -> None:
    stats = stats_for([make_attempt("solo", {"q1": (1, "A"), "q2": (0, "false")})])
    q1 = item(stats, "q1")
    assert q1.attempts == 1
    assert q1.facility == 100.0
    # Nothing varies with one attempt: no SD, correlation or alpha.
    assert q1.sd is None and q1.discrimination is None and q1.efficiency is None
    assert stats.alpha is None and stats.sd is None
    assert stats.mean == pytest.approx(50.0)


def test_every_learner_right() -> None:
    attempts = [
        make_attempt(user, {"q1": (1, "A"), "q2": (1, "true"), "q3": (1, "Kim")})
        for user in ("a", "b", "c")
    ]
    stats = stats_for(attempts)
    q1 = item(stats, "q1")
    assert q1.facility == 100.0
    assert q1.sd == 0.0
    # Zero variance: the correlation is undefined, shown as a dash, never a crash or NaN.
    assert q1.discrimination is None
    assert q1.efficiency is None
    assert stats.alpha is None  # the totals do not vary either
    assert stats.error_ratio is None


def test_a_question_an_attempt_did_not_include_is_missing_not_zero() -> None:
    # u7's quiz did not include q3 (not planned, no response): q3 is missing for u7.
    attempts = [*class_of_four()[:4], make_attempt("u7", {"q1": (1, "A"), "q2": (1, "true")})]
    stats = stats_for(attempts)
    assert item(stats, "q1").attempts == 5
    q3 = item(stats, "q3")
    assert q3.attempts == 4
    assert q3.facility == pytest.approx(50.0)  # not 40: u7 is not a zero
    # u7 did not see every question: alpha stays over the 4 complete attempts.
    assert stats.complete == 4
    assert stats.alpha == pytest.approx(0.6)


def test_a_planned_question_without_an_answer_scores_zero() -> None:
    attempts = [
        *class_of_four()[:4],
        make_attempt("u8", {"q1": (1, "A")}, plan=["q1", "q2", "q3"]),
        make_attempt(
            "u9", {"q1": (0, None), "q2": (1, "t"), "q3": (0, None)}, skipped=("q1", "q3")
        ),
    ]
    stats = stats_for(attempts)
    q3 = item(stats, "q3")
    assert q3.attempts == 6
    assert q3.facility == pytest.approx(200 / 6)
    assert q3.no_answer == 2
    q1 = item(stats, "q1")
    assert [(o.option, o.count) for o in q1.options][-1] == ("(no answer)", 1)
    assert stats.complete == 6
    # u8 scored 1 of 3 planned points.
    assert sorted(stats.percents)[2] == pytest.approx(100 / 3)


def test_responses_outside_the_options_are_counted_as_other() -> None:
    attempts = [
        make_attempt("a", {"q1": (0, "D (an old option)")}),
        make_attempt("b", {"q1": (1, "A")}),
    ]
    options = item(stats_for(attempts), "q1").options
    assert [(o.option, o.count) for o in options] == [("A", 1), ("B", 0), ("C", 0), ("(other)", 1)]


def test_multi_option_counts_count_each_pick_once() -> None:
    multi = QuestionSnapshot(
        BANK, "m", "multi", "Pick", 2.0, "A; B", (), ("A", "B", "C"), ("A", "B")
    )
    snap = BankSnapshot(BANK, HASH, "Facts", (multi,))
    attempts = [
        make_attempt("a", {"m": (2.0, ["A", "B"])}),
        make_attempt("b", {"m": (0.0, ["A", "C", "C"])}),
    ]
    stats = stats_for(attempts, (snap,))
    options = stats.items[0].options
    assert [(o.option, o.count, o.correct) for o in options] == [
        ("A", 2, True),
        ("B", 1, True),
        ("C", 1, False),
    ]


def test_random_guess_scores() -> None:
    def q(kind: str, options: tuple[str, ...] = (), answers: tuple[str, ...] = ()) -> float | None:
        return random_guess_score(
            QuestionSnapshot(BANK, "x", kind, "", 1, "", (), options, answers)
        )

    assert q("choice", ("a", "b", "c", "d")) == pytest.approx(0.25)
    assert q("truefalse") == 0.5
    # multi, 2 right of 4: over the 15 non-empty picks, score max(0, (right - wrong) / 2):
    # one right alone (2 picks) 0.5 each, both right (1) 1, both right + one wrong (2) 0.5 each:
    # (1 + 1 + 1) / 15 = 0.2.
    assert q("multi", ("a", "b", "c", "d"), ("a", "b")) == pytest.approx(0.2)
    # 1 right of 2: {a} 1, {b} 0, {a, b} 0 -> 1/3.
    assert q("multi", ("a", "b"), ("a",)) == pytest.approx(1 / 3)
    # match: 1 / distinct right-hand sides.
    assert q("match", ("x", "y", "z")) == pytest.approx(1 / 3)
    # order of 3: longest runs over the 6 orders are 3,2,2,2,2,1 -> mean (L-1)/2 = 0.5.
    assert q("order", ("a", "b", "c")) == pytest.approx(0.5)
    # order of 4: mean longest run 2.41667 (58/24) -> (58/24 - 1)/3.
    assert q("order", ("a", "b", "c", "d")) == pytest.approx((58 / 24 - 1) / 3)
    for kind in ("text", "number", "date"):
        assert q(kind) == 0.0


def test_points_other_than_one() -> None:
    heavy = QuestionSnapshot(BANK, "h", "text", "?", 4.0, "x")
    light = QuestionSnapshot(BANK, "l", "text", "?", 1.0, "x")
    snap = BankSnapshot(BANK, HASH, "Facts", (heavy, light))
    attempts = []
    for user, (heavy_mark, light_mark) in {
        "a": (4.0, 1.0),
        "b": (2.0, 1.0),
        "c": (0.0, 0.0),
    }.items():
        attempts.append(
            AttemptRecord(
                id=str(uuid.uuid4()),
                user=user,
                banks=((BANK, HASH),),
                mode="take",
                started_at="2024-01-01T00:00:00+00:00",
                status="finished",
                plan=((BANK, "h"), (BANK, "l")),
                responses=(
                    ResponseRecord(BANK, "h", "x", heavy_mark, 4.0, heavy_mark == 4.0),
                    ResponseRecord(BANK, "l", "x", light_mark, 1.0, light_mark == 1.0),
                ),
            )
        )
    stats = stats_for(attempts, (snap,))
    h_item = item(stats, "h")
    # Fractions 1, 0.5, 0: facility 50, SD 50.
    assert h_item.facility == pytest.approx(50.0)
    assert h_item.sd == pytest.approx(50.0)
    # Marks x = [4, 2, 0], rest = [1, 1, 0]: cov = [2*(1/3) + 0 + (-2)*(-2/3)] / 2 = 1;
    # var x = 4, var y = 1/3: disc = 100 * 1 / sqrt(4/3) = 86.6.
    assert h_item.discrimination == pytest.approx(100 / math.sqrt(4 / 3))
    assert stats.mean == pytest.approx((100 + 60 + 0) / 3)


def test_item_analysis_covers_every_bank_attempted(tmp_path: Path) -> None:
    other = make_attempt("u1", {"z": (1, "x")}, bank="other", content_hash="o1")
    with Store.open(tmp_path) as store:
        store.merge([*class_of_four(), other], [SNAPSHOT])
        banks = store.reportable_banks()
        stats = [analyse_bank(store.item_inputs(b)) for b in banks]
        expected = oracle.item_analysis(store.attempts(), store.snapshots())
    assert banks == ["facts", "other"]
    assert stats[1].items[0].kind == ""  # no snapshot of "other": still reported
    _assert_same([_sorted_percents(s) for s in expected], [_sorted_percents(s) for s in stats])


def test_version_notes() -> None:
    attempts = class_of_four()
    assert version_notes(attempts) == []
    changed = [*attempts, make_attempt("u9", {"q1": (1, "A")}, content_hash="h2")]
    notes = version_notes(changed)
    assert len(notes) == 1
    assert "facts" in notes[0] and "2 versions" in notes[0]
    stats = stats_for(changed, all_attempts=True)
    assert stats.versions == ("h1", "h2")


def test_attempt_rows() -> None:
    rows = attempt_rows(class_of_four(), [SNAPSHOT])
    assert len(rows) == 7  # every attempt, whatever its status or mode
    first = rows[0]
    assert (first.user, first.score, first.max_score, first.percent) == ("u1", 3, 3, 100.0)
    unfinished = next(r for r in rows if r.status == "in_progress")
    # 1 of 3 planned questions answered: the unanswered two count towards the maximum.
    assert (unfinished.answered, unfinished.questions, unfinished.max_score) == (1, 3, 3.0)


def test_user_rows_and_tag_mastery() -> None:
    attempts = [a for a in class_of_four() if analysis.counts_for_reports(a)]
    rows = {r.user: r for r in user_rows(attempts, [SNAPSHOT])}
    assert set(rows) == {"u1", "u2", "u3", "u4"}
    u1 = rows["u1"]
    # u1: 100% then 0%.
    assert (u1.attempts, u1.best, u1.last, u1.first, u1.mean) == (2, 100.0, 0.0, 100.0, 50.0)
    # Mastery follows the latest response to each question: all wrong in u1's second attempt.
    assert dict(u1.tags) == {"dates": 0.0, "people": 0.0}
    # u2: q1 right (dates), q2 wrong (dates, people), q3 right (people).
    assert dict(rows["u2"].tags) == {"dates": 50.0, "people": 50.0}


def test_gradebook_rules() -> None:
    attempts = [a for a in class_of_four() if analysis.counts_for_reports(a)]
    attempts.append(make_attempt("u2", {"z": (1, "x")}, bank="other", content_hash="o"))
    for rule, expected in {"best": 100.0, "last": 0.0, "first": 100.0, "mean": 50.0}.items():
        book = gradebook(attempts, [SNAPSHOT], rule=rule)
        assert book.banks == ("facts", "other")
        rows = dict(book.rows)
        assert rows["u1"] == (expected, None)
        assert rows["u2"][1] == 100.0
    with pytest.raises(ValueError):
        gradebook(attempts, rule="median")


def test_histogram_bins() -> None:
    bins = histogram([0, 9.99, 10, 55, 100, 100])
    assert [b.count for b in bins] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert (bins[-1].low, bins[-1].high) == (90.0, 100.0)


# --- the store's query agrees with the oracle ---------------------------------------------------


def _assert_same(a: Any, b: Any, path: str = "") -> None:
    if isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), (path, a, b)
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b), (path, a, b)
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_same(x, y, f"{path}[{i}]")
    elif dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            _assert_same(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
    else:
        assert a == b, (path, a, b)


def _sorted_percents(stats: BankStats) -> BankStats:
    return dataclasses.replace(stats, percents=tuple(sorted(stats.percents)))


@pytest.mark.parametrize("all_attempts", [False, True])
def test_sql_path_matches_hand_worked_values(tmp_path: Path, all_attempts: bool) -> None:
    attempts = [*class_of_four(), make_attempt("u8", {"q1": (1, "A")}, plan=["q1", "q2", "q3"])]
    sql = stats_for(attempts, home=tmp_path, all_attempts=all_attempts)  # checks the oracle
    if not all_attempts:
        assert item(sql, "q1").discrimination is not None
        assert sql.attempts == 5


@pytest.mark.parametrize("seed", [1, 2])
def test_sql_path_matches_records_on_a_random_class(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    multi = QuestionSnapshot(
        BANK, "q5", "multi", "Pick", 2.0, "A; B", ("x",), ("A", "B", "C", "D"), ("A", "B")
    )
    old = BankSnapshot(BANK, "h1", "Facts", (Q1, Q2, Q3, Q4, multi))
    new = BankSnapshot(BANK, "h2", "Facts v2", (Q1, Q2, Q3, multi))
    attempts = []
    for n in range(80):
        version = old if n < 50 else new
        plan = [
            q.question_id for q in version.questions if q.question_id != "q4" or rng.random() < 0.5
        ]
        answers: dict[str, tuple[float, Any]] = {}
        skipped: list[str] = []
        for qid in plan:
            roll = rng.random()
            if roll < 0.08:
                continue  # planned, never answered
            if roll < 0.12:
                skipped.append(qid)
                answers[qid] = (0.0, None)
                continue
            q = next(x for x in version.questions if x.question_id == qid)
            if q.kind == "multi":
                picked = rng.sample(list(q.options), rng.randint(1, 3))
                good = len(set(picked) & {"A", "B"})
                answers[qid] = (2.0 * max(0.0, (good - (len(picked) - good)) / 2), picked)
            elif q.kind == "choice":
                value = rng.choice(q.options)
                answers[qid] = (1.0 if value in q.answers else 0.0, value)
            else:
                right = rng.random() < 0.6
                answers[qid] = (1.0 if right else 0.0, "r" if right else "w")
        status = "finished" if rng.random() < 0.9 else "in_progress"
        mode = "take" if rng.random() < 0.9 else "study"
        attempts.append(
            make_attempt(
                f"user{n % 23}",
                answers,
                plan=plan,
                status=status,
                mode=mode,
                content_hash=version.content_hash,
                skipped=tuple(skipped),
                started=f"2024-02-{1 + n // 24:02d}T{n % 24:02d}:00:00+00:00",
            )
        )
    for all_attempts in (False, True):
        sql = stats_for(
            attempts, (old, new), home=tmp_path / str(all_attempts), all_attempts=all_attempts
        )
        assert sql.attempts > 10
    for rule in ("last", "best"):  # each learner's latest, or highest-scoring, attempt
        sql = stats_for(attempts, (old, new), home=tmp_path / rule, rule=rule)
        counted = {a.user for a in attempts if a.status == "finished" and a.mode != "study"}
        assert sql.attempts == len(counted)


def test_sql_path_filters_by_user(tmp_path: Path) -> None:
    stats = stats_for(class_of_four(), home=tmp_path, user="u3", all_attempts=True)
    with Store.open(tmp_path) as store:
        assert store.reportable_banks() == [BANK]
        assert store.reportable_banks("u3") == [BANK]
        assert store.reportable_banks("nobody") == []
    assert stats.attempts == 1
    assert item(stats, "q1").options[1].count == 1  # u3 picked B
