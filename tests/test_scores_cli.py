"""`quiz scores list|stats|path|show|delete`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from quiz.cli import cli
from quiz.store import Store
from quiz.store.records import BankSnapshot, QuestionSnapshot, ResponseRecord
from tests.conftest import use_store

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
def filled(store_location: Path | str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """alice: one finished attempt (q1 right, q2 wrong, q3 skipped); bob: one in progress.
    On SQLite and on PostgreSQL (the commands are pointed at the store)."""
    use_store(monkeypatch, store_location)
    with Store.open(store_location) as store:
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


def test_a_store_without_an_answer_says_so_not_no_match(quiz_home: Path) -> None:
    from quiz.store import Store

    with Store.open(quiz_home) as store:  # a store, with an attempt that holds no answer
        store.start_attempt(user="ana", banks=[("b", "h")], mode="take", seed=1, plan=[("b", "q")])
    assert run("list").output.strip() == "No attempts with an answer yet."
    assert run("list", "--user", "ana").output.strip() == "No matching attempts."


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
        2,  # the skipped question was not answered
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


def test_delete_one_attempt(filled: dict[str, str]) -> None:
    declined = run("delete", filled["alice"], input="n\n")
    assert declined.exit_code == 1 and "Nothing deleted" in declined.output
    assert len(json.loads(run("list", "--json").output)) == 2
    confirmed = run("delete", filled["alice"][:8], input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert [r["id"] for r in json.loads(run("list", "--json").output)] == [filled["bob"]]
    again = run("delete", filled["alice"], "--yes")
    assert again.exit_code == 1


def test_delete_a_user(filled: dict[str, str], store_location: Path | str) -> None:
    from quiz.app import study

    with Store.open(store_location) as store:
        study.review(store, "alice", "b1", "q1", 1.0)
    result = run("delete", "--user", "alice", "--yes")
    assert result.exit_code == 0, result.output
    # said as one sentence, naming the class store (its URL, no password) when it is one
    where = (
        "" if isinstance(store_location, Path) else f" from the class store {os.environ['QUIZ_DB']}"
    )
    assert result.output.endswith(f"Deleted 1 attempt(s) and 1 study card(s) of alice{where}.\n")
    assert [r["user"] for r in json.loads(run("list", "--json").output)] == ["bob\x1b]0;pwned\x07"]
    with Store.open(store_location) as store:
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


# --- review findings -------------------------------------------------------------------------


def test_a_learner_name_that_is_not_utf8_is_stored_not_a_crash(
    quiz_home: Path, tmp_path: Path
) -> None:
    # QUIZ_USER=$'a\xff': Python decodes the byte as the lone surrogate U+DCFF, which SQLite
    # cannot take. The real command, in a real process, with the byte in its environment.
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("answers:\n  china-share: 97\n", encoding="utf-8")
    env = {**os.environb, b"QUIZ_USER": b"a\xff", b"QUIZ_HOME": bytes(quiz_home)}
    graded = subprocess.run(
        [sys.executable, "-m", "quiz", "grade", "rason-figures", str(sheet)],
        capture_output=True,
        env=env,
        check=False,
    )
    assert b"Traceback" not in graded.stderr, graded.stderr.decode(errors="replace")
    assert graded.returncode == 0, graded.stderr.decode(errors="replace")
    [row] = json.loads(run("list", "--json").output)
    assert row["user"] == "a\ufffd"
    # Queries with such text (CliRunner passes them as they are) find nothing, and say so.
    assert run("list", "--user", "z\udcff").output.strip() == "No matching attempts."
    assert run("list", "--bank", "x\udcff").output.strip() == "No matching attempts."
    assert json.loads(run("stats", "--json", "--user", "z\udcff").output) == []
    missing = run("show", "r\udcff")
    assert missing.exit_code == 1 and "no attempt" in missing.output
    assert not isinstance(missing.exception, UnicodeError)


def test_show_in_progress_does_not_give_the_answers_away(filled: dict[str, str]) -> None:
    # bob answered q2 only: q1's answer (Kim) and q3's (a, b) must not show mid-quiz.
    result = run("show", filled["bob"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Kim" not in out and "a, b" not in out
    assert "97 %" in out  # the one he answered
    assert out.count("· not answered yet") == 2
    assert "are not shown: the attempt is in progress" in out
    data = json.loads(run("show", filled["bob"], "--json").output)
    assert [q["expected"] for q in data["questions"]] == [None, "97 %", None]
    # Once finished, every right answer shows.
    alice = json.loads(run("show", filled["alice"], "--json").output)
    assert [q["expected"] for q in alice["questions"]] == ["Kim", "97 %", "a, b"]


def test_show_an_unfinished_exam_attempt(quiz_home: Path) -> None:
    with Store.open(quiz_home) as store:
        store.save_snapshot(snapshot())
        plan = [("b1", "q1"), ("b1", "q2"), ("b1", "q3")]
        exam = store.start_attempt(user="eve", banks=[("b1", "h1")], mode="exam", seed=3, plan=plan)
        store.record_response(exam, ResponseRecord("b1", "q1", "Lee", 0.0, 1.0, False))
    out = run("show", exam[:8]).output
    # An exam holds back every verdict and right answer until it is finished, answered or not:
    # otherwise a learner could stop, look, and resume.
    assert "Kim" not in out and "97 %" not in out and "a, b" not in out
    assert "wrong" not in out.lower() and "at the end of the exam" in out
    data = json.loads(run("show", exam[:8], "--json").output)
    q1 = data["questions"][0]
    assert q1["held"] and q1["expected"] is None and q1["correct"] is None and q1["score"] is None
    assert q1["response"] == "Lee"  # the learner's own answer still shows


def test_a_home_that_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "h-file"
    home.write_text("")
    monkeypatch.setenv("QUIZ_HOME", str(home))
    for args in (["list"], ["stats"], ["show", "abc"], ["report"], ["export"]):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert f"the quiz home {home} is not a folder (it is a file)" in result.output, args
        assert "File exists" not in result.output


def test_tables_are_as_wide_when_piped(
    filled: dict[str, str], monkeypatch: pytest.MonkeyPatch, store_location: Path | str
) -> None:
    # Piped, rich would take 80 columns and break ids and words; every table takes 100.
    monkeypatch.delenv("COLUMNS", raising=False)
    with Store.open(store_location) as store:
        long_bank = snapshot("rason-people-and-places")
        store.save_snapshot(long_bank)
        attempt = store.start_attempt(
            user="carol",
            banks=[("rason-people-and-places", "h1"), ("b1", "h1")],
            mode="take",
            seed=4,
            plan=[("rason-people-and-places", "q1"), ("b1", "q1")],
        )
        store.record_response(
            attempt, ResponseRecord("rason-people-and-places", "q1", "Kim", 1.0, 1.0, True)
        )
    listing = run("list").output
    assert "rason-people-and-places" in listing  # whole, not "rason-people-and-pl/aces"
    assert filled["alice"][:8] in listing and filled["alice"] not in listing
    stats = run("stats").output
    assert "rason-people-and-places" in stats
    for out in (listing, stats):
        assert max(len(line) for line in out.splitlines()) <= 100


def test_a_narrow_page_stacks_rows_rather_than_break_ids(
    filled: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    out = run("list").output
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 60
    assert "Left out" not in out  # a block per row has room for every column
    heading = lines.index(filled["alice"][:8])  # the id is a block's heading, whole
    block = lines[heading + 1 : heading + 10]
    started = r"(today|yesterday|\d{1,2} [A-Z][a-z]{2}( \d{4})?) \d\d:\d\d"
    assert re.fullmatch(rf"  Started +{started}", block[0])  # the time whole
    assert "  Score     1/4 (25%)" in block and "  Mode      take" in block
    monkeypatch.setenv("COLUMNS", "70")
    out = run("list").output
    assert "Left out to fit the terminal: Mode, Answered" in out
    assert any(line.startswith(filled["alice"][:8] + "  ") for line in out.splitlines())


def test_list_leaves_out_attempts_with_no_answer_and_limit_caps(quiz_home: Path) -> None:
    three = str(Path(__file__).parent / "data" / "banks" / "three.yaml")
    runner = CliRunner()
    for seed in ("1", "2", "3"):  # each answers the first question, then stops
        runner.invoke(cli, ["take", three, "--seed", seed, "--plain"], input="1\n:quit\n")
    # no answer: one skipped (a skip is not an answer), one quit at once
    runner.invoke(cli, ["take", three, "--seed", "4", "--plain"], input=":skip\n:quit\n")
    runner.invoke(cli, ["take", three, "--seed", "5", "--plain"], input=":quit\n")
    with Store.open(quiz_home) as store:
        assert len(store.attempts()) == 5
    listed = json.loads(runner.invoke(cli, ["scores", "list", "--json"]).output)
    assert len(listed) == 3 and all(row["answered"] for row in listed)
    capped = json.loads(runner.invoke(cli, ["scores", "list", "--json", "--limit", "2"]).output)
    assert [row["id"] for row in capped] == [row["id"] for row in listed[:2]]
