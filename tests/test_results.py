"""The portable results file (quiz.formats.results): writing, and parsing that trusts nothing."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from quiz.errors import ResultsFileError
from quiz.formats.results import (
    needed_snapshots,
    parse_many,
    parse_results,
    parse_results_text,
    results_lines,
)
from quiz.store.records import AttemptRecord, BankSnapshot, QuestionSnapshot, ResponseRecord

SNAP = BankSnapshot(
    "facts",
    "abc123",
    "Facts",
    (
        QuestionSnapshot("facts", "q1", "choice", "Which?", 1.0, "A", ("t",), ("A", "B"), ("A",)),
        QuestionSnapshot("facts", "q2", "match", "Pair", 2.0, "x → y", (), ("y", "z")),
    ),
)


def attempt(user: str = "alice", n: int = 1, **changes: Any) -> AttemptRecord:
    base = AttemptRecord(
        id=str(uuid.UUID(int=n)),
        user=user,
        banks=(("facts", "abc123"),),
        mode="take",
        started_at="2024-05-01T09:00:00.000000+00:00",
        status="finished",
        finished_at="2024-05-01T09:05:00.000000+00:00",
        seed=7,
        plan=(("facts", "q1"), ("facts", "q2")),
        responses=(
            ResponseRecord("facts", "q1", "A", 1.0, 1.0, True, 3.5, "2024-05-01T09:01:00+00:00"),
            ResponseRecord("facts", "q2", {"x": "y", "w": "z"}, 2.0, 2.0, True, None, None),
        ),
    )
    return AttemptRecord(**{**base.__dict__, **changes})


def text_of(attempts: list[AttemptRecord], snapshots: list[BankSnapshot] | None = None) -> str:
    return "".join(line + "\n" for line in results_lines(attempts, snapshots or [SNAP]))


def lines_of(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def rebuild(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(row) + "\n" for row in rows)


def test_round_trip() -> None:
    attempts = [attempt(), attempt("bob", 2, responses=(), status="in_progress", finished_at=None)]
    parsed = parse_results_text(text_of(attempts), "r.jsonl")
    assert list(parsed.attempts) == attempts
    assert list(parsed.snapshots) == [SNAP]


def test_the_header_counts_attempts_and_snapshots() -> None:
    header = lines_of(text_of([attempt(), attempt(n=2)]))[0]
    assert header == {"format": "quiz-results", "version": 3, "attempts": 2, "snapshots": 1}


def test_needed_snapshots_are_those_the_attempts_used() -> None:
    other = BankSnapshot("other", "zzz", "Other", ())
    assert needed_snapshots([attempt()], [other, SNAP]) == [SNAP]


def test_a_file_cut_at_a_line_boundary_is_an_error() -> None:
    text = text_of([attempt(), attempt(n=2), attempt(n=3)])
    cut = "".join(text.splitlines(keepends=True)[:-1])
    with pytest.raises(ResultsFileError) as caught:
        parse_results_text(cut, "class.jsonl")
    message = str(caught.value)
    assert message.startswith("class.jsonl:5: ")
    assert "promises 3 attempts" in message and "has 2" in message


def test_a_file_cut_mid_line_is_an_error() -> None:
    text = text_of([attempt(), attempt(n=2)])
    cut = text[: len(text) - 40]
    with pytest.raises(ResultsFileError) as caught:
        parse_results_text(cut, "class.jsonl")
    assert str(caught.value).startswith("class.jsonl:4: not valid JSON")


def test_a_json_error_says_what_and_at_which_column() -> None:
    text = text_of([attempt()])
    last = text.splitlines()[-1]
    start = last.index('"user":"alice"') + len('"user":"al')
    with pytest.raises(ResultsFileError) as caught:
        parse_results_text(text[: text.index(last) + start], "class.jsonl")
    column = start - len('"al') + 1  # where the string began, counted from 1
    assert str(caught.value) == (
        f"class.jsonl:3: not valid JSON: unterminated string at column {column};"
        " was the file cut short?"
    )
    lines = text.splitlines()
    lines[1] = lines[1][:-1] + ",}"
    with pytest.raises(ResultsFileError) as caught:
        parse_results_text("\n".join(lines) + "\n", "class.jsonl")
    message = str(caught.value)
    assert message.startswith("class.jsonl:2: not valid JSON: expecting property name")
    assert message.endswith(f"at column {len(lines[1])}")  # not the last line: no "cut short"


def test_snapshots_cut_off_are_an_error() -> None:
    rows = lines_of(text_of([attempt()]))
    rows[0]["snapshots"] = 2
    with pytest.raises(ResultsFileError, match=r":3: expected 2 snapshots before the attempts"):
        parse_results_text(rebuild(rows))


def mutate(change: Any) -> str:
    rows = lines_of(text_of([attempt()]))
    change(rows)
    return rebuild(rows)


@pytest.mark.parametrize(
    ("change", "line", "fragment"),
    [
        (lambda r: r[0].update(format="other"), 1, "not a quiz results file"),
        (lambda r: r[0].update(version=4), 1, "version 4 is not supported (this quiz reads 1, 2"),
        (lambda r: r[0].update(attempts="1"), 1, "whole number"),
        (lambda r: r[0].update(extra=1), 1, "unknown key"),
        (lambda r: r[2].update(type="nope"), 3, "'type' must be"),
        (lambda r: r[2].update(id="not-a-uuid"), 3, "must be a UUID"),
        (lambda r: r[2].update(user=""), 3, "must not be empty"),
        (lambda r: r[2].update(user=5), 3, "'user' must be text, not a number"),
        (lambda r: r[2].update(mode="hack"), 3, "'mode' must be one of"),
        (lambda r: r[2].update(status="done"), 3, "'status' must be one of"),
        (lambda r: r[2].update(started_at="yesterday"), 3, "not an ISO 8601 time"),
        (lambda r: r[2].update(seed="7"), 3, "'seed' must be a whole number"),
        (lambda r: r[2].update(banks=[["facts"]]), 3, "pairs"),
        (lambda r: r[2].pop("responses"), 3, "missing 'responses'"),
        (lambda r: r[2].update(responses={}), 3, "'responses' must be a list"),
        (lambda r: r[2]["responses"][0].update(score="1"), 3, "'score' must be a number"),
        (lambda r: r[2]["responses"][0].update(score=True), 3, "'score' must be a number"),
        (lambda r: r[2]["responses"][0].update(score=5), 3, "between 0 and max_score"),
        (lambda r: r[2]["responses"][0].update(score=-1), 3, "between 0 and max_score"),
        (lambda r: r[2]["responses"][0].update(correct="yes"), 3, "true or false"),
        (lambda r: r[2]["responses"][0].update(response=[1, 2]), 3, "'response' must be"),
        (lambda r: r[2]["responses"][0].update(response={"a": 1}), 3, "'response' must be"),
        (lambda r: r[2]["responses"][0].update(bank="elsewhere"), 3, "not among the attempt's"),
        (lambda r: r[2]["responses"][0].update(seconds=-2), 3, "'seconds' must be between 0 and"),
        (lambda r: r[2]["responses"][0].update(hack=1), 3, "unknown key"),
        (lambda r: r[1].update(questions={}), 2, "'questions' must be a list"),
        (lambda r: r[1]["questions"][0].update(kind="essay"), 2, "'kind' must be one of"),
        (lambda r: r[1]["questions"][0].update(max_score=-1), 2, "'max_score' must be >= 0"),
        (lambda r: r[1]["questions"][0].update(options="A"), 2, "list of texts"),
        (lambda r: r[1]["questions"].append(r[1]["questions"][0]), 2, "appears twice"),
        (lambda r: r.insert(3, r[2]), 4, "more attempts than the header's 1"),
        (lambda r: r.insert(2, r[1]), 3, "more snapshots than the header's 1"),
        (lambda r: r.append(r[1]), 4, "snapshots must come before the attempts"),
    ],
)
def test_every_problem_is_located(change: Any, line: int, fragment: str) -> None:
    with pytest.raises(ResultsFileError) as caught:
        parse_results_text(mutate(change), "r.jsonl")
    message = str(caught.value)
    assert message.startswith(f"r.jsonl:{line}: "), message
    assert fragment in message, message


def test_repeated_attempt_in_one_file_is_an_error() -> None:
    rows = lines_of(text_of([attempt(), attempt(n=2)]))
    rows[3]["id"] = rows[2]["id"]
    with pytest.raises(ResultsFileError, match=r"r.jsonl:4: attempt .* repeats line 3"):
        parse_results_text(rebuild(rows), "r.jsonl")


def test_blank_lines_nan_and_bad_json() -> None:
    text = text_of([attempt()])
    with pytest.raises(ResultsFileError, match=r":2: blank line"):
        parse_results_text(text.replace("\n", "\n\n", 1))
    with pytest.raises(ResultsFileError, match=r":3: not valid JSON"):
        parse_results_text(text.replace('"score":1.0', '"score":NaN', 1))
    with pytest.raises(ResultsFileError, match=r":1: empty file"):
        parse_results_text("")
    with pytest.raises(ResultsFileError, match=r":1: not a quiz results file"):
        parse_results_text("[1, 2]\n")


def test_messages_do_not_carry_terminal_escapes() -> None:
    hostile = "\x1b]0;pwned\x07\x1b[2Jevil"
    with pytest.raises(ResultsFileError) as caught:
        parse_results_text(mutate(lambda r: r[2].update(mode=hostile)), "r.jsonl")
    assert "\x1b" not in str(caught.value) and "\x07" not in str(caught.value)
    assert "evil" in str(caught.value)


def test_strings_are_kept_as_data() -> None:
    # Not altered when parsed (they are data); whoever shows them sanitises them.
    # (a user name with a control character is refused: tests/test_hardening.py)
    odd = attempt(user="<b>[/x]")
    assert parse_results_text(text_of([odd])).attempts[0].user == odd.user


def test_files_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(text_of([attempt()]), encoding="utf-8")
    assert len(parse_results(path).attempts) == 1
    with pytest.raises(ResultsFileError, match="no such file"):
        parse_results(tmp_path / "missing.jsonl")
    (tmp_path / "bin.jsonl").write_bytes(b'{"format": "quiz-results"}\n\xff\xfe\n')
    with pytest.raises(ResultsFileError, match=r"bin.jsonl:2: not UTF-8"):
        parse_results(tmp_path / "bin.jsonl")
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + text_of([attempt()]).encode())
    assert len(parse_results(bom).attempts) == 1


def test_parse_many_keeps_every_copy_with_its_place(tmp_path: Path) -> None:
    shorter = attempt(responses=attempt().responses[:1], status="in_progress", finished_at=None)
    (tmp_path / "a.jsonl").write_text(text_of([shorter]), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(text_of([attempt(), attempt("bob", 2)]), encoding="utf-8")
    batch = parse_many([tmp_path / "a.jsonl", tmp_path / "b.jsonl"])
    # Both copies of alice's attempt go to the store, which counts the second as grown (or
    # skipped): "3 attempts given" is what the import reports on.
    assert [a.user for a in batch.attempts] == ["alice", "alice", "bob"]
    assert [len(a.responses) for a in batch.attempts] == [1, 2, 2]
    assert batch.origins == (
        f"{tmp_path / 'a.jsonl'}:3",
        f"{tmp_path / 'b.jsonl'}:3",
        f"{tmp_path / 'b.jsonl'}:4",
    )
    assert batch.snapshots == (SNAP,)


def test_parse_many_refuses_copies_that_disagree(tmp_path: Path) -> None:
    changed = attempt()
    first = changed.responses[0]
    other = AttemptRecord(
        **{
            **changed.__dict__,
            "responses": (
                ResponseRecord("facts", "q1", "B", 0.0, 1.0, False),
                *changed.responses[1:],
            ),
        }
    )
    assert first.response == "A"
    (tmp_path / "a.jsonl").write_text(text_of([changed]), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(text_of([other]), encoding="utf-8")
    with pytest.raises(ResultsFileError, match="disagrees") as caught:
        parse_many([tmp_path / "a.jsonl", tmp_path / "b.jsonl"])
    # Where: the file and line of the copy at fault, and of the one it contradicts.
    assert str(caught.value).startswith(f"{tmp_path / 'b.jsonl'}:3: attempt ")
    assert (
        f"its copy at {tmp_path / 'a.jsonl'}:3 (question facts/q1, its 'response': 'A' against 'B')"
        in str(caught.value)
    )


def test_copies_by_different_learners_disagree(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(text_of([attempt("alice")]), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(text_of([attempt("bob", 9), attempt("mallory")]), "utf-8")
    with pytest.raises(ResultsFileError) as caught:
        parse_many([tmp_path / "a.jsonl", tmp_path / "b.jsonl"])
    assert str(caught.value).startswith(f"{tmp_path / 'b.jsonl'}:4: ")
    assert "'user' 'alice' against 'mallory'" in str(caught.value)
