"""The Python API behind `import quiz`: load a bank, grade, open the store, read attempts.

The same functions the CLI uses, without click and without printing: errors are `quiz.errors`
exceptions (`BankError` lists every problem of a bank, each located). Everything here is imported
when first used (see `quiz/__init__.py`), so `import quiz` and `quiz --help` stay light.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.bank.model import Bank, Question
    from quiz.kinds import Grade
    from quiz.store import Store
    from quiz.store.records import AttemptRecord


def load_bank(path: str | os.PathLike[str]) -> Bank:
    """A bank from a YAML file; `BankError` (every problem, located) if it is not valid."""
    from quiz.bank.loader import load_bank as load

    return load(Path(path))


def find_bank(name: str) -> Bank:
    """A bank by id or path, looked up as `quiz take` does (./ID.yaml, QUIZ_BANKS, bundled)."""
    from quiz.bank.catalog import Catalog

    return Catalog().resolve(name)


def grade(question: Question, response: object, *, points: float | None = None) -> Grade:
    """Grade one response as the quiz does: typed text for text, number and date questions,
    an option's text for choice, a list for multi and order, a mapping for match."""
    from quiz.kinds import grade as grade_response

    if question is None:  # as `bank.question("no-such-id")` returns
        raise TypeError("grade() needs a question: bank.question(id) found none with that id")
    return grade_response(question, response, points=points)


def open_store(home: str | os.PathLike[str] | None = None) -> Store:
    """The score store in `home` (default: QUIZ_DB's class store if set, else QUIZ_HOME, else
    the platform user-data dir); `home` may also be a class store's `postgresql://` URL.

    Use it as a context manager: `with quiz.open_store() as store: store.attempts()`.
    """
    from quiz.paths import database_url, home_dir, is_database_url
    from quiz.store import Store

    if is_database_url(home):
        return Store.open(str(home))
    if home is None:
        try:
            url = database_url()
        except ValueError as exc:
            from quiz.errors import UsageProblem

            raise UsageProblem(str(exc)) from None
        if url is not None:
            return Store.open(url)
    return Store.open(home_dir(home))


def attempts(
    user: str | None = None, home: str | os.PathLike[str] | None = None
) -> list[AttemptRecord]:
    """Every recorded attempt (of one user, if given), newest first, with its responses."""
    with open_store(home) as store:
        return list(store.attempts(user=user))
