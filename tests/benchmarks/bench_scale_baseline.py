"""The baselines of bench_scale.py: each `scores` command's work done the simplest way.

Run by bench_scale.py as a whole process, like `quiz`:
    python bench_scale_baseline.py WORK STORE_FILE [FILE] [BANK_FILE]
Each baseline produces what the command shows (the same rows, columns and figures), written
the plainest way a script would, with no checking, cleaning or layout beyond padding:
- stats: bare SQL over the stored per-attempt scores, each row printed;
- list, list-20: the attempts that hold an answer, newest first, with the columns `scores
  list` prints (id prefix, local start time, user, banks, mode, status, answered/planned,
  score and percentage), padded into columns;
- by-user: the same, and each tag's mastery from every learner's latest response to each
  question (the window query the report's definition asks for);
- by-question, all-attempts: every response of the attempts analysed (each learner's first,
  or all) read once, and Moodle's figures computed from them in Python: facility, SD,
  random guess score, discrimination index and efficiency, Cronbach's alpha, and the most
  common wrong answer;
- export: a paged query, each attempt written as one JSON line (every field of the results
  file) as it is read;
- import: each line parsed, each response graded by the public grader (`quiz.kinds.grade`, as
  the import re-grades), the rows `executemany`d into the same tables of a fresh store.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from typing import Any

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


def by_question(conn: Any, first_only: bool) -> None:
    """(Any DB-API connection with `execute`: sqlite3, or psycopg for bench_pg.py.)"""
    import math
    import statistics
    from collections import Counter, defaultdict

    first = (
        " AND a.id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY user_name"
        " ORDER BY started_at, id) AS n FROM attempts WHERE status = 'finished') f WHERE n = 1)"
        if first_only
        else ""
    )
    marks: dict[str, dict[str, float]] = defaultdict(dict)  # attempt -> question -> fraction
    totals: dict[str, float] = defaultdict(float)
    wrong: dict[str, Counter[str]] = defaultdict(Counter)
    for attempt, question, response, score, max_score in conn.execute(
        "SELECT r.attempt_id, r.question_id, r.response, r.score, r.max_score"
        " FROM responses r JOIN attempts a ON a.id = r.attempt_id"
        f" WHERE a.status = 'finished'{first}"
    ):
        marks[attempt][question] = score / max_score if max_score else 0.0
        totals[attempt] += score
        if score < max_score:
            wrong[question][response] += 1
    snapshot = conn.execute("SELECT questions FROM snapshots LIMIT 1").fetchone()
    questions = json.loads(snapshot[0]) if snapshot else []
    attempts = list(marks)
    print("Attempts analysed:", len(attempts))
    item_variances = []
    for q in questions:
        qid = q["question_id"]
        xs = [marks[a].get(qid, 0.0) for a in attempts]
        ys = [totals[a] - x for a, x in zip(attempts, xs, strict=True)]  # the rest of the test
        n = len(xs)
        facility = 100.0 * sum(xs) / n if n else None
        sd = disc = eff = None
        if n >= 2:
            sd = 100.0 * statistics.stdev(xs)
            item_variances.append(statistics.variance(xs))
            mx, my = statistics.fmean(xs), statistics.fmean(ys)
            cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (n - 1)
            paired = zip(sorted(xs), sorted(ys), strict=True)
            cov_max = sum((x - mx) * (y - my) for x, y in paired) / (n - 1)
            vx, vy = statistics.variance(xs), statistics.variance(ys)
            disc = 100.0 * cov / math.sqrt(vx * vy) if vx and vy else None
            eff = 100.0 * cov / cov_max if cov_max else None
        options = q.get("options") or []
        guess = 100.0 / len(options) if options else (50.0 if q["kind"] == "truefalse" else 0.0)
        common = wrong[qid].most_common(1)
        shown = json.loads(common[0][0]) if common else ""
        print(qid, q["kind"], n, facility, sd, guess, disc, eff, shown, sep="  ")
    scores = [totals[a] for a in attempts]
    if len(scores) >= 2 and item_variances:
        k = len(item_variances)
        alpha = k / (k - 1) * (1 - sum(item_variances) / statistics.variance(scores))
        print("Cronbach's alpha:", round(alpha, 2))


def listing(conn: sqlite3.Connection, limit: int | None = None) -> None:
    from datetime import datetime

    # Every attempt of the generated store draws from one bank: its one 'bank' row of totals.
    rows = conn.execute(
        "SELECT a.id, a.started_at, a.user_name, a.mode, a.status, json_array_length(a.plan),"
        " s.given, s.score, s.max_score, s.bank_id"
        " FROM attempts a JOIN attempt_scores s ON s.attempt_id = a.id AND s.scope = 'bank'"
        " WHERE s.given > 0 ORDER BY a.started_at DESC, a.id DESC"
        + (f" LIMIT {int(limit)}" if limit else "")
    ).fetchall()
    print("Attempt   Started           User         Banks        Mode  Status    Done     Score")
    for id_, started, user, mode, status, planned, given, score, max_score, banks in rows:
        when = datetime.fromisoformat(started).astimezone().strftime("%Y-%m-%d %H:%M")
        percent = f"{100 * score / max_score:.0f}%" if max_score else "-"
        shown = f"{score:g}/{max_score:g} ({percent})"
        done = f"{given}/{planned}"
        print(
            f"{id_[:8]:<9} {when:<17} {user:<12} {banks:<12} {mode:<5} {status:<9}"
            f" {done:<8} {shown}"
        )


def export(conn: sqlite3.Connection, out_path: str) -> None:
    def line(data: object) -> str:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"

    with open(out_path, "w", encoding="utf-8") as out:
        ids = [r[0] for r in conn.execute("SELECT id FROM attempts ORDER BY started_at, id")]
        snapshots = conn.execute(
            "SELECT bank_id, content_hash, title, questions FROM snapshots"
        ).fetchall()
        out.write(
            line(
                {
                    "format": "quiz-results",
                    "version": 3,
                    "attempts": len(ids),
                    "snapshots": len(snapshots),
                }
            )
        )
        for bank, content_hash, title, questions in snapshots:
            out.write(
                line(
                    {
                        "type": "snapshot",
                        "bank": bank,
                        "content_hash": content_hash,
                        "title": title,
                        "questions": json.loads(questions),
                    }
                )
            )
        for start in range(0, len(ids), PAGE):
            page = ids[start : start + PAGE]
            marks = ",".join("?" * len(page))
            attempts = {
                r[0]: {
                    "type": "attempt",
                    "id": r[0],
                    "user": r[1],
                    "banks": [],
                    "mode": r[2],
                    "status": r[3],
                    "started_at": r[4],
                    "finished_at": r[5],
                    "seed": r[6],
                    "plan": json.loads(r[7]),
                    "responses": [],
                }
                for r in conn.execute(
                    "SELECT id, user_name, mode, status, started_at, finished_at, seed, plan"
                    f" FROM attempts WHERE id IN ({marks})",
                    page,
                )
            }
            for r in conn.execute(
                "SELECT attempt_id, bank_id, content_hash FROM attempt_banks"
                f" WHERE attempt_id IN ({marks}) ORDER BY attempt_id, position",
                page,
            ):
                attempts[r[0]]["banks"].append([r[1], r[2]])
            for r in conn.execute(
                "SELECT attempt_id, bank_id, question_id, response, score, max_score, correct,"
                " seconds, answered_at, skipped, graded"
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
                        "seconds": r[7],
                        "answered_at": r[8],
                        "skipped": bool(r[9]),
                        "graded": bool(r[10]),
                    }
                )
            for attempt_id in page:
                out.write(line(attempts[attempt_id]))


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
        listing(conn, limit=20)
    elif work == "export":
        export(conn, rest[0])
    else:
        raise SystemExit(f"unknown work {work}")


if __name__ == "__main__":
    main()
