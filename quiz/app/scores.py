"""A learner's scores: which attempts are stored, and per-group stats.

One attempt replayed (`scores show`) is `quiz.app.replays`; what deleting a learner's data
removes, `quiz.app.learner_data`: a command builds only the classes it uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.app.stores import only_own

if TYPE_CHECKING:
    from quiz.reports.learner import GroupStats
    from quiz.store import Store
    from quiz.store.summaries import AttemptPage, AttemptSummary


def open_existing(home: Path | str) -> Store | None:
    """The store, or None when nothing was ever recorded (reading creates no file). `home`
    may be a class store's URL: that store is opened."""
    import os

    from quiz.paths import is_database_url
    from quiz.store.store import Store, check_home

    if is_database_url(home):
        from quiz.app.classroom import opened

        return opened(Store.open(home))
    check_home(home)
    if not os.path.lexists(Store.path_for(home)):  # a broken link is refused by Store.open
        return None
    return Store.open(home)


def summaries(
    home: Path | str, *, user: str | None, bank: str | None, limit: int | None
) -> list[AttemptSummary] | None:
    """Attempts, newest first; None when no store exists yet."""
    store = open_existing(home)
    if store is None:
        return None
    with store:
        return store.summaries(user=user, bank=bank, limit=limit)


def attempt_page(
    home: Path | str,
    *,
    user: str | None,
    bank: str | None,
    limit: int | None = None,
    offset: int = 0,
    count: bool = True,
) -> AttemptPage | None:
    """`scores list`: the attempts that hold an answer (an empty attempt says nothing), newest
    first, `limit` of them from `offset`, with how many there are in all (`count=False`: not
    counted beyond the page, for output that says nothing of the rest); None when no store
    exists yet. Only the page is read from the store."""
    store = open_existing(home)
    if store is None:
        return None
    with store:
        only_own(store, user)
        return store.attempt_page(user=user, bank=bank, limit=limit, offset=offset, count=count)


def stats(home: Path | str, *, user: str | None, bank: str | None) -> list[GroupStats] | None:
    """Per bank and per tag statistics; None when no store exists yet."""
    counted = counted_stats(home, user=user, bank=bank)
    return None if counted is None else counted[0]


@dataclass(frozen=True)
class Counted:
    """The attempts `scores stats` counts: those that hold an answer (the ones `scores list
    --all` lists), and how many of them are unfinished (in progress or set aside)."""

    attempts: int
    unfinished: int


def counted_stats(
    home: Path | str, *, user: str | None, bank: str | None
) -> tuple[list[GroupStats], Counted] | None:
    """Per bank and per tag statistics, and the attempts they count; None when no store
    exists yet."""
    from quiz.reports.learner import collect

    store = open_existing(home)
    if store is None:
        return None
    with store:
        only_own(store, user)
        groups = collect(store, user=user, bank=bank)
        return groups, Counted(*store.attempt_counts(user=user, bank=bank))
