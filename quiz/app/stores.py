"""Opening the score store as every command gets it: its own module, light to import, since
every `scores` command opens one and few need the rest of `quiz.app.attempts`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.store import Store


def open_store(home: Path | str) -> Store:
    """The score store in `home` (created on first use), or the class store at this
    `postgresql://` URL (its instructor's grade step run first: `quiz.app.classroom.opened`)."""
    from quiz.store import Store

    store = Store.open(home)
    if store.class_role is None:
        return store
    from quiz.app.classroom import opened

    return opened(store)
