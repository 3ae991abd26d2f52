"""Hardening (#13): every hostile input gives a located message and exit 1 or 2, never a
traceback or a hang; every output is free of raw control characters."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quiz.cli import cli

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
