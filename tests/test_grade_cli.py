"""`quiz grade BANK SHEET`: answer sheets read as written, located errors, JSON, recording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quiz.bank.loader import load_bank
from quiz.bank.sheet import load_sheet_bytes, responses_for
from quiz.cli import cli
from quiz.errors import AnswerSheetError
from quiz.store import Store

BANKS = Path(__file__).parent / "data" / "banks"
MINI = str(BANKS / "mini.yaml")

ALL_RIGHT = """\
bank: mini
user: alice
answers:
  capital: paris
  primes: ["2", "3"]
  sky: no
  author: shakespeare
  barrels: 67.3k barrels
  moon: 1969
  pairs: {France: Paris, Italy: Rome, Spain: Madrid}
  sizes:
    - mouse
    - cat
    - horse
"""


def grade(tmp_path: Path, sheet: str, *args: str, name: str = "sheet.yaml") -> Result:
    path = tmp_path / name
    path.write_text(sheet, encoding="utf-8")
    return CliRunner().invoke(cli, ["grade", MINI, str(path), *args])


def test_all_right(tmp_path: Path, quiz_home: Path) -> None:
    result = grade(tmp_path, ALL_RIGHT)
    assert result.exit_code == 0, result.output
    assert "Score: 8/8 (100%)" in result.output
    assert "answered by alice" in result.output
    for qid in ("capital", "primes", "sky", "author", "barrels", "moon", "pairs", "sizes"):
        assert qid in result.output
    with Store.open(quiz_home) as store:
        [attempt] = store.attempts()
    assert attempt.mode == "grade" and attempt.user == "alice" and attempt.status == "finished"
    assert len(attempt.responses) == 8 and attempt.score == 8
    assert f"Recorded as attempt {attempt.id[:8]}." in result.output


def test_json_shape(tmp_path: Path) -> None:
    sheet = ALL_RIGHT.replace("capital: paris", "capital: Lyon").replace("  moon: 1969\n", "")
    result = grade(tmp_path, sheet, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"bank", "user", "score", "max_score", "questions"}
    assert (data["bank"], data["user"], data["score"], data["max_score"]) == ("mini", "alice", 6, 8)
    assert [q["id"] for q in data["questions"]] == [q.id for q in load_bank(MINI).questions]
    for question in data["questions"]:
        assert set(question) == {"id", "score", "max_score", "correct", "response", "expected"}
    by_id = {q["id"]: q for q in data["questions"]}
    assert by_id["capital"] == {
        "id": "capital",
        "score": 0.0,
        "max_score": 1.0,
        "correct": False,
        "response": "Lyon",
        "expected": "Paris",
    }
    assert by_id["moon"]["response"] is None and by_id["moon"]["score"] == 0  # missing: 0
    assert by_id["sky"]["response"] == "no"  # read as written, not YAML 1.1's False
    assert by_id["pairs"]["response"] == {"France": "Paris", "Italy": "Rome", "Spain": "Madrid"}
    assert by_id["sizes"]["response"] == ["mouse", "cat", "horse"]
    assert by_id["primes"]["correct"] is True


def test_partial_credit_is_not_correct(tmp_path: Path) -> None:
    sheet = "answers:\n  primes: ['2']\n  sizes: [cat, mouse, horse]\n"
    data = json.loads(grade(tmp_path, sheet, "--json", "--no-record").stdout)
    by_id = {q["id"]: q for q in data["questions"]}
    assert by_id["primes"]["score"] == 0.5 and by_id["primes"]["correct"] is False
    assert by_id["sizes"]["score"] == 0.5 and by_id["sizes"]["correct"] is False
    assert data["score"] == 1.0


def test_unknown_question_is_a_located_error(tmp_path: Path, quiz_home: Path) -> None:
    sheet = "bank: mini\nanswers:\n  capital: Paris\n  capitol: Paris\n  zzz: 1\n"
    result = grade(tmp_path, sheet)
    assert result.exit_code == 1
    path = tmp_path / "sheet.yaml"
    assert f"{path}:4:3: unknown question id 'capitol'" in result.output
    assert "did you mean 'capital'" in result.output
    assert f"{path}:5:3:" in result.output
    assert "Traceback" not in result.output
    assert not (quiz_home / "scores.db").exists() or not Store.open(quiz_home).attempts()


@pytest.mark.parametrize(
    ("sheet", "where", "words"),
    [
        ("answers:\n  capital: [Paris, Lyon]\n", "2:12", "must be a single value"),
        ("answers:\n  pairs: Paris\n", "2:10", "must be a mapping"),
        ("answers:\n  sizes: mouse\n", "2:10", "must be a list"),
        ("bank: other\nanswers: {}\n", "1:7", "not 'mini'"),
        ("answers: {capital: Paris}\nextra: 1\n", "2:1", "unknown key 'extra'"),
        ("bank: mini\n", "1:1", "no 'answers'"),
        ("answers:\n  capital: Paris\n  capital: Lyon\n", "3:3", "given twice"),
        ("answers:\n  capital: [unclosed\n", "3:1", "YAML syntax error"),
        ("answers:\n  primes: &a ['2']\n  sizes: *a\n", "2:11", "aliases"),
        ("answers:\n  capital: !!python/object:os.system Paris\n", "2:12", "tag"),
        ("- just\n- a list\n", "1:1", "must be a mapping"),
        ("", "1:1", "empty"),
    ],
)
def test_malformed_sheets(tmp_path: Path, sheet: str, where: str, words: str) -> None:
    result = grade(tmp_path, sheet)
    assert result.exit_code == 1, result.output
    assert f"sheet.yaml:{where}:" in result.output
    assert words in result.output


def test_missing_sheet_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["grade", MINI, str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1 and "nope.yaml" in result.output


def test_who_answered(tmp_path: Path, quiz_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def user_of(sheet: str, *args: str) -> str:
        data = json.loads(grade(tmp_path, sheet, "--json", *args).stdout)
        return str(data["user"])

    assert user_of(ALL_RIGHT, "--user", "bob") == "bob"  # --user beats the sheet
    assert user_of(ALL_RIGHT) == "alice"  # the sheet beats QUIZ_USER
    no_user = ALL_RIGHT.replace("user: alice\n", "")
    assert user_of(no_user) == "tester"  # QUIZ_USER
    result = CliRunner().invoke(
        cli, ["--user", "carol", "grade", MINI, str(tmp_path / "sheet.yaml"), "--json"]
    )
    assert json.loads(result.stdout)["user"] == "carol"
    with Store.open(quiz_home) as store:
        users = [a.user for a in store.attempts()]
    assert sorted(users) == ["alice", "bob", "carol", "tester"]


def test_no_record(tmp_path: Path, quiz_home: Path) -> None:
    result = grade(tmp_path, ALL_RIGHT, "--no-record")
    assert result.exit_code == 0
    assert "Recorded" not in result.output
    assert not (quiz_home / "scores.db").exists()


def test_table_shows_answers_and_right_answers(tmp_path: Path) -> None:
    # (a user name with a control character is refused: tests/test_hardening.py)
    sheet = 'user: eve\nanswers:\n  capital: "Lyon\\e]0;owned\\a\\e[2J"\n'
    result = grade(tmp_path, sheet, "--no-record")
    assert result.exit_code == 0, result.output
    assert "answer given: Lyon" in result.output
    assert "right answer: Paris" in result.output
    assert "answer given: (no answer)" in result.output
    assert "Score: 0/8 (0%)" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_scalars_are_read_as_written() -> None:
    sheet = load_sheet_bytes(b"answers:\n  author: no\n  moon: 1969-07-20\n  barrels: 1:30\n")
    responses = responses_for(sheet, load_bank(MINI))
    assert responses == {"author": "no", "moon": "1969-07-20", "barrels": "1:30"}


def test_empty_answer_is_missing() -> None:
    sheet = load_sheet_bytes(b"answers:\n  author:\n  primes: '2'\n")
    assert responses_for(sheet, load_bank(MINI)) == {"author": None, "primes": ["2"]}
    with pytest.raises(AnswerSheetError):
        responses_for(load_sheet_bytes(b"answers:\n  sizes: {a: b}\n"), load_bank(MINI))


def test_an_empty_answer_is_not_answered_not_wrong(tmp_path: Path, quiz_home: Path) -> None:
    # `id: ""`, a blank text, an empty list or mapping: nothing was written, so the question
    # is not answered (0, like one left out), neither wrong nor an unreadable answer; blank
    # items of a list are left out.
    sheet = (
        "answers:\n"
        '  capital: ""\n'
        '  author: "   "\n'
        "  primes: []\n"
        "  pairs: {}\n"
        '  sizes: ["", mouse, cat, horse]\n'
        '  sky: "no"\n'
    )
    assert responses_for(load_sheet_bytes(sheet.encode()), load_bank(MINI)) == {
        "capital": None,
        "author": None,
        "primes": None,
        "pairs": None,
        "sizes": ["mouse", "cat", "horse"],
        "sky": "no",
    }
    result = grade(tmp_path, sheet)
    assert result.exit_code == 0, result.output
    assert "Answered 2 of 8 questions; 6 not answered (scored 0)." in result.output
    assert "unreadable" not in result.output.lower() and "Wrong" not in result.output
    with Store.open(quiz_home) as store:
        [attempt] = store.attempts()
    skipped = {r.question_id for r in attempt.responses if r.skipped}
    assert {"capital", "author", "primes", "pairs"} <= skipped
    assert attempt.score == 2


def test_the_grade_use_case_takes_an_empty_answer_for_none() -> None:
    from quiz.app.attempts import Sheet, grade_sheet

    bank = load_bank(MINI)
    graded = grade_sheet(Sheet(bank, None, {"capital": "", "primes": []}), "ann", None)
    by_id = {r.question_id: r for r in graded.summary.results}
    assert by_id["capital"].skipped and by_id["capital"].response is None
    assert by_id["primes"].skipped and not by_id["capital"].unreadable


def help_example() -> str:
    """The answer sheet printed by `quiz grade --help`, exactly as shown."""
    result = CliRunner().invoke(cli, ["grade", "--help"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "bank: rason-figures")
    indent = len(lines[start]) - len(lines[start].lstrip())
    block = []
    for line in lines[start:]:
        if not line.strip():
            break
        block.append(line[indent:])
    return "\n".join(block) + "\n"


def test_the_help_example_grades_as_printed(tmp_path: Path, quiz_home: Path) -> None:
    sheet = help_example()
    assert "answers:" in sheet
    path = tmp_path / "alice.yaml"
    path.write_text(sheet, encoding="utf-8")
    result = CliRunner().invoke(cli, ["grade", "rason-figures", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["bank"] == "rason-figures" and data["user"] == "alice"
    given = {q["id"]: q for q in data["questions"] if q["response"] is not None}
    written = [line.split(":")[0].strip() for line in sheet.split("answers:")[1].splitlines()]
    assert sorted(given) == sorted(w for w in written if w)
    assert all(q["correct"] for q in given.values())  # the example's answers are right
    assert data["score"] == len(given)


def test_left_out_questions_are_counted_as_not_answered(tmp_path: Path) -> None:
    sheet = "answers:\n  capital: Paris\n  sizes: [horse, cat, mouse]\n"
    result = grade(tmp_path, sheet, "--no-record")
    assert result.exit_code == 0, result.output
    assert "Answered 2 of 8 questions; 6 not answered (scored 0)." in result.output
    assert result.output.count("→ Skipped") == 6
    assert "answer given: horse → cat → mouse" in result.output  # an order, as its answer
    everything = grade(tmp_path, ALL_RIGHT, "--no-record")
    assert "Answered 8 of 8 questions." in everything.output


UNREADABLE = ALL_RIGHT.replace("capital: paris", "capital: 7").replace(
    "moon: 1969", "moon: twenty-nine"
)


def test_unreadable_answers_are_located_warnings(tmp_path: Path, quiz_home: Path) -> None:
    result = grade(tmp_path, UNREADABLE)
    assert result.exit_code == 0, result.output
    path = str(tmp_path / "sheet.yaml")
    assert f"{path}:4:12: warning: [capital] unreadable answer, scored 0" in result.stderr
    assert f"{path}:9:9: warning: [moon] unreadable answer, scored 0" in result.stderr
    assert "Unreadable answer" in result.output and "Score: 6/8" in result.output
    with Store.open(quiz_home) as store:
        [attempt] = store.attempts()
    assert attempt.score == 6


def test_strict_fails_on_an_unreadable_answer_and_records_nothing(
    tmp_path: Path, quiz_home: Path
) -> None:
    result = grade(tmp_path, UNREADABLE, "--strict")
    assert result.exit_code == 1, result.output
    assert "warning: [capital] unreadable answer" in result.output
    assert "nothing graded" in result.output
    with Store.open(quiz_home) as store:
        assert store.attempts() == []
    assert grade(tmp_path, ALL_RIGHT, "--strict").exit_code == 0
