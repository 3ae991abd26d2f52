"""Benchmark: the class store on a loopback PostgreSQL server.

Run on demand (not part of the test suite; it starts its own server with tests/pg_server.py):
    python tests/benchmarks/bench_pg.py [--responses N] [--answers K] [--repeat R]

1. Recording one answer: a learner's role (row-level security, the learner's write path)
   records K answers through `Store.record_response`, each its own committed transaction over
   loopback TCP; the median and 90th percentile in milliseconds (the instructor's path too).
2. `quiz scores report --by question` over a store of N responses (default 1,000,000: N/100
   attempts of bench_scale's 100-question bank by N/5,000 learners, imported by `quiz scores
   import` as the instructor) against the bare SQL on the same server (a psycopg script
   computing the same figures from each learner's first finished attempt, as
   bench_scale_baseline.py does on SQLite). Whole processes, wall-clock seconds (the work is
   the server's as much as the client's), best of R; the target ratio is <= 2. And what a
   class store adds to every instructor command: the role and setup checks and the grade step
   with nothing new to grade, median in ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.bench_scale import BANK_ID, write_bank, write_results  # noqa: E402
from tests.pg_server import running_server  # noqa: E402

TARGET = 2.0

# The bare baseline: bench_scale_baseline.py's by-question work (every response of each
# learner's first finished attempt read once, Moodle's figures computed in plain Python),
# over a psycopg connection to the same server.
BARE = f"""
import sys, psycopg
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
from bench_scale_baseline import by_question
with psycopg.connect(sys.argv[1]) as conn:
    by_question(conn, first_only=True)
"""


def run(cmd: list[str], env: dict[str, str]) -> float:
    """Wall-clock seconds of one whole process (which must succeed)."""
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return took


def quiz_env(server, database: str, home: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "QUIZ_"))}
    env.update(
        QUIZ_DB=server.url(database),
        PGPASSWORD=server.password,
        QUIZ_HOME=str(home),
        PYTHONPATH=str(ROOT),
        COLUMNS="120",
    )
    return env


def quiz(*args: str) -> list[str]:
    return [sys.executable, "-m", "quiz", *args]


def record_answers(server, database: str, folder: Path, answers: int) -> None:  # type: ignore[no-untyped-def]
    """Median time of one answer, as a learner's role and as the instructor's."""
    from quiz.store import Store
    from quiz.store.records import ResponseRecord

    env = quiz_env(server, database, folder / "home")
    subprocess.run(
        quiz("class", "add", "bench_learner", "--dir", str(folder)),
        env=env,
        check=True,
        capture_output=True,
    )
    os.environ["PGPASSFILE"] = str(folder / "bench_learner.pgpass")
    for who, url in (
        ("learner", server.url(database, "bench_learner")),
        ("instructor", server.url(database, server.superuser, server.password)),
    ):
        with Store.open(url) as store:
            plan = [("answers", f"q{n}") for n in range(answers)]
            attempt = store.start_attempt(
                user=str(store.role()), banks=[("answers", "x")], mode="take", seed=1, plan=plan
            )
            times = []
            for _, question in plan:
                record = ResponseRecord("answers", question, "42", 1.0, 1.0, True, seconds=3.0)
                start = time.perf_counter()
                store.record_response(attempt, record)
                times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(
            f"record one answer ({who:<10}) median {statistics.median(times):6.2f} ms,"
            f" p90 {times[int(len(times) * 0.9)]:6.2f} ms  ({answers} answers, loopback TCP)"
        )


def grade_step(server, database: str, times: int = 20) -> None:  # type: ignore[no-untyped-def]
    """What a class store adds to every instructor command: the role and setup checks and the
    grade step with nothing new to grade (`quiz.app.classroom.opened`), median in ms."""
    from quiz.app.classroom import opened
    from quiz.store import Store

    took = []
    with Store.open(server.url(database, server.superuser, server.password)) as store:
        for _ in range(times):
            store.forget_class_role()  # asked again, as a new command would
            start = time.perf_counter()
            opened(store)
            took.append((time.perf_counter() - start) * 1000)
    print(
        f"grade step with nothing new (every instructor command) median"
        f" {statistics.median(took):6.2f} ms"
    )


def report_ratio(server, database: str, folder: Path, responses: int, repeat: int) -> None:  # type: ignore[no-untyped-def]
    bank = folder / "class-scale.yaml"
    write_bank(bank)
    results = folder / "results.jsonl"
    write_results(results, bank, responses)
    env = quiz_env(server, database, folder / "home")
    took = run(quiz("scores", "import", str(results), "--bank", str(bank)), env)
    print(f"store: {responses:,} responses imported by `quiz scores import` in {took:.1f} s")
    run(quiz("class", "grade"), env)  # nothing left for the reports' own grade step
    grade_step(server, database)
    ours = min(
        run(quiz("scores", "report", BANK_ID, "--by", "question"), env) for _ in range(repeat)
    )
    bare = min(
        run(
            [sys.executable, "-c", BARE, server.url(database, server.superuser, server.password)],
            env,
        )
        for _ in range(repeat)
    )
    print(f"{'command':<40} {'quiz s':>8} {'bare s':>8} {'ratio':>6}  target")
    print(
        f"{'scores report --by question':<40} {ours:>8.2f} {bare:>8.2f} {ours / bare:>6.2f}"
        f"  <= {TARGET}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with running_server() as server, tempfile.TemporaryDirectory(prefix="bench-pg-") as tmp:
        folder = Path(tmp)
        database = server.create_database("bench")
        env = quiz_env(server, database, folder / "home")
        subprocess.run(quiz("class", "init"), env=env, check=True, capture_output=True)
        record_answers(server, database, folder, args.answers)
        report_ratio(server, database, folder, args.responses, args.repeat)


if __name__ == "__main__":
    main()
