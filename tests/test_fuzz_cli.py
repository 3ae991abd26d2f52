"""Fuzzing the CLI (#13): mutated banks, sheets, results files, GIFT files and stores, fed
through the commands in-process. Whatever the input, a command exits 0, 1 or 2, never with a
traceback, and prints no raw control character (C0 but newline and tab, C1, bidi controls).

The examples are fixed in number (`max_examples`), with the CI profile's settings (no
deadline): speed is for `tests/benchmarks/`. A watchdog of a minute per command catches hangs.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.cli import cli
from quiz.sanitize import RAW_CONTROLS
from tests.conftest import DATA

MINI = DATA / "banks" / "mini.yaml"
WATCHDOG_SECONDS = 60

FUZZ = settings(
    max_examples=int(os.environ.get("QUIZ_FUZZ_EXAMPLES", "50")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Pieces a hostile author or learner would try: syntax, controls, bidi, huge numbers, deep
# nesting, aliases, tags, digits that are not ASCII.
HOSTILE = [
    "9" * 5000,
    "[" * 3000,
    "{" * 3000,
    "&a x",
    "*a",
    "&b [1, 2]",
    "*b",
    "!!python/object/apply:os.system ['true']",
    '"\\e]0;owned\\a\\e[2J"',
    '"\\x9b31m\\u202e\\x85"',
    "²",
    "٣",
    "1e999",
    "-0",
    "NaN",
    "null",
    "~",
    "---\n",
    "\t",
    '"',
    "'",
    "#",
    "\n  - ",
    ": ",
    "\x1b[31m",
    "\x9b",
    "\u202e",
    "\x00",
    "\ufeff",
    "\udcff",
]
PIECES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(
        alphabet=st.sampled_from(list("{}[]:,-\"'&*!#|>\n \t\\=~%$/0123456789abcXYZé☃")),
        max_size=12,
    ),
)
# (where, how many characters to delete there, what to insert), applied in turn
MUTATIONS = st.lists(
    st.tuples(st.integers(0, 1 << 20), st.integers(0, 40), PIECES), min_size=1, max_size=4
)


def mutate(text: str, mutations: list[tuple[int, int, str]]) -> str:
    for where, length, insert in mutations:
        at = where % (len(text) + 1)
        text = text[:at] + insert + text[at + length :]
    return text


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return path


def invoke(*args: str, input: str | None = None) -> Result:
    """One command, in-process, under a watchdog; checked for what no input may cause. (A
    quiz whose answers run out, or that is quit, stops as interrupted: 130, by design.)"""
    codes = (0, 1, 2, 130) if args[0] == "take" else (0, 1, 2)
    outcome: list[Result] = []
    worker = threading.Thread(
        target=lambda: outcome.append(CliRunner().invoke(cli, list(args), input=input)),
        daemon=True,
    )
    worker.start()
    worker.join(WATCHDOG_SECONDS)
    assert outcome, f"quiz {' '.join(args)[:200]} hung"
    result = outcome[0]
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"quiz {' '.join(args)[:200]} raised") from result.exception
    assert result.exit_code in codes, (args, result.exit_code, result.output[-500:])
    for name, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        assert "Traceback" not in text
        raw = RAW_CONTROLS.findall(text)
        assert not raw, f"raw {raw[:5]!r} in the {name} of quiz {' '.join(args)[:200]}"
    return result


@pytest.fixture
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def fresh(work: Path) -> Path:
    """A new folder per example (hypothesis reuses the fixture's)."""
    import tempfile

    return Path(tempfile.mkdtemp(dir=work))


@FUZZ
@given(MUTATIONS)
def test_mutated_banks(work: Path, mutations: list[tuple[int, int, str]]) -> None:
    folder = fresh(work)
    bank = write(folder / "bank.yaml", mutate(MINI.read_text("utf-8"), mutations))
    invoke("banks", "validate", str(bank))
    invoke("banks", "validate", "--json", str(bank))
    invoke("banks", "lint", str(bank))
    invoke("banks", "show", "--answers", str(bank))
    invoke("banks", "show", "--json", "--answers", str(bank))
    shown = invoke("take", str(bank), "--plain", "--no-shuffle", "-n", "3", input="1\n2\n:quit\n")
    if shown.exit_code == 0 or "Answered" in shown.stdout:
        for to in ("gift", "yaml", "json"):
            invoke("banks", "export", str(bank), "--to", to)


@FUZZ
@given(MUTATIONS)
def test_mutated_sheets(work: Path, mutations: list[tuple[int, int, str]]) -> None:
    folder = fresh(work)
    sheet = (
        "bank: mini\nuser: alice\nanswers:\n  capital: Paris\n  primes: [2, 3]\n  sky: false\n"
        "  author: Shakespeare\n  barrels: 67,300\n  moon: 1969-07-20\n"
        "  pairs: {France: Paris, Italy: Rome}\n  sizes: [mouse, cat, horse]\n"
    )
    path = write(folder / "sheet.yaml", mutate(sheet, mutations))
    invoke("grade", str(MINI), str(path), "--no-record")
    invoke("grade", str(MINI), str(path), "--json")
    invoke("scores", "list")


@pytest.fixture(scope="module")
def results_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real results file: two graded attempts, exported."""
    folder = tmp_path_factory.mktemp("results")
    import os

    old = os.environ.get("QUIZ_HOME")
    os.environ["QUIZ_HOME"] = str(folder / "home")
    try:
        sheet = write(folder / "s.yaml", "answers:\n  capital: Paris\n  primes: [2, 3]\n")
        for user in ("alice", "bob"):
            assert (
                CliRunner().invoke(cli, ["--user", user, "grade", str(MINI), str(sheet)]).exit_code
                == 0
            )
        text: str = CliRunner().invoke(cli, ["scores", "export"]).stdout
    finally:
        if old is None:
            os.environ.pop("QUIZ_HOME", None)
        else:
            os.environ["QUIZ_HOME"] = old
    return text


@FUZZ
@given(MUTATIONS)
def test_mutated_results_files(
    work: Path, results_text: str, mutations: list[tuple[int, int, str]]
) -> None:
    folder = fresh(work)
    path = write(folder / "results.jsonl", mutate(results_text, mutations))
    imported = invoke("scores", "import", str(path))
    if imported.exit_code == 0:
        invoke("scores", "list", "--json")
        invoke("scores", "stats")
        invoke("scores", "report", "--by", "question")
        invoke("scores", "export")


@FUZZ
@given(MUTATIONS)
def test_mutated_gift_files(work: Path, mutations: list[tuple[int, int, str]]) -> None:
    folder = fresh(work)
    exported = CliRunner().invoke(cli, ["banks", "export", str(MINI), "--to", "gift"]).stdout
    path = write(folder / "in.gift", mutate(exported, mutations))
    imported = invoke("banks", "import", str(path), "-o", str(folder / "out.yaml"))
    if imported.exit_code == 0:
        invoke("banks", "validate", str(folder / "out.yaml"))


@pytest.fixture(scope="module")
def store_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real store (checkpointed into one file): two graded attempts and a taken one."""
    import os

    folder = tmp_path_factory.mktemp("store")
    old = os.environ.get("QUIZ_HOME")
    os.environ["QUIZ_HOME"] = str(folder)
    try:
        sheet = write(folder / "s.yaml", "answers:\n  capital: Paris\n  sky: true\n")
        for user in ("alice", "bob"):
            CliRunner().invoke(cli, ["--user", user, "grade", str(MINI), str(sheet)])
        CliRunner().invoke(cli, ["take", str(MINI), "--plain", "-n", "2"], input="1\nx\n")
    finally:
        if old is None:
            os.environ.pop("QUIZ_HOME", None)
        else:
            os.environ["QUIZ_HOME"] = old
    conn = sqlite3.connect(folder / "scores.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return (folder / "scores.db").read_bytes()


STORE_EDITS = st.lists(
    st.tuples(st.integers(0, 1 << 24), st.integers(0, 255)), min_size=1, max_size=3
)


@FUZZ
@given(STORE_EDITS)
def test_damaged_stores(quiz_home: Path, store_bytes: bytes, edits: list[tuple[int, int]]) -> None:
    data = bytearray(store_bytes)
    for where, value in edits:
        data[where % len(data)] = value
    for leftover in ("scores.db-wal", "scores.db-shm"):
        (quiz_home / leftover).unlink(missing_ok=True)
    (quiz_home / "scores.db").write_bytes(bytes(data))
    listed = invoke("scores", "list", "--json")
    invoke("scores", "stats")
    invoke("scores", "report")
    invoke("scores", "report", "--by", "question")
    invoke("scores", "export")
    if listed.exit_code == 0:
        for row in json.loads(listed.stdout)[:2]:
            invoke("scores", "show", row["id"][:8])
    invoke("take", str(MINI), "--plain", "-n", "1", input="1\n")
