"""Spaced repetition for `quiz study`, with the FSRS scheduler (the `fsrs` package).

One card per (user, bank id, question id), kept in the score store as the scheduler's own
JSON. A question answered with full marks is rated Good, with partial credit Hard, with
nothing Again. `fsrs` is imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from quiz.times import normalize_time

if TYPE_CHECKING:
    from fsrs import Rating

    from quiz.store import Store


def _now(now: datetime | None) -> datetime:
    moment = now or datetime.now(timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _bank_questions(bank: Any) -> tuple[str, list[str]]:
    """(bank id, question ids in bank order) of a `Bank` or a `BankSnapshot`."""
    if hasattr(bank, "bank_id"):
        return bank.bank_id, [q.question_id for q in bank.questions]
    return bank.id, [q.id for q in bank.questions if not getattr(q, "draft", False)]


def rating_for(grade_fraction: float) -> Rating:
    """Full marks: Good; partial credit: Hard; nothing: Again."""
    from fsrs import Rating

    if math.isnan(grade_fraction) or grade_fraction <= 0:
        return Rating.Again
    if grade_fraction >= 1 or math.isclose(grade_fraction, 1.0):
        return Rating.Good
    return Rating.Hard


def scheduler() -> Any:
    """The scheduler quiz uses: FSRS defaults, fuzzing off (the same answers, the same dates)."""
    from fsrs import Scheduler

    return Scheduler(enable_fuzzing=False)


def due_questions(
    store: Store,
    user: str,
    banks: Iterable[Any],
    count: int | None,
    now: datetime | None = None,
) -> list[tuple[str, str]]:
    """What to study now, as (bank id, question id): due cards first (most overdue first),
    then questions never studied, in bank order; at most `count` (None: all of them).

    `banks` are `Bank`s or `BankSnapshot`s; cards of questions no longer in them are ignored."""
    moment = normalize_time(_now(now))
    order: list[tuple[str, str]] = []
    for bank in banks:
        bank_id, question_ids = _bank_questions(bank)
        order.extend((bank_id, q) for q in question_ids)
    present = set(order)
    cards = store.cards(user, sorted({b for b, _ in order}))
    seen = {(c.bank_id, c.question_id) for c in cards}
    due = [
        (c.bank_id, c.question_id)
        for c in cards  # soonest due first: most overdue first
        if c.due <= moment and (c.bank_id, c.question_id) in present
    ]
    new = [key for key in order if key not in seen]
    chosen = due + new
    return chosen if count is None else chosen[: max(0, count)]


def review(
    store: Store,
    user: str,
    bank_id: str,
    question_id: str,
    grade_fraction: float,
    now: datetime | None = None,
) -> datetime:
    """Rate one answer and store the card's new state; returns when it is next due."""
    from fsrs import Card

    moment = _now(now)
    rating = rating_for(grade_fraction)
    result: dict[str, datetime] = {}

    def update(state: str | None) -> tuple[str, str]:
        import json

        card = Card() if state is None else Card.from_dict(json.loads(state))
        card, _log = scheduler().review_card(card, rating, moment)
        result["due"] = card.due
        return normalize_time(card.due), json.dumps(card.to_dict())

    store.update_card(user, bank_id, question_id, update)
    return result["due"]


def forecast(
    store: Store, user: str, bank_ids: Sequence[str], now: datetime | None = None
) -> dict[str, int]:
    """Cards due today (including overdue ones), tomorrow, and within the next 7 days
    (today and tomorrow included). Days are calendar days in `now`'s time zone (default:
    the local one)."""
    moment = now or datetime.now(timezone.utc).astimezone()
    if moment.tzinfo is None:
        moment = moment.astimezone()
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = normalize_time(midnight + timedelta(days=1))
    day_after = normalize_time(midnight + timedelta(days=2))
    week = normalize_time(moment + timedelta(days=7))
    counts = {"today": 0, "tomorrow": 0, "week": 0}
    for card in store.cards(user, list(bank_ids)):
        if card.due < tomorrow:
            counts["today"] += 1
        elif card.due < day_after:
            counts["tomorrow"] += 1
        if card.due < week:
            counts["week"] += 1
    return counts
