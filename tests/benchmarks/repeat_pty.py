"""Run the pseudo-terminal tests many times, optionally under CPU load, and count the failures.

    python tests/benchmarks/repeat_pty.py [--runs 50] [--load] [--tests tests/test_pty.py ...]
                                          [-k EXPR]

A flaky test is a failing test: a terminal test that passes once proves little. This runs the
chosen test files (by default every `tests/test_*pty*.py` and `tests/test_*screen*.py`) in a
fresh pytest process per run. With `--load`, one busy-loop process per core keeps the machine
busy for the whole time, as a loaded CI machine would be. It prints one line per run, then the
totals and every test that failed at least once; its exit code is 1 if any run failed.

Not run by CI (it takes minutes); run it before calling a terminal test done.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _spin(stop: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    while not stop.is_set():
        for _ in range(100_000):
            pass


def default_tests() -> list[str]:
    found = sorted({*ROOT.glob("tests/test_*pty*.py"), *ROOT.glob("tests/test_*screen*.py")})
    return [str(path.relative_to(ROOT)) for path in found]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50, help="how many runs (default 50)")
    parser.add_argument("--load", action="store_true", help="a busy-loop process per core")
    parser.add_argument("--tests", nargs="+", default=None, help="test files or node ids")
    parser.add_argument("-k", dest="keyword", default=None, help="pytest -k expression")
    parser.add_argument(
        "--log", type=Path, default=None, help="keep each failing run's output here"
    )
    args = parser.parse_args()

    tests = args.tests or default_tests()
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf", *tests]
    if args.keyword:
        command += ["-k", args.keyword]

    stop = multiprocessing.Event()
    spinners = []
    if args.load:
        for _ in range(os.cpu_count() or 1):
            spinner = multiprocessing.Process(target=_spin, args=(stop,), daemon=True)
            spinner.start()
            spinners.append(spinner)

    failures: collections.Counter[str] = collections.Counter()
    green = 0
    load = f"under load ({len(spinners)} busy processes)" if spinners else "without load"
    print(f"{' '.join(tests)}: {args.runs} runs {load}", flush=True)
    started = time.monotonic()
    try:
        for run in range(1, args.runs + 1):
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "(no output)"
            failed = re.findall(r"^FAILED (\S+)", done.stdout, flags=re.MULTILINE)
            failures.update(failed)
            if failed and args.log is not None:
                args.log.mkdir(parents=True, exist_ok=True)
                (args.log / f"run-{run:03}.txt").write_text(done.stdout + done.stderr)
            if done.returncode == 0:
                green += 1
            print(f"run {run:3}: {'ok ' if done.returncode == 0 else 'FAIL'} {tail}", flush=True)
            for name in failed:
                print(f"          {name}", flush=True)
    finally:
        stop.set()
        for spinner in spinners:
            spinner.join(timeout=5)

    minutes = (time.monotonic() - started) / 60
    print(f"{green} of {args.runs} runs passed {load}, in {minutes:.1f} min.")
    for name, count in failures.most_common():
        print(f"  failed {count}x: {name}")
    return 0 if green == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
