"""Results an instructor can trust (issue 14): imports re-graded against the instructor's banks,
ungraded responses, numeric bounds, canonical attempt ids, honest counts and times."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.app.attempts import Sheet, grade_sheet
from quiz.app.reports import export_results, merge_results, read_results
from quiz.bank.loader import load_bank
from quiz.cli import cli
from quiz.kinds import grading_hash
from quiz.store import Store
from tests.conftest import DATA, use_store

MINI = DATA / "banks" / "mini.yaml"
RIGHT: dict[str, Any] = {
    "capital": "Paris",
    "primes": ["2", "3"],
    "sky": "false",
    "author": "Shakespeare",
    "barrels": "67,300",
    "moon": "1969",
    "pairs": {"France": "Paris", "Italy": "Rome", "Spain": "Madrid"},
    "sizes": ["mouse", "cat", "horse"],
}
ANSWERS: dict[str, Any] = {"capital": "Lyon", "sky": "false", "barrels": "67,300"}


def run(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.fixture
def banks_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_location: Path | str) -> Path:
    """The instructor's banks: mini.yaml in a QUIZ_BANKS folder; the commands use the test's
    store (each test runs on SQLite and on PostgreSQL)."""
    use_store(monkeypatch, store_location)
    folder = tmp_path / "banks"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.yaml")
    monkeypatch.setenv("QUIZ_BANKS", str(folder))
    return folder


def learner_file(tmp_path: Path, answers: dict[str, Any] | None = None, name: str = "a") -> Path:
    """A learner's results file: a graded sheet of mini (3 of 8 answered by default)."""
    bank = load_bank(MINI)
    with Store.open(tmp_path / f"learner-{name}") as store:
        grade_sheet(Sheet(bank, "alice", dict(answers or ANSWERS)), "alice", store)
        exported = export_results(store, user=None, bank=None)
    path = tmp_path / f"{name}.jsonl"
    path.write_text(exported.text, encoding="utf-8")
    return path


def edit(path: Path, change: Any) -> Path:
    """Apply `change(lines)` to the JSON lines of a results file (in place)."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    change(lines)
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def import_json(*args: str) -> dict[str, Any]:
    result = run("scores", "import", "--json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def stored(home: Path | str) -> list[Any]:
    with Store.open(home) as store:
        return store.attempts()


# --- re-grading on import ---------------------------------------------------------------------


def _raise_scores(lines: list[Any]) -> None:
    for r in lines[-1]["responses"]:
        r["score"], r["correct"] = r["max_score"], True


def _raise_max(lines: list[Any]) -> None:
    for r in lines[-1]["responses"]:
        r["score"] = r["max_score"] = r["max_score"] * 1000
        r["correct"] = True


def _unknown_question(lines: list[Any]) -> None:
    lines[-1]["responses"].append(
        {
            "bank": "mini",
            "question": "nope",
            "response": "x",
            "score": 5,
            "max_score": 5,
            "correct": True,
        }
    )


def _correct_zero(lines: list[Any]) -> None:
    for r in lines[-1]["responses"]:
        r["correct"], r["score"] = True, 0


@pytest.mark.parametrize("tamper", [_raise_scores, _raise_max, _unknown_question, _correct_zero])
def test_tampered_scores_are_regraded(
    store_location: Path | str, tmp_path: Path, banks_dir: Path, tamper: Any
) -> None:
    path = edit(learner_file(tmp_path), tamper)
    result = run("scores", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "1 attempt added" in result.output
    assert "alice (" in result.output and "graded 2/8" in result.output
    assert "graded 2/8" in result.output  # Paris was wrong; sky and barrels right
    [attempt] = stored(store_location)
    assert attempt.score == 2
    graded = [r for r in attempt.responses if r.graded]
    assert sum(r.max_score for r in graded) == 8
    assert all(r.correct == (r.score == r.max_score and r.score > 0) for r in graded)
    report = json.loads(run("scores", "report", "--by", "user", "--format", "json").output)
    assert "25" in json.dumps(report)  # the instructor's 2/8, not the file's claim
    listed = json.loads(run("scores", "list", "--json").output)
    assert (listed[0]["score"], listed[0]["max_score"]) == (2.0, 8.0)


def test_unknown_question_is_stored_ungraded_and_shown(tmp_path: Path, banks_dir: Path) -> None:
    path = edit(learner_file(tmp_path), _unknown_question)
    data = import_json(str(path))
    [change] = data["regraded"]
    assert change["ungraded"] == 1 and "mini/nope" in change["questions"]
    shown = run("scores", "show", data["regraded"][0]["attempt"])
    assert "○ ungraded" in shown.output and "Ungraded answers count for nothing" in shown.output
    as_json = json.loads(run("scores", "show", "--json", change["attempt"]).output)
    nope = next(q for q in as_json["questions"] if q["question"] == "nope")
    assert nope["graded"] is False and nope["score"] == 0
    [row] = json.loads(run("scores", "list", "--json").output)
    assert (row["score"], row["max_score"], row["ungraded"]) == (2.0, 8.0, 1)
    assert "+1 ungraded" in run("scores", "list").output


def test_unknown_bank_and_empty_banks_are_stored_ungraded(
    store_location: Path | str, tmp_path: Path, banks_dir: Path
) -> None:
    def unknown_bank(lines: list[Any]) -> None:
        del lines[1]  # no snapshot
        lines[0]["snapshots"] = 0
        lines[-1]["banks"] = [["elsewhere", "h"]]
        for r in lines[-1]["responses"]:
            r["bank"] = "elsewhere"
        lines[-1]["plan"] = []

    path = edit(learner_file(tmp_path), unknown_bank)
    data = import_json(str(path))
    assert data["added"] == 1 and data["regraded"][0]["ungraded"] == 8
    assert data["regraded"][0]["score"] == 0
    path = edit(learner_file(tmp_path, name="b"), lambda ls: ls[-1].update(banks=[]))
    data = import_json(str(path))
    assert data["regraded"][0]["ungraded"] == 8  # no bank version to match: not scored
    for attempt in stored(store_location):
        assert attempt.score == 0 and not any(r.graded for r in attempt.responses)


def test_version_1_files_match_by_whole_bank_hash(tmp_path: Path, banks_dir: Path) -> None:
    def version_1(lines: list[Any]) -> None:
        lines[0]["version"] = 1
        for q in lines[1]["questions"]:
            del q["grading"], q["explanation"]
        for r in lines[-1]["responses"]:
            del r["graded"]
        _raise_scores(lines)

    data = import_json(str(edit(learner_file(tmp_path), version_1)))
    assert data["regraded"][0]["score"] == 2 and data["regraded"][0]["ungraded"] == 0
    # Another version of the bank (its hash differs): not graded by this one.
    path = edit(learner_file(tmp_path, name="b"), version_1)
    edit(path, lambda ls: ls[-1].update(banks=[["mini", "0" * 64]]))
    edit(path, lambda ls: ls[1].update(content_hash="0" * 64))
    data = import_json(str(path))
    assert data["regraded"][0]["ungraded"] == 8


def test_grading_hash_ignores_explanations_and_sees_answers() -> None:
    bank = load_bank(MINI)
    q = bank.question("barrels")
    assert q is not None
    from dataclasses import replace

    same = grading_hash(replace(q, explanation="Fixed a typo."), 1.0)  # type: ignore[type-var]
    assert same == grading_hash(q, 1.0)
    assert grading_hash(replace(q, answer=67301.0), 1.0) != same  # type: ignore[type-var]
    assert grading_hash(q, 2.0) != same


def test_bank_option_and_fixed_answer_key(tmp_path: Path, banks_dir: Path) -> None:
    # The instructor fixes the answer key after the file was made: the fixed bank, given with
    # --bank, grades the answers; the old grading hash no longer matches, so it is ungraded.
    path = learner_file(tmp_path)
    fixed = tmp_path / "fixed.yaml"
    text = MINI.read_text(encoding="utf-8").replace("answer: Paris", "answer: Lyon")
    text = text.replace("distractors: [Lyon, Marseille]", "distractors: [Paris, Marseille]")
    fixed.write_text(text, encoding="utf-8")
    data = import_json("--bank", str(fixed), str(path))
    assert data["regraded"][0]["ungraded"] == 1  # capital: another version of the question
    assert data["regraded"][0]["score"] == 2
    # regrade with the fixed bank from the catalog's view: the stored version matches mini
    (banks_dir / "mini.yaml").write_text(fixed.read_text(), encoding="utf-8")
    result = run("scores", "regrade")
    assert result.exit_code == 0, result.output
    assert "Nothing to re-grade" in result.output  # capital's hash is the old one: kept


def test_regrade_applies_a_fixed_answer_key(
    store_location: Path | str, tmp_path: Path, banks_dir: Path
) -> None:
    path = learner_file(tmp_path)  # capital: "Lyon", wrong by the key as it was
    import_json(str(path))
    text = MINI.read_text(encoding="utf-8").replace("answer: Paris", "answer: Lyon")
    text = text.replace("distractors: [Lyon, Marseille]", "distractors: [Paris, Marseille]")
    (banks_dir / "mini.yaml").write_text(text, encoding="utf-8")
    result = run("scores", "regrade", "--json")
    assert result.exit_code == 0, result.output
    [change] = json.loads(result.output)
    assert change["questions"] == ["mini/capital"] and change["score"] == 3
    assert stored(store_location)[0].score == 3


def test_trust_scores_keeps_claims_and_says_so(
    store_location: Path | str, tmp_path: Path, banks_dir: Path
) -> None:
    path = edit(learner_file(tmp_path), _raise_scores)
    result = run("scores", "import", "--trust-scores", str(path))
    assert result.exit_code == 0, result.output
    assert "--trust-scores: 8 responses kept as the files scored them" in result.output
    assert stored(store_location)[0].score == 8


def test_regrade_grades_what_was_ungraded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUIZ_BANKS", raising=False)
    path = edit(learner_file(tmp_path), _raise_scores)
    data = import_json(str(path))  # mini is not among the instructor's banks yet
    assert data["regraded"][0]["ungraded"] == 8
    result = run("scores", "regrade", "--bank", str(MINI))
    assert result.exit_code == 0, result.output
    assert "8 responses re-graded" in result.output and "graded 2/8" in result.output
    assert "Re-graded 1 attempt." in result.output
    assert run("scores", "regrade", "--bank", str(MINI)).output.startswith("Nothing to re-grade")


def test_scores_only_change_of_a_stored_attempt_is_skipped(
    store_location: Path | str, tmp_path: Path, banks_dir: Path
) -> None:
    path = learner_file(tmp_path)
    run("scores", "import", str(path))
    edit(path, _raise_scores)
    result = run("scores", "import", "--trust-scores", str(path))
    assert result.exit_code == 0, result.output
    assert "1 skipped" in result.output
    assert "claimed scores were ignored" in result.output
    assert stored(store_location)[0].score == 2
    edit(path, lambda ls: ls[-1]["responses"][0].update(response="Marseille"))
    result = run("scores", "import", str(path))
    assert result.exit_code == 1
    assert "the file's 'response' differs" in result.output


@settings(max_examples=15)
@given(
    picks=st.lists(st.sampled_from(sorted(RIGHT)), unique=True, max_size=8),
    which=st.integers(min_value=0, max_value=7),
    field=st.sampled_from(["score", "max_score"]),
    value=st.floats(min_value=0, max_value=1e6),
)
def test_edited_scores_never_change_the_stored_grade(
    tmp_path_factory: pytest.TempPathFactory,
    picks: list[str],
    which: int,
    field: str,
    value: float,
) -> None:
    """Property: export -> edit any score or max_score -> import gives the same stored scores
    as importing the unedited file."""
    tmp = tmp_path_factory.mktemp("prop")
    answers = {qid: (RIGHT[qid] if i % 2 == 0 else "nonsense") for i, qid in enumerate(picks)}
    path = learner_file(tmp, answers)
    clean = read_results([str(path)])

    def change(lines: list[Any]) -> None:
        responses = lines[-1]["responses"]
        r = responses[which % len(responses)]
        r[field] = value
        if r["score"] > r["max_score"]:  # keep the file well-formed: 0 <= score <= max
            r["max_score" if field == "score" else "score"] = value

    edited = read_results([str(edit(path, change))])
    results = []
    for name, batch in (("clean", clean), ("edited", edited)):
        with Store.open(tmp / name) as store:
            merge_results(store, batch, bank_paths=[str(MINI)])
            results.append(
                [
                    (r.question_id, r.score, r.max_score, r.correct, r.graded)
                    for a in store.attempts()
                    for r in a.responses
                ]
            )
    assert results[0] == results[1]


# --- values that cannot poison a report -------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (lambda ls: ls[-1]["responses"][0].update(score=1.7e308, max_score=1.7e308), 3,
         "'score' must be at most 1,000,000"),
        (lambda ls: ls[-1]["responses"][0].update(max_score=1e7), 3,
         "'max_score' must be at most 1,000,000"),
        (lambda ls: ls[-1].update(seed=10**30), 3, "'seed' must be between"),
        (lambda ls: ls[-1].update(started_at="0001-01-01T00:00:00+01:00"), 3,
         "'started_at' is outside the range of times"),
        (lambda ls: ls[-1].update(finished_at="9999-12-31T23:59:59-01:00"), 3,
         "'finished_at' is outside the range of times"),
        (lambda ls: ls[-1]["responses"][0].update(seconds=1e300), 3, "'seconds' must be between"),
        (lambda ls: ls[1]["questions"][0].update(max_score=-1e9), 2,
         "'max_score' must be at most 1,000,000"),
    ],
)  # fmt: skip
def test_poison_values_are_refused_with_a_located_message(
    tmp_path: Path, banks_dir: Path, change: Any, line: int, message: str
) -> None:
    path = edit(learner_file(tmp_path), change)
    result = run("scores", "import", str(path))
    assert result.exit_code == 1, result.output
    assert f"{path}:{line}: " in result.output and message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_score_of_ten_to_the_400_is_refused(tmp_path: Path, banks_dir: Path) -> None:
    path = learner_file(tmp_path)
    text = path.read_text(encoding="utf-8").replace('"score":1.0', '"score":1e400', 1)
    path.write_text(text, encoding="utf-8")
    result = run("scores", "import", str(path))
    assert result.exit_code == 1 and f"{path}:3: " in result.output
    assert "must be a finite number" in result.output


@pytest.mark.parametrize(
    ("yaml_value", "message"),
    [("points: 1.7e308", "must be at most 1,000,000"), ("tolerance: 1e400", "must be at most")],
)
def test_bank_points_and_tolerances_are_bounded(
    tmp_path: Path, yaml_value: str, message: str
) -> None:
    bank = tmp_path / "b.yaml"
    bank.write_text(
        "id: b\ntitle: B\nquestions:\n  - id: n\n    kind: number\n    prompt: How many?\n"
        f"    answer: 3\n    {yaml_value}\n",
        encoding="utf-8",
    )
    result = run("banks", "validate", str(bank))
    assert result.exit_code == 1
    assert f"{bank}:8:" in result.output and message in result.output


def test_an_answer_sheet_figure_too_large_is_located(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("bank: mini\nanswers:\n  capital: Paris\n  barrels: 1e400\n")
    result = run("grade", str(MINI), str(sheet))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{sheet}:4:12: the answer to 'barrels' is a number too large to read" in result.output


def test_cli_seeds_and_limits_fit_sqlite(tmp_path: Path) -> None:
    result = run("take", str(MINI), "--seed", str(2**63), "--plain")
    assert result.exit_code == 2 and "--seed" in result.output
    result = run("scores", "list", "--limit", str(2**63))
    assert result.exit_code == 2 and "--limit" in result.output


def test_json_output_never_prints_infinity() -> None:
    from quiz.commands.common import finite

    assert finite({"a": [float("inf"), float("nan"), 1.5]}) == {"a": [None, None, 1.5]}


# --- canonical attempts -----------------------------------------------------------------------


def test_four_spellings_of_one_uuid_are_one_attempt(
    store_location: Path | str, tmp_path: Path, banks_dir: Path
) -> None:
    path = learner_file(tmp_path)
    attempt_id = json.loads(path.read_text().splitlines()[-1])["id"]
    u = uuid.UUID(attempt_id)
    spellings = [u.hex, "{" + str(u).upper() + "}", u.urn, str(u)]
    for n, spelling in enumerate(spellings):
        copy = tmp_path / f"copy{n}.jsonl"
        shutil.copy(path, copy)
        edit(copy, lambda ls, s=spelling: ls[-1].update(id=s))
        result = run("scores", "import", str(copy))
        assert result.exit_code == 0, result.output
        assert ("1 attempt added" if n == 0 else "1 skipped") in result.output
    attempts = stored(store_location)
    assert [a.id for a in attempts] == [str(u)]
    assert len(attempts[0].responses) == 8
    assert run("scores", "show", u.hex.upper()).exit_code == 0


def test_migration_merges_attempts_stored_under_two_spellings(tmp_path: Path) -> None:
    home = tmp_path / "old"
    bank = load_bank(MINI)
    with Store.open(home) as store:
        graded = grade_sheet(Sheet(bank, "alice", dict(ANSWERS)), "alice", store)
    assert graded.attempt_id is not None
    u = uuid.UUID(graded.attempt_id)
    db = sqlite3.connect(home / "scores.db")
    with db:  # an older store: the same attempt under an upper-case copy with one more answer
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute(
            "INSERT INTO attempts SELECT ?, user_name, mode, quiz_key, seed, plan, started_at,"
            " finished_at, status FROM attempts WHERE id = ?",
            (str(u).upper(), str(u)),
        )
        db.execute(
            "INSERT INTO attempt_banks SELECT ?, position, bank_id, content_hash FROM"
            " attempt_banks WHERE attempt_id = ?",
            (str(u).upper(), str(u)),
        )
        db.execute(
            "INSERT INTO responses (attempt_id, bank_id, question_id, response, score,"
            " max_score, correct, skipped, seconds, answered_at, graded) SELECT ?, bank_id,"
            " question_id, response, score, max_score, correct, skipped, seconds, answered_at,"
            " graded FROM responses WHERE attempt_id = ?",
            (str(u).upper(), str(u)),
        )
        db.execute(
            "UPDATE responses SET response = '\"1969\"', score = 1, correct = 1"
            " WHERE attempt_id = ? AND question_id = 'moon'",
            (str(u).upper(),),
        )
        db.execute("DELETE FROM responses WHERE attempt_id = ? AND question_id = 'moon'", (str(u),))
        db.execute("DELETE FROM migrations WHERE name = 'm005_canonical_attempts'")
        db.execute("PRAGMA user_version = 4")
    db.close()
    [attempt] = stored(home)
    assert attempt.id == str(u)
    moon = [r for r in attempt.responses if r.question_id == "moon"]
    assert moon and moon[0].response == "1969"  # gained from the other copy
    assert len(attempt.responses) == 8


# --- honest counts, times, files --------------------------------------------------------------


def test_answered_count_is_what_was_answered(quiz_home: Path) -> None:
    sheet = quiz_home.parent / "sheet.yaml"
    sheet.write_text("bank: mini\nanswers:\n  capital: Paris\n  sky: false\n  moon: 1969\n")
    result = run("grade", str(MINI), str(sheet))
    assert result.exit_code == 0 and "Answered 3 of 8" in result.output
    [row] = json.loads(run("scores", "list", "--json").output)
    assert (row["answered"], row["planned"]) == (3, 8)
    assert "3/8" in run("scores", "list").output


def test_answered_at_is_never_before_started_at(tmp_path: Path) -> None:
    bank = load_bank(MINI)
    with Store.open(tmp_path / "h") as store:
        grade_sheet(Sheet(bank, "alice", dict(ANSWERS)), "alice", store)
        [attempt] = store.attempts()
    assert all(
        r.answered_at is not None and r.answered_at >= attempt.started_at for r in attempt.responses
    )
    assert all(len(r.answered_at or "") == len(attempt.started_at) for r in attempt.responses)


def test_results_files_are_private(tmp_path: Path) -> None:
    run("grade", str(MINI), str(_sheet(tmp_path)))
    out = tmp_path / "r.jsonl"
    assert run("scores", "export", "-o", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def _sheet(tmp_path: Path) -> Path:
    sheet = tmp_path / "sheet.yaml"
    sheet.write_text("bank: mini\nanswers:\n  capital: Paris\n", encoding="utf-8")
    return sheet


def test_migration_from_a_store_before_grading_hashes(tmp_path: Path) -> None:
    home = tmp_path / "old"
    bank = load_bank(MINI)
    with Store.open(home) as store:
        grade_sheet(Sheet(bank, "alice", dict(ANSWERS)), "alice", store)
    db = sqlite3.connect(home / "scores.db")
    with db:  # the store as version 3 wrote it: no `graded`, no grading hashes
        db.execute("ALTER TABLE responses DROP COLUMN graded")
        rows = db.execute("SELECT bank_id, content_hash, questions FROM snapshots").fetchall()
        for bank_id, content_hash, questions in rows:
            old = [
                {k: v for k, v in q.items() if k not in ("grading", "explanation")}
                for q in json.loads(questions)
            ]
            db.execute(
                "UPDATE snapshots SET questions = ? WHERE bank_id = ? AND content_hash = ?",
                (json.dumps(old), bank_id, content_hash),
            )
        db.execute("DELETE FROM migrations WHERE name IN ('m004_grading_hash',"
                   " 'm005_canonical_attempts')")  # fmt: skip
        db.execute("PRAGMA user_version = 3")
    db.close()
    with Store.open(home) as store:
        assert [name for name, _ in store.migrations()][-2:] == [
            "m004_grading_hash",
            "m005_canonical_attempts",
        ]
        [attempt] = store.attempts()
        assert attempt.score == 2 and all(r.graded for r in attempt.responses)
        [snapshot] = store.snapshots()
        assert all(q.grading == "" for q in snapshot.questions)
        [summary] = store.summaries()
        assert (summary.score, summary.max_score, summary.answered) == (2.0, 8.0, 3)


@pytest.mark.parametrize("by", ["user", "question", "attempt", "marks", "responses"])
def test_every_report_says_how_many_responses_are_ungraded(
    tmp_path: Path, banks_dir: Path, by: str
) -> None:
    def unknown_bank(lines: list[Any]) -> None:
        del lines[1]
        lines[0]["snapshots"] = 0
        lines[-1]["banks"] = [["elsewhere", "h"]]
        for r in lines[-1]["responses"]:
            r["bank"] = "elsewhere"
        lines[-1]["plan"] = []

    import_json(str(edit(learner_file(tmp_path), unknown_bank)))
    for fmt in ("table", "json", "csv", "md"):
        shown = run("scores", "report", "--by", by, "--format", fmt)
        assert shown.exit_code == 0, shown.output
        assert "8 responses are stored ungraded" in shown.output, (fmt, shown.output)


def test_grading_hash_sees_credits() -> None:
    """A distractor's half credit, or an accepted answer's, decides grades: the hash covers it."""
    from quiz.bank.loader import load_bank_text
    from quiz.kinds import kind_of

    def material(distractor: str, accept: str) -> list[Any]:
        bank = load_bank_text(
            "id: x\ntitle: X\nquestions:\n"
            f"  - {{id: c, kind: choice, prompt: P?, answer: A, distractors: [B, {distractor}]}}\n"
            f"  - {{id: t, kind: text, prompt: T?, answer: Kozlov, accept: [{accept}]}}\n"
        )
        return [kind_of(q).grading_material(q) for q in bank.questions]

    plain = material("C", "Koslov")
    credited = material("{text: C, credit: 0.5}", "{text: Koslov, credit: 0.5}")
    assert plain[0] != credited[0] and plain[1] != credited[1]
