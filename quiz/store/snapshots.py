"""Bank versions as the store keeps them: the one encoder and decoder of a snapshot's questions,
reading and saving snapshots, and the index reports use to find a question's newest view."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from quiz.store import dialect, totals
from quiz.times import utc_now

if TYPE_CHECKING:  # (made where they are read: listing attempts reads no bank version)
    from quiz.store.records import AttemptRecord, BankSnapshot, QuestionSnapshot

_COLUMNS = "bank_id, content_hash, title, questions"


def encode_questions(snapshot: BankSnapshot) -> str:
    from quiz.store.records import question_snapshot_dict

    return json.dumps([question_snapshot_dict(q) for q in snapshot.questions], ensure_ascii=False)


def decode_questions(bank_id: str, text: str) -> tuple[QuestionSnapshot, ...]:
    from quiz.store.records import QuestionSnapshot

    return tuple(
        QuestionSnapshot(
            bank_id=bank_id,
            question_id=str(q["question_id"]),
            kind=str(q["kind"]),
            prompt=str(q["prompt"]),
            max_score=float(q["max_score"]),
            expected=str(q["expected"]),
            tags=tuple(q.get("tags") or ()),
            options=tuple(q.get("options") or ()),
            answers=tuple(q.get("answers") or ()),
            difficulty=q.get("difficulty"),
            grading=str(q.get("grading") or ""),
            explanation=str(q.get("explanation") or ""),
            # (versions saved before snapshots kept credits and formats have neither)
            credits=tuple((str(t), float(c)) for t, c in q.get("credits") or ()),
            formats=tuple((str(t), str(f)) for t, f in q.get("formats") or ()),
        )
        for q in json.loads(text)
    )


def _from_row(row: Sequence[Any]) -> BankSnapshot:
    from quiz.store.records import BankSnapshot

    return BankSnapshot(row[0], row[1], row[2], decode_questions(row[0], row[3]))


def read(
    conn: dialect.Connection,
    keys: Iterable[tuple[str, str]] | None = None,
    bank_ids: Iterable[str] | None = None,
) -> list[BankSnapshot]:
    """Stored versions (those with these (bank id, content hash) keys, or of these banks), by
    bank id, then oldest first (so the last one per bank is the newest seen)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM snapshots ORDER BY bank_id, saved_at, content_hash"
    ).fetchall()
    wanted = None if keys is None else set(keys)
    banks = None if bank_ids is None else set(bank_ids)
    return [
        _from_row(row)
        for row in rows
        if (wanted is None or (row[0], row[1]) in wanted) and (banks is None or row[0] in banks)
    ]


def newest(conn: dialect.Connection, bank_id: str) -> BankSnapshot | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM snapshots WHERE bank_id = ?"
        " ORDER BY saved_at DESC, content_hash DESC LIMIT 1",
        (bank_id,),
    ).fetchone()
    return None if row is None else _from_row(row)


def save(conn: dialect.Connection, snapshot: BankSnapshot) -> None:
    """Keep this bank version (idempotent on bank id + content hash), inside a write."""
    key = (snapshot.bank_id, snapshot.content_hash)
    row = conn.execute(
        "SELECT questions FROM snapshots WHERE bank_id = ? AND content_hash = ?", key
    ).fetchone()
    if row is not None:
        # A handout's version is stored without right answers; the instructor's graded copy
        # of it (handed back) brings them.
        stored = decode_questions(snapshot.bank_id, row[0])
        filled = not any(q.expected for q in stored) and any(q.expected for q in snapshot.questions)
        if filled or _gains_credits(stored, snapshot.questions):
            conn.execute(
                "UPDATE snapshots SET questions = ? WHERE bank_id = ? AND content_hash = ?",
                (encode_questions(snapshot), *key),
            )
        return
    conn.execute(
        "INSERT INTO snapshots (bank_id, content_hash, title, questions, saved_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (*key, snapshot.title, encode_questions(snapshot), utc_now()),
    )
    known = {
        (row[0], row[1])
        for row in conn.execute(
            "SELECT question_id, tag FROM question_tags WHERE bank_id = ?", (snapshot.bank_id,)
        )
    }
    new_tags = [
        q for q in snapshot.questions if any((q.question_id, t) not in known for t in q.tags)
    ]
    if new_tags:
        totals.insert_tags(conn, new_tags)
        # Attempts that answered those questions before these tags were known.
        ids = conn.execute(
            "SELECT DISTINCT attempt_id FROM responses WHERE bank_id = ?", (snapshot.bank_id,)
        ).fetchall()
        totals.refresh(conn, [row[0] for row in ids])


def _gains_credits(stored: Sequence[QuestionSnapshot], new: Sequence[QuestionSnapshot]) -> bool:
    """Whether a version saved before snapshots kept credits is saved again with them: the
    same questions grading alike (the same bank grading hashes), none with credits before."""
    return (
        not any(q.credits or q.formats for q in stored)
        and any(q.credits for q in new)
        and [(q.question_id, q.grading) for q in stored]
        == [(q.question_id, q.grading) for q in new]
        and all(q.grading.startswith("sha256:") for q in stored)
    )


def tag_every_snapshot(conn: dialect.Connection) -> None:
    """Record the tags of every stored version (migration m003)."""
    for bank_id, questions in conn.execute("SELECT bank_id, questions FROM snapshots").fetchall():
        totals.insert_tags(conn, decode_questions(bank_id, questions))


def add_grading_field(conn: dialect.Connection) -> None:
    """Write every stored version's questions again, each with its (unknown) grading hash
    (migration m004)."""
    from quiz.store.records import BankSnapshot

    for bank_id, content_hash, questions in conn.execute(
        "SELECT bank_id, content_hash, questions FROM snapshots"
    ).fetchall():
        snapshot = BankSnapshot(bank_id, content_hash, "", decode_questions(bank_id, questions))
        conn.execute(
            "UPDATE snapshots SET questions = ? WHERE bank_id = ? AND content_hash = ?",
            (encode_questions(snapshot), bank_id, content_hash),
        )


class SnapshotIndex:
    """The questions of every bank version known, the newest version's view winning."""

    def __init__(
        self,
        snapshots: Iterable[BankSnapshot],
        attempts: Iterable[AttemptRecord] = (),
        uses: Iterable[tuple[str, str, str]] = (),
    ):
        """`uses`: (bank id, content hash, start) of attempts, as `attempts` gives them."""
        by_key = {(s.bank_id, s.content_hash): s for s in snapshots}
        # A version is newer when an attempt that used it started later; unused ones come first.
        last_used: dict[tuple[str, str], str] = {}
        used = [(b, h, a.started_at) for a in attempts for b, h in a.banks]
        for bank_id, content_hash, started_at in [*used, *uses]:
            key = (bank_id, content_hash)
            if key in by_key and last_used.get(key, "") < started_at:
                last_used[key] = started_at
        ordered = sorted(
            by_key.values(), key=lambda s: last_used.get((s.bank_id, s.content_hash), "")
        )
        self.titles: dict[str, str] = {}
        self.questions: dict[tuple[str, str], QuestionSnapshot] = {}
        self.order: dict[str, list[str]] = {}
        for snapshot in ordered:  # oldest first: newer versions overwrite
            self.titles[snapshot.bank_id] = snapshot.title
            order = self.order.setdefault(snapshot.bank_id, [])
            newest = [q.question_id for q in snapshot.questions]
            in_newest = set(newest)  # a set: linear in the questions of every version
            order[:] = newest + [qid for qid in order if qid not in in_newest]
            for question in snapshot.questions:
                self.questions[(question.bank_id, question.question_id)] = question

    def max_of(self, bank_id: str, question_id: str) -> float:
        question = self.questions.get((bank_id, question_id))
        return question.max_score if question is not None else 1.0

    def question(self, bank_id: str, question_id: str) -> QuestionSnapshot | None:
        return self.questions.get((bank_id, question_id))

    def title(self, bank_id: str) -> str:
        return self.titles.get(bank_id, bank_id)
