"""Snapshots keep each choice and multi question's credits and its options' text formats
(issue #17's item analysis): the random guess score is exact without the bank, formatted
options read as plain text in the reports, results files carry both (version 3; older files
still import), older stored snapshots keep working, and a learner's view withholds credits."""

from __future__ import annotations

import dataclasses
import itertools
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from quiz.bank.loader import load_bank_text
from quiz.cli import cli
from quiz.errors import ResultsFileError
from quiz.formats.results import parse_results_text, results_lines
from quiz.kinds import grade
from quiz.reports.items import random_guess_score
from quiz.store import Store
from quiz.store.records import BankSnapshot, snapshot_of
from quiz.store.snapshots import decode_questions, encode_questions
from tests.conftest import use_store

BANK = """
id: snapcredits
title: Credits kept
questions:
  - {id: c, kind: choice, prompt: Port, answer: Rason,
     distractors: [Hamhung, {text: Sonbong, credit: 0.5}, {text: Pyongyang, credit: "-50%"}]}
  - {id: c2, kind: choice, prompt: Port, answers: [Rason, Rajin], distractors: [Hamhung]}
  - {id: m, kind: multi, prompt: Which, answers: [{text: A, credit: 0.7}, {text: B, credit: 0.3}],
     distractors: [{text: C, credit: -0.5}, D]}
  - {id: h, kind: choice, prompt: Tag, answer: {text: "<b>Bold</b> &amp; co", format: html},
     distractors: [{text: "<i>It</i>", format: html, credit: 0.5}, Plain]}
  - {id: t, kind: text, prompt: Who, answer: Kozlov, accept: [{text: Koslov, credit: 0.5}]}
"""
SHEET = """bank: snapcredits
user: ann
answers: {c: Sonbong, c2: Rajin, m: [A, C], h: "<b>Bold</b> &amp; co", t: Koslov}
"""


def _multi_by_grade() -> float:
    """The multi question's random guess score as its grader gives it: the mean score of
    every non-empty set of options."""
    question = load_bank_text(BANK).question("m")
    assert question is not None
    sets = [s for n in range(1, 5) for s in itertools.combinations(question.options, n)]
    return sum(grade(question, list(s)).score for s in sets) / len(sets)


# The exact figures (percent): c: (1 + 0 + 0.5 + 0) / 4; c2: 2 of 3 options right; h: 1.5 / 3.
EXACT = {"c": 37.5, "c2": 200 / 3, "m": 100 * _multi_by_grade(), "h": 50.0, "t": 0.0}
# What a snapshot without credits gives (the fallback): right options / options, and multi's
# rule without credits (right picks - wrong picks) / right answers.
FALLBACK_C = 25.0


def _exported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A results file of ann's graded sheet, from a store of its own with the bank known."""
    banks = tmp_path / "banks"
    banks.mkdir()
    (banks / "snapcredits.yaml").write_text(BANK, encoding="utf-8")
    (tmp_path / "sheet.yaml").write_text(SHEET, encoding="utf-8")
    out = tmp_path / "results.jsonl"
    env = {"QUIZ_HOME": str(tmp_path / "learner-home"), "QUIZ_BANKS": str(banks), "QUIZ_DB": ""}
    runner = CliRunner()
    graded = runner.invoke(cli, ["grade", "snapcredits", str(tmp_path / "sheet.yaml")], env=env)
    assert graded.exit_code == 0, graded.output
    exported = runner.invoke(cli, ["scores", "export", "-o", str(out)], env=env)
    assert exported.exit_code == 0, exported.output
    return out


def _questions(runner: CliRunner, by: str = "question") -> dict[str, Any]:
    result = runner.invoke(cli, ["scores", "report", "--by", by, "--format", "json"])
    assert result.exit_code == 0, result.output
    if by == "responses":
        return {q["question"]: q for q in json.loads(result.stdout)["questions"]}
    (bank,) = json.loads(result.stdout)["banks"]
    return {q["question"]: q for q in bank["questions"]}


def test_item_analysis_is_exact_without_the_bank(
    store_location: Path | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A results file imported into a fresh store (SQLite and PostgreSQL) where no bank of
    that id can be found: the random guess score of credited and several-right questions is
    the exact one, and formatted options are listed as their plain text."""
    results = _exported(tmp_path, monkeypatch)
    use_store(monkeypatch, store_location)
    monkeypatch.delenv("QUIZ_BANKS", raising=False)
    runner = CliRunner()
    imported = runner.invoke(cli, ["scores", "import", str(results)])
    assert imported.exit_code == 0, imported.output
    found = _questions(runner)
    assert {q: found[q]["random_guess"] for q in EXACT} == pytest.approx(EXACT, abs=1e-3)
    assert found["c"]["random_guess"] != FALLBACK_C
    assert [o["option"] for o in found["h"]["options"]] == ["Bold & co", "It", "Plain"]
    assert [o["correct"] for o in found["h"]["options"]] == [True, False, False]
    table = runner.invoke(cli, ["scores", "report", "--by", "question", "--format", "md"])
    assert table.exit_code == 0, table.output
    assert "37.5" in table.output and "<b>" not in table.output


def test_graded_responses_show_formatted_options_as_plain_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Imported while the bank was known (so graded), reported after it is gone: the option
    rows and the response analysis count the html option under its plain text."""
    results = _exported(tmp_path, monkeypatch)
    monkeypatch.setenv("QUIZ_HOME", str(tmp_path / "instructor"))
    monkeypatch.setenv("QUIZ_BANKS", str(tmp_path / "banks"))
    runner = CliRunner()
    assert runner.invoke(cli, ["scores", "import", str(results)]).exit_code == 0
    monkeypatch.delenv("QUIZ_BANKS")
    found = _questions(runner)
    assert found["c"]["random_guess"] == pytest.approx(37.5)
    assert [(o["option"], o["count"]) for o in found["h"]["options"]] == [
        ("Bold & co", 1),
        ("It", 0),
        ("Plain", 0),
    ]
    responses = _questions(runner, "responses")
    assert [r["response"] for r in responses["h"]["responses"]] == ["Bold & co"]
    assert [r["response"] for r in responses["c"]["responses"]] == ["Sonbong"]


def test_a_snapshot_keeps_credits_and_option_formats() -> None:
    bank = load_bank_text(BANK)
    questions = {q.question_id: q for q in snapshot_of(bank).questions}
    assert questions["c"].credits == (
        ("Rason", 1.0),
        ("Hamhung", 0.0),
        ("Sonbong", 0.5),
        ("Pyongyang", -0.5),
    )
    assert questions["c2"].credits == (("Rason", 1.0), ("Rajin", 1.0), ("Hamhung", 0.0))
    assert questions["m"].credits == (("A", 0.7), ("B", 0.3), ("C", -0.5), ("D", 0.0))
    assert questions["h"].formats == (("<b>Bold</b> &amp; co", "html"), ("<i>It</i>", "html"))
    assert questions["h"].shown_option("<b>Bold</b> &amp; co") == "Bold & co"
    assert questions["h"].shown_option("Plain") == "Plain"
    # per option only: a typed answer's accepted alternatives are not copied into the store
    assert questions["t"].credits == () and questions["t"].options == ()
    assert random_guess_score(questions["c"]) == pytest.approx(0.375)
    assert random_guess_score(questions["m"]) == pytest.approx(_multi_by_grade())


def test_a_handout_snapshot_has_no_credits() -> None:
    """A learner's sealed handout keeps no right options, and so no credits either."""
    from quiz.bank.model import Handout

    bank = load_bank_text(BANK)
    sealed = snapshot_of(dataclasses.replace(bank, handout=Handout("snapcredits.yaml")))
    assert all(q.credits == () and q.answers == () for q in sealed.questions)
    assert dict(sealed.questions[3].formats)  # formats give nothing away: kept


def test_credits_and_formats_round_trip_through_the_store(store_location: Path | str) -> None:
    snapshot = snapshot_of(load_bank_text(BANK))
    with Store.open(store_location) as store:
        store.save_snapshot(snapshot)
        (stored,) = store.snapshots()
    assert stored == snapshot
    assert decode_questions(snapshot.bank_id, encode_questions(snapshot)) == snapshot.questions


def _without_credits(snapshot: BankSnapshot) -> BankSnapshot:
    return dataclasses.replace(
        snapshot,
        questions=tuple(dataclasses.replace(q, credits=(), formats=()) for q in snapshot.questions),
    )


def test_a_version_stored_without_credits_gains_them_when_saved_again(
    store_location: Path | str,
) -> None:
    """A version an older quiz stored (no credits) is completed when the same version is saved
    with them (its questions grading alike); never changed otherwise."""
    snapshot = snapshot_of(load_bank_text(BANK))
    with Store.open(store_location) as store:
        store.save_snapshot(_without_credits(snapshot))
        assert store.snapshots() == [_without_credits(snapshot)]
        # other grading hashes: not the same questions, so the stored copy stays
        other = dataclasses.replace(
            snapshot,
            questions=tuple(dataclasses.replace(q, grading="sha256:0") for q in snapshot.questions),
        )
        store.save_snapshot(other)
        assert store.snapshots() == [_without_credits(snapshot)]
        store.save_snapshot(snapshot)
        assert store.snapshots() == [snapshot]
        store.save_snapshot(_without_credits(snapshot))  # never taken away again
        assert store.snapshots() == [snapshot]


def test_credits_and_formats_round_trip_through_the_results_file() -> None:
    snapshot = snapshot_of(load_bank_text(BANK))
    text = "\n".join(results_lines([], [snapshot])) + "\n"
    assert json.loads(text.split("\n")[0])["version"] == 3
    (read,) = parse_results_text(text).snapshots
    assert read == snapshot
    assert read.questions[0].credits == snapshot.questions[0].credits


def _old_file(snapshot: BankSnapshot) -> str:
    """A version 2 results file of `snapshot`, as an older quiz wrote it (no credits, formats)."""
    lines = [json.loads(line) for line in results_lines([], [snapshot])]
    lines[0]["version"] = 2
    for q in lines[1]["questions"]:
        q.pop("credits", None)
        q.pop("formats", None)
    return "\n".join(json.dumps(line) for line in lines) + "\n"


def test_an_older_results_file_without_credits_still_reads() -> None:
    snapshot = snapshot_of(load_bank_text(BANK))
    (read,) = parse_results_text(_old_file(snapshot)).snapshots
    assert all(q.credits == () and q.formats == () for q in read.questions)
    assert [q.options for q in read.questions] == [q.options for q in snapshot.questions]
    c = read.questions[0]
    assert random_guess_score(c) == pytest.approx(0.25)  # the fallback: right / options
    assert c.shown_option("<b>x</b>") == "<b>x</b>"  # no formats known: as written
    # a version 3 file may say so with empty lists (a class store's learner view exports them)
    lines = [json.loads(line) for line in results_lines([], [snapshot])]
    lines[1]["questions"][0].update(credits=[], formats=[])
    (blank,) = parse_results_text("\n".join(json.dumps(x) for x in lines) + "\n").snapshots
    assert blank.questions[0].credits == () and blank.questions[0].formats == ()


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda q: q["credits"][0].__setitem__(1, 2), "the credit of 'Rason' must be from -1 to 1"),
        (lambda q: q["credits"].append(["Nowhere", 1]), "'Nowhere' is not one of the question's"),
        (lambda q: q["credits"].append(["Rason", 1]), "'Rason' appears twice"),
        (lambda q: q.update(credits=[["Rason", True]]), "list of [option, credit] pairs"),
        (lambda q: q.update(credits=[["Rason", 1]]), "the credit of 'Hamhung' is missing"),
        (lambda q: q.update(credits={"Rason": 1}), "list of [option, credit] pairs"),
        (lambda q: q.update(formats=[["Rason", "rtf"]]), "must be one of moodle, html"),
        (lambda q: q.update(formats=[["Rason"]]), "list of [option, format] pairs"),
    ],
)
def test_bad_credits_or_formats_in_a_results_file_are_located(change: Any, fragment: str) -> None:
    snapshot = snapshot_of(load_bank_text(BANK))
    lines = [json.loads(line) for line in results_lines([], [snapshot])]
    change(lines[1]["questions"][0])
    text = "\n".join(json.dumps(line) for line in lines) + "\n"
    with pytest.raises(ResultsFileError) as caught:
        parse_results_text(text, "r.jsonl")
    assert "r.jsonl:2" in str(caught.value) and fragment in str(caught.value)


def test_an_old_stored_snapshot_without_credits_still_reads(tmp_path: Path) -> None:
    """JSON as the store kept it before snapshots had credits: read with none, and the
    report falls back as before (the bank's copy by its grading hash, else right/options)."""
    old = (
        '[{"question_id": "c", "kind": "choice", "prompt": "Port", "max_score": 1.0,'
        ' "expected": "Rason", "tags": [], "options": ["Rason", "Hamhung", "Sonbong",'
        ' "Pyongyang"], "answers": ["Rason"], "difficulty": null, "grading": "",'
        ' "explanation": ""}]'
    )
    (question,) = decode_questions("snapcredits", old)
    assert question.credits == () and question.formats == ()
    assert random_guess_score(question) == pytest.approx(0.25)
    # written again unchanged: no empty fields added
    assert encode_questions(BankSnapshot("snapcredits", "h", "", (question,))) == old


def _strip_stored_credits(home: Path) -> None:
    """Make every stored snapshot look as an older quiz saved it: no credits, no formats."""
    with sqlite3.connect(home / "scores.db") as conn:
        for bank_id, content_hash, questions in conn.execute(
            "SELECT bank_id, content_hash, questions FROM snapshots"
        ).fetchall():
            data = json.loads(questions)
            for q in data:
                q.pop("credits", None)
                q.pop("formats", None)
            conn.execute(
                "UPDATE snapshots SET questions = ? WHERE bank_id = ? AND content_hash = ?",
                (json.dumps(data), bank_id, content_hash),
            )


def test_older_stored_snapshots_fall_back_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = _exported(tmp_path, monkeypatch)
    home = tmp_path / "instructor"
    monkeypatch.setenv("QUIZ_HOME", str(home))
    monkeypatch.setenv("QUIZ_BANKS", str(tmp_path / "banks"))
    runner = CliRunner()
    assert runner.invoke(cli, ["scores", "import", str(results)]).exit_code == 0
    _strip_stored_credits(home)
    # the bank found by its id, its questions grading as the stored ones: exact
    known = _questions(runner)
    assert known["c"]["random_guess"] == pytest.approx(37.5)
    assert known["m"]["random_guess"] == pytest.approx(EXACT["m"])
    # the bank gone: the stored right options, as before
    monkeypatch.delenv("QUIZ_BANKS")
    gone = _questions(runner)
    assert gone["c"]["random_guess"] == pytest.approx(FALLBACK_C)
    assert gone["c2"]["random_guess"] == pytest.approx(200 / 3, abs=1e-3)
    assert gone["h"]["options"][0]["option"] == "<b>Bold</b> &amp; co"


@pytest.fixture
def room(postgres_server: Any, postgres_db: str, tmp_path: Path) -> Any:
    pytest.importorskip("psycopg")
    from tests.class_setup import class_fixture

    yield from class_fixture(postgres_server, postgres_db, tmp_path)


def test_a_learner_never_reads_credits(room: Any) -> None:
    """Credits give the answers away: the class store's learner view (`public_snapshots`)
    blanks them, as it does the right options; the instructor reads them."""
    (alice,) = room.add("alice")
    snapshot = snapshot_of(load_bank_text(BANK))
    with Store.open(room.admin_url) as store:
        store.save_snapshot(snapshot)
    graded = room.run(None, ["class", "grade"])  # publishes new bank versions to learners
    assert graded.exit_code == 0, graded.output
    with room.connect(alice) as conn:
        rows = conn.execute(
            "SELECT questions FROM public_snapshots WHERE bank_id = 'snapcredits'"
        ).fetchall()
    (questions,) = [json.loads(row[0]) for row in rows]
    assert [q.get("credits") for q in questions] == [[]] * len(questions)
    assert not any(q["answers"] for q in questions)
    assert "Sonbong" in json.dumps(questions)  # the options themselves are shown, of course
    from tests.test_class_rls import room_store

    with room_store(room, alice) as store:
        seen = [s for s in store.snapshots() if s.bank_id == "snapcredits"]
    assert seen and all(q.credits == () for s in seen for q in s.questions)
    with Store.open(room.admin_url) as store:
        (mine,) = [s for s in store.snapshots() if s.bank_id == "snapcredits"]
    assert mine.questions[0].credits == snapshot.questions[0].credits
