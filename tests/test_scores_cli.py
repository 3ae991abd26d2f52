"""`quiz scores list|stats|path|show|delete`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli import cli
from quiz.records import BankSnapshot, QuestionSnapshot, ResponseRecord
from quiz.store import Store

ESC = "\x1b"


def snapshot(bank_id: str = "b1") -> BankSnapshot:
    return BankSnapshot(
        bank_id,
        "h1",
        f"Bank [/b] {bank_id}\x1b[31m",
        (
            QuestionSnapshot(bank_id, "q1", "text", "Who said it? [/x]", 1.0, "Kim", ("people",)),
            QuestionSnapshot(bank_id, "q2", "number", "How much?", 2.0, "97 %", ("figures",)),
            QuestionSnapshot(bank_id, "q3", "multi", "Which ones?", 1.0, "a, b", ("figures",)),
        ),
    )


@pytest.fixture
def filled(quiz_home: Path) -> dict[str, str]:
    """alice: one finished attempt (q1 right, q2 wrong, q3 skipped); bob: one in progress."""
    with Store.open(quiz_home) as store:
        store.save_snapshot(snapshot())
        plan = [("b1", "q1"), ("b1", "q2"), ("b1", "q3")]
        alice = store.start_attempt(
            user="alice", banks=[("b1", "h1")], mode="take", seed=1, plan=plan
        )
        store.record_response(alice, ResponseRecord("b1", "q1", "Kim [/x]", 1.0, 1.0, True, 2.0))
        store.record_response(alice, ResponseRecord("b1", "q2", "96", 0.0, 2.0, False, 3.0))
        store.record_response(
            alice, ResponseRecord("b1", "q3", None, 0.0, 1.0, False, skipped=True)
        )
        store.finish_attempt(alice)
        bob = store.start_attempt(
            user="bob\x1b]0;pwned\x07", banks=[("b1", "h1")], mode="take", seed=2, plan=plan
        )
        store.record_response(bob, ResponseRecord("b1", "q2", "97", 2.0, 2.0, True))
    return {"alice": alice, "bob": bob}


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["scores", *args], input=input)


def test_path(quiz_home: Path) -> None:
    result = run("path")
    assert result.exit_code == 0
    assert result.output.strip() == str(quiz_home / "scores.db")
    assert not (quiz_home / "scores.db").exists()  # printing the path creates nothing


def test_empty_store(quiz_home: Path) -> None:
    assert run("list").output.strip() == "No attempts recorded yet."
    assert json.loads(run("list", "--json").output) == []
    assert json.loads(run("stats", "--json").output) == []
    assert "No scores" in run("stats").output
    assert not (quiz_home / "scores.db").exists()
    result = run("show", "abc")
    assert result.exit_code == 1 and "no attempt" in result.output


def test_list(filled: dict[str, str]) -> None:
    result = run("list")
    assert result.exit_code == 0, result.output
    assert filled["alice"][:8] in result.output and filled["bob"][:8] in result.output
    assert ESC not in result.output and "\x07" not in result.output
    assert "pwned" not in result.output  # the OSC sequence went, whole
    assert "1/4 (25%)" in result.output
    assert result.output.index(filled["bob"][:8]) < result.output.index(filled["alice"][:8])

    rows = json.loads(run("list", "--json").output)
    assert [r["id"] for r in rows] == [filled["bob"], filled["alice"]]
    alice = rows[1]
    assert alice["user"] == "alice" and alice["status"] == "finished"
    assert (alice["score"], alice["max_score"], alice["answered"], alice["planned"]) == (
        1.0,
        4.0,
        3,
        3,
    )
    assert alice["banks"] == [{"id": "b1", "content_hash": "h1"}]
    assert [r["id"] for r in json.loads(run("list", "--json", "--user", "alice").output)] == [
        filled["alice"]
    ]
    assert len(json.loads(run("list", "--json", "--limit", "1").output)) == 1
    assert json.loads(run("list", "--json", "--bank", "other").output) == []
    assert "No matching attempts." in run("list", "--user", "nobody").output


def test_stats(filled: dict[str, str]) -> None:
    result = run("stats")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "By bank" in out and "By tag" in out and "b1" in out and "figures" in out
    assert "[/b]" in out  # the title is text, not markup
    assert ESC not in out

    groups = json.loads(run("stats", "--json").output)
    assert [(g["group"], g["id"]) for g in groups] == [
        ("bank", "b1"),
        ("tag", "figures"),
        ("tag", "people"),
    ]
    bank = groups[0]
    assert bank["attempts"] == 2 and bank["finished"] == 1
    assert bank["last"] == bank["best"] == 0.25 and bank["trend"] == [0.25]
    assert bank["accuracy"] == round(3 / 6, 4)
    assert bank["most_missed"][0]["question"] in ("q2", "q3")
    alice = json.loads(run("stats", "--json", "--user", "alice").output)
    assert alice[0]["attempts"] == 1
    assert json.loads(run("stats", "--json", "--bank", "zzz").output) == []


def test_show(filled: dict[str, str]) -> None:
    result = run("show", filled["alice"][:6])
    assert result.exit_code == 0, result.output
    out = result.output
    for text in (
        "Who said it? [/x]",
        "Kim [/x]",
        "How much?",
        "96",
        "97 %",
        "✓ right",
        "✗ wrong",
        "skipped",
        "1/4",
    ):
        assert text in out, text
    data = json.loads(run("show", filled["bob"], "--json").output)
    assert data["id"] == filled["bob"]
    assert [q["question"] for q in data["questions"]] == ["q1", "q2", "q3"]
    assert [q["answered"] for q in data["questions"]] == [False, True, False]
    assert data["questions"][1]["expected"] == "97 %"
    assert "not answered" in run("show", filled["bob"]).output
    missing = run("show", "ffffffff")
    assert missing.exit_code == 1 and "no attempt" in missing.output


def test_delete_one_attempt(filled: dict[str, str], quiz_home: Path) -> None:
    declined = run("delete", filled["alice"], input="n\n")
    assert declined.exit_code == 1 and "Nothing deleted" in declined.output
    assert len(json.loads(run("list", "--json").output)) == 2
    confirmed = run("delete", filled["alice"][:8], input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert [r["id"] for r in json.loads(run("list", "--json").output)] == [filled["bob"]]
    again = run("delete", filled["alice"], "--yes")
    assert again.exit_code == 1


def test_delete_a_user(filled: dict[str, str], quiz_home: Path) -> None:
    from quiz import study

    with Store.open(quiz_home) as store:
        study.review(store, "alice", "b1", "q1", 1.0)
    result = run("delete", "--user", "alice", "--yes")
    assert result.exit_code == 0, result.output
    assert "1 attempt(s) and 1 study card(s)" in result.output
    assert [r["user"] for r in json.loads(run("list", "--json").output)] == ["bob\x1b]0;pwned\x07"]
    with Store.open(quiz_home) as store:
        assert store.cards("alice") == []
    assert run("delete", "--user", "alice", "--yes").exit_code == 1


def test_delete_needs_one_target(filled: dict[str, str]) -> None:
    assert run("delete").exit_code == 2
    assert run("delete", filled["alice"], "--user", "alice").exit_code == 2


def test_a_broken_store_is_a_clean_error(quiz_home: Path) -> None:
    (quiz_home / "scores.db").write_bytes(b"not a database at all" * 10)
    result = run("list")
    assert result.exit_code == 1
    assert "Error:" in result.output and "Traceback" not in result.output


def test_help_does_not_load_the_store_or_rich() -> None:
    code = (
        "import sys\nfrom quiz.cli import cli\n"
        "try:\n    cli(['scores', '--help'])\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('rich', 'sqlite3', 'fsrs') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "list" in out.stdout and "stats" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"
