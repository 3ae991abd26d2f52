"""The application layer (`quiz/app/`) without the CLI: plain functions, plain records.

The command tests cover what a user sees; these pin what the commands rely on, and that the
layer stays below the CLI (no click, no printing).
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from quiz.app import attempts, banks, replays, reports, scores
from quiz.app.attempts import QuizRequest
from quiz.bank.loader import load_bank
from quiz.errors import NotFound, QuizError
from quiz.store import Store

DATA = Path(__file__).resolve().parent / "data"
APP = Path(__file__).resolve().parent.parent / "quiz" / "app"
MINI = DATA / "banks" / "mini.yaml"


def test_the_app_layer_never_imports_click_or_prints() -> None:
    found = []
    for path in sorted(APP.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            found += [f"{path.name}: import {n}" for n in names if n.split(".")[0] == "click"]
            if isinstance(node, ast.Name) and node.id == "print":
                found.append(f"{path.name}:{node.lineno}: print")
            if isinstance(node, ast.Attribute) and node.attr in {"echo", "secho"}:
                found.append(f"{path.name}:{node.lineno}: {node.attr}")
    assert found == []


def answer_all_wrong(running: attempts.Running) -> None:
    session = running.session
    while session.current is not None:
        session.answer("nothing like it" if session.current.kind in {"text", "number"} else None)


def test_start_answer_finish(store_location: Path | str) -> None:
    bank = load_bank(MINI)
    with Store.open(store_location) as store:
        running = attempts.start_quiz(store, "ana", [bank], QuizRequest(count=3, seed=7))
        assert running is not None and running.bank_ids == ("mini",)
        assert running.set_aside is None and not running.exam
        running.session.skip()
        assert len(store.attempt(running.attempt_id).responses) == 1  # saved when given
        answer_all_wrong(running)
        attempts.finish(store, running)
        stored = store.attempt(running.attempt_id)
    assert stored.status == "finished" and len(stored.responses) == 3
    assert stored.seed == 7 and len(stored.plan) == 3


def test_starting_afresh_reports_the_attempt_set_aside(store_location: Path | str) -> None:
    bank = load_bank(MINI)
    with Store.open(store_location) as store:
        first = attempts.start_quiz(store, "ana", [bank], QuizRequest(count=4))
        assert first is not None
        typed = QuizRequest(kinds=("text", "number"))
        again = attempts.start_quiz(store, "ana", [bank], typed)
        assert again is not None and again.set_aside is None  # nothing answered: no loss
        again.session.answer("nothing like it")
        again.session.skip()
        third = attempts.start_quiz(store, "ana", [bank], QuizRequest())
        assert third is not None and third.set_aside is not None
        assert third.set_aside.bank_ids == ("mini",)
        assert third.set_aside.progress == attempts.Progress(answered=1, skipped=1, total=2)
        assert store.attempt(again.attempt_id).status == "abandoned"


def test_resume_finds_the_unfinished_quiz_with_or_without_banks(store_location: Path | str) -> None:
    bank = load_bank(MINI)
    with Store.open(store_location) as store:
        with pytest.raises(NotFound, match="no unfinished quiz for ana on mini"):
            attempts.resume_quiz(store, "ana", [bank])
        started = attempts.start_quiz(store, "ana", [bank], QuizRequest(count=2, exam=True))
        assert started is not None
        started.session.answer(None)
        resumed = attempts.resume_quiz(store, "ana", [bank])
        assert resumed.attempt_id == started.attempt_id and resumed.exam
        assert resumed.progress().answered + resumed.progress().skipped == 1
        assert resumed.session.plan == started.session.plan
        by_id = attempts.find_resumable(store, "ana", [])
        assert by_id is not None and by_id.id == started.attempt_id


def test_wrong_only_with_nothing_to_retry_starts_nothing(store_location: Path | str) -> None:
    bank = load_bank(MINI)
    with Store.open(store_location) as store:
        assert attempts.start_quiz(store, "ana", [bank], QuizRequest(wrong_only=True)) is None
        assert store.attempts() == []
        with pytest.raises(QuizError, match="no question matches: bank mini; tag nope"):
            attempts.start_quiz(store, "ana", [bank], QuizRequest(tags=("nope",)))


def test_grade_a_sheet_recorded_or_not(tmp_path: Path) -> None:
    sheet_file = tmp_path / "sheet.yaml"
    sheet_file.write_text(
        "bank: mini\nuser: bo\nanswers:\n  capital: Paris\n  sky: false\n", encoding="utf-8"
    )
    sheet = attempts.read_sheet(str(sheet_file), str(MINI))
    assert sheet.user == "bo" and set(sheet.responses) == {"capital", "sky"}
    dry = attempts.grade_sheet(sheet, "bo", None)
    assert dry.attempt_id is None and dry.summary.score == 2
    data = dry.as_dict()
    assert data["bank"] == "mini" and data["user"] == "bo" and data["score"] == 2
    assert [q["id"] for q in data["questions"]][:3] == ["capital", "primes", "sky"]
    with Store.open(tmp_path) as store:
        graded = attempts.grade_sheet(sheet, "bo", store)
        assert graded.attempt_id is not None
        record = store.attempt(graded.attempt_id)
    assert record.mode == "grade" and record.status == "finished" and record.user == "bo"


def test_replay_withholds_unanswered_answers_until_finished(store_location: Path | str) -> None:
    bank = load_bank(MINI)
    with Store.open(store_location) as store:
        running = attempts.start_quiz(store, "ana", [bank], QuizRequest(count=3, seed=1))
        assert running is not None
        running.session.answer(None)
    shown = replays.show(store_location, running.attempt_id[:8])
    assert shown.withheld
    assert [item.answered for item in shown.items] == [True, False, False]
    assert shown.items[0].expected is not None
    assert [item.expected for item in shown.items[1:]] == [None, None]
    assert shown.as_dict()["questions"][1]["expected"] is None
    with Store.open(store_location) as store:
        store.finish_attempt(running.attempt_id)
    finished = replays.show(store_location, running.attempt_id)
    assert not finished.withheld and all(item.expected for item in finished.items)


def test_reading_scores_creates_no_store(tmp_path: Path) -> None:
    assert scores.summaries(tmp_path, user=None, bank=None, limit=None) is None
    assert scores.stats(tmp_path, user=None, bank=None) is None
    with pytest.raises(NotFound, match="no scores are recorded yet"):
        replays.show(tmp_path, "abc")
    assert not Store.path_for(tmp_path).exists()


def test_validate_names_a_bank_id_used_twice(tmp_path: Path) -> None:
    shutil.copy(MINI, tmp_path / "a.yaml")
    shutil.copy(MINI, tmp_path / "b.yaml")
    result = banks.validate([str(tmp_path), str(tmp_path / "missing.yaml")])
    assert len(result.files) == 2 and result.missing == 1 and not result.ok
    assert [p.message for p in result.problems if "also used" in p.message] == [
        f"bank id 'mini' is also used by {tmp_path / 'a.yaml'}"
    ]
    assert banks.validate([str(MINI)]).ok


def test_export_and_report_from_the_store(store_location: Path | str) -> None:
    bank = load_bank(MINI)
    with Store.open(store_location) as store:
        running = attempts.start_quiz(store, "ana", [bank], QuizRequest(count=2))
        assert running is not None
        answer_all_wrong(running)
        attempts.finish(store, running)
        exported = reports.export_results(store, user=None, bank=str(MINI))
        assert (exported.attempts, exported.snapshots) == (1, 1)
        report = reports.build_report(
            store, by="user", bank="mini", user=None, all_attempts=False, grade="best"
        )
        assert '"ana"' in reports.report_text(report, "json")
        with pytest.raises(NotFound, match="no scores for bank 'other'"):
            reports.build_report(
                store, by="user", bank="other", user=None, all_attempts=False, grade="best"
            )
    assert exported.text.count("\n") == 3  # header, snapshot, attempt
