"""Every line of SQL: schema and named migrations, opening, attempts, queries, merging results.

`Store` (in `store`) is the one interface; its methods return plain frozen records: `records`
(attempts, responses, bank versions), `summaries` (`scores list`), `report_records` (reports),
`merge.MergeResult` and `cards.CardRow`. What is particular to SQLite is in `dialect`, to
PostgreSQL in `dialect_pg`. Imported only by commands that read or write
scores (sqlite3 is not on `quiz --help`'s path).
"""

from quiz.store.store import Store

__all__ = ["Store"]
