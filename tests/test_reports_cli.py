"""`quiz scores export|import|report` end to end, through the CLI and a real store."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from dataclasses import replace
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from quiz.store import Store
from quiz.store.records import AttemptRecord, BankSnapshot, QuestionSnapshot, ResponseRecord
from quiz.times import near_time

BANK = "rason-facts"
SNAP = BankSnapshot(
    BANK,
    "v1hash",
    "Rason facts",
    (
        QuestionSnapshot(BANK, "year", "number", "Which year?", 1.0, "1991", ("dates",)),
        QuestionSnapshot(
            BANK,
            "who",
            "choice",
            "Who?",
            1.0,
            "Kozlov",
            ("people",),
            ("Kozlov", "Kim", "Lee"),
            ("Kozlov",),
        ),
        QuestionSnapshot(BANK, "share", "truefalse", "97%?", 1.0, "true", ("trade",)),
    ),
)
OTHER = BankSnapshot(
    "other-bank", "o1", "Other", (QuestionSnapshot("other-bank", "x", "text", "X?", 1.0, "x"),)
)
_n = 0


# A time as a terminal shows it (`quiz.times.near_time`): "today 18:01", "1 May 2024 09:10".
NEAR_TIME = r"(today|yesterday|\d{1,2} [A-Z][a-z]{2}( \d{4})?) \d\d:\d\d"


def make(
    user: str,
    scores: dict[str, float],
    *,
    content_hash: str = "v1hash",
    started: str | None = None,
    bank: str = BANK,
) -> AttemptRecord:
    global _n
    _n += 1
    responses = tuple(
        ResponseRecord(
            bank,
            qid,
            ("Kozlov" if score else "Kim") if qid == "who" else ("yes" if score else "no"),
            score,
            1.0,
            score == 1.0,
            answered_at="2024-04-01T10:00:00+00:00",
        )
        for qid, score in scores.items()
    )
    return AttemptRecord(
        id=str(uuid.UUID(int=1000 + _n)),
        user=user,
        banks=((bank, content_hash),),
        mode="take",
        # Later made, later started (whatever ran before): minutes from 2024-04-01 00:00.
        started_at=started or f"2024-04-01T{_n // 60 % 24:02d}:{_n % 60:02d}:00+00:00",
        status="finished",
        finished_at=f"2024-04-02T{_n // 60 % 24:02d}:{_n % 60:02d}:00+00:00",
        plan=tuple((bank, qid) for qid in scores),
        responses=responses,
    )


def seed(
    home: Path, attempts: list[AttemptRecord], snapshots: list[BankSnapshot] | None = None
) -> None:
    with Store.open(home) as store:
        store.merge(attempts, snapshots if snapshots is not None else [SNAP])


def stored(home: Path) -> list[AttemptRecord]:
    with Store.open(home) as store:
        return store.attempts()


def quiz(*args: str, home: Path | None = None) -> Result:
    from quiz.cli import cli

    full = (["--home", str(home)] if home else []) + list(args)
    return CliRunner().invoke(cli, full, catch_exceptions=False)


def class_attempts() -> list[AttemptRecord]:
    return [
        make("ana", {"year": 1, "who": 1, "share": 1}),
        make("ben", {"year": 1, "who": 0, "share": 1}),
        make("cho", {"year": 0, "who": 0, "share": 1}),
        make("ana", {"year": 0, "who": 0, "share": 0}),
    ]


def test_scores_group_has_the_commands() -> None:
    from quiz.cli import cli

    group = cli.get_command(click.Context(cli), "scores")
    assert isinstance(group, click.Group)
    assert {"export", "import", "report"} <= set(group.commands)


def test_register_onto_a_throwaway_group() -> None:
    from quiz.commands import scores

    root = click.Group("root")
    scores.register(root)
    assert {"export", "import", "report"} <= set(root.commands["scores"].commands)  # type: ignore[attr-defined]


# --- export and import -------------------------------------------------------------------------


def export(home: Path, out: Path, *extra: str) -> Result:
    result = quiz("scores", "export", "-o", str(out), *extra, home=home)
    assert result.exit_code == 0, result.output
    return result


def test_export_then_import_elsewhere(tmp_path: Path) -> None:
    seed(tmp_path / "a", class_attempts())
    out = tmp_path / "class.jsonl"
    result = export(tmp_path / "a", out)
    assert "Exported 4 attempts" in result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["attempts"] == 4
    assert json.loads(lines[1])["type"] == "snapshot"

    result = quiz("scores", "import", str(out), home=tmp_path / "b")
    assert result.exit_code == 0, result.output
    assert "4 attempts added, 0 grown, 0 skipped" in result.output
    assert sorted(a.id for a in stored(tmp_path / "b")) == sorted(
        a.id for a in stored(tmp_path / "a")
    )


def test_importing_twice_adds_nothing_the_second_time(tmp_path: Path) -> None:
    seed(tmp_path / "a", class_attempts())
    out = tmp_path / "class.jsonl"
    export(tmp_path / "a", out)
    assert "4 attempts added" in quiz("scores", "import", str(out), home=tmp_path / "b").output
    again = quiz("scores", "import", str(out), home=tmp_path / "b")
    assert again.exit_code == 0
    assert "0 attempts added, 0 grown, 4 skipped" in again.output
    assert len(stored(tmp_path / "b")) == 4


def test_an_attempt_with_more_responses_grows(tmp_path: Path) -> None:
    full = make("dan", {"year": 1, "who": 1, "share": 0})
    partial = AttemptRecord(
        **{**full.__dict__, "responses": full.responses[:1], "status": "in_progress"}
    )
    seed(tmp_path / "b", [partial])
    seed(tmp_path / "a", [full])
    out = tmp_path / "dan.jsonl"
    export(tmp_path / "a", out)
    result = quiz("scores", "import", str(out), home=tmp_path / "b")
    assert "0 attempts added, 1 grown, 0 skipped" in result.output
    assert len(stored(tmp_path / "b")[0].responses) == 3


@pytest.mark.parametrize("cut", ["mid-line", "line-boundary"])
def test_a_file_cut_short_imports_nothing(tmp_path: Path, cut: str) -> None:
    seed(tmp_path / "a", class_attempts())
    whole = tmp_path / "class.jsonl"
    export(tmp_path / "a", whole)
    text = whole.read_text(encoding="utf-8")
    if cut == "mid-line":
        broken = text[: len(text) - 30]
        line = len(broken.splitlines())
    else:
        kept = text.splitlines(keepends=True)[:-2]
        broken = "".join(kept)
        line = len(kept) + 1
    bad = tmp_path / "cut.jsonl"
    bad.write_text(broken, encoding="utf-8")
    good = tmp_path / "other.jsonl"
    seed(tmp_path / "c", [make("zed", {"year": 1})])
    export(tmp_path / "c", good)

    result = quiz("scores", "import", str(good), str(bad), home=tmp_path / "b")
    assert result.exit_code == 1
    assert f"cut.jsonl:{line}:" in result.output
    assert "Traceback" not in result.output
    assert stored(tmp_path / "b") == []  # not even the good file's attempt


def test_a_disagreeing_attempt_imports_nothing(tmp_path: Path) -> None:
    original = make("eve", {"year": 1, "who": 1})
    seed(tmp_path / "b", [original])
    changed = AttemptRecord(
        **{
            **original.__dict__,
            "responses": (
                ResponseRecord(
                    BANK, "year", "no", 0.0, 1.0, False, answered_at="2024-04-01T10:00:00+00:00"
                ),
                *original.responses[1:],
            ),
        }
    )
    newcomer = make("fay", {"year": 1})
    seed(tmp_path / "a", [changed, newcomer])
    out = tmp_path / "changed.jsonl"
    export(tmp_path / "a", out)
    result = quiz("scores", "import", str(out), home=tmp_path / "b")
    assert result.exit_code == 1
    assert "nothing was imported" in result.output
    assert [a.user for a in stored(tmp_path / "b")] == ["eve"]
    # The message names the file and line of the attempt at fault.
    line = line_of(out, original.id)
    assert f"{out}:{line}: attempt {original.id}, question {BANK}/year:" in result.output


def line_of(path: Path, attempt_id: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if f'"id":"{attempt_id}"' in text)


def test_an_attempt_stored_for_another_learner_names_its_line(tmp_path: Path) -> None:
    original = make("eve", {"year": 1})
    seed(tmp_path / "b", [original])
    seed(tmp_path / "a", [make("amy", {"year": 1}), replace(original, user="mallory")])
    out = tmp_path / "class.jsonl"
    export(tmp_path / "a", out)
    result = quiz("scores", "import", str(out), home=tmp_path / "b")
    assert result.exit_code == 1
    assert f"Error: {out}:{line_of(out, original.id)}: attempt {original.id}: its 'user'" in (
        result.output
    )
    assert [a.user for a in stored(tmp_path / "b")] == ["eve"]


def test_an_attempt_in_two_files_is_counted_once_added_once_skipped(tmp_path: Path) -> None:
    # alice and bob took a quiz together on one machine: both exports hold that attempt.
    shared = make("alice", {"year": 1, "who": 1})
    files = []
    for name, own in {"alice": 2, "bob": 2, "carol": 2}.items():
        home = tmp_path / name
        attempts = [make(name, {"year": n % 2, "share": 1}) for n in range(own)]
        seed(home, attempts + ([shared] if name in ("alice", "bob") else []))
        files.append(tmp_path / f"{name}.jsonl")
        export(home, files[-1])
    result = quiz("scores", "import", *map(str, files), home=tmp_path / "teacher")
    assert result.exit_code == 0, result.output
    # 8 attempts given, 7 distinct: the second copy is skipped, not lost from the count.
    assert "Imported 3 files: 7 attempts added, 0 grown, 1 skipped" in result.output
    assert len(stored(tmp_path / "teacher")) == 7


def test_copies_of_an_attempt_across_files_grow_it(tmp_path: Path) -> None:
    full = make("dan", {"year": 1, "who": 1, "share": 0})
    first = replace(full, responses=full.responses[:2], status="in_progress", finished_at=None)
    rest = replace(full, responses=full.responses[1:])
    for name, copy in (("one", first), ("two", rest)):
        seed(tmp_path / name, [copy])
        export(tmp_path / name, tmp_path / f"{name}.jsonl")
    files = [str(tmp_path / "one.jsonl"), str(tmp_path / "two.jsonl")]
    result = quiz("scores", "import", *files, home=tmp_path / "teacher")
    assert "1 attempt added, 1 grown, 0 skipped" in result.output
    [merged] = stored(tmp_path / "teacher")
    assert merged.status == "finished"
    assert sorted(r.question_id for r in merged.responses) == ["share", "who", "year"]


def test_import_of_a_missing_file(tmp_path: Path) -> None:
    result = quiz("scores", "import", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 1
    assert "no such file" in result.output


def test_export_filters(tmp_path: Path) -> None:
    seed(
        tmp_path,
        [*class_attempts(), make("ana", {"x": 1}, bank="other-bank", content_hash="o1")],
        [SNAP, OTHER],
    )
    out = tmp_path / "ana.jsonl"
    export(tmp_path, out, "--user", "ana")
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows[0]["attempts"] == 3 and rows[0]["snapshots"] == 2
    assert {r["user"] for r in rows if r.get("type") == "attempt"} == {"ana"}
    export(tmp_path, out, "--bank", "other-bank", "--force")  # -o replaces only with --force
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows[0] == {"format": "quiz-results", "version": 3, "attempts": 1, "snapshots": 1}


def test_export_to_stdout(tmp_path: Path) -> None:
    seed(tmp_path, class_attempts())
    result = quiz("scores", "export", home=tmp_path)
    assert result.exit_code == 0
    assert json.loads(result.output.splitlines()[0])["attempts"] == 4


def test_three_learners_merge_into_one_report(tmp_path: Path) -> None:
    files = []
    for name, scores in {"ana": 1.0, "ben": 0.0, "cho": 1.0}.items():
        home = tmp_path / name
        seed(home, [make(name, {"year": scores, "who": 1, "share": 1 - scores})])
        files.append(tmp_path / f"{name}.jsonl")
        export(home, files[-1])
    teacher = tmp_path / "teacher"
    # (the made-up bank is not on disk to re-grade against: these files are trusted)
    result = quiz("scores", "import", "--trust-scores", *map(str, files), home=teacher)
    assert "Imported 3 files: 3 attempts added" in result.output
    report = quiz("scores", "report", "--by", "user", "--format", "json", home=teacher)
    assert [u["user"] for u in json.loads(report.output)["users"]] == ["ana", "ben", "cho"]
    items = json.loads(
        quiz("scores", "report", BANK, "--by", "question", "--format", "json", home=teacher).output
    )
    year = items["banks"][0]["questions"][0]
    assert (year["question"], year["attempts"], round(year["facility"], 2)) == ("year", 3, 66.67)


# --- reports -------------------------------------------------------------------------------------


def report(home: Path, *args: str) -> Result:
    result = quiz("scores", "report", *args, home=home)
    assert result.exit_code == 0, result.output
    return result


def test_report_by_user_table(tmp_path: Path) -> None:
    seed(tmp_path, class_attempts())
    text = report(tmp_path).output
    assert "ana" in text and "ben" in text and "cho" in text
    assert "100.0%" in text


def test_report_by_question_uses_first_attempts(tmp_path: Path) -> None:
    seed(tmp_path, class_attempts())
    first = json.loads(report(tmp_path, "--by", "question", "--format", "json").output)
    every = json.loads(
        report(tmp_path, "--by", "question", "--format", "json", "--all-attempts").output
    )
    assert first["banks"][0]["attempts"] == 3
    assert every["banks"][0]["attempts"] == 4
    who = first["banks"][0]["questions"][1]
    assert [(o["option"], o["count"]) for o in who["options"]] == [
        ("Kozlov", 1),
        ("Kim", 2),
        ("Lee", 0),
    ]
    table = report(tmp_path, "--by", "question").output
    assert "Cronbach" in table and "Facility" in table


def test_report_by_attempt(tmp_path: Path) -> None:
    seed(tmp_path, class_attempts())
    rows = list(
        csv.reader(io.StringIO(report(tmp_path, "--by", "attempt", "--format", "csv").output))
    )
    assert rows[0][:2] == ["Attempt", "Learner"]
    assert len(rows) == 5


def test_wide_csv_has_one_row_per_learner(tmp_path: Path) -> None:
    seed(
        tmp_path,
        [*class_attempts(), make("ben", {"x": 1}, bank="other-bank", content_hash="o1")],
        [SNAP, OTHER],
    )
    out = tmp_path / "grades.csv"
    report(tmp_path, "--by", "attempt", "--wide", "--format", "csv", "-o", str(out))
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["Learner"] for r in rows] == ["ana", "ben", "cho"]
    assert rows[0] == {"Learner": "ana", "rason-facts": "100.0", "other-bank": ""}
    assert rows[1]["other-bank"] == "100.0"
    last = list(
        csv.DictReader(
            io.StringIO(report(tmp_path, "--wide", "--grade", "last", "--format", "csv").output)
        )
    )
    assert last[0]["rason-facts"] == "0.0"


def test_report_user_filter(tmp_path: Path) -> None:
    seed(tmp_path, class_attempts())
    data = json.loads(report(tmp_path, "--by", "user", "--user", "ben", "--format", "json").output)
    assert [u["user"] for u in data["users"]] == ["ben"]
    items = json.loads(
        report(
            tmp_path, "--by", "question", "--user", "ana", "--all-attempts", "--format", "json"
        ).output
    )
    assert items["banks"][0]["attempts"] == 2


def test_report_takes_its_bank_as_bank_or_as_the_bank_option(tmp_path: Path) -> None:
    """`scores list`, `stats` and `export` take `--bank`: `report` takes it too, as BANK."""
    seed(
        tmp_path,
        [*class_attempts(), make("dee", {"x": 1.0}, content_hash="o1", bank="other-bank")],
        [SNAP, OTHER],
    )
    both = json.loads(report(tmp_path, "--by", "question", "--format", "json").output)
    assert sorted(b["bank"] for b in both["banks"]) == ["other-bank", BANK]
    named = report(tmp_path, "other-bank", "--by", "question", "--format", "json").output
    option = report(tmp_path, "--bank", "other-bank", "--by", "question", "--format", "json")
    assert option.output == named
    assert [b["bank"] for b in json.loads(named)["banks"]] == ["other-bank"]
    assert (
        report(tmp_path, BANK, "--bank", BANK, "--format", "json").output
        == report(tmp_path, BANK, "--format", "json").output
    )
    from quiz.cli import cli

    two = CliRunner().invoke(
        cli, ["--home", str(tmp_path), "scores", "report", BANK, "--bank", "other-bank"]
    )
    assert two.exit_code == 2, two.output
    assert "two banks given" in two.output and "Traceback" not in two.output
    # a bank file's path names its bank: the same bank twice is one bank
    bank_file = tmp_path / "other.yaml"
    bank_file.write_text(
        "id: other-bank\ntitle: Other\nquestions:\n"
        "  - {id: x, kind: text, prompt: X?, answer: x, explanation: Because.}\n",
        encoding="utf-8",
    )
    same = report(tmp_path, str(bank_file), "--bank", "other-bank", "--by", "question")
    assert same.output == report(tmp_path, "--bank", "other-bank", "--by", "question").output


def test_changed_bank_is_noted_in_every_format(tmp_path: Path) -> None:
    seed(
        tmp_path,
        [make("ana", {"year": 1}), make("ben", {"year": 0}, content_hash="v2hash")],
        [SNAP, BankSnapshot(BANK, "v2hash", "Rason facts", SNAP.questions)],
    )
    for by in ("user", "attempt", "question"):
        for fmt_name in ("table", "csv", "json", "md", "html"):
            result = report(tmp_path, "--by", by, "--format", fmt_name)
            # CSV stays a pure table: its note goes to standard error.
            said = result.stderr if fmt_name == "csv" else result.stdout
            assert "changed between attempts" in said, (by, fmt_name)
            if fmt_name == "csv":
                assert "changed" not in result.stdout
                assert result.stdout.startswith(("Learner,", "Attempt,", "Bank,"))


def test_wide_csv_with_a_note_is_still_a_gradebook(tmp_path: Path) -> None:
    seed(
        tmp_path,
        [make("ana", {"year": 1}), make("ben", {"year": 0}, content_hash="v2hash")],
        [SNAP, BankSnapshot(BANK, "v2hash", "Rason facts", SNAP.questions)],
    )
    result = report(tmp_path, "--wide", "--format", "csv")
    assert "Note: bank rason-facts changed between attempts" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows == [{"Learner": "ana", BANK: "100.0"}, {"Learner": "ben", BANK: "0.0"}]
    out = tmp_path / "grades.csv"
    written = report(tmp_path, "--wide", "--format", "csv", "-o", str(out))
    assert "Note: bank rason-facts changed" in written.stderr
    with out.open(newline="", encoding="utf-8") as handle:
        assert list(csv.DictReader(handle)) == rows


def test_csv_report_neutralises_formulas(tmp_path: Path) -> None:
    names = ['=HYPERLINK("x")', "+1", "-1", "@cmd", "\tTAB", "\rCR", "plain"]
    seed(tmp_path, [make(n, {"year": 1, "who": 0}) for n in names])
    rows = list(csv.reader(io.StringIO(report(tmp_path, "--format", "csv").output)))
    cells = [row[0] for row in rows[1:]]
    for cell in cells:
        assert cell == "plain" or cell.startswith("'"), cell
    assert '\'=HYPERLINK("x")' in cells and "'-1" in cells


def test_csv_keeps_negative_numbers_readable(tmp_path: Path) -> None:
    # "share" is right only for those who did worse elsewhere: a negative discrimination.
    seed(
        tmp_path,
        [
            make("a", {"year": 1, "who": 1, "share": 0}),
            make("b", {"year": 1, "who": 0, "share": 0}),
            make("c", {"year": 0, "who": 0, "share": 1}),
        ],
    )
    rows = list(
        csv.DictReader(io.StringIO(report(tmp_path, "--by", "question", "--format", "csv").output))
    )
    share = next(r for r in rows if r["Question"] == "share")
    assert float(share["Discrimination"]) < 0
    assert not share["Discrimination"].startswith("'")


def test_html_report_escapes_names(tmp_path: Path) -> None:
    seed(tmp_path, [make("<script>alert(1)</script>", {"year": 1}), make("bob", {"year": 0})])
    out = tmp_path / "r.html"
    report(tmp_path, "--format", "html", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<svg" in html


def test_table_report_escapes_names(tmp_path: Path) -> None:
    seed(tmp_path, [make("[/x]", {"year": 1}), make("[red]ink[/red]\x1b[2J", {"year": 0})])
    text = report(tmp_path).output
    assert "[/x]" in text
    assert "[red]ink[/red]" in text
    assert "\x1b" not in text


def test_markdown_report(tmp_path: Path) -> None:
    seed(tmp_path, [make("a|b", {"year": 1})])
    text = report(tmp_path, "--format", "md").output
    assert "a\\|b" in text
    assert text.startswith("# Scores by learner")


def test_report_to_a_file(tmp_path: Path) -> None:
    seed(tmp_path, class_attempts())
    out = tmp_path / "report.txt"
    result = report(tmp_path, "-o", str(out))
    assert "Wrote the table report" in result.output
    assert "ana" in out.read_text(encoding="utf-8")


def test_report_for_one_bank_by_path_or_id(tmp_path: Path) -> None:
    seed(
        tmp_path,
        [*class_attempts(), make("zoe", {"x": 1}, bank="other-bank", content_hash="o1")],
        [SNAP, OTHER],
    )
    data = json.loads(report(tmp_path, "other-bank", "--format", "json").output)
    assert [u["user"] for u in data["users"]] == ["zoe"]


def test_unknown_bank(tmp_path: Path) -> None:
    seed(tmp_path, class_attempts())
    result = quiz("scores", "report", "no-such-bank", home=tmp_path)
    assert result.exit_code == 1
    assert "no scores for bank 'no-such-bank'" in result.output


def test_empty_store(tmp_path: Path) -> None:
    for by in ("user", "question", "attempt"):
        result = report(tmp_path, "--by", by)
        assert "No attempts to report." in result.output
    assert report(tmp_path, "--wide", "--format", "csv").stdout.strip() == "Learner"


@pytest.mark.parametrize(
    "args",
    [
        ["--by", "question", "--wide"],
        ["--grade", "best"],
        ["--by", "user", "--all-attempts"],
        ["--format", "xlsx"],
        ["--by", "bank"],
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str]) -> None:
    result = quiz("scores", "report", *args, home=tmp_path)
    assert result.exit_code == 2, result.output


def test_by_user_and_by_attempt_count_the_same_finished_attempts(tmp_path: Path) -> None:
    seed(
        tmp_path,
        [
            make("ana", {"year": 1}),
            make("ana", {"year": 0}),
            make("ben", {"year": 1}),
            replace(make("ben", {"year": 1}), status="in_progress", finished_at=None),
            replace(make("cho", {"year": 1}), mode="study"),
        ],
    )
    by_user = report(tmp_path, "--by", "user").output
    by_attempt = report(tmp_path, "--by", "attempt").output
    # --by attempt lists all 5; both say how many finished attempts (not study) there are.
    assert "Finished attempts: 3" in by_user and "Finished attempts: 3" in by_attempt
    assert "Attempts: 5" in by_attempt and "Study sessions: 1" in by_attempt
    assert "\nAttempts:" not in by_user
    header = next(csv.reader(io.StringIO(report(tmp_path, "--format", "csv").output)))
    assert header[:2] == ["Learner", "Finished attempts"]
    users = json.loads(report(tmp_path, "--format", "json").output)["users"]
    assert [(u["user"], u["finished_attempts"]) for u in users] == [("ana", 2), ("ben", 1)]
    assert "| Learner | Finished attempts |" in report(tmp_path, "--format", "md").output
    assert '<th scope="col" class="num">Finished attempts</th>' in (
        report(tmp_path, "--format", "html").output
    )


# --- terminal tables ----------------------------------------------------------------------------

LONG_BANK = "rason-people-and-places"


def long_ids() -> tuple[list[AttemptRecord], list[BankSnapshot]]:
    questions = tuple(
        QuestionSnapshot(LONG_BANK, qid, "truefalse", f"{qid}?", 1.0, "true", ("x",))
        for qid in ("customs-stopped-publishing", "ships-thought-to-carry", "investment-1991")
    )
    snap = BankSnapshot(LONG_BANK, "lp1", "People and places", questions)
    attempts = []
    for n, name in enumerate(["ana", "ben", "cho", "dan"]):
        scores = {q.question_id: float((i + n) % 2) for i, q in enumerate(questions)}
        attempt = make(name, scores, bank=LONG_BANK, content_hash="lp1")
        attempts.append(
            replace(
                attempt,
                id=str(uuid.uuid4()),
                started_at=f"2024-05-0{n + 1}T09:1{n}:13.123456+00:00",
                finished_at=f"2024-05-0{n + 1}T09:2{n}:59.987654+00:00",
            )
        )
    return attempts, [snap]


def test_table_by_attempt_shows_short_ids_and_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    attempts, snaps = long_ids()
    seed(tmp_path, attempts, snaps)
    out = report(tmp_path, "--by", "attempt").output
    for attempt in attempts:
        assert attempt.id not in out  # the full UUID is for CSV and JSON
        [line] = [line for line in out.splitlines() if attempt.id[:8] in line]
        # One line per attempt: nothing wrapped into a tall cell.
        assert re.search(rf"{NEAR_TIME} ", line), line  # as people read it, whole
        assert LONG_BANK in line
    assert "13.123456" not in out and "T09:" not in out
    # A prefix shown is one `scores show` takes.
    shown = quiz("scores", "show", attempts[0].id[:8], home=tmp_path)
    assert shown.exit_code == 0 and attempts[0].id in shown.output
    # CSV and JSON keep every value whole.
    rows = list(
        csv.DictReader(io.StringIO(report(tmp_path, "--by", "attempt", "--format", "csv").output))
    )
    assert rows[0]["Attempt"] == attempts[0].id
    assert rows[0]["Started"] == "2024-05-01T09:10:13.123456+00:00"


def test_table_by_question_breaks_no_header_and_no_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")  # a page wide enough for every column
    attempts, snaps = long_ids()
    seed(tmp_path, attempts, snaps)
    out = report(tmp_path, "--by", "question").output
    for word in ("Facility", "SD", "Guess", "Discr.", "Check", "Cronbach's", "alpha"):
        assert re.search(rf"(^|\s){re.escape(word)}(\s|$)", out, re.M), word
    assert "Discrimi" not in out.replace("Discr.: discrimination index", "")
    assert "Discr.: discrimination index" in out and "Eff.: discriminative efficiency" in out
    for q in snaps[0].questions:
        assert q.question_id in out
    assert out.count(LONG_BANK) >= 3


def test_piped_tables_are_one_width_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz.ui.terminal import PIPE_WIDTH

    monkeypatch.delenv("COLUMNS", raising=False)
    attempts, snaps = long_ids()
    seed(tmp_path, attempts, snaps)
    outputs = [report(tmp_path, "--by", by).output for by in ("user", "attempt", "question")]
    outputs += [quiz("scores", cmd, home=tmp_path).output for cmd in ("list", "stats")]
    out_file = tmp_path / "report.txt"
    report(tmp_path, "--by", "attempt", "-o", str(out_file))
    outputs.append(out_file.read_text(encoding="utf-8"))
    assert PIPE_WIDTH == 100  # the one width rule: $COLUMNS, else 100
    for out in outputs:
        assert max(len(line) for line in out.splitlines()) <= PIPE_WIDTH
        assert "rason-people-and-pl" not in out.replace(LONG_BANK, "")  # never broken


@pytest.mark.parametrize("width", [80, 100])
def test_a_narrow_terminal_leaves_columns_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    attempts, snaps = long_ids()
    seed(tmp_path, attempts, snaps)
    for by in ("attempt", "question"):
        out = report(tmp_path, "--by", by).output
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= width
        if width == 100:
            assert "Left out to fit the terminal:" in out
        elif by == "attempt":  # too narrow for the columns that must stay: a block per row
            assert "Left out" not in out
            for a in attempts:
                assert "  Finished   " + near_time(a.finished_at) in out
        assert "…" not in out  # nothing cropped either
        for q in snaps[0].questions if by == "question" else ():
            assert q.question_id in out
        for a in attempts if by == "attempt" else ():
            assert a.id[:8] in out
