"""Benchmark: from `quiz take BANK` to the first question on screen, against importing questionary.

Run on demand (not part of the test suite):  python tests/benchmarks/bench_startup.py [--runs N]
Prints the median of each and their ratio, measured in the same run; the target is beside it.
  - `python -m quiz take mini.yaml` in a pseudo-terminal until "Question 1 of" is shown, and
    until the first output at all (something on screen at once)
  - baseline: `python -c "import questionary"` run to its end
  - target: time to the first question <= 1.5 x the baseline
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

import pexpect

ROOT = Path(__file__).resolve().parents[2]
MINI = str(ROOT / "tests" / "data" / "banks" / "mini.yaml")
TARGET = 1.5


def first_question(home: str) -> tuple[float, float]:
    """(seconds to the first byte on screen, seconds to "Question 1 of")."""
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm", QUIZ_HOME=home)
    start = time.perf_counter()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "quiz", "take", MINI],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        dimensions=(24, 80),
        timeout=60,
    )
    child.expect(r"\S")
    first = time.perf_counter() - start
    child.expect_exact("Question 1 of")
    question = time.perf_counter() - start
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    return first, question


def import_questionary() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import questionary"], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    firsts, questions, baselines = [], [], []
    with tempfile.TemporaryDirectory() as home:
        for _ in range(runs):  # interleaved, so load affects both alike
            baselines.append(import_questionary())
            first, question = first_question(home)
            firsts.append(first)
            questions.append(question)
    base = statistics.median(baselines)
    print(f"import questionary:            {base:.3f} s (median of {runs})")
    print(f"quiz take: first output        {statistics.median(firsts):.3f} s")
    print(f"quiz take: first question      {statistics.median(questions):.3f} s")
    ratio = statistics.median(questions) / base
    verdict = "ok" if ratio <= TARGET else "over target"
    print(f"first question / import questionary: {ratio:.2f} (target <= {TARGET}) {verdict}")


if __name__ == "__main__":
    main()
