"""An import grades each distinct (question, points, response) once (`regrade._grade_once`):
every grade equals the grader's own, and what is remembered stays bounded."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.app import regrade
from quiz.app.regrade import InstructorBanks, grade_response
from quiz.kinds import grade
from quiz.store.records import ResponseRecord

BANK = """id: memo
title: Memo
questions:
  - id: c
    kind: choice
    prompt: Which?
    answer: Russia
    distractors: [China, Japan]
  - id: n
    kind: number
    prompt: How many?
    answer: 67300
    tolerance: 5%
    points: 2
  - id: m
    kind: multi
    prompt: Which ones?
    answers: [coal, oil]
    distractors: [gold]
  - id: t
    kind: text
    prompt: Who?
    answer: Kozlov
"""

RESPONSES = {
    "c": ["Russia", "China", "russia", "", "Japan"],
    "n": ["67300", "67000", "5", "about 1000", "6.73e4"],
    "m": [["coal", "oil"], ["oil", "coal"], ["gold"], [], ["coal"]],
    "t": ["Kozlov", "kozlov", "Ivanov", " Kozlov "],
}


def _graded(banks: InstructorBanks, qid: str, value: object) -> ResponseRecord:
    response = ResponseRecord("memo", qid, value, 0.0, 1.0, False)  # type: ignore[arg-type]
    return grade_response(banks, response, "", "", by_id=True)


def test_remembered_grades_equal_the_graders(tmp_path: Path) -> None:
    path = tmp_path / "memo.yaml"
    path.write_text(BANK, encoding="utf-8")
    banks = InstructorBanks([path])
    bank = banks._given["memo"][0]
    questions = {q.id: q for q in bank.questions}
    for _ in range(3):  # the second and third times come from memory
        for qid, values in RESPONSES.items():
            for value in values:
                got = _graded(banks, qid, value)
                want = grade(questions[qid], value, points=bank.points(questions[qid]))
                assert (got.score, got.max_score, got.correct, got.graded) == (
                    want.score,
                    want.max_score,
                    want.correct,
                    True,
                ), (qid, value)
    assert banks.grades  # remembered


def test_memory_of_grades_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regrade, "GRADES_KEPT", 5)
    path = tmp_path / "memo.yaml"
    path.write_text(BANK, encoding="utf-8")
    banks = InstructorBanks([path])
    for n in range(50):
        got = _graded(banks, "t", f"name {n}")
        assert not got.correct
        assert len(banks.grades) <= 5
    assert _graded(banks, "t", "Kozlov").correct
