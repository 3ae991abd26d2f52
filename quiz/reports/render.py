"""Reports as tables, and the writers: terminal table (rich), CSV, JSON, Markdown, HTML.

A `Report` is what every writer reads: notes, a few summary figures, tables (the first one is
the report's main table, the one CSV holds) and, for HTML, a score histogram and a facility bar
per question. Builders turn `quiz.reports.items` results into reports.

Every string in a report is untrusted (user names, bank text, results files), so each writer
makes it safe for its medium: control characters go everywhere (`quiz.sanitize.clean`);
terminal tables escape rich markup; CSV cells that a spreadsheet would run as a formula get a
leading `'`; Markdown escapes its syntax (pipes first); HTML escapes everything (Jinja2 with
autoescape), and the page needs no script and no network.

The terminal and the HTML page are for reading, CSV, JSON and Markdown for keeping: the first two
show attempt ids by a prefix `quiz scores show` accepts (the terminal: the shortest unique one
among the ids shown, at least 8 characters; HTML: the first 8), times to the minute, and never
break an id, a bank or a question id; the others keep every value whole. Terminal tables are
drawn by `quiz.ui.tables` (plain text when the output is not a terminal).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TextIO

from quiz.reports.items import (
    EASY_ABOVE,
    HARD_BELOW,
    AttemptRow,
    BankStats,
    Bin,
    Gradebook,
    ItemStats,
    MarksTable,
    QuestionResponses,
    UserRow,
    histogram,
)
from quiz.sanitize import clean, clean_line
from quiz.times import near_time, short_time
from quiz.ui.tables import SHORT_ID  # the characters of an attempt id HTML shows

if TYPE_CHECKING:  # the gradebook loads for --lms only
    from quiz.reports.gradebook import Roster

Cell = str | int | float | None
FORMATS: tuple[str, ...] = ("table", "csv", "json", "md", "html")
DASH = "—"
_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as CSV, JSON keys aside, Markdown and HTML show it
    kind: str = "text"  # text | int | percent | number | ratio
    # Shown only where the report is one flat table (CSV, Markdown): the terminal and HTML
    # show the same thing as a table of its own.
    flat_only: bool = False
    # Shown only where people read (the terminal, HTML, Markdown): CSV holds the same as
    # columns of one value each (the reasons a question needs checking, as yes/no flags).
    display_only: bool = False
    # How the terminal and HTML show the values (CSV, JSON and Markdown keep them whole):
    # "id" an attempt id, cut to SHORT_ID characters; "time" an ISO time, to the minute;
    # "key" ids (banks, questions), never broken inside, several (space-separated) one a line.
    display: str = ""
    short: str | None = None  # the terminal's header, when `header` is too wide
    # Left out of a terminal table too wide for the terminal: the highest first; 0 never.
    drop: int = 0

    @property
    def terminal_header(self) -> str:
        return self.short if self.short is not None else self.header


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    legend: str = ""  # what the terminal's short headers stand for
    stacked: bool = False  # the terminal shows one block per row (a wide table of marks)


def generated_stamp() -> str:
    """When a report is made, to the minute (a test pins it: two runs may straddle a minute)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class Report:
    title: str
    by: str  # user | question | responses | marks | attempt | wide
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = ()
    summary: tuple[tuple[str, str], ...] = ()
    histogram: tuple[Bin, ...] = ()
    histogram_caption: str = ""  # what the histogram counts, and over which attempts
    histogram_axis: str = "Results"  # what its bars count (the y axis)
    chart: tuple[ChartItem, ...] = ()  # per question: facility, discrimination, its band
    chart_caption: str = ""
    guide: tuple[tuple[str, str], ...] = ()  # "how to read this": (term, explanation)
    data: Any = None  # what --format json prints
    unmatched: tuple[str, ...] = ()  # gradebook: learners not on the roster
    generated_at: str = field(default_factory=lambda: generated_stamp())

    @property
    def main(self) -> Table:
        return self.tables[0]


# ---------------------------------------------------------------------------------------------
# Formatting values


def fmt(value: Cell, kind: str = "text") -> str:
    """A cell as text for people: percentages with one decimal, None as a dash."""
    if value is None:
        return DASH
    if isinstance(value, float) and not math.isfinite(value):
        return DASH
    if kind == "percent" and isinstance(value, (int, float)):
        return f"{value:.1f}%"
    if kind == "ratio" and isinstance(value, (int, float)):
        return f"{value:.2f}"
    if kind == "number" and isinstance(value, (int, float)):
        return f"{value:.1f}" if isinstance(value, float) else str(value)
    if isinstance(value, float):
        return f"{value:g}"
    return clean_line(value)


def short_id(value: object) -> str:
    """An attempt id as tables show it: its first SHORT_ID characters."""
    return clean_line(value)[:SHORT_ID]


PROSE_WIDTH = 40  # characters of a question's text a terminal table shows


def shorten(text: str, width: int = PROSE_WIDTH) -> str:
    """One line of at most `width` characters, cut at a word with "…" when longer."""
    line = " ".join(clean_line(text).split())
    if len(line) <= width:
        return line
    cut = line[: width - 1]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def display_text(value: Cell, column: Column, *, local: bool = True, short: bool = False) -> str:
    """A cell as the terminal (`short`: question texts shortened) and HTML show it
    (`Column.display`)."""
    if value is None or value == "":
        return DASH if column.display else fmt(value, column.kind)
    if column.display == "id":
        return short_id(value)
    if column.display == "time":  # a terminal's as people read it; a page's in full
        return near_time(value) if short else short_time(value, local=local)
    if column.display == "prose" and short and isinstance(value, str):
        return shorten(value)
    return fmt(value, column.kind)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, digits)


def _clean_data(value: Any) -> Any:
    """JSON data with every string's control characters removed."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(str(k)): _clean_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean_data(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# ---------------------------------------------------------------------------------------------
# Builders

RULE_WORDS = {
    "first": "each learner's first attempt",
    "last": "each learner's last attempt",
    "best": "each learner's best attempt (highest score)",
    "all": "every finished attempt",
    "mean": "the mean of each learner's attempts",
}


def attempts_words(rule: str) -> str:
    """Which attempts a figure counts, in words."""
    return RULE_WORDS.get(rule, rule)


QUESTION_LEGEND = (
    "Facility: mean score, % of the marks · SD: its standard deviation · Guess: random guess"
    " score · Discr.: discrimination index · Eff.: discriminative efficiency · Check: needs"
    " checking? · Q#: position in the bank (docs/item-analysis.md)"
)

# How to read the item analysis: shown beside the tables on the HTML page, in docs too.
QUESTION_GUIDE: tuple[tuple[str, str], ...] = (
    (
        "Needs checking?",
        "Moodle's rule on the discrimination index: very likely below 30, likely below 50,"
        " unlikely from 50; — where it cannot be computed (fewer than 2 attempts, or everyone"
        " scored the same). Reasons say what to look at.",
    ),
    (
        "Facility",
        "The mean score as a share of the marks: 100% everyone right, 0% nobody. Below 5% or"
        " above 95% the question tells learners apart very little.",
    ),
    (
        "Discrimination index",
        "The correlation (× 100) of the question's marks with the rest of the test: high when"
        " those who do well overall get it right. Negative: the stronger learners got it wrong"
        " more often: look for a wrong key or an ambiguous wording.",
    ),
    (
        "Discriminative efficiency",
        "The discrimination as a share of the most this question could reach with its facility.",
    ),
    (
        "Random guess",
        "What answering at random scores on average; a facility near it means learners guess.",
    ),
    (
        "Most common wrong answer",
        "The wrong response given most often (normalised as the grader compares): often the"
        " misconception to teach, or a right answer the key misses.",
    ),
)


@dataclass(frozen=True)
class ChartItem:
    """One question on the HTML page's needs-checking chart."""

    label: str  # "Q3 · bank/question-id"
    text: str  # the question's whole text
    facility: float | None
    discrimination: float | None
    check: str  # very likely | likely | unlikely | "—"
    reasons: str


def _check_class(level: str) -> str:
    return {"very likely": "very-likely", "likely": "likely", "unlikely": "unlikely"}.get(
        level, "undefined"
    )


def question_report(stats: Sequence[BankStats], notes: Sequence[str] = ()) -> Report:
    """`--by question`: item analysis per question with Moodle's "Needs checking?", the
    banks' figures. CSV is the questions table, one value per cell."""
    question_columns = (
        Column("bank", "Bank", display="key"),
        Column("position", "Q#", "int", drop=1),
        Column("question", "Question", display="key"),
        Column("prompt", "Question text", display="prose", drop=3),
        Column("kind", "Kind", drop=6),
        Column("attempts", "Attempts", "int", drop=5),
        Column("facility", "Facility", "percent"),
        Column("sd", "SD", "percent", drop=7),
        Column("random_guess", "Random guess", "percent", short="Guess", drop=8),
        Column("discrimination_index", "Discrimination", "number", short="Discr."),
        Column("discriminative_efficiency", "Disc. efficiency", "number", short="Eff.", drop=9),
        Column("needs_checking", "Needs checking", display="check", short="Check"),
        Column("reasons", "Reasons", drop=11, display_only=True),
        Column("negative_discrimination", "Negative discrimination", flat_only=True),
        Column("facility_below_5", "Facility below 5%", flat_only=True),
        Column("facility_above_95", "Facility above 95%", flat_only=True),
        Column(
            "most_common_wrong",
            "Most common wrong answer",
            display="prose",
            short="Most common\nwrong",
            drop=4,
        ),
        Column("most_common_wrong_count", "Times given", "int", short="Times", drop=12),
        Column("no_answer", "No answer", "int", short="No\nanswer", drop=10),
    )
    bank_columns = (
        Column("bank", "Bank", display="key"),
        Column("title", "Title", drop=5),
        Column("attempts", "Attempts", "int"),
        Column("complete_attempts", "Complete", "int", drop=4),
        Column("mean", "Mean", "percent"),
        Column("median", "Median", "percent", drop=3),
        Column("sd", "SD", "percent"),
        Column("cronbach_alpha", "Cronbach's alpha", "ratio", short="Cronbach's\nalpha"),
        Column("error_ratio", "Error ratio", "percent", short="Error\nratio", drop=2),
        Column("standard_error", "Standard error", "percent", short="Standard\nerror", drop=1),
    )
    question_rows = []
    for bank in stats:
        for item in bank.items:
            check = item.check
            question_rows.append(
                (
                    item.bank_id,
                    item.position,
                    item.question_id,
                    item.prompt,
                    item.kind,
                    item.attempts,
                    _round(item.facility),
                    _round(item.sd),
                    _round(item.random_guess),
                    _round(item.discrimination),
                    _round(item.efficiency),
                    check.text,
                    "; ".join(check.reasons),
                    *_yes_no(_flags(item)),
                    item.common_wrong,
                    item.common_wrong_count if item.common_wrong is not None else None,
                    item.no_answer,
                )
            )
    bank_rows = tuple(
        (
            b.bank_id,
            b.title,
            b.attempts,
            b.complete,
            _round(b.mean),
            _round(b.median),
            _round(b.sd),
            _round(b.alpha, 4),
            _round(b.error_ratio),
            _round(b.standard_error),
        )
        for b in stats
    )
    tables = [
        Table("Questions", question_columns, tuple(question_rows), QUESTION_LEGEND),
        Table("Banks", bank_columns, bank_rows),
    ]
    percents = [p for b in stats for p in b.percents]
    rule = stats[0].attempts_rule if stats else "first"
    which = attempts_words(rule)
    summary = [("Attempts analysed", f"{len(percents)} ({which})")]
    for b in stats:
        summary.append((f"{b.bank_id}: Cronbach's alpha", fmt(_round(b.alpha, 2), "ratio")))
    flagged = sum(1 for b in stats for i in b.items if i.check.level == "very likely")
    summary.append(("Very likely to need checking", str(flagged)))
    multi_bank = len(stats) > 1
    chart = tuple(
        ChartItem(
            label=f"Q{item.position} · "
            + (f"{item.bank_id}/{item.question_id}" if multi_bank else item.question_id),
            text=item.prompt,
            facility=item.facility,
            discrimination=item.discrimination,
            check=item.check.text,
            reasons="; ".join(item.check.reasons),
        )
        for b in stats
        for item in b.items
    )
    data = {
        "report": "question",
        "attempts": rule,
        "notes": list(notes),
        "banks": [_bank_data(b) for b in stats],
    }
    return Report(
        title="Item analysis" + _banks_suffix([b.bank_id for b in stats]),
        by="question",
        tables=tuple(tables),
        notes=tuple(notes),
        summary=tuple(summary),
        histogram=tuple(histogram(percents)),
        histogram_caption=f"Scores of the attempts analysed: {which} ({len(percents)}).",
        histogram_axis="Attempts",
        chart=chart,
        chart_caption=f"Per question, over {which}: facility, and the discrimination index"
        " against Moodle's needs-checking bands (below 30 very likely, below 50 likely).",
        guide=QUESTION_GUIDE,
        data=data,
    )


def _flags(item: ItemStats) -> tuple[bool | None, bool | None, bool | None]:
    """The reasons to check a question, one flag each (None where the figure is undefined)."""
    d, f = item.discrimination, item.facility
    return (
        None if d is None else d < 0,
        None if f is None else f < HARD_BELOW,
        None if f is None else f > EASY_ABOVE,
    )


def _yes_no(flags: Sequence[bool | None]) -> tuple[str | None, ...]:
    return tuple(None if v is None else ("yes" if v else "no") for v in flags)


def _bank_data(b: BankStats) -> dict[str, Any]:
    return {
        "bank": b.bank_id,
        "title": b.title,
        "attempts": b.attempts,
        "complete_attempts": b.complete,
        "mean": _round(b.mean, 4),
        "median": _round(b.median, 4),
        "sd": _round(b.sd, 4),
        "cronbach_alpha": _round(b.alpha, 6),
        "error_ratio": _round(b.error_ratio, 4),
        "standard_error": _round(b.standard_error, 4),
        "versions": list(b.versions),
        "questions": [
            {
                "bank": b.bank_id,
                "position": i.position,
                "question": i.question_id,
                "prompt": i.prompt,
                "kind": i.kind,
                "max_score": i.max_score,
                "attempts": i.attempts,
                "facility": _round(i.facility, 4),
                "sd": _round(i.sd, 4),
                "random_guess": _round(i.random_guess, 4),
                "discrimination_index": _round(i.discrimination, 4),
                "discriminative_efficiency": _round(i.efficiency, 4),
                "needs_checking": i.check.level,
                "reasons": list(i.check.reasons),
                **dict(
                    zip(
                        ("negative_discrimination", "facility_below_5", "facility_above_95"),
                        _flags(i),
                        strict=True,
                    )
                ),
                "most_common_wrong": i.common_wrong,
                "most_common_wrong_count": i.common_wrong_count
                if i.common_wrong is not None
                else None,
                "no_answer": i.no_answer,
                "options": [
                    {
                        "option": o.option,
                        "correct": o.correct,
                        "count": o.count,
                        "percent": _round(o.percent, 4),
                    }
                    for o in i.options
                ],
            }
            for i in b.items
        ],
    }


def _banks_suffix(bank_ids: Sequence[str]) -> str:
    return f" — {', '.join(bank_ids)}" if bank_ids else ""


def responses_report(
    analysed: Sequence[tuple[BankStats, Sequence[QuestionResponses]]], notes: Sequence[str] = ()
) -> Report:
    """`--by responses`: for each question, the responses given (normalised the way the
    grader compares them), with count, share and mark earned, most frequent first; per left
    item for match, per position for order. CSV: one row per (question, response)."""
    columns = (
        Column("bank", "Bank", display="key"),
        Column("position", "Q#", "int"),
        Column("question", "Question", display="key"),
        Column("prompt", "Question text", display="prose", drop=3),
        Column("kind", "Kind", drop=2),
        Column("part", "Part"),
        Column("response", "Response"),
        Column("right", "Right", drop=1),
        Column("count", "Count", "int"),
        Column("share", "Share", "percent"),
        Column("mark", "Mark earned", "percent", short="Mark"),
    )
    rows = []
    questions = []
    for _bank, found in analysed:
        for q in found:
            item = q.item
            for r in q.rows:
                right = None if r.right is None else ("yes" if r.right else "no")
                rows.append(
                    (
                        item.bank_id,
                        item.position,
                        item.question_id,
                        item.prompt,
                        item.kind,
                        r.part,
                        r.response,
                        right,
                        r.count,
                        _round(r.share),
                        _round(r.mark),
                    )
                )
            questions.append(
                {
                    "bank": item.bank_id,
                    "position": item.position,
                    "question": item.question_id,
                    "prompt": item.prompt,
                    "kind": item.kind,
                    "attempts": item.attempts,
                    "responses": [
                        {
                            "part": r.part,
                            "response": r.response,
                            "right": r.right,
                            "count": r.count,
                            "share": _round(r.share, 4),
                            "mark": _round(r.mark, 4),
                        }
                        for r in q.rows
                    ],
                }
            )
    rule = analysed[0][0].attempts_rule if analysed else "first"
    which = attempts_words(rule)
    bank_ids = [b.bank_id for b, _ in analysed]
    return Report(
        title="Responses" + _banks_suffix(bank_ids),
        by="responses",
        tables=(
            Table(
                "Responses",
                columns,
                tuple(rows),
                "Share: of the attempts that included the question · Mark: the mean mark"
                " these responses earned, % of the question's marks",
            ),
        ),
        notes=tuple(notes),
        summary=(
            ("Attempts analysed", f"{sum(b.attempts for b, _ in analysed)} ({which})"),
            ("Questions", str(len(questions))),
        ),
        data={
            "report": "responses",
            "attempts": rule,
            "notes": list(notes),
            "questions": questions,
        },
    )


def marks_report(tables: Sequence[MarksTable], notes: Sequence[str] = ()) -> Report:
    """`--by marks`: one row per learner (the attempt `--attempts` picks), one column per
    question, Q1...Qn as Moodle's Grades report; on a terminal, one block per learner."""
    multi = len(tables) > 1
    columns = [
        Column("user", "Learner"),
        *([Column("bank", "Bank", display="key")] if multi else []),
        Column("attempt", "Attempt", display="id"),
        Column("started_at", "Started", display="time"),
        Column("score", "Score", "number"),
        Column("max_score", "Max", "number"),
        Column("percent", "Percent", "percent"),
    ]
    width = max((len(t.questions) for t in tables), default=0)
    for n in range(1, width + 1):
        header = f"Q{n}"
        if not multi and tables:
            q = tables[0].questions[n - 1]
            header = f"Q{n} {q.question_id} /{fmt(q.max_score)}"
        columns.append(Column(f"q{n}", header, "number"))
    rows = []
    users = []
    for t in tables:
        for r in t.rows:
            marks = [_round(m, 4) for m in r.marks] + [None] * (width - len(r.marks))
            rows.append(
                (
                    r.user,
                    *([t.bank_id] if multi else []),
                    r.attempt,
                    r.started_at,
                    _round(r.score, 4),
                    _round(r.max_score, 4),
                    _round(r.percent),
                    *marks,
                )
            )
            users.append(
                {
                    "user": r.user,
                    "bank": t.bank_id,
                    "attempt": r.attempt,
                    "started_at": r.started_at,
                    "score": _round(r.score, 4),
                    "max_score": _round(r.max_score, 4),
                    "percent": _round(r.percent, 4),
                    **{f"q{n}": m for n, m in enumerate(marks, start=1)},
                }
            )
    rule = tables[0].rule if tables else "first"
    which = attempts_words(rule)
    key_rows = tuple(
        (t.bank_id, n, q.question_id, q.prompt, q.max_score)
        for t in tables
        for n, q in enumerate(t.questions, start=1)
    )
    key_table = Table(
        "Questions",
        (
            Column("bank", "Bank", display="key"),
            Column("position", "Q#", "int"),
            Column("question", "Question", display="key"),
            Column("prompt", "Question text", display="prose"),
            Column("max_score", "Max", "number"),
        ),
        key_rows,
    )
    data = {
        "report": "marks",
        "attempts": rule,
        "notes": list(notes),
        "questions": [
            {"bank": b, "position": n, "question": q, "prompt": p, "max_score": m}
            for b, n, q, p, m in key_rows
        ],
        "users": users,
    }
    percents = [r.percent for t in tables for r in t.rows if r.percent is not None]
    return Report(
        title="Marks by learner and question" + _banks_suffix([t.bank_id for t in tables]),
        by="marks",
        tables=(
            Table(
                "Marks",
                tuple(columns),
                tuple(rows),
                "A dash: the attempt did not include the question",
                stacked=True,
            ),
            key_table,
        ),
        notes=tuple(notes),
        summary=(
            ("Learners", str(len({r.user for t in tables for r in t.rows}))),
            ("Attempts", which),
        ),
        histogram=tuple(histogram(percents)),
        histogram_caption=f"Scores of {which} ({len(percents)}).",
        histogram_axis="Attempts",
        data=data,
    )


def user_report(
    rows: Sequence[UserRow], notes: Sequence[str] = (), bank_ids: Sequence[str] = ()
) -> Report:
    """`--by user`: finished attempts, best, last, mean and first percentage, and mastery per
    tag (one column per tag) per learner. Only finished attempts count (not study sessions):
    the column says so."""
    tags = sorted({tag for r in rows for tag, _ in r.tags})
    columns = (
        Column("user", "Learner"),
        Column("finished_attempts", "Finished attempts", "int", short="Finished\nattempts"),
        Column("best", "Best", "percent"),
        Column("last", "Last", "percent"),
        Column("mean", "Mean", "percent"),
        Column("first", "First", "percent", drop=1),
        *(Column(f"tags.{tag}", f"Mastery: {tag}", "percent", drop=2) for tag in tags),
    )
    table_rows = tuple(
        (
            r.user,
            r.attempts,
            _round(r.best),
            _round(r.last),
            _round(r.mean),
            _round(r.first),
            *(_round(dict(r.tags).get(tag)) for tag in tags),
        )
        for r in rows
    )
    data = {
        "report": "user",
        "notes": list(notes),
        "users": [
            {
                "user": r.user,
                "finished_attempts": r.attempts,
                "best": _round(r.best, 4),
                "last": _round(r.last, 4),
                "mean": _round(r.mean, 4),
                "first": _round(r.first, 4),
                "tags": {tag: _round(value, 4) for tag, value in r.tags},
            }
            for r in rows
        ],
    }
    bests = [r.best for r in rows if r.best is not None]
    return Report(
        title="Scores by learner" + _banks_suffix(bank_ids),
        by="user",
        tables=(Table("Learners", columns, table_rows),),
        notes=tuple(notes),
        summary=(
            ("Learners", str(len(rows))),
            ("Finished attempts", str(sum(r.attempts for r in rows))),
        ),
        histogram=tuple(histogram(bests)),
        histogram_caption=f"Best score of each learner ({len(bests)} learners).",
        histogram_axis="Learners",
        data=data,
    )


def attempt_report(
    rows: Sequence[AttemptRow], notes: Sequence[str] = (), bank_ids: Sequence[str] = ()
) -> Report:
    """`--by attempt`: one row per attempt, of every status and mode. The summary counts them
    all, and apart the finished ones (study sessions aside) that `--by user` counts."""
    columns = (
        Column("attempt", "Attempt", display="id"),
        Column("user", "Learner"),
        Column("banks", "Banks", display="key"),
        Column("mode", "Mode", drop=4),
        Column("status", "Status", display="key"),
        Column("started_at", "Started", display="time"),
        Column("finished_at", "Finished", display="time", drop=3),
        Column("score", "Score", "number", drop=5),
        Column("max_score", "Max", "number", drop=6),
        Column("percent", "Percent", "percent"),
        Column("answered", "Answered", "int", drop=2),
        Column("questions", "Questions", "int", drop=1),
    )
    table_rows = tuple(
        (
            r.id,
            r.user,
            " ".join(r.banks),
            r.mode,
            r.status,
            r.started_at,
            r.finished_at,
            _round(r.score, 4),
            _round(r.max_score, 4),
            _round(r.percent),
            r.answered,
            r.questions,
        )
        for r in rows
    )
    data = {
        "report": "attempt",
        "notes": list(notes),
        "attempts": [
            {
                "attempt": r.id,
                "id": r.id,
                "user": r.user,
                "banks": list(r.banks),
                "mode": r.mode,
                "status": r.status,
                "started_at": r.started_at,
                "finished_at": r.finished_at,
                "score": r.score,
                "max_score": r.max_score,
                "percent": _round(r.percent, 4),
                "answered": r.answered,
                "questions": r.questions,
            }
            for r in rows
        ],
    }
    finished = [r.percent for r in rows if r.status == "finished" and r.percent is not None]
    counted = sum(1 for r in rows if r.status == "finished" and r.mode != "study")
    studied = sum(1 for r in rows if r.mode == "study")
    summary = [("Attempts", str(len(rows))), ("Finished attempts", str(counted))]
    if studied:
        summary.append(("Study sessions", str(studied)))
    summary.append(("Learners", str(len({r.user for r in rows}))))
    return Report(
        title="Scores by attempt" + _banks_suffix(bank_ids),
        by="attempt",
        tables=(Table("Attempts", columns, table_rows),),
        notes=tuple(notes),
        summary=tuple(summary),
        histogram=tuple(histogram(finished)),
        histogram_caption=f"Scores of every finished attempt, study sessions included"
        f" ({len(finished)}).",
        histogram_axis="Attempts",
        data=data,
    )


def gradebook_report(
    book: Gradebook,
    notes: Sequence[str] = (),
    *,
    lms: str | None = None,
    roster: Roster | None = None,
    points: bool = False,
) -> Report:
    """`--wide`: one row per learner, one column per bank: the percentage (or the points)
    `--grade` picks, laid out for an LMS (`quiz.reports.gradebook`)."""
    from quiz.reports.gradebook import layout

    laid = layout(book, lms=lms, roster=roster, points=points)
    precise = layout(book, lms=lms, roster=roster, points=points, digits=4)
    n_identity = len(laid.headers) - laid.grade_columns
    columns = tuple(
        Column(key, header, "number" if i >= n_identity else "text")
        for i, (key, header) in enumerate(zip(laid.keys, laid.headers, strict=True))
    )
    if not points:
        columns = tuple(
            Column(c.key, c.header, "percent") if i >= n_identity else c
            for i, c in enumerate(columns)
        )
    unit = "points" if points else "percent"
    data = {
        "report": "gradebook",
        "grade": book.rule,
        "unit": unit,
        "lms": lms,
        "notes": list(notes),
        "banks": list(book.banks),
        "unmatched": list(laid.unmatched),
        "users": [
            {
                **{k: v for k, v in zip(laid.keys[:n_identity], row[:n_identity], strict=True)},
                "grades": {b: v for b, v in zip(book.banks, row[n_identity:], strict=True)},
            }
            for row in precise.rows
        ],
    }
    values = [v for _, cells in book.rows for v in cells if v is not None]
    all_notes = list(notes)
    if laid.unmatched:
        all_notes.append(
            f"{len(laid.unmatched)} learner(s) not on the roster, kept at the end: "
            + ", ".join(laid.unmatched)
        )
    layout_name = {"moodle": "Moodle", "canvas": "Canvas"}.get(lms or "", "")
    title = f"Gradebook ({attempts_words(book.rule)}, {unit})"
    if layout_name:
        title += f" for {layout_name}"
    return Report(
        title=title,
        by="wide",
        tables=(Table("Gradebook", columns, laid.rows),),
        notes=tuple(all_notes),
        summary=(("Learners", str(len(book.rows))), ("Banks", str(len(book.banks)))),
        histogram=tuple(histogram(values)),
        histogram_caption=f"Grades in the gradebook: {attempts_words(book.rule)}, one per"
        f" learner and bank ({len(values)}).",
        histogram_axis="Grades",
        data=data,
        unmatched=laid.unmatched,
    )


# ---------------------------------------------------------------------------------------------
# CSV


def csv_cell(value: Cell) -> str | int | float:
    """A CSV cell: numbers stay numbers; text a spreadsheet would run as a formula gets a `'`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else ""
    text = clean_line(value)  # one line; leading blanks go, so " =1+1" is seen as "=1+1"
    if value.startswith(_CSV_TRIGGERS) or text.startswith(_CSV_TRIGGERS):
        return "'" + text
    return text


def to_csv(report: Report, *, bom: bool = False) -> str:
    """The main table as CSV (RFC 4180, CRLF line ends): the header row first and nothing
    else, so that `csv.DictReader` and LMS imports read it. Notes are not in it: whoever
    writes the CSV says them elsewhere (`quiz scores report` on standard error)."""
    out = io.StringIO()
    import csv  # (for --format csv only)

    writer = csv.writer(out)
    table = report.main
    kept = [i for i, c in enumerate(table.columns) if not c.display_only]
    writer.writerow([csv_cell(table.columns[i].header) for i in kept])
    for row in table.rows:
        writer.writerow([csv_cell(row[i]) for i in kept])
    text = out.getvalue()
    return "\ufeff" + text if bom else text


# ---------------------------------------------------------------------------------------------
# JSON


def to_json(report: Report) -> str:
    data = report.data if report.data is not None else _tables_data(report)
    return json.dumps(_clean_data(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _tables_data(report: Report) -> dict[str, Any]:
    return {
        "report": report.by,
        "notes": list(report.notes),
        "rows": [
            dict(zip([c.key for c in report.main.columns], row, strict=True))
            for row in report.main.rows
        ],
    }


# ---------------------------------------------------------------------------------------------
# Markdown

_MD_SPECIAL = "\\`*_[]<>|~&"


def md_escape(value: object) -> str:
    """One line of text that Markdown shows as it is: syntax characters (and pipes) escaped."""
    text = clean_line(value)
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def to_markdown(report: Report) -> str:
    lines = [f"# {md_escape(report.title)}", ""]
    for note in report.notes:
        lines += [f"> **Note:** {md_escape(note)}", ""]
    for label, value in report.summary:
        lines.append(f"- {md_escape(label)}: {md_escape(value)}")
    if report.summary:
        lines.append("")
    for table in report.tables:
        if len(report.tables) > 1:
            lines += [f"## {md_escape(table.title)}", ""]
        shown = [i for i, c in enumerate(table.columns) if not c.flat_only]
        columns = [table.columns[i] for i in shown]
        lines.append("| " + " | ".join(md_escape(c.header) for c in columns) + " |")
        lines.append(
            "| " + " | ".join("---:" if c.kind != "text" else "---" for c in columns) + " |"
        )
        for row in table.rows:
            cells = (md_escape(fmt(row[i], table.columns[i].kind)) for i in shown)
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Terminal table (rich)


def print_table(
    report: Report,
    file: TextIO | None = None,
    *,
    color: bool | None = None,
    terminal: bool | None = None,
    width: int | None = None,
    show_all: bool = False,
    limit: int | None = None,
) -> None:
    """The report as tables (`quiz.ui.tables.draw`: rich on a terminal, plain text in a pipe
    or a file); every text cleaned, notes as `Note:` lines.

    Attempt ids are shown by their shortest unique prefix (at least SHORT_ID characters) and
    times to the minute (local time); ids and banks are never broken inside
    (`Column.display`); long headers give way to short ones, explained in a legend line under
    the table. A table wider than the width leaves out its least needed columns
    (`Column.drop`) and says which, or becomes one block per row. On a terminal each table
    shows its first SCREEN_ROWS rows and "N more (--all)" unless `show_all`; `limit` caps
    every table."""
    import sys

    from quiz.ui.tables import TerminalColumn, draw, on_terminal, page
    from quiz.ui.terminal import output_width

    stream = file if file is not None else sys.stdout
    terminal = on_terminal(stream) if terminal is None else terminal
    width = output_width(stream) if width is None else width
    head = [clean_line(report.title)]
    head += [f"Note: {clean_line(note)}" for note in report.notes]
    head += [f"{clean_line(label)}: {clean_line(value)}" for label, value in report.summary]
    from quiz.ui.terminal import Style

    bold = terminal and (Style.for_stream(stream).color if color is None else color)
    _write_wrapped(stream, head, width, bold_first=bold)
    for table in report.tables:
        if not table.rows:
            stream.write(f"{clean_line(table.title)}: nothing to report\n")
            continue
        shown = [c for c in table.columns if not c.flat_only]
        columns = [
            TerminalColumn(
                c.terminal_header,
                right=c.kind != "text",
                # Free text wraps (a word longer than the column folds); ids, times and
                # numbers never break, so their header is what may wrap, at its line break.
                no_wrap=c.kind != "text" or c.display in ("id", "time", "key"),
                drop=c.drop,
                name=c.header,
                id=c.display == "id",
                whole_words=c.key == "user",  # a learner's name is never broken
            )
            for c in shown
        ]
        rows, more = page(table.rows, terminal=terminal, show_all=show_all, limit=limit)
        cells = [
            [
                _terminal_cell(v, c)
                for v, c in zip(row, table.columns, strict=True)
                if not c.flat_only
            ]
            for row in rows
        ]
        if table.stacked:
            _write_blocks(stream, table, rows, width, bold)
            if more:
                from quiz.ui.tables import more_line

                stream.write(more_line(more) + "\n")
        else:
            draw(
                table.title,
                columns,
                cells,
                file=stream,
                width=width,
                terminal=terminal,
                color=color,
                more=more,
                elsewhere="another --format",
                legend=clean_line(table.legend),
            )


def capped(report: Report, limit: int) -> Report:
    """The report with at most `limit` rows in each table (`--limit`)."""
    import dataclasses

    tables = tuple(dataclasses.replace(t, rows=t.rows[:limit]) for t in report.tables)
    return dataclasses.replace(report, tables=tables)


def _write_wrapped(stream: TextIO, lines: Sequence[str], width: int, *, bold_first: bool) -> None:
    from quiz.ui.terminal import Style, wrap_line

    style = Style(color=bold_first)
    for number, line in enumerate(lines):
        for part in wrap_line(line, width):
            stream.write((style.bold(part) if number == 0 else part) + "\n")


def _write_blocks(
    stream: TextIO, table: Table, rows: Sequence[Sequence[Cell]], width: int, bold: bool
) -> None:
    """A wide table as one block per row: the first cell as a heading, then a line per
    column ("Q3 china-share /1: 0.5"), so that no terminal is too narrow for it."""
    from quiz.ui.terminal import Style, wrap_line

    style = Style(color=bold)
    stream.write(style.bold(clean_line(table.title)) + "\n")
    shown = [(i, c) for i, c in enumerate(table.columns) if not c.flat_only]
    room = max(len(c.header) for _, c in shown[1:]) if len(shown) > 1 else 0
    for number, row in enumerate(rows):
        first, column = shown[0]
        heading = style.bold(display_text(row[first], column, short=True))
        # a blank line between blocks, none under the title (as `quiz.ui.tables` stacks rows)
        stream.write(("\n" if number else "") + heading + "\n")
        for i, c in shown[1:]:
            text = display_text(row[i], c, short=True)
            for part in wrap_line(f"  {clean_line(c.header).ljust(room)}  {text}", width):
                stream.write(part + "\n")
    if table.legend:
        for part in wrap_line(clean_line(table.legend), width):
            stream.write(part + "\n")


def _terminal_cell(value: Cell, column: Column) -> str:
    if column.display == "id" and value is not None and value != "":
        return clean_line(value)  # whole: the table shows its shortest unique prefix
    text = display_text(value, column, short=True)
    return "\n".join(text.split(" ")) if column.display == "key" else text


# ---------------------------------------------------------------------------------------------
# HTML


def to_html(report: Report) -> str:
    """One self-contained page: inline CSS and SVG, no script, no network; all text escaped."""
    from importlib.resources import files

    import jinja2

    source = (
        files("quiz.reports")
        .joinpath("templates")
        .joinpath("report.html.j2")
        .read_text(encoding="utf-8")
    )
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["fmt"] = fmt
    env.filters["clean"] = clean
    env.filters["clean_line"] = clean_line
    env.filters["display"] = lambda value, column: display_text(value, column, local=False)
    env.filters["check_class"] = lambda value: _check_class(str(value))
    template = env.from_string(source)
    tallest = max((b.count for b in report.histogram), default=0)
    return template.render(
        report=report,
        title=clean_line(report.title),
        tallest=tallest,
        dash=DASH,
    )


def render(report: Report, fmt_name: str, *, bom: bool = False) -> str:
    """The report as text in one of csv, json, md, html (the table is printed, not rendered);
    `bom`: CSV starts with a byte-order mark, for Excel."""
    if fmt_name == "csv":
        return to_csv(report, bom=bom)
    if fmt_name == "json":
        return to_json(report)
    if fmt_name == "md":
        return to_markdown(report)
    if fmt_name == "html":
        return to_html(report)
    raise ValueError(f"unknown format {fmt_name!r}")
