"""Benchmark: `quiz scores report --by question` over 1,000,000 responses.

Run as `python tests/benchmarks/bench_report.py [--responses N] [--keep DIR]`. It fills a fresh
store through `Store.merge` (50,000 finished attempts of a 20-question bank by 5,000 learners,
so first attempts and all attempts differ), then times, in the same run:

- the bare per-question aggregate, run through `sqlite3` on the store file
  (`SELECT bank_id, question_id, COUNT(*), SUM(score), SUM(max_score) ... GROUP BY`), and
- the report, `quiz scores report BANK --by question` (in process, the table written to a
  buffer; `--all-attempts` too),

each the best of three runs, and prints the ratio report / aggregate. Target: at most 3.0.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from quiz.store.records import (  # noqa: E402
    AttemptRecord,
    BankSnapshot,
    QuestionSnapshot,
    ResponseRecord,
)

TARGET = 3.0
QUESTIONS = 20
BANK = "bench-bank"
CONTENT_HASH = "0" * 64
KINDS = ("choice", "multi", "truefalse", "text", "number")


def snapshot() -> BankSnapshot:
    questions = []
    for i in range(QUESTIONS):
        kind = KINDS[i % len(KINDS)]
        options: tuple[str, ...] = ()
        answers: tuple[str, ...] = ()
        if kind == "choice":
            options, answers = ("right", "wrong one", "wrong two", "wrong three"), ("right",)
        elif kind == "multi":
            options, answers = ("a", "b", "c", "d", "e"), ("a", "b")
        questions.append(
            QuestionSnapshot(
                bank_id=BANK,
                question_id=f"q{i:02d}",
                kind=kind,
                prompt=f"Question {i}?",
                max_score=1.0 if kind != "multi" else 2.0,
                expected="right",
                tags=(f"tag{i % 4}",),
                options=options,
                answers=answers,
            )
        )
    return BankSnapshot(BANK, CONTENT_HASH, "Benchmark bank", tuple(questions))


def attempts(count: int, rng: random.Random, snap: BankSnapshot) -> list[AttemptRecord]:
    learners = max(1, count // 10)
    ability = [rng.random() for _ in range(learners)]
    made = []
    for n in range(count):
        user = n % learners
        skill = ability[user]
        responses = []
        for q in snap.questions:
            right = rng.random() < 0.25 + 0.6 * skill
            value: str | list[str] | None
            if q.kind == "choice":
                value = "right" if right else rng.choice(q.options[1:])
                score = 1.0 if right else 0.0
            elif q.kind == "multi":
                value = ["a", "b"] if right else rng.sample(list(q.options), 2)
                good = len(set(value) & {"a", "b"})
                score = 2.0 * max(0.0, (good - (len(value) - good)) / 2)
            else:
                value = "answer" if right else "other"
                score = 1.0 if right else 0.0
            responses.append(
                ResponseRecord(
                    bank_id=BANK,
                    question_id=q.question_id,
                    response=value,
                    score=score,
                    max_score=q.max_score,
                    correct=score == q.max_score,
                    seconds=5.0,
                    answered_at="2024-01-01T00:00:00+00:00",
                )
            )
        minute, second = divmod(n, 60)
        made.append(
            AttemptRecord(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                user=f"learner{user:05d}",
                banks=((BANK, CONTENT_HASH),),
                mode="take",
                started_at=f"2024-01-{1 + minute // 1440:02d}T{minute // 60 % 24:02d}:"
                f"{minute % 60:02d}:{second:02d}+00:00",
                status="finished",
                finished_at=None,
                plan=tuple((BANK, q.question_id) for q in snap.questions),
                responses=tuple(responses),
            )
        )
    return made


def fill(home: Path, responses: int) -> None:
    from quiz.store import Store

    snap = snapshot()
    rng = random.Random(20240101)
    total = max(1, responses // QUESTIONS)
    chunk = 2000
    started = time.perf_counter()
    with Store.open(home) as store:
        done = 0
        while done < total:
            batch = attempts(min(chunk, total - done), rng, snap)
            store.merge(batch, [snap])
            done += len(batch)
            print(f"\r  filling the store: {done * QUESTIONS:,} responses", end="", flush=True)
    print(f" ({time.perf_counter() - started:.0f} s)")


def best_of(runs: int, action) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def bare_aggregate(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute(
            "SELECT bank_id, question_id, COUNT(*), SUM(score), SUM(max_score)"
            " FROM responses GROUP BY bank_id, question_id"
        ).fetchall()
    finally:
        conn.close()


def report(home: Path, *extra: str) -> None:
    from click.testing import CliRunner

    from quiz.cli import cli

    result = CliRunner().invoke(
        cli, ["--home", str(home), "scores", "report", BANK, "--by", "question", *extra]
    )
    if result.exit_code != 0:
        raise SystemExit(f"report failed ({result.exit_code}): {result.output}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--keep", metavar="DIR", help="Use (and keep) this home dir.")
    args = parser.parse_args()
    os.environ.setdefault("NO_COLOR", "1")
    with tempfile.TemporaryDirectory(prefix="quiz-bench-") as scratch:
        home = Path(args.keep) if args.keep else Path(scratch)
        db = home / "scores.db"
        if not db.exists():
            fill(home, args.responses)
        count = sqlite3.connect(db).execute("SELECT COUNT(*) FROM responses").fetchone()[0]
        report(home)  # warm up: imports, page cache
        bare = best_of(3, lambda: bare_aggregate(db))
        first = best_of(3, lambda: report(home))
        every = best_of(3, lambda: report(home, "--all-attempts"))
        print(f"responses:                              {count:,}")
        print(f"bare per-question aggregate (sqlite3):  {bare:.3f} s")
        print(f"quiz scores report --by question:       {first:.3f} s")
        print(f"  ... --all-attempts:                   {every:.3f} s")
        ratio = first / bare
        ratio_all = every / bare
        print(f"ratio (first attempts):                 {ratio:.2f}  (target <= {TARGET})")
        print(f"ratio (--all-attempts):                 {ratio_all:.2f}  (target <= {TARGET})")
        verdict = "met" if max(ratio, ratio_all) <= TARGET else "NOT met"
        print(f"target {verdict}")


if __name__ == "__main__":
    main()
