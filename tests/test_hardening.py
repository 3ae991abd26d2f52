"""Hardening (#13): every hostile input gives a located message and exit 1 or 2, never a
traceback or a hang; every output is free of raw control characters."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quiz import inputs
from quiz.cli import cli
from tests.conftest import DATA

GOOD = """\
id: good
title: Good
questions:
  - {id: a, kind: text, prompt: Who?, answer: Kim}
"""


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=input, env=env)
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args} raised {result.exception!r}") from result.exception
    assert result.exit_code in (0, 1, 2), result.output
    return result


def bank_with(tmp_path: Path, question_extra: str, name: str = "bad") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"id: {name}\ntitle: T\nquestions:\n"
        f"  - id: q\n    kind: choice\n    prompt: P?\n    answer: dog\n"
        f"    distractors: [cat]\n{question_extra}",
        encoding="utf-8",
    )
    return path


# -- 1. tracebacks from banks ------------------------------------------------------------------
BAD_QUESTIONS = {
    "feedback-list-key": ("    feedback: {[dog, cat]: nope}\n", 9, "plain text"),
    "superscript-paragraph": ("    paragraph: ²\n", 9, "whole number"),
    "huge-paragraph": (f"    paragraph: {'9' * 5000}\n", 9, "whole number"),
}


@pytest.mark.parametrize("case", sorted(BAD_QUESTIONS))
@pytest.mark.parametrize("command", ["validate", "show", "take"])
def test_bad_values_in_a_bank_are_located_errors(tmp_path: Path, case: str, command: str) -> None:
    extra, line, words = BAD_QUESTIONS[case]
    path = bank_with(tmp_path, extra)
    args = ["banks", command, str(path)] if command != "take" else ["take", str(path), "--plain"]
    result = run(*args, input="")
    assert result.exit_code == 1
    assert f"bad.yaml:{line}:" in result.output
    assert words in result.output


@pytest.mark.parametrize("paragraph", ["²", "9" * 5000, "٣"])
def test_bad_paragraph_in_a_seeds_record_is_a_located_error(tmp_path: Path, paragraph: str) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "src.yaml").write_text(
        "id: src\ntitle: T\noutlet: O\nfacts:\n"
        f"  - id: f\n    kind: claim\n    statement: S.\n    paragraph: {paragraph}\n",
        encoding="utf-8",
    )
    banks = tmp_path / "banks"
    banks.mkdir()
    bank = banks / "b.yaml"
    bank.write_text(
        "id: b\ntitle: T\nsource: src\nquestions:\n"
        "  - {id: q, kind: text, prompt: P?, answer: A, facts: [f]}\n",
        encoding="utf-8",
    )
    result = run("banks", "validate", str(bank))
    assert result.exit_code == 1
    assert "src.yaml:8:" in result.output and "whole number" in result.output


def test_one_bad_file_in_quiz_banks_breaks_no_other_bank(tmp_path: Path) -> None:
    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    for case, (extra, _, _) in BAD_QUESTIONS.items():
        bank_with(folder, extra, name=case)
    env = {"QUIZ_BANKS": str(folder)}
    listed = run("banks", "list", env=env)
    assert listed.exit_code == 0
    assert "good" in listed.output and "INVALID" in listed.output
    taken = run("take", "good", "--plain", input="Kim\n", env=env)
    assert taken.exit_code == 0, taken.output
    assert "1/1" in taken.output or "100" in taken.output


def test_tolerance_too_large_is_not_called_negative(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "id: t\ntitle: T\nquestions:\n"
        "  - {id: q, kind: number, prompt: P?, answer: 1, tolerance: 1e999}\n",
        encoding="utf-8",
    )
    result = run("banks", "validate", str(path))
    assert result.exit_code == 1
    assert "too large" in result.output and "negative" not in result.output


# -- 2. one reader of untrusted input ----------------------------------------------------------
def within_a_minute(*args: str, input: str | None = None) -> Result:
    """`run`, in a thread: a hang fails the test after a minute instead of blocking the suite."""
    outcome: list[Result] = []
    worker = threading.Thread(target=lambda: outcome.append(run(*args, input=input)), daemon=True)
    worker.start()
    worker.join(60)
    assert outcome, f"quiz {' '.join(args)} hung"
    return outcome[0]


def reader_commands(name: str) -> list[tuple[str, ...]]:
    return [
        ("banks", "validate", name),
        ("banks", "show", name),
        ("take", name, "--plain"),
        ("grade", str(DATA / "banks" / "mini.yaml"), name),
        ("scores", "import", name),
        ("banks", "import", name),
        ("banks", "draft", name),
    ]


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("index", range(7))
def test_a_fifo_is_refused_without_waiting(fifo: Path, index: int) -> None:
    result = within_a_minute(*reader_commands(str(fifo))[index], input="")
    assert result.exit_code == 1
    assert "pipe.yaml: is a pipe (FIFO)" in result.output and "regular file" in result.output


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("index", range(7))
def test_a_device_is_refused_before_reading(device: str, index: int) -> None:
    result = within_a_minute(*reader_commands(device)[index], input="")
    assert result.exit_code == 1
    assert f"{device}: is a device" in result.output


def test_a_fifo_as_a_seed_record_is_refused(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    os.mkfifo(tmp_path / "seeds" / "src.yaml")
    bank = tmp_path / "b.yaml"
    bank.write_text(
        "id: b\ntitle: T\nsource: src\nquestions:\n"
        "  - {id: q, kind: text, prompt: P?, answer: A, facts: [f]}\n",
        encoding="utf-8",
    )
    result = within_a_minute("banks", "validate", str(bank))
    assert result.exit_code == 1 and "is a pipe (FIFO)" in result.output


@pytest.mark.parametrize(
    ("kind", "command"),
    [
        ("bank", ("banks", "validate", "{}")),
        ("sheet", ("grade", str(DATA / "banks" / "mini.yaml"), "{}")),
        ("results", ("scores", "import", "{}")),
        ("gift", ("banks", "import", "{}")),
    ],
)
def test_each_kind_of_input_has_a_size_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, command: tuple[str, ...]
) -> None:
    monkeypatch.setitem(inputs.LIMITS, kind, 1000)
    path = tmp_path / "big.txt"
    path.write_text("# padding\n" * 200, encoding="utf-8")
    result = run(*(part.replace("{}", str(path)) for part in command))
    assert result.exit_code == 1
    assert "big.txt: is larger than the 1000 bytes" in result.output


def test_a_sheet_can_come_from_stdin(tmp_path: Path) -> None:
    sheet = "answers:\n  capital: Paris\n"
    result = run("grade", str(DATA / "banks" / "mini.yaml"), "-", "--no-record", input=sheet)
    assert result.exit_code == 0, result.output
    assert "capital" in result.output


def test_input_lines_streams_and_caps_each_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(b"one\ntwo\n" + b"x" * 50 + b"\n")
    assert list(inputs.input_lines(path, "results"))[:2] == [b"one\n", b"two\n"]
    monkeypatch.setattr(inputs, "LINE_LIMIT", 20)
    with pytest.raises(inputs.InputError, match="line longer than 20 bytes"):
        list(inputs.input_lines(path, "results"))
    monkeypatch.setitem(inputs.LIMITS, "results", 6)
    with pytest.raises(inputs.InputError, match="larger than"):
        list(inputs.input_lines(path, "results"))
