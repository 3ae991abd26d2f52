"""Each kind's `report_response`: the response analysis counts responses normalised the way
the grader compares them, so two responses it counts as one are graded alike."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.bank.loader import load_bank_text
from quiz.kinds import find_kind, grade, registered
from quiz.kinds.base import ReportPart
from quiz.store.records import QuestionSnapshot, snapshot_of
from tests import strategies
from tests.class_gen import BANK_YAML

BANK = load_bank_text(BANK_YAML, "class-exam.yaml")
SNAPSHOT = {q.question_id: q for q in snapshot_of(BANK).questions}
QUESTIONS = {q.id: q for q in BANK.questions}


def parts(qid: str, response: Any) -> tuple[ReportPart, ...]:
    snapshot = SNAPSHOT[qid]
    kind = find_kind(snapshot.kind)
    assert kind is not None
    return kind.report_response(snapshot, response)


def test_every_kind_fills_the_place() -> None:
    for kind in registered():
        assert callable(kind.report_response), kind.name


@pytest.mark.parametrize(
    ("qid", "spellings", "key", "text"),
    [
        ("port-choice", ["Rason", " rason", "RASON"], "Rason", "Rason"),
        ("partners-multi", [["Russia", "China"], ["china", "russia"], "Russia; China"], None, None),
        ("sez-truefalse", ["yes", "True", "t", "Y.", True], "true", "true"),
        ("leader-text", ["Kim Jong-un", "kim jong un", "KIM JONG-UN"], "kimjongun", None),
        ("share-number", ["97%", "97 %"], "97%", "97%"),
        ("share-number", ["67,300", "67.3k", "67 300"], "67300", "67300"),
        ("month-date", ["Dec 2022", "2022-12", "December, 2022"], "2022-12", "2022-12"),
    ],
)
def test_spellings_of_one_response_count_once(
    qid: str, spellings: list[Any], key: str | None, text: str | None
) -> None:
    found = [parts(qid, s) for s in spellings]
    assert all(len(p) == 1 and p[0].part == "" for p in found)
    assert len({p[0].key for p in found}) == 1, found
    if key is not None:
        assert found[0][0].key == key
    if text is not None:
        assert found[0][0].text == text
    grades = {grade(QUESTIONS[qid], s).score for s in spellings}
    assert len(grades) == 1


def test_match_is_counted_per_left_item() -> None:
    found = parts("places-match", {"Rason": "river", "Tumen": "port", "Khasan": " Station"})
    assert [(p.part, p.text, p.right) for p in found] == [
        ("Rason", "river", False),
        ("Tumen", "port", False),
        ("Khasan", "station", True),  # as the grader finds the option
    ]
    pairs = parts("places-match", [["Rason", "port"], ["Tumen", "river"]])
    assert [(p.part, p.right) for p in pairs] == [("Rason", True), ("Tumen", True)]


def test_order_is_counted_per_position() -> None:
    found = parts("steps-order", ["build", "Survey", "open"])
    assert [(p.part, p.text, p.right) for p in found] == [
        ("position 1", "build", False),
        ("position 2", "survey", False),
        ("position 3", "open", True),
    ]
    assert [p.text for p in parts("steps-order", "survey -> build -> open")] == [
        "survey",
        "build",
        "open",
    ]


def test_unreadable_responses_are_counted_as_typed() -> None:
    assert [p.text for p in parts("month-date", "sometime  in winter")] == ["sometime in winter"]
    assert [p.text for p in parts("share-number", "lots")] == ["lots"]
    assert parts("leader-text", "   ") == ()


RESPONSES = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=30),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.text(max_size=10), max_size=4),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
    st.lists(st.lists(st.text(max_size=5), min_size=2, max_size=2), max_size=3),
)


@given(bank=strategies.banks(), response=RESPONSES)
def test_report_response_never_raises(bank: Any, response: Any) -> None:
    for question in snapshot_of(bank).questions:
        kind = find_kind(question.kind)
        assert kind is not None
        for part in kind.report_response(question, response):
            assert isinstance(part.part, str) and isinstance(part.key, str)
            assert isinstance(part.text, str) and part.right in (None, True, False)


def _variants(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from(
        [text, text.upper(), text.lower(), f"  {text} ", text.replace(" ", "-"), text + "."]
    )


@given(data=st.data(), bank=strategies.banks())
def test_responses_counted_as_one_are_graded_alike(data: st.DataObject, bank: Any) -> None:
    snapshots: dict[str, QuestionSnapshot] = {q.question_id: q for q in snapshot_of(bank).questions}
    for question in bank.questions:
        if question.kind in ("match", "order", "multi"):
            continue  # counted by part: a part's key does not decide the whole grade
        kind = find_kind(question.kind)
        assert kind is not None
        seed = data.draw(
            st.sampled_from([kind.expected_text(question), "wrong answer", "2022-12", "67,300"])
        )
        first = data.draw(_variants(seed))
        second = data.draw(_variants(seed))
        a = kind.report_response(snapshots[question.id], first)
        b = kind.report_response(snapshots[question.id], second)
        if a and b and a[0].key == b[0].key:
            assert grade(question, first).score == grade(question, second).score, (
                question,
                first,
                second,
            )
