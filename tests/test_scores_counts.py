"""`scores list --all` and `scores stats` count the same attempts (#12 items 7-8): those that
hold an answer, unfinished ones included (listed as "in progress 1/4"); an attempt that holds
no answer (only skips, or nothing at all) is in neither. On both backends."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quiz.cli import cli
from tests.conftest import use_store

FOUR = """\
id: four
title: Four questions
questions:
  - {id: q1, kind: text, prompt: "One?", answer: one, tags: [counting]}
  - {id: q2, kind: text, prompt: "Two?", answer: two, tags: [counting]}
  - {id: q3, kind: text, prompt: "Three?", answer: three, tags: [counting]}
  - {id: q4, kind: text, prompt: "Four?", answer: four, tags: [counting]}
"""


def run(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=input, env={"COLUMNS": "120"})


def bank(tmp_path: Path, bank_id: str) -> str:
    path = tmp_path / f"{bank_id}.yaml"
    path.write_text(FOUR.replace("id: four", f"id: {bank_id}"), encoding="utf-8")
    return str(path)


@pytest.fixture
def attempts(store_location: Path | str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """One finished attempt and one unfinished with an answer (bank `four`); one with only a
    skip (bank `skips-only`), one with nothing at all (bank `empty`)."""
    use_store(monkeypatch, store_location)
    take = ("take", "--plain", "--no-shuffle")
    finished = run(*take, bank(tmp_path, "four"), input="one\ntwo\nthree\nfive\n")
    assert finished.exit_code == 0, finished.output
    for bank_id, answers in (("four", "one\n:skip\n:quit\n"), ("skips-only", ":skip\n:quit\n")):
        unfinished = run(*take, bank(tmp_path, bank_id), input=answers)
        assert unfinished.exit_code == 0, unfinished.output
    empty = run(*take, bank(tmp_path, "empty"), input=":quit\n")
    assert empty.exit_code == 0, empty.output


@pytest.mark.usefixtures("attempts")
def test_list_shows_unfinished_attempts_with_an_answer_and_how_far_they_got() -> None:
    listed = json.loads(run("scores", "list", "--all", "--json").output)
    assert sorted((row["status"], row["answered"]) for row in listed) == [
        ("finished", 4),
        ("in_progress", 1),
    ]
    assert {bank["id"] for row in listed for bank in row["banks"]} == {"four"}
    shown = run("scores", "list", "--all")
    assert shown.exit_code == 0, shown.output
    assert "in progress 1/4" in shown.output and "1 skipped" in shown.output
    assert "skips-only" not in shown.output and "empty" not in shown.output


@pytest.mark.usefixtures("attempts")
def test_stats_counts_what_list_lists_and_says_so() -> None:
    groups = json.loads(run("scores", "stats", "--json").output)
    assert {(g["group"], g["id"]): g["attempts"] for g in groups} == {
        ("bank", "four"): 2,
        ("tag", "counting"): 2,
    }
    shown = run("scores", "stats")
    assert shown.exit_code == 0, shown.output
    assert shown.output.rstrip().splitlines()[-1].startswith("Counted: 2 attempts, 1 unfinished")
    listed = json.loads(run("scores", "list", "--all", "--json").output)
    assert len(listed) == 2
    # The questions missed come from the same attempts: q2 skipped in the unfinished one, q4
    # wrong in the finished one; the lone skip of `skips-only` is in no count.
    (four,) = [g for g in groups if g["id"] == "four"]
    assert sorted(m["question"] for m in four["most_missed"]) == ["q2", "q4"]


def test_stats_at_80_columns_wraps_a_long_title_under_its_bank(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A bank's title is free text under its id: a long one wraps between words instead of
    turning every row into a block at 80 columns; with --bank, the tags' most missed
    questions are named without the bank asked for."""
    monkeypatch.setenv("QUIZ_HOME", str(tmp_path / "home"))
    title = "Rason: people, organisations and places of the special economic zone"
    path = tmp_path / "titled.yaml"
    path.write_text(FOUR.replace("Four questions", f"'{title}'"), encoding="utf-8")
    taken = run("take", "--plain", "--no-shuffle", str(path), input="one\nno\nthree\nfour\n")
    assert taken.exit_code == 0, taken.output
    shown = CliRunner().invoke(cli, ["scores", "stats"], env={"COLUMNS": "80"})
    lines = shown.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(re.match(r"Bank +Attempts +Last +Best", line) for line in lines), shown.output
    assert any(re.match(r"four +1 +75% +75%", line) for line in lines), shown.output
    words = [word for line in lines for word in line.split()]
    assert all(word in words for word in title.split())  # every word whole
    one_bank = run("scores", "stats", "--bank", "four").output
    assert "q2 (1/1)" in one_bank and "four/q2" not in one_bank
