"""Benchmark the score store at 1,000,000 responses.

    python tests/benchmarks/bench_store.py [--responses N] [--keep DIR]

Prints, in one run:
- `quiz scores stats` (timed in-process: `quiz.reports.learner.collect`, the library function the
  command calls, which runs every query the command needs) against the bare aggregate
  `SELECT bank_id, question_id, count(*), avg(score / max_score) FROM responses GROUP BY 1, 2`
  run through Python's sqlite3 module on its own connection. Target: ratio <= 3.0.
- recording one answer (`Store.record_response`, one committed transaction) in the full store
  against the same in an empty store (medians). Target: ratio <= 2.0.
Each timing is the best (stats, aggregate) or the median (answers) of several runs, after a
warm-up, so the page cache is equally warm for both sides of each ratio.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from quiz.reports import learner as quiz_stats
from quiz.store import Store, totals
from quiz.store.records import BankSnapshot, QuestionSnapshot, ResponseRecord
from quiz.times import utc_now

BANKS = 5
QUESTIONS = 40
PER_ATTEMPT = 20
USERS = 20
TAGS = ("trade", "russia", "china", "tourism", "dates", "people", "figures", "places")
BARE = "SELECT bank_id, question_id, count(*), avg(score / max_score) FROM responses GROUP BY 1, 2"


def snapshots() -> list[BankSnapshot]:
    rng = random.Random(7)
    result = []
    for b in range(BANKS):
        bank_id = f"bank-{b}"
        questions = tuple(
            QuestionSnapshot(
                bank_id=bank_id,
                question_id=f"q-{q}",
                kind="number",
                prompt=f"Question {q} of bank {b}?",
                max_score=1.0,
                expected=str(q),
                tags=tuple(sorted(rng.sample(TAGS, 2))),
            )
            for q in range(QUESTIONS)
        )
        result.append(BankSnapshot(bank_id, f"hash-{b}", f"Bank {b}", questions))
    return result


def fill(store: Store, responses: int) -> None:
    """Bulk-load attempts and responses with executemany in one transaction."""
    rng = random.Random(1)
    snaps = snapshots()
    for snap in snaps:
        store.save_snapshot(snap)
    attempts, banks, rows = [], [], []
    n = 0
    day = 0
    while n < responses:
        snap = snaps[rng.randrange(BANKS)]
        attempt_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        started = f"2024-01-01T00:00:00.{day % 1000000:06d}+00:00"
        day += 1
        asked = rng.sample(snap.questions, min(PER_ATTEMPT, responses - n))
        plan = json.dumps([[snap.bank_id, q.question_id] for q in asked])
        attempts.append(
            (
                attempt_id,
                f"user{len(attempts) % USERS}",
                "take",
                snap.bank_id,
                1,
                plan,
                started,
                started,
                "finished",
            )
        )
        banks.append((attempt_id, 0, snap.bank_id, snap.content_hash))
        for q in asked:
            right = rng.random() < 0.7
            rows.append(
                (
                    attempt_id,
                    snap.bank_id,
                    q.question_id,
                    json.dumps("42"),
                    1.0 if right else 0.0,
                    1.0,
                    int(right),
                    0,
                    3.5,
                    started,
                )
            )
        n += len(asked)
    conn = store._conn
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO attempts (id, user_name, mode, quiz_key, seed, plan, started_at, finished_at,"
        " status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        attempts,
    )
    conn.executemany(
        "INSERT INTO attempt_banks (attempt_id, position, bank_id, content_hash)"
        " VALUES (?, ?, ?, ?)",
        banks,
    )
    conn.executemany(
        "INSERT INTO responses (attempt_id, bank_id, question_id, response, score, max_score,"
        " correct, skipped, seconds, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    totals.refresh(conn, None)  # the per-attempt totals the store keeps with every write
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")


def best_of(runs: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run_command(home: Path) -> None:
    from click.testing import CliRunner

    from quiz.cli import cli

    result = CliRunner().invoke(cli, ["--home", str(home), "scores", "stats"])
    assert result.exit_code == 0, result.output


def answer_times(store: Store, n: int) -> float:
    snap = snapshots()[0]
    times = []
    for i in range(n):
        attempt = store.start_attempt(
            user="bench",
            banks=[(snap.bank_id, snap.content_hash)],
            mode="take",
            seed=i,
            plan=[(snap.bank_id, q.question_id) for q in snap.questions[:3]],
        )
        record = ResponseRecord(snap.bank_id, "q-1", "41", 0.0, 1.0, False, 2.0, utc_now())
        start = time.perf_counter()
        store.record_response(attempt, record)
        times.append(time.perf_counter() - start)
    return statistics.median(times[2:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--keep", help="use (and keep) this home directory")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        big_home = Path(args.keep) if args.keep else Path(tmp) / "big"
        empty_home = Path(tmp) / "empty"
        store = Store.open(big_home)
        count = store._conn.execute("SELECT count(*) FROM responses").fetchone()[0]
        if count < args.responses:
            start = time.perf_counter()
            fill(store, args.responses - count)
            print(f"filled {args.responses:,} responses in {time.perf_counter() - start:.1f} s")
        count = store._conn.execute("SELECT count(*) FROM responses").fetchone()[0]

        bare_conn = sqlite3.connect(str(store.path))
        bare_conn.execute(BARE).fetchall()  # warm-up
        quiz_stats.collect(store)
        bare = best_of(5, lambda: bare_conn.execute(BARE).fetchall())
        stats_time = best_of(5, lambda: quiz_stats.collect(store))
        user_stats = best_of(3, lambda: quiz_stats.collect(store, user="user3"))
        command = best_of(3, lambda: run_command(big_home))
        bare_conn.close()

        full_answer = answer_times(store, 40)
        store.close()
        with Store.open(empty_home) as empty:
            for snap in snapshots():
                empty.save_snapshot(snap)
            empty_answer = answer_times(empty, 40)

    stats_ratio = stats_time / bare
    answer_ratio = full_answer / empty_answer
    print(f"responses in store:              {count:,}")
    print(f"bare aggregate (python sqlite3): {bare * 1000:8.1f} ms")
    print(f"scores stats (in-process, all):  {stats_time * 1000:8.1f} ms")
    print(f"scores stats (one user):         {user_stats * 1000:8.1f} ms")
    print(f"scores stats command (CliRunner): {command * 1000:7.1f} ms  (opens the store, rich)")
    print(f"stats / bare:                    {stats_ratio:8.2f}   (target <= 3.0)")
    print(f"record one answer, full store:   {full_answer * 1000:8.2f} ms")
    print(f"record one answer, empty store:  {empty_answer * 1000:8.2f} ms")
    print(f"full / empty:                    {answer_ratio:8.2f}   (target <= 2.0)")
    ok = stats_ratio <= 3.0 and answer_ratio <= 2.0
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
