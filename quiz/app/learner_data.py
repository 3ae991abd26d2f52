"""What a learner has stored: what `scores delete --user` would remove."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.store import Store


@dataclass(frozen=True)
class UserData:
    """What deleting a learner's data would remove."""

    user: str
    attempts: int
    cards: int


def user_data(store: Store, user: str) -> UserData:
    """How many attempts and study cards a learner has; NotFound if none at all."""
    from quiz.errors import NotFound
    from quiz.sanitize import clean_line

    data = UserData(user, len(store.summaries(user=user)), len(store.cards(user)))
    if not data.attempts and not data.cards:
        raise NotFound(f"no scores or study cards for user {clean_line(user)!r}")
    return data
