"""Benchmark: `quiz banks validate` on a large bank against a plain CSafeLoader load.

Run on demand (not part of the test suite):  python tests/benchmarks/bench_validate.py
Prints ratios against baselines measured in the same run; targets are printed beside them.
  - validate 10,000 questions / yaml.load(CSafeLoader) of the same file: target <= 0.6
  - the same at 100,000 questions (linear growth: the ratio stays about the same)
  - `quiz --help` / `python -c "import click"` (subprocesses): target <= 1.3
  - banks where every question carries a warning (`draft: true`), and where every question
    carries an error (an unknown key), at 10,000 and 100,000 questions: the time grows about
    x10 for x10 questions (target ~x10; quadratic growth would show x100), and that growth
    against a clean bank's in the same run (linear: about 1, whatever the machine adds)
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from click.testing import CliRunner

from quiz.cli import cli

KINDS = [
    ("choice", "answer: Russia\n    distractors: [China, Japan, Mongolia]"),
    ("number", "answer: 67300\n    unit: barrels\n    tolerance: 5%"),
    ("date", 'answer: "2022-12"'),
    ("text", "answer: Kozlov\n    accept: [Alexander Kozlov]\n    fuzzy: true"),
    ("truefalse", "answer: true"),
    ("multi", "answers: [coal, oil]\n    distractors: [gold, rice]"),
    ("match", "pairs:\n      - [Jeong, tourism]\n      - [Cho, food aid]"),
    ("order", "items: [first, second, third]"),
]


def make_bank(path: Path, count: int, extra: str = "") -> None:
    """A bank of `count` questions; `extra` (a YAML line) is added to every question."""
    parts = ["id: big\ntitle: A big bank\nquestions:\n"]
    for i in range(count):
        kind, fields = KINDS[i % len(KINDS)]
        parts.append(
            f"  - id: q{i}\n    kind: {kind}\n    prompt: Question number {i}, about Rason?\n"
            f"    {fields}\n    explanation: Because the article says so ({i}).\n"
            f"    tags: [t{i % 7}, trade]\n    difficulty: medium\n{extra}"
        )
    path.write_text("".join(parts), encoding="utf-8")


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def validate(path: Path, exit_code: int = 0) -> None:
    result = CliRunner().invoke(cli, ["banks", "validate", str(path)])
    assert result.exit_code == exit_code, result.output[-2000:]


PROBLEMS = {
    # what every question carries: (the YAML line added, the exit code of `banks validate`)
    "warning": ("    draft: true\n", 0),
    "error": ("    bogus: 1\n", 1),
}


def problem_growth(tmp: str, clean: dict[int, float]) -> None:
    """Validating banks where every question has a problem grows linearly with the questions:
    as a clean bank's validation grows (`clean`: its seconds at 10k and 100k questions)."""
    for name, (extra, code) in PROBLEMS.items():
        seconds = {}
        for count in (10_000, 100_000):
            path = Path(tmp) / f"{name}-{count}.yaml"
            make_bank(path, count, extra)
            seconds[count] = best(
                lambda p=path, c=code: validate(p, c), 3 if count <= 10_000 else 1
            )
            print(f"validate {count:>7,} questions, a {name} each: {seconds[count]:.3f}s")
        growth = seconds[100_000] / seconds[10_000]
        against = growth / (clean[100_000] / clean[10_000])
        print(
            f"growth, a {name} on every question, 10k -> 100k: x{growth:.1f} (target ~10);"
            f" against a clean bank's growth: x{against:.2f} (linear: about 1)"
        )


def naive(path: Path) -> None:
    with path.open("rb") as handle:
        yaml.load(handle, Loader=yaml.CSafeLoader)


def run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, capture_output=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ratios = {}
        clean = {}
        for count in (10_000, 100_000):
            path = Path(tmp) / f"big-{count}.yaml"
            make_bank(path, count)
            repeat = 5 if count <= 10_000 else 2
            ours = best(lambda p=path: validate(p), repeat)
            base = best(lambda p=path: naive(p), repeat)
            ratios[count] = ours / base
            clean[count] = ours
            print(
                f"validate {count:>7,} questions: {ours:.3f}s; CSafeLoader load {base:.3f}s; "
                f"ratio {ours / base:.2f} (target <= 0.6)"
            )
        print(
            f"growth 10k -> 100k: ratio changed by x{ratios[100_000] / ratios[10_000]:.2f} "
            f"(linear: about 1)"
        )
        problem_growth(tmp, clean)
    script = shutil.which("quiz")  # the installed console script, as a user runs it
    quiz_help = [script, "--help"] if script else [sys.executable, "-m", "quiz", "--help"]
    click_import = [sys.executable, "-c", "import click"]
    for _ in range(3):
        run(quiz_help), run(click_import)
    ours = statistics.median(best(lambda: run(quiz_help), 3) for _ in range(3))
    base = statistics.median(best(lambda: run(click_import), 3) for _ in range(3))
    print(
        f"quiz --help {ours * 1000:.0f} ms; import click {base * 1000:.0f} ms; "
        f"ratio {ours / base:.2f} (target <= 1.3)"
    )


if __name__ == "__main__":
    main()
