"""Instructor reports on a generated class with planted bad questions (tests/class_gen.py):
needs-checking flags, response analysis of every kind, marks, attempt choice, LMS gradebooks,
and CSV that matches JSON."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quiz.reports.items import (
    LIKELY_BELOW,
    VERY_LIKELY_BELOW,
    analyse_bank,
    needs_checking,
    pick_attempts,
)
from tests.class_gen import BANK_ID, LEARNERS, RETAKERS, GeneratedClass, seed_class
from tests.oracle_items import collect_bank, select_attempts


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def made(home: Path) -> GeneratedClass:
    return seed_class(home)


def run(home: Path, *args: str) -> Result:
    from quiz.cli import cli

    return CliRunner().invoke(cli, ["--home", str(home), "scores", "report", *args])


def ok(home: Path, *args: str) -> Result:
    result = run(home, *args)
    assert result.exit_code == 0, result.output + result.stderr
    return result


def questions_json(home: Path, *args: str) -> dict[str, dict[str, object]]:
    data = json.loads(ok(home, "--by", "question", "--format", "json", *args).stdout)
    return {q["question"]: q for q in data["banks"][0]["questions"]}


# --- needs checking ------------------------------------------------------------------------------


def moodle_level(discrimination: float | None) -> str | None:
    """Moodle's qbank_statistics helper::format_discrimination_index, restated."""
    if discrimination is None:
        return None
    if discrimination < 30:
        return "very likely"
    if discrimination < 50:
        return "likely"
    return "unlikely"


def test_thresholds_are_moodles() -> None:
    assert (VERY_LIKELY_BELOW, LIKELY_BELOW) == (30.0, 50.0)
    assert needs_checking(50.0, 29.99).level == "very likely"
    assert needs_checking(50.0, 30.0).level == "likely"
    assert needs_checking(50.0, 49.99).level == "likely"
    assert needs_checking(50.0, 50.0).level == "unlikely"
    assert needs_checking(50.0, None).level is None and needs_checking(50.0, None).text == "—"
    assert needs_checking(4.9, 80.0).reasons == ("facility below 5%: almost nobody got it right",)
    assert needs_checking(95.1, 80.0).reasons[0].startswith("facility above 95%")
    assert needs_checking(95.0, 80.0).reasons == ()
    assert needs_checking(50.0, -0.1).reasons == ("negative discrimination",)


def test_flags_on_the_generated_class(home: Path, made: GeneratedClass) -> None:
    found = questions_json(home)
    assert len(found) == len(made.bank.questions)
    for qid, q in found.items():
        disc = q["discrimination_index"]
        assert q["needs_checking"] == moodle_level(disc if isinstance(disc, float) else None), qid
    # The planted bad questions come out as Moodle's rules say.
    reversed_key = found["reversed-key"]
    assert isinstance(reversed_key["discrimination_index"], float)
    assert reversed_key["discrimination_index"] < 0
    assert reversed_key["needs_checking"] == "very likely"
    assert "negative discrimination" in reversed_key["reasons"]  # type: ignore[operator]
    giveaway = found["giveaway"]
    assert giveaway["facility"] == 100.0 and giveaway["discrimination_index"] is None
    assert giveaway["needs_checking"] is None  # "—", as Moodle shows it
    assert any("above 95%" in r for r in giveaway["reasons"])  # type: ignore[attr-defined]
    assert found["coin-flip"]["needs_checking"] == "very likely"
    # The questions that discriminate are not flagged.
    for qid in ("port-choice", "partners-multi", "places-match", "steps-order"):
        assert found[qid]["needs_checking"] == "unlikely", qid
    assert found["month-date"]["most_common_wrong"] == "2022-12"


@pytest.mark.parametrize("fmt", ["table", "csv", "md", "html"])
def test_every_format_shows_the_flags(home: Path, made: GeneratedClass, fmt: str) -> None:
    out = ok(home, "--by", "question", "--format", fmt).stdout
    assert "very likely" in out and "unlikely" in out
    assert "negative discrimination" in out or fmt in ("table", "csv")  # csv: a yes/no column
    if fmt == "html":
        assert 'class="band very-likely">very likely</span>' in out  # a band with a word
        assert "How to read this" in out
        assert "Which port gives the zone its name?" in out  # the whole question text
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        flags = {r["Question"]: r["Needs checking"] for r in rows}
        assert flags["reversed-key"] == "very likely" and flags["giveaway"] == "—"
        # One value per cell: each reason is a column of its own.
        negative = {r["Question"]: r["Negative discrimination"] for r in rows}
        assert negative["reversed-key"] == "yes" and negative["port-choice"] == "no"
        assert negative["giveaway"] == ""
        easy = {r["Question"]: r["Facility above 95%"] for r in rows}
        assert easy["giveaway"] == "yes" and easy["reversed-key"] == "no"
        assert "Reasons" not in rows[0]
        assert {r["Q#"] for r in rows} == {str(n) for n in range(1, 12)}
        texts = {r["Question"]: r["Question text"] for r in rows}
        assert texts["month-date"] == "In which month did the shipments resume?"


# --- response analysis ---------------------------------------------------------------------------


def analysed_rows(home: Path, *args: str) -> list[dict[str, str]]:
    out = ok(home, "--by", "responses", "--format", "csv", *args).stdout
    return list(csv.DictReader(io.StringIO(out)))


def normalised(kind: str, part: str, response: str) -> tuple[str, str]:
    """A reported response in the generator's terms: text answers are compared as letters."""
    if kind == "text":
        return part, "".join(ch for ch in response.casefold() if ch.isalnum())
    return part, response


@pytest.mark.parametrize("rule", ["first", "all"])
def test_response_analysis_counts_what_was_given(
    home: Path, made: GeneratedClass, rule: str
) -> None:
    rows = analysed_rows(home, "--attempts", rule)
    chosen = made.first_attempts() if rule == "first" else {a.id for a in made.attempts}
    expected = made.expected_counts(chosen)
    kinds = {q.id: q.kind for q in made.bank.questions}
    got: dict[str, Counter[tuple[str, str]]] = {}
    for row in rows:
        key = normalised(kinds[row["Question"]], row["Part"], row["Response"])
        got.setdefault(row["Question"], Counter())[key] += int(row["Count"])
    assert set(got) == set(kinds)  # every kind has its response analysis
    for qid in kinds:
        assert got[qid] == expected[qid], qid


def test_response_analysis_rows(home: Path, made: GeneratedClass) -> None:
    rows = analysed_rows(home)
    by_question: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_question.setdefault(row["Question"], []).append(row)
    # Most frequent first, with its share and the mark it earned.
    month = by_question["month-date"]
    assert [(r["Response"], r["Count"], r["Right"]) for r in month] == [
        ("2022-12", "23", "no"),
        ("2022-11", "7", "yes"),
    ]
    assert float(month[0]["Share"]) == pytest.approx(100 * 23 / 30, abs=0.01)
    assert float(month[0]["Mark earned"]) == 0.0 and float(month[1]["Mark earned"]) == 100.0
    # true/false counts, whatever word was typed.
    assert {r["Response"]: int(r["Count"]) for r in by_question["sez-truefalse"]} == {
        "true": 26,
        "false": 4,
    }
    # match: per left item; order: per position, in position order.
    match = by_question["places-match"]
    assert {(r["Part"], r["Response"], r["Right"]) for r in match} >= {
        ("Rason", "port", "yes"),
        ("Rason", "river", "no"),
        ("Khasan", "station", "yes"),
    }
    order = by_question["steps-order"]
    assert [r["Part"] for r in order] == sorted(
        (r["Part"] for r in order), key=lambda p: int(p.split()[-1])
    )
    assert ("position 1", "build", "no") in {(r["Part"], r["Response"], r["Right"]) for r in order}
    # One value per cell: the response is one response, the count one number.
    for row in rows:
        assert row["Count"].isdigit()


def test_by_question_keeps_the_most_common_wrong_answer(home: Path, made: GeneratedClass) -> None:
    found = questions_json(home)
    assert found["share-number"]["most_common_wrong"] == "67300"  # "67,300" and "67.3k"
    assert found["share-number"]["most_common_wrong_count"] == 15
    assert found["places-match"]["most_common_wrong"] in ("Rason: river", "Tumen: port")
    assert found["giveaway"]["most_common_wrong"] is None


# --- marks ---------------------------------------------------------------------------------------


def test_marks_report_is_learner_by_question(home: Path, made: GeneratedClass) -> None:
    out = ok(home, "--by", "marks", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == LEARNERS
    header = list(rows[0])
    q_columns = [h for h in header if h.startswith("Q")]
    assert len(q_columns) == len(made.bank.questions)
    assert q_columns[0] == "Q1 port-choice /1" and q_columns[-1].startswith("Q11 ")
    firsts = {a.user: a for a in made.attempts if a.id in made.first_attempts()}
    for row in rows:
        attempt = firsts[row["Learner"]]
        assert row["Attempt"] == attempt.id
        marks = [float(row[h]) for h in q_columns]
        assert marks == [pytest.approx(r.score, abs=1e-4) for r in attempt.responses]
    data = json.loads(ok(home, "--by", "marks", "--format", "json").stdout)
    assert [q["position"] for q in data["questions"]] == list(range(1, 12))
    assert data["users"][0]["q1"] == float(rows[0][q_columns[0]])
    md = ok(home, "--by", "marks", "--format", "md").stdout
    assert "| Learner |" in md and "Q11 coin-flip /1" in md
    html = ok(home, "--by", "marks", "--format", "html").stdout
    assert "Q11 coin-flip /1" in html and "A question answered as if by a coin." in html


def test_marks_on_a_terminal_are_one_block_per_learner(home: Path, made: GeneratedClass) -> None:
    out = ok(home, "--by", "marks").stdout
    assert out.count("\nlearner") == LEARNERS
    assert "  Q3 sez-truefalse /1" in out


# --- which attempts ------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", ["first", "last", "best", "all"])
def test_attempt_choice_matches_the_records(home: Path, made: GeneratedClass, rule: str) -> None:
    picked = pick_attempts(made.attempts, BANK_ID, rule)
    assert [a.id for a in picked] == [
        a.id for a in select_attempts(made.attempts, BANK_ID, rule=rule)
    ]
    expected = analyse_bank(collect_bank(made.attempts, [made.snapshot], BANK_ID, rule=rule))
    found = questions_json(home, "--attempts", rule)
    for item in expected.items:
        q = found[item.question_id]
        assert q["attempts"] == item.attempts
        assert q["facility"] == pytest.approx(item.facility, abs=1e-3)
    n = {"first": LEARNERS, "last": LEARNERS, "best": LEARNERS, "all": LEARNERS + RETAKERS}
    assert len(picked) == n[rule]
    if rule in ("last", "best"):  # the retakes (all right but the reversed key) are picked
        # month-date: 7 right at first, and the 10 retakers
        assert found["month-date"]["facility"] == pytest.approx(100 * 17 / 30, abs=1e-3)


def test_all_attempts_is_an_alias(home: Path, made: GeneratedClass) -> None:
    assert questions_json(home, "--all-attempts") == questions_json(home, "--attempts", "all")
    assert run(home, "--by", "question", "--all-attempts", "--attempts", "last").exit_code == 2


@pytest.mark.parametrize(
    "args",
    [
        ["--by", "user", "--attempts", "last"],
        ["--wide", "--attempts", "all"],
        ["--wide", "--attempts", "last", "--grade", "best"],
        ["--lms", "moodle"],
        ["--points"],
        ["--by", "question", "--bom"],
    ],
)
def test_usage_errors(home: Path, made: GeneratedClass, args: list[str]) -> None:
    result = run(home, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_captions_say_which_attempts(home: Path, made: GeneratedClass) -> None:
    html = ok(home, "--by", "question", "--attempts", "best", "--format", "html").stdout
    assert "each learner&#39;s best attempt (highest score)" in html
    user_html = ok(home, "--by", "user", "--format", "html").stdout
    assert "Best score of each learner" in user_html
    attempt_html = ok(home, "--by", "attempt", "--format", "html").stdout
    assert "every finished attempt" in attempt_html.lower()


# --- gradebooks ----------------------------------------------------------------------------------

ROSTER = (
    "username,email,idnumber,firstname,lastname,section,ID\n"
    + "".join(
        f"learner{n:02d},l{n}@example.org,S{n:03d},First{n},Last{n},Group {n % 2},{9000 + n}\n"
        for n in range(LEARNERS)
        if n not in (3, 7)  # two learners are missing from the roster
    )
    + "nobody,nobody@example.org,S999,No,Body,Group 1,9999\n"  # on the roster, no attempt
)


def gradebook(home: Path, tmp_path: Path, *args: str) -> tuple[list[list[str]], Result]:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    result = ok(home, "--wide", "--format", "csv", "--roster", str(roster), *args)
    return list(csv.reader(io.StringIO(result.stdout))), result


def test_roster_join_lists_the_unmatched(home: Path, made: GeneratedClass, tmp_path: Path) -> None:
    rows, result = gradebook(home, tmp_path)
    assert rows[0][:6] == [
        "Learner",
        "Email address",
        "ID number",
        "First name",
        "Last name",
        "section",
    ]
    names = [r[0] for r in rows[1:]]
    assert "learner03" in names and "learner07" in names  # kept, never dropped
    assert names[-2:] == ["learner03", "learner07"]
    assert "learner03" in result.stderr and "learner07" in result.stderr
    assert "not on the roster" in result.stderr.lower()
    nobody = next(r for r in rows if r[0] == "nobody")
    assert nobody[-1] == ""  # on the roster, without a grade
    ana = next(r for r in rows if r[0] == "learner05")
    assert ana[1:4] == ["l5@example.org", "S005", "First5"]
    data = json.loads(
        ok(home, "--wide", "--format", "json", "--roster", str(tmp_path / "roster.csv")).stdout
    )
    assert data["unmatched"] == ["learner03", "learner07"]


def test_canvas_layout(home: Path, made: GeneratedClass, tmp_path: Path) -> None:
    rows, _ = gradebook(home, tmp_path, "--lms", "canvas", "--points")
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[0][-1] == BANK_ID
    assert rows[1][0].strip() == "Points Possible" and float(rows[1][-1]) == 11.0
    five = next(r for r in rows if r[3] == "learner05")
    assert five[:5] == ["Last5, First5", "9005", "S005", "learner05", "Group 1"]
    assert 0 <= float(five[-1]) <= 11.0  # points, not percent
    assert "section" not in rows[0] and "ID" == rows[0][1]  # used, not repeated


def test_moodle_layout(home: Path, made: GeneratedClass, tmp_path: Path) -> None:
    rows, _ = gradebook(home, tmp_path, "--lms", "moodle")
    header = rows[0]
    assert header[:5] == ["Username", "ID number", "Email address", "First name", "Last name"]
    assert header[-1] == BANK_ID  # one column per item (bank)
    grades = [r[-1] for r in rows[1:] if r[-1]]
    assert all(0.0 <= float(g) <= 100.0 for g in grades)
    # Without a roster: a user matching column, then one column per item.
    plain = list(
        csv.reader(io.StringIO(ok(home, "--wide", "--lms", "moodle", "--format", "csv").stdout))
    )
    assert plain[0] == ["Username", BANK_ID]
    assert len(plain) == 1 + LEARNERS


def test_bom_for_excel(home: Path, made: GeneratedClass, tmp_path: Path) -> None:
    out = tmp_path / "grades.csv"
    ok(home, "--wide", "--format", "csv", "--bom", "-o", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert not ok(home, "--wide", "--format", "csv").stdout.startswith("\ufeff")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("email,name\na@b,c\n", "roster.csv:1: the roster has no username column"),
        ("username\nann\nann\n", "roster.csv:3: the username 'ann' is already on line 2"),
        ("", "roster.csv:1: the roster has no header row"),
    ],
)
def test_bad_rosters(
    home: Path, made: GeneratedClass, tmp_path: Path, text: str, message: str
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(text, encoding="utf-8")
    result = run(home, "--wide", "--roster", str(roster))
    assert result.exit_code == 1
    assert message in result.output + result.stderr
    assert "Traceback" not in result.output
    missing = run(home, "--wide", "--roster", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 1 and "Traceback" not in missing.output


# --- CSV and JSON agree --------------------------------------------------------------------------


def _json_rows(by: str, data: dict[str, object]) -> list[dict[str, object]]:
    if by == "question":
        return [q for b in data["banks"] for q in b["questions"]]  # type: ignore[attr-defined]
    if by == "responses":
        return [
            {**{k: v for k, v in q.items() if k != "responses"}, **r}
            for q in data["questions"]  # type: ignore[attr-defined]
            for r in q["responses"]
        ]
    if by == "attempt":
        return list(data["attempts"])  # type: ignore[call-overload]
    rows: list[dict[str, object]] = []
    for u in data["users"]:  # type: ignore[attr-defined]
        flat = dict(u)
        for tag, value in dict(flat.pop("tags", {}) or {}).items():
            flat[f"tags.{tag}"] = value
        flat.update(flat.pop("grades", {}) or {})
        rows.append(flat)
    return rows


@pytest.mark.parametrize("by", ["user", "question", "responses", "marks", "attempt", "wide"])
def test_csv_and_json_hold_the_same_fields(home: Path, made: GeneratedClass, by: str) -> None:
    from quiz.app.reports import build_report
    from quiz.store import Store

    with Store.open(home) as store:
        report = build_report(store, by=by, bank=None, user=None)
    keys = [c.key for c in report.main.columns if not c.display_only]  # the CSV's columns
    data = json.loads(
        ok(home, *(["--wide"] if by == "wide" else ["--by", by]), "--format", "json").stdout
    )
    rows = _json_rows(by, data)
    assert len(rows) == len(report.main.rows)
    for row in rows:
        missing = [k for k in keys if k not in row]
        assert not missing, (by, missing)


def test_header_names_are_the_same_across_reports(home: Path, made: GeneratedClass) -> None:
    headers = {}
    for args in (["--by", "user"], ["--by", "attempt"], ["--by", "marks"], ["--wide"]):
        out = ok(home, *args, "--format", "csv").stdout
        headers[args[-1]] = next(csv.reader(io.StringIO(out)))
        assert "Learner" in headers[args[-1]] and "user" not in headers[args[-1]]
    question = next(csv.reader(io.StringIO(ok(home, "--by", "question", "--format", "csv").stdout)))
    responses = next(
        csv.reader(io.StringIO(ok(home, "--by", "responses", "--format", "csv").stdout))
    )
    for name in ("Bank", "Q#", "Question", "Question text", "Kind"):
        assert name in question and name in responses
    assert "Options chosen" not in question  # one value per cell: see --by responses
    user = headers["user"]
    assert "First" in user and "Mastery by tag" not in user


def test_hostile_responses_stay_text(home: Path, made: GeneratedClass) -> None:
    import dataclasses

    from quiz.store import Store
    from quiz.store.records import ResponseRecord

    attempt = made.attempts[0]
    hostile = "<script>alert(1)</script>\x1b[31m"
    formula = '=HYPERLINK("http://evil")'
    responses = tuple(
        ResponseRecord(BANK_ID, r.question_id, hostile, 0.0, 1.0, False)
        if r.question_id == "leader-text"
        else ResponseRecord(BANK_ID, r.question_id, formula, 0.0, 1.0, False)
        if r.question_id == "month-date"
        else r
        for r in attempt.responses
    )
    changed = dataclasses.replace(
        attempt,
        id="f" * 32,
        user="zz-hostile",
        started_at="2024-05-01T08:00:00+00:00",
        responses=responses,
    )
    with Store.open(home) as store:
        store.merge([changed], [made.snapshot])
    page = ok(home, "--by", "responses", "--format", "html").stdout
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page
    rows = analysed_rows(home)
    assert "'" + formula in {r["Response"] for r in rows}
    table = ok(home, "--by", "responses").stdout
    assert "\x1b" not in table
