"""Benchmark: huge texts on the learner's screen and in `grade`'s table (#13).

Run on demand (not part of the test suite):  python tests/benchmarks/bench_prompt.py
Prints ratios against baselines measured in the same run; targets are printed beside them.
  - `take --plain` of one question with a 10 MB prompt / `banks validate` of the same bank
    (reading it): target <= 60 (the scan for answers given away, a word at a time, dominates)
  - the same at 10 MB / at 1 MB: target <= 15 (linear; quadratic wrapping gave ~100)
  - `grade` of a 10 MB answer / of a 1 MB answer: target <= 15 (linear)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from quiz.cli import cli

MB = 1024 * 1024


def words(size: int) -> str:
    """`size` characters of words and spaces, like a long pasted text."""
    unit = "Rason trade figures reported by KOTRA in 2022 "
    return (unit * (size // len(unit) + 1))[:size]


def bank(folder: Path, size: int) -> Path:
    path = folder / f"big-{size}.yaml"
    path.write_text(
        f"id: big\ntitle: Big\nquestions:\n  - id: q\n    kind: text\n"
        f'    prompt: "{words(size)}?"\n    answer: Kim\n',
        encoding="utf-8",
    )
    return path


def timed(*args: str, input: str | None = None) -> float:
    start = time.perf_counter()
    result = CliRunner().invoke(cli, list(args), input=input)
    elapsed = time.perf_counter() - start
    assert result.exit_code == 0, result.output[-500:]
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        import os

        os.environ["QUIZ_HOME"] = str(folder / "home")
        os.environ["QUIZ_USER"] = "bench"
        small, large = bank(folder, MB), bank(folder, 10 * MB)
        read_large = timed("banks", "validate", str(large))
        take_small = timed("take", str(small), "--plain", input="Kim\n")
        take_large = timed("take", str(large), "--plain", input="Kim\n")
        print(f"validate 10 MB prompt: {read_large:.2f}s")
        print(f"take 1 MB prompt: {take_small:.2f}s, 10 MB prompt: {take_large:.2f}s")
        print(f"take 10 MB / validate 10 MB: {take_large / read_large:.2f} (target <= 60)")
        print(f"take 10 MB / take 1 MB: {take_large / take_small:.2f} (target <= 15)")

        mini = Path(__file__).resolve().parent.parent / "data" / "banks" / "mini.yaml"
        answers = {}
        for size in (MB, 10 * MB):
            sheet = folder / f"sheet-{size}.yaml"
            sheet.write_text(f'answers:\n  author: "{words(size)}"\n', encoding="utf-8")
            answers[size] = timed("grade", str(mini), str(sheet), "--no-record")
        print(f"grade 1 MB answer: {answers[MB]:.2f}s, 10 MB answer: {answers[10 * MB]:.2f}s")
        ratio = answers[10 * MB] / answers[MB]
        print(f"grade 10 MB / grade 1 MB: {ratio:.2f} (target <= 15)")


if __name__ == "__main__":
    sys.exit(main())
