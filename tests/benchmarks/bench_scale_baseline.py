"""The baselines of bench_scale.py: each `scores` command's work done the simplest way.

Run by bench_scale.py as a whole process, like `quiz`:
    python bench_scale_baseline.py WORK STORE_FILE [FILE] [BANK_FILE]
- stats, list: bare SQL over the stored per-attempt scores, each row printed;
- by-user: the same, and each tag's mastery from every learner's latest response to each
  question (the window query the report's definition asks for);
- by-question, all-attempts: a bare per-question aggregate over the responses;
- export: a paged query, each attempt written as one JSON line as it is read;
- import: each line parsed, each response graded by the public grader (`quiz.kinds.grade`, as
  the import re-grades), the rows `executemany`d into the same tables of a fresh store.
"""

from __future__ import annotations

import json
import sqlite3
import sys

PAGE = 200


def stats(conn: sqlite3.Connection) -> None:
    for row in conn.execute(
        "SELECT scope, bank_id, tag, COUNT(*), SUM(finished), SUM(score), SUM(max_score),"
        " SUM(answered), MAX(CASE WHEN finished = 1 AND max_score > 0 THEN score / max_score END)"
        " FROM attempt_scores GROUP BY scope, bank_id, tag"
    ):
        print(*row)
    for row in conn.execute(
        "SELECT bank_id, question_id, COUNT(*), SUM(score < max_score) FROM responses"
        " GROUP BY bank_id, question_id ORDER BY 4 DESC LIMIT 3"
    ):
        print(*row)


def by_user(conn: sqlite3.Connection) -> None:
    for row in conn.execute(
        "SELECT user_name, COUNT(*), MAX(score * 100.0 / max_score), AVG(score * 100.0 / max_score)"
        " FROM attempt_scores WHERE scope = 'bank' AND finished = 1 AND max_score > 0"
        " GROUP BY user_name ORDER BY user_name"
    ):
        print(*row)
    # Mastery of a tag: each learner's latest response to each question (a window query).
    for row in conn.execute(
        "SELECT l.user_name, t.tag, SUM(l.score) * 100.0 / SUM(l.max_score) FROM ("
        "SELECT a.user_name, r.bank_id, r.question_id, r.score, r.max_score, ROW_NUMBER() OVER"
        " (PARTITION BY a.user_name, r.bank_id, r.question_id ORDER BY a.started_at DESC, a.id"
        " DESC) AS newest FROM responses r JOIN attempts a ON a.id = r.attempt_id"
        " WHERE a.status = 'finished' AND a.mode <> 'study') l JOIN question_tags t"
        " ON t.bank_id = l.bank_id AND t.question_id = l.question_id WHERE l.newest = 1"
        " GROUP BY l.user_name, t.tag ORDER BY l.user_name, t.tag"
    ):
        print(*row)


def by_question(conn: sqlite3.Connection, first_only: bool) -> None:
    first = (
        " AND a.id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY user_name"
        " ORDER BY started_at, id) AS n FROM attempts) WHERE n = 1)"
        if first_only
        else ""
    )
    for row in conn.execute(
        "SELECT r.bank_id, r.question_id, COUNT(*), SUM(r.score), SUM(r.max_score)"
        " FROM responses r JOIN attempts a ON a.id = r.attempt_id"
        f" WHERE a.status = 'finished'{first} GROUP BY r.bank_id, r.question_id"
    ):
        print(*row)


def listing(conn: sqlite3.Connection) -> None:
    for row in conn.execute(
        "SELECT a.id, a.started_at, a.user_name, s.bank_id, a.mode, a.status, s.answered,"
        " s.score, s.max_score FROM attempts a JOIN attempt_scores s ON s.attempt_id = a.id"
        " AND s.scope = 'bank' ORDER BY a.started_at DESC, a.id DESC"
    ):
        print(*row)


def export(conn: sqlite3.Connection, out_path: str) -> None:
    with open(out_path, "w", encoding="utf-8") as out:
        ids = [r[0] for r in conn.execute("SELECT id FROM attempts ORDER BY started_at, id")]
        out.write(json.dumps({"format": "quiz-results", "attempts": len(ids)}) + "\n")
        for row in conn.execute("SELECT bank_id, content_hash, title, questions FROM snapshots"):
            out.write(json.dumps({"type": "snapshot", "bank": row[0], "questions": row[3]}) + "\n")
        for start in range(0, len(ids), PAGE):
            page = ids[start : start + PAGE]
            marks = ",".join("?" * len(page))
            attempts = {
                r[0]: {
                    "type": "attempt",
                    "id": r[0],
                    "user": r[1],
                    "started_at": r[2],
                    "responses": [],
                }
                for r in conn.execute(
                    f"SELECT id, user_name, started_at FROM attempts WHERE id IN ({marks})", page
                )
            }
            for r in conn.execute(
                "SELECT attempt_id, bank_id, question_id, response, score, max_score, correct"
                f" FROM responses WHERE attempt_id IN ({marks}) ORDER BY attempt_id, id",
                page,
            ):
                attempts[r[0]]["responses"].append(
                    {
                        "bank": r[1],
                        "question": r[2],
                        "response": json.loads(r[3]),
                        "score": r[4],
                        "max_score": r[5],
                        "correct": bool(r[6]),
                    }
                )
            for attempt_id in page:
                out.write(json.dumps(attempts[attempt_id]) + "\n")


def import_file(store_file: str, path: str, bank_file: str) -> None:
    from quiz.bank.loader import load_bank
    from quiz.kinds import grade
    from quiz.store import Store

    bank = load_bank(bank_file)
    questions = {q.id: q for q in bank.questions}
    home = store_file.rsplit("/", 1)[0]
    Store.open(home).close()  # the same tables, empty
    conn = sqlite3.connect(store_file)
    with open(path, encoding="utf-8") as lines:
        next(lines)
        for line in lines:
            data = json.loads(line)
            if data["type"] != "attempt":
                continue
            conn.execute(
                "INSERT INTO attempts (id, user_name, quiz_key, mode, seed, plan, started_at,"
                " finished_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    data["id"],
                    data["user"],
                    bank.id,
                    data["mode"],
                    data["seed"],
                    json.dumps(data["plan"]),
                    data["started_at"],
                    data["finished_at"],
                    data["status"],
                ),
            )
            conn.executemany(
                "INSERT INTO attempt_banks (attempt_id, position, bank_id, content_hash)"
                " VALUES (?, ?, ?, ?)",
                [(data["id"], i, b, h) for i, (b, h) in enumerate(data["banks"])],
            )
            rows = []
            for r in data["responses"]:
                g = grade(questions[r["question"]], r["response"], points=1)
                rows.append(
                    (
                        data["id"],
                        r["bank"],
                        r["question"],
                        json.dumps(r["response"]),
                        g.score,
                        g.max_score,
                        int(g.correct),
                        0,
                        r["seconds"],
                        r["answered_at"],
                        1,
                    )
                )
            conn.executemany(
                "INSERT INTO responses (attempt_id, bank_id, question_id, response, score,"
                " max_score, correct, skipped, seconds, answered_at, graded)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
    conn.commit()


def main() -> None:
    work, store_file, *rest = sys.argv[1:]
    if work == "import":
        import_file(store_file, rest[0], rest[1])
        return
    conn = sqlite3.connect(store_file)
    if work == "stats":
        stats(conn)
    elif work == "by-user":
        by_user(conn)
    elif work == "by-question":
        by_question(conn, first_only=True)
    elif work == "all-attempts":
        by_question(conn, first_only=False)
    elif work == "list":
        listing(conn)
    elif work == "list-20":
        conn.execute("PRAGMA query_only = 1")
        for row in conn.execute(
            "SELECT id, started_at, user_name, status FROM attempts"
            " ORDER BY started_at DESC, id DESC LIMIT 20"
        ):
            print(*row)
    elif work == "export":
        export(conn, rest[0])
    else:
        raise SystemExit(f"unknown work {work}")


if __name__ == "__main__":
    main()
