"""A generated class for the report tests: 30 learners (40 attempts) on a bank of every kind,
with planted bad questions, graded by the real grader.

Learner n (0..29) gets a normal question right when n reaches the question's threshold (the
stronger learners are the later ones), so normal questions discriminate well. Planted:
- `reversed-key`: right only for the weakest learners (n < 12): a negative discrimination;
- `giveaway`: everybody right: facility 100%, discrimination undefined;
- `coin-flip`: right for even n: a discrimination near 0.
Each response is written in one of several spellings that the grader reads as the same answer
(`Dec 2022`, `2022-12`, `December, 2022`), and the generator records what each one means, so
that the response analysis can be checked against what was given. Learners 0..9 take the quiz a
second time, later, and get everything right but the reversed key.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quiz.bank.loader import load_bank_text
from quiz.bank.model import Bank
from quiz.kinds import grade
from quiz.store import Store
from quiz.store.records import AttemptRecord, BankSnapshot, ResponseRecord, snapshot_of

BANK_ID = "class-exam"
LEARNERS = 30
RETAKERS = 10

BANK_YAML = """
id: class-exam
title: Class exam
questions:
  - id: port-choice
    kind: choice
    prompt: Which port gives the zone its name?
    answer: Rason
    distractors: [Sonbong, Chongjin]
  - id: partners-multi
    kind: multi
    prompt: Which two countries trade through the zone?
    answers: [Russia, China]
    distractors: [Japan, Mongolia]
  - id: sez-truefalse
    kind: truefalse
    prompt: Is Rason a special economic zone?
    answer: true
  - id: leader-text
    kind: text
    prompt: Who visited the zone, according to the article?
    answer: Kim Jong-un
  - id: share-number
    kind: number
    prompt: What share of the trade came from China?
    answer: 97
    unit: "%"
  - id: month-date
    kind: date
    prompt: In which month did the shipments resume?
    answer: 2022-11
  - id: places-match
    kind: match
    prompt: Match each place to what it is.
    pairs: [[Rason, port], [Tumen, river], [Khasan, station]]
  - id: steps-order
    kind: order
    prompt: Put the steps in order.
    items: [survey, build, open]
  - id: reversed-key
    kind: choice
    prompt: A question whose key is wrong.
    answer: Keyed
    distractors: [Actually right, Other]
  - id: giveaway
    kind: truefalse
    prompt: A question everybody gets right.
    answer: true
  - id: coin-flip
    kind: choice
    prompt: A question answered as if by a coin.
    answer: Heads
    distractors: [Tails]
"""

THRESHOLDS = {
    "port-choice": 6,
    "partners-multi": 9,
    "sez-truefalse": 4,
    "leader-text": 12,
    "share-number": 15,
    "month-date": 23,  # facility about 23%: Dec 2022 is the common wrong answer
    "places-match": 10,
    "steps-order": 14,
}
PLANTED = ("reversed-key", "giveaway", "coin-flip")

# (response, what the response analysis should count: [(part, canonical)]) by kind, right and
# wrong, in several spellings; n picks one.
RIGHT: dict[str, list[tuple[Any, list[tuple[str, str]]]]] = {
    "port-choice": [("Rason", [("", "Rason")]), (" rason ", [("", "Rason")])],
    "partners-multi": [
        (["Russia", "China"], [("", "Russia; China")]),
        (["china", "Russia"], [("", "Russia; China")]),
    ],
    "sez-truefalse": [("yes", [("", "true")]), ("True", [("", "true")]), ("t", [("", "true")])],
    "leader-text": [
        ("Kim Jong-un", [("", "kimjongun")]),
        ("kim jong un", [("", "kimjongun")]),
        ("KIM JONG UN", [("", "kimjongun")]),
    ],
    "share-number": [("97%", [("", "97%")]), ("97 %", [("", "97%")])],
    "month-date": [("Nov 2022", [("", "2022-11")]), ("2022-11", [("", "2022-11")])],
    "places-match": [
        (
            {"Rason": "port", "Tumen": "river", "Khasan": "station"},
            [("Rason", "port"), ("Tumen", "river"), ("Khasan", "station")],
        )
    ],
    "steps-order": [
        (
            ["survey", "build", "open"],
            [("position 1", "survey"), ("position 2", "build"), ("position 3", "open")],
        )
    ],
    "reversed-key": [("Keyed", [("", "Keyed")])],
    "giveaway": [("true", [("", "true")]), ("yes", [("", "true")])],
    "coin-flip": [("Heads", [("", "Heads")])],
}
WRONG: dict[str, list[tuple[Any, list[tuple[str, str]]]]] = {
    "port-choice": [("Sonbong", [("", "Sonbong")]), ("Chongjin", [("", "Chongjin")])],
    "partners-multi": [
        (["Russia", "Japan"], [("", "Russia; Japan")]),
        (["japan", "russia"], [("", "Russia; Japan")]),
    ],
    "sez-truefalse": [("no", [("", "false")]), ("False", [("", "false")])],
    "leader-text": [("Kim Jong-il", [("", "kimjongil")]), ("kim jong il", [("", "kimjongil")])],
    "share-number": [("67,300", [("", "67300")]), ("67.3k", [("", "67300")])],
    "month-date": [
        ("Dec 2022", [("", "2022-12")]),
        ("2022-12", [("", "2022-12")]),
        ("December, 2022", [("", "2022-12")]),
    ],
    "places-match": [
        (
            {"Rason": "river", "Tumen": "port", "Khasan": "station"},
            [("Rason", "river"), ("Tumen", "port"), ("Khasan", "station")],
        )
    ],
    "steps-order": [
        (
            ["build", "survey", "open"],
            [("position 1", "build"), ("position 2", "survey"), ("position 3", "open")],
        )
    ],
    "reversed-key": [("Actually right", [("", "Actually right")])],
    "giveaway": [],
    "coin-flip": [("Tails", [("", "Tails")])],
}


def right_for(question_id: str, n: int) -> bool:
    if question_id == "reversed-key":
        return n < 12
    if question_id == "giveaway":
        return True
    if question_id == "coin-flip":
        return n % 2 == 0
    return n >= THRESHOLDS[question_id]


@dataclass
class GeneratedClass:
    bank: Bank
    snapshot: BankSnapshot
    attempts: list[AttemptRecord]
    # what each attempt's responses mean: attempt id -> question id -> [(part, canonical)]
    meant: dict[str, dict[str, list[tuple[str, str]]]] = field(default_factory=dict)

    def expected_counts(self, attempt_ids: set[str]) -> dict[str, Counter[tuple[str, str]]]:
        """Per question, how often each (part, canonical response) was given."""
        found: dict[str, Counter[tuple[str, str]]] = {}
        for attempt_id, questions in self.meant.items():
            if attempt_id in attempt_ids:
                for qid, parts in questions.items():
                    found.setdefault(qid, Counter()).update(parts)
        return found

    def first_attempts(self) -> set[str]:
        firsts: dict[str, AttemptRecord] = {}
        for a in sorted(self.attempts, key=lambda a: a.started_at):
            firsts.setdefault(a.user, a)
        return {a.id for a in firsts.values()}


def make_class() -> GeneratedClass:
    bank = load_bank_text(BANK_YAML, "class-exam.yaml")
    snapshot = snapshot_of(bank)
    made = GeneratedClass(bank, snapshot, [])
    for n in range(LEARNERS):
        _attempt(made, n, f"2024-06-01T09:{n:02d}:00+00:00", retake=False)
    for n in range(RETAKERS):
        _attempt(made, n, f"2024-06-02T10:{n:02d}:00+00:00", retake=True)
    return made


def _attempt(made: GeneratedClass, n: int, started: str, *, retake: bool) -> None:
    attempt_id = str(uuid.UUID(int=(n + 1) * 1000 + retake))
    responses = []
    meant: dict[str, list[tuple[str, str]]] = {}
    for q in made.bank.questions:
        right = right_for(q.id, n) or (retake and q.id != "reversed-key")
        choices = RIGHT[q.id] if right else WRONG[q.id]
        response, parts = choices[n % len(choices)]
        graded = grade(q, response)
        assert graded.correct == right, (q.id, response)
        responses.append(
            ResponseRecord(BANK_ID, q.id, response, graded.score, graded.max_score, graded.correct)
        )
        meant[q.id] = parts
    made.meant[attempt_id] = meant
    made.attempts.append(
        AttemptRecord(
            id=attempt_id,
            user=f"learner{n:02d}",
            banks=((BANK_ID, made.snapshot.content_hash),),
            mode="take",
            started_at=started,
            status="finished",
            finished_at=started.replace("T09", "T09").replace(":00+", ":30+"),
            plan=tuple((BANK_ID, q.id) for q in made.bank.questions),
            responses=tuple(responses),
        )
    )


def seed_class(home: Path) -> GeneratedClass:
    made = make_class()
    with Store.open(home) as store:
        store.merge(made.attempts, [made.snapshot])
    return made
