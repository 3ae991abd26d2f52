"""Every line of SQL: schema and named migrations, opening, attempts, queries, merging results.

Imported only by commands that read or write scores (sqlite3 is not on `quiz --help`'s path).
"""

from quiz.store.store import Store

__all__ = ["Store"]
