"""Study cards: one per (user, bank id, question id); the scheduler's state is opaque JSON here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from quiz.store import dialect
from quiz.times import normalize_time, utc_now


@dataclass(frozen=True)
class CardRow:
    bank_id: str
    question_id: str
    due: str  # ISO 8601, UTC
    state: str  # the scheduler's card, as JSON
    reviews: int


_KEY = ("user_name", "bank_id", "question_id")
_UPDATED = ("due", "state", "reviewed_at")


def read(conn: dialect.Connection, user: str, bank_ids: Sequence[str] | None) -> list[CardRow]:
    """This user's cards (in these banks), soonest due first."""
    sql = "SELECT bank_id, question_id, due, state, reviews FROM cards WHERE user_name = ?"
    params: list[object] = [user]
    if bank_ids is not None:
        if not bank_ids:
            return []
        sql += f" AND bank_id IN ({dialect.marks(len(bank_ids))})"
        params.extend(bank_ids)
    sql += " ORDER BY due, bank_id, question_id"
    return [CardRow(*row) for row in conn.execute(sql, params)]


def update(
    conn: dialect.Connection,
    user: str,
    bank_id: str,
    question_id: str,
    compute: Callable[[str | None], tuple[str, str]],
) -> None:
    """Read this card's state (None if new), compute (due, new state), store them (inside the
    caller's write transaction)."""
    row = conn.execute(
        "SELECT state FROM cards WHERE user_name = ? AND bank_id = ? AND question_id = ?",
        (user, bank_id, question_id),
    ).fetchone()
    due, state = compute(None if row is None else row[0])
    assignments = [f"{c} = {dialect.excluded(c)}" for c in _UPDATED]
    conn.execute(
        "INSERT INTO cards (user_name, bank_id, question_id, due, state, reviewed_at,"
        " reviews) VALUES (?, ?, ?, ?, ?, ?, 1)"
        + dialect.on_conflict_update(
            _KEY, ", ".join([*assignments, "reviews = cards.reviews + 1"])
        ),
        (user, bank_id, question_id, normalize_time(due), state, utc_now()),
    )


def delete_user(conn: dialect.Connection, user: str) -> int:
    """Delete this user's cards; how many there were."""
    return int(conn.execute("DELETE FROM cards WHERE user_name = ?", (user,)).rowcount)
