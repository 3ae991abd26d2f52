"""Benchmark: every `quiz scores` command on a class-sized store, against the simplest script.

Run on demand (not part of the test suite):
    python tests/benchmarks/bench_scale.py [--responses N] [--keep DIR [--reuse]]
Default N = 1,000,000 responses: N/100 attempts of a 100-question bank by N/5,000 learners.

The store is built through the public import path: a generated results file (with the bank's
snapshot, every response graded by the public grader) imported by `quiz scores import --bank`.
Every figure is a whole process (`python -m quiz ...` against `python bench_scale_baseline.py
...`, the baselines kept beside this file), CPU time (user + system) and peak memory read from
`wait4`, best of `--repeat` runs. Printed against the issue's targets:
- every `scores` command <= 2.0x its baseline's CPU;
- export and import peak memory <= 100 MiB;
- memory growth of export and import from N/10 to N responses <= 1.5x.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from quiz.bank.loader import load_bank  # noqa: E402
from quiz.formats.results import attempt_line, results_lines  # noqa: E402
from quiz.kinds import grade  # noqa: E402
from quiz.store.records import AttemptRecord, ResponseRecord, snapshot_of  # noqa: E402

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "bench_scale_baseline.py"
QUESTIONS = 100
BANK_ID = "class-scale"
CPU_TARGET = 2.0
MEMORY_TARGET_MIB = 100.0
GROWTH_TARGET = 1.5

# kind, YAML fields, a right response, wrong responses
KINDS = [
    ("choice", "answer: Russia\n    distractors: [China, Japan, Mongolia]", "Russia", ["China"]),
    ("number", "answer: 67300\n    tolerance: 5%", "67300", ["5", "about 1000"]),
    ("text", "answer: Kozlov\n    accept: [Alexander Kozlov]", "Kozlov", ["Ivanov"]),
    ("truefalse", "answer: true", "true", ["false"]),
    ("multi", "answers: [coal, oil]\n    distractors: [gold, rice]", ["coal", "oil"], [["gold"]]),
    ("date", 'answer: "2022-12"', "Dec 2022", ["2021"]),
]


def write_bank(path: Path) -> None:
    parts = [f"id: {BANK_ID}\ntitle: A class-sized exam\nquestions:\n"]
    for i in range(QUESTIONS):
        kind, fields, _, _ = KINDS[i % len(KINDS)]
        parts.append(
            f"  - id: q{i:03d}\n    kind: {kind}\n    prompt: Question {i}?\n    {fields}\n"
            f"    tags: [t{i % 5}]\n"
        )
    path.write_text("".join(parts), encoding="utf-8")


def write_results(path: Path, bank_file: Path, responses: int, seed: int = 7) -> None:
    """A results file of `responses` responses, written an attempt at a time."""
    rng = random.Random(seed)
    bank = load_bank(bank_file)
    snapshot = snapshot_of(bank)
    attempts = max(1, responses // QUESTIONS)
    users = max(1, responses // 5_000)
    plan = tuple((BANK_ID, q.id) for q in bank.questions)
    with path.open("w", encoding="utf-8") as out:
        for line in results_lines((), [snapshot], count=attempts):
            out.write(line + "\n")
        for n in range(attempts):
            skill = rng.random()
            day, minute = divmod(n, 1440)
            started = (
                f"2024-{1 + day // 28:02d}-{1 + day % 28:02d}"
                f"T{minute // 60:02d}:{minute % 60:02d}:00+00:00"
            )
            records = []
            for i, question in enumerate(bank.questions):
                _, _, right, wrong = KINDS[i % len(KINDS)]
                value = right if rng.random() < skill else rng.choice(wrong)
                g = grade(question, value)
                records.append(
                    ResponseRecord(
                        BANK_ID,
                        question.id,
                        value,
                        g.score,
                        g.max_score,
                        g.correct,
                        seconds=round(rng.uniform(2, 60), 1),
                        answered_at=started,
                    )
                )
            attempt = AttemptRecord(
                id=str(uuid.UUID(int=rng.getrandbits(128))),
                user=f"learner{n % users:04d}",
                banks=((BANK_ID, snapshot.content_hash),),
                mode="take",
                started_at=started,
                status="finished",
                finished_at=started,
                seed=n,
                plan=plan,
                responses=tuple(records),
            )
            out.write(attempt_line(attempt) + "\n")


def measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """CPU seconds (user + system) and peak memory (MiB) of one whole process."""
    with open(os.devnull, "wb") as devnull:
        proc = subprocess.Popen(cmd, stdout=devnull, stderr=subprocess.PIPE, env=env)
        assert proc.stderr is not None
        _, status, usage = os.wait4(proc.pid, 0)
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def best(cmd: list[str], env: dict[str, str] | None, repeat: int, fresh: Path | None = None):
    runs = []
    for _ in range(repeat):
        if fresh is not None:  # an import needs an empty store each time
            shutil.rmtree(fresh, ignore_errors=True)
            fresh.mkdir(parents=True)
        runs.append(measure(cmd, env))
    return min(r[0] for r in runs), min(r[1] for r in runs)


def quiz(*args: str) -> list[str]:
    return [sys.executable, "-m", "quiz", *args]


def baseline(*args: str) -> list[str]:
    return [sys.executable, str(BASELINE), *args]


def env_for(home: Path) -> dict[str, str]:
    env = dict(os.environ, QUIZ_HOME=str(home), PYTHONPATH=str(ROOT), COLUMNS="120")
    env.pop("NO_COLOR", None)
    # As installed: modules compiled once (into a cache beside the store), not at every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home.parent / "pycache")
    return env


def base_env(tmp: Path) -> dict[str, str]:
    """The baselines' environment: the same bytecode cache as quiz's."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(tmp / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def import_and_export(
    tmp: Path, bank_file: Path, responses: int, repeat: int, reuse: bool = False
) -> dict:
    """Import (through `scores import`) and export figures at one size; the store is kept.
    `reuse`: a results file this size written by an earlier run in the same folder is read
    again, and a store this size built there is kept as it is (the import is not measured
    again; delete the store to measure it)."""
    results = tmp / f"class-{responses}.jsonl"
    home = tmp / f"home-{responses}"
    base_home = tmp / f"base-{responses}"
    env = env_for(home)
    ours = base = (float("nan"), float("nan"))
    if not (reuse and (home / "scores.db").exists()):
        if not (reuse and results.exists()):
            write_results(results, bank_file, responses)
        command = quiz("scores", "import", str(results), "--bank", str(bank_file))
        ours = best(command, env, repeat, home)
        base = best(
            baseline("import", str(base_home / "scores.db"), str(results), str(bank_file)),
            base_env(tmp),
            repeat,
            base_home,
        )
    out, base_out = tmp / f"out-{responses}.jsonl", tmp / f"base-out-{responses}.jsonl"
    exported = best(quiz("scores", "export", "-o", str(out), "--force"), env, repeat)
    base_exported = best(
        baseline("export", str(home / "scores.db"), str(base_out)), base_env(tmp), repeat
    )
    return {
        "home": home,
        "import": (ours, base),
        "export": (exported, base_exported),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --keep: use the results files and stores an earlier run left there (the"
        " imports of stores kept are not measured)",
    )
    args = parser.parse_args()
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        bank_file = tmp / "class-scale.yaml"
        write_bank(bank_file)
        n = args.responses
        reuse = bool(args.reuse and args.keep)
        small = import_and_export(tmp, bank_file, n // 10, args.repeat, reuse)
        big = import_and_export(tmp, bank_file, n, args.repeat, reuse)
        home = big["home"]
        db = str(home / "scores.db")
        env = env_for(home)
        print(f"store: {n:,} responses ({n // QUESTIONS:,} attempts, {max(1, n // 5000)} learners)")
        print(f"{'command':<46} {'quiz s':>8} {'base s':>8} {'ratio':>6}  target")
        rows = [
            ("scores import (empty store)", *big["import"]),
            ("scores export -o FILE", *big["export"]),
        ]
        for label, command, work in [
            ("scores stats", ("stats",), "stats"),
            ("scores report --by question", ("report", BANK_ID, "--by", "question"), "by-question"),
            (
                "scores report --by question --all-attempts",
                ("report", BANK_ID, "--by", "question", "--all-attempts"),
                "all-attempts",
            ),
            ("scores report --by user", ("report", "--by", "user"), "by-user"),
            ("scores list", ("list",), "list"),
            ("scores list --limit 20", ("list", "--limit", "20"), "list-20"),
        ]:
            ours = best(quiz("scores", *command), env, args.repeat)
            base = best(baseline(work, db), base_env(tmp), args.repeat)
            rows.append((label, ours, base))
        for label, ours, base in rows:
            ratio = ours[0] / base[0] if base[0] else float("inf")
            print(f"{label:<46} {ours[0]:>8.2f} {base[0]:>8.2f} {ratio:>6.2f}  <= {CPU_TARGET}")
        print()
        print(f"{'peak memory (MiB)':<30} {n // 10:>10,} {n:>10,}  growth  targets")
        for work in ("import", "export"):
            low, high = small[work][0][1], big[work][0][1]
            base_high = big[work][1][1]
            print(
                f"scores {work:<23} {low:>10.1f} {high:>10.1f}  x{high / low:.2f}"
                f"   <= {MEMORY_TARGET_MIB:.0f} MiB, <= x{GROWTH_TARGET}"
                f" (baseline {base_high:.1f} MiB)"
            )
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
