"""Spaced repetition: FSRS cards in the store (scheduler fuzzing off)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler

from quiz.app import study
from quiz.bank.model import Bank, TextQuestion
from quiz.store import Store
from quiz.store.records import BankSnapshot, QuestionSnapshot

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def bank(bank_id: str = "b1", n: int = 4) -> BankSnapshot:
    return BankSnapshot(
        bank_id,
        "h1",
        "Bank",
        tuple(
            QuestionSnapshot(bank_id, f"q{i}", "text", f"Q{i}?", 1.0, "a") for i in range(1, n + 1)
        ),
    )


@pytest.fixture
def store(store_location: Path | str):  # type: ignore[no-untyped-def]
    """The store, on SQLite and on PostgreSQL."""
    with Store.open(store_location) as opened:
        yield opened


def stored_card(store: Store, user: str, question: str) -> Card:
    (row,) = [c for c in store.cards(user) if c.question_id == question]
    return Card.from_dict(json.loads(row.state))


@pytest.mark.parametrize(
    ("fraction", "rating"),
    [
        (1.0, Rating.Good),
        (0.999999999999, Rating.Good),
        (0.5, Rating.Hard),
        (0.01, Rating.Hard),
        (0.0, Rating.Again),
        (-1.0, Rating.Again),
    ],
)
def test_ratings(fraction: float, rating: Rating) -> None:
    assert study.rating_for(fraction) == rating


@pytest.mark.parametrize(
    ("fraction", "rating"), [(1.0, Rating.Good), (0.5, Rating.Hard), (0.0, Rating.Again)]
)
def test_review_follows_the_scheduler(store: Store, fraction: float, rating: Rating) -> None:
    due = study.review(store, "alice", "b1", "q1", fraction, T0)
    expected, _ = Scheduler(enable_fuzzing=False).review_card(Card(), rating, T0)
    assert due == expected.due
    card = stored_card(store, "alice", "q1")
    assert (card.state, card.step, card.due) == (expected.state, expected.step, expected.due)


def test_wrong_is_due_before_right(store: Store) -> None:
    wrong = study.review(store, "alice", "b1", "q1", 0.0, T0)
    right = study.review(store, "alice", "b1", "q2", 1.0, T0)
    partial = study.review(store, "alice", "b1", "q3", 0.5, T0)
    assert wrong < partial < right
    # Long after, all three are due: the most overdue (the wrong one) first, then new ones.
    later = T0 + timedelta(days=30)
    assert study.due_questions(store, "alice", [bank()], 10, later) == [
        ("b1", "q1"),
        ("b1", "q3"),
        ("b1", "q2"),
        ("b1", "q4"),
    ]


def test_due_first_then_new_in_bank_order(store: Store) -> None:
    banks = [bank("b1"), bank("b2", 2)]
    assert study.due_questions(store, "alice", banks, 3, T0) == [
        ("b1", "q1"),
        ("b1", "q2"),
        ("b1", "q3"),
    ]
    study.review(store, "alice", "b2", "q2", 0.0, T0)
    study.review(store, "alice", "b1", "q1", 1.0, T0)
    # Right after: nothing is due yet, so the new questions come, in bank order.
    assert study.due_questions(store, "alice", banks, None, T0 + timedelta(seconds=1)) == [
        ("b1", "q2"),
        ("b1", "q3"),
        ("b1", "q4"),
        ("b2", "q1"),
    ]
    soon = T0 + timedelta(minutes=2)  # the wrong one (1 minute step) is due, the right not
    assert study.due_questions(store, "alice", banks, 2, soon) == [("b2", "q2"), ("b1", "q2")]
    assert study.due_questions(store, "alice", banks, 0, soon) == []
    # Another learner has no cards; a question gone from the bank is ignored.
    assert study.due_questions(store, "bob", banks, 1, soon) == [("b1", "q1")]
    assert study.due_questions(store, "alice", [bank("b2", 1)], None, soon) == [("b2", "q1")]


def test_model_banks_are_accepted_and_drafts_skipped(store: Store) -> None:
    model = Bank(
        id="m",
        title="M",
        questions=(
            TextQuestion(id="a", prompt="A?", answer="x"),
            TextQuestion(id="b", prompt="B?", answer="x", draft=True),
            TextQuestion(id="c", prompt="C?", answer="x"),
        ),
    )
    assert study.due_questions(store, "alice", [model], 5, T0) == [("m", "a"), ("m", "c")]


def test_state_survives_closing_and_reopening(store_location: Path | str) -> None:
    scheduler = Scheduler(enable_fuzzing=False)
    expected, _ = scheduler.review_card(Card(), Rating.Good, T0)
    second_time = T0 + timedelta(minutes=15)
    expected, _ = scheduler.review_card(expected, Rating.Good, second_time)

    with Store.open(store_location) as store:
        study.review(store, "alice", "b1", "q1", 1.0, T0)
    with Store.open(store_location) as store:
        due = study.review(store, "alice", "b1", "q1", 1.0, second_time)
    with Store.open(store_location) as store:
        (row,) = store.cards("alice")
        assert row.reviews == 2
        card = stored_card(store, "alice", "q1")
    assert due == expected.due == card.due
    assert card.stability == pytest.approx(expected.stability)
    assert card.difficulty == pytest.approx(expected.difficulty)
    assert card.due > T0 + timedelta(days=1)  # graduated to review


def test_forecast(store: Store) -> None:
    now = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)

    def put(question: str, due: datetime) -> None:
        store.update_card("alice", "b1", question, lambda _: (due.isoformat(), "{}"))

    put("q1", now - timedelta(days=3))  # overdue: today
    put("q2", now + timedelta(hours=5))  # today
    put("q3", now + timedelta(hours=20))  # tomorrow
    put("q4", now + timedelta(days=4))  # this week
    put("q5", now + timedelta(days=30))  # later
    store.update_card("alice", "other", "q1", lambda _: (now.isoformat(), "{}"))
    store.update_card("bob", "b1", "q1", lambda _: (now.isoformat(), "{}"))
    assert study.forecast(store, "alice", ["b1"], now) == {"today": 2, "tomorrow": 1, "week": 4}
    assert study.forecast(store, "alice", [], now) == {"today": 0, "tomorrow": 0, "week": 0}


def test_deleting_a_user_deletes_cards(store: Store) -> None:
    study.review(store, "alice", "b1", "q1", 1.0, T0)
    study.review(store, "bob", "b1", "q1", 1.0, T0)
    assert store.delete_user("alice") == 0
    assert store.cards("alice") == []
    assert len(store.cards("bob")) == 1
