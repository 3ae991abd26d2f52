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


def only_own(store: Store, user: str | None) -> None:
    """On a class store a learner's role reads its own rows only (the server holds it to
    them): `--user` naming anyone else is refused (UsageProblem), as `quiz take --user` is,
    rather than silently showing the learner's own rows as someone else's."""
    if user is None or store.class_role != "learner":
        return
    role = store.role()
    if user != role:
        from quiz.errors import UsageProblem
        from quiz.sanitize import clean_line

        raise UsageProblem(
            f"on a class store you see your own scores only, as your role {clean_line(role)}:"
            f" --user {clean_line(user)!r} (someone else's) is for the instructor"
        )


def waiting_answers(store: Store) -> int:
    """On a class store, as a learner: how many of their answers wait for the instructor's
    grading (0 elsewhere)."""
    if store.class_role != "learner":
        return 0
    from quiz.store.classroom import waiting_answers as count

    return store.run(count, write=False)
