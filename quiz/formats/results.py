"""The portable results file: JSON Lines written by `quiz scores export`, read by `import`.

Line 1 is a header, `{"format": "quiz-results", "version": 2, "attempts": N, "snapshots": M}`;
then M lines `{"type": "snapshot", ...}` (the bank versions the attempts used), then N lines
`{"type": "attempt", ...}`, each attempt with its responses. The header's counts make a file cut
short detectable even when it was cut at a line boundary.

Results files come from other people: parsing checks every key and type, and any problem is a
`ResultsFileError` naming `file:line`. Strings are kept as written (they are data); whoever shows
them passes them through `quiz.sanitize` first, and so do the messages here.

Version 2 adds each snapshot question's `grading` hash (matched against the instructor's copy
of the question when the file is imported: the file's scores are claims, re-graded there) and
each response's `graded` flag; version 1 files are still read, and matched by the whole bank's
content hash. Version 3 adds each choice and multi question's `credits` ([option, fraction]
pairs, every option's) and `formats` ([option, format] pairs for options in a format of their
own), so that item analysis needs no bank; older files, without them, are read as before.
Numbers are held to `quiz.limits` (a score of 10^400 or a seed of 10^30 is a located error, not
a traceback), and attempt ids are read in any UUID spelling and kept in the canonical one.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from quiz import limits
from quiz.errors import ResultsFileError
from quiz.kinds import kind_names
from quiz.sanitize import clean_line, json_text, name_problem
from quiz.store.records import (
    ATTEMPT_MODES,
    ATTEMPT_STATUSES,
    AttemptRecord,
    BankSnapshot,
    QuestionSnapshot,
    ResponseRecord,
    ResponseValue,
    question_snapshot_dict,
)

FORMAT = "quiz-results"
VERSION = 3
READABLE_VERSIONS = (1, 2, 3)
_SCORE_SLACK = 1e-9
_MAX_SECONDS = 366 * 24 * 3600


# ---------------------------------------------------------------------------------------------
# Writing


def snapshot_to_dict(snapshot: BankSnapshot) -> dict[str, Any]:
    return {
        "type": "snapshot",
        "bank": snapshot.bank_id,
        "content_hash": snapshot.content_hash,
        "title": snapshot.title,
        "questions": [question_snapshot_dict(q, id_key="id") for q in snapshot.questions],
    }


def response_to_dict(response: ResponseRecord) -> dict[str, Any]:
    value = response.response
    return {
        "bank": response.bank_id,
        "question": response.question_id,
        "response": list(value) if isinstance(value, (list, tuple)) else value,
        "score": response.score,
        "max_score": response.max_score,
        "correct": response.correct,
        "seconds": response.seconds,
        "answered_at": response.answered_at,
        "skipped": response.skipped,
        "graded": response.graded,
    }


def attempt_to_dict(attempt: AttemptRecord) -> dict[str, Any]:
    return {
        "type": "attempt",
        "id": attempt.id,
        "user": attempt.user,
        "banks": [list(pair) for pair in attempt.banks],
        "mode": attempt.mode,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "finished_at": attempt.finished_at,
        "seed": attempt.seed,
        "plan": [list(pair) for pair in attempt.plan],
        "responses": [response_to_dict(r) for r in attempt.responses],
    }


def _line(data: dict[str, Any]) -> str:
    return json_text(data, compact=True, allow_nan=False)


def attempt_line(attempt: AttemptRecord) -> str:
    return _line(attempt_to_dict(attempt))


def results_lines(
    attempts: Sequence[AttemptRecord],
    snapshots: Sequence[BankSnapshot],
    *,
    count: int | None = None,
) -> Iterator[str]:
    """The file's lines, without newlines: header, snapshots, attempts. `count`, when given,
    is the header's count of attempts (a streamed file writes them after these lines)."""
    yield _line(
        {
            "format": FORMAT,
            "version": VERSION,
            "attempts": len(attempts) if count is None else count,
            "snapshots": len(snapshots),
        }
    )
    for snapshot in snapshots:
        yield _line(snapshot_to_dict(snapshot))
    for attempt in attempts:
        yield _line(attempt_to_dict(attempt))


def write_results(
    out: TextIO, attempts: Sequence[AttemptRecord], snapshots: Sequence[BankSnapshot]
) -> None:
    for line in results_lines(attempts, snapshots):
        out.write(line + "\n")


def needed_snapshots(
    attempts: Iterable[AttemptRecord], snapshots: Iterable[BankSnapshot]
) -> list[BankSnapshot]:
    """The snapshots of the bank versions the attempts used, in a stable order."""
    wanted = {pair for attempt in attempts for pair in attempt.banks}
    found = {
        (s.bank_id, s.content_hash): s for s in snapshots if (s.bank_id, s.content_hash) in wanted
    }
    return [found[key] for key in sorted(found)]


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class Results:
    """One parsed results file."""

    path: str
    attempts: tuple[AttemptRecord, ...]
    snapshots: tuple[BankSnapshot, ...]
    attempt_lines: tuple[int, ...] = ()  # the line of each attempt, in the same order
    version: int = VERSION


@dataclass(frozen=True)
class ImportBatch:
    """Every attempt of the files to import, in order, each with where it was read."""

    attempts: tuple[AttemptRecord, ...]
    snapshots: tuple[BankSnapshot, ...]
    origins: tuple[str, ...]  # `file:line` of each attempt
    versions: tuple[int, ...] = ()  # the format version of each attempt's file


class _Located(Exception):
    """A problem inside one value; the line is added by the caller."""


def _show(value: object, limit: int = 60) -> str:
    text = clean_line(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text) if isinstance(value, str) else text


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class _Obj:
    """Typed access to one JSON object's keys, rejecting unknown ones."""

    def __init__(self, data: object, where: str, required: Sequence[str], optional: Sequence[str]):
        if not isinstance(data, dict):
            raise _Located(f"{where} must be an object, not {_type_name(data)}")
        self.data: dict[str, Any] = data
        self.where = where
        missing = [key for key in required if key not in data]
        if missing:
            raise _Located(f"{where} is missing {', '.join(repr(k) for k in missing)}")
        unknown = [key for key in data if key not in required and key not in optional]
        if unknown:
            raise _Located(f"{where} has unknown key {_show(unknown[0])}")

    def _label(self, key: str) -> str:
        return f"{self.where}: {key!r}"

    def text(self, key: str, *, empty: bool = False) -> str:
        value = self.data.get(key)
        if not isinstance(value, str):
            raise _Located(f"{self._label(key)} must be text, not {_type_name(value)}")
        if not empty and not value.strip():
            raise _Located(f"{self._label(key)} must not be empty")
        return value

    def opt_text(self, key: str) -> str | None:
        return None if self.data.get(key) is None else self.text(key, empty=True)

    def number(self, key: str) -> float:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _Located(f"{self._label(key)} must be a number, not {_type_name(value)}")
        problem = limits.magnitude_problem(value)
        if problem:
            raise _Located(f"{self._label(key)} {problem}, not {_show(value, 30)}")
        return float(value)

    def opt_seconds(self, key: str) -> float | None:
        """Time spent: a finite number >= 0 (at most a year), or null."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _Located(f"{self._label(key)} must be a number, not {_type_name(value)}")
        try:
            seconds = float(value)
        except OverflowError:
            seconds = math.inf
        if not (math.isfinite(seconds) and 0 <= seconds <= _MAX_SECONDS):
            raise _Located(
                f"{self._label(key)} must be between 0 and {_MAX_SECONDS:,}, not {_show(value, 30)}"
            )
        return seconds

    def boolean(self, key: str, default: bool | None = None) -> bool:
        if key not in self.data and default is not None:
            return default
        value = self.data.get(key)
        if not isinstance(value, bool):
            raise _Located(f"{self._label(key)} must be true or false, not {_type_name(value)}")
        return value

    def count(self, key: str) -> int:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _Located(f"{self._label(key)} must be a whole number >= 0, not {_show(value)}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _Located(f"{self._label(key)} must be a list of texts")
        return tuple(value)

    def pairs(self, key: str) -> tuple[tuple[str, str], ...]:
        value = self.data.get(key, [])
        ok = isinstance(value, list) and all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) and s for s in p)
            for p in value
        )
        if not ok:
            raise _Located(f"{self._label(key)} must be a list of [bank, id] pairs of texts")
        return tuple((p[0], p[1]) for p in value)

    def timestamp(self, key: str, *, optional: bool = False) -> str | None:
        if optional and self.data.get(key) is None:
            return None
        value = self.text(key)
        problem = limits.time_problem(value)
        if problem:
            raise _Located(f"{self._label(key)} {problem}: {_show(value)}")
        return value

    def choice(self, key: str, allowed: Sequence[str]) -> str:
        value = self.text(key)
        if value not in allowed:
            raise _Located(
                f"{self._label(key)} must be one of {', '.join(allowed)}, not {_show(value)}"
            )
        return value


def _parse_header(data: object) -> tuple[int, int, int]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _Located(f"not a quiz results file (the first line must be a {FORMAT!r} header)")
    obj = _Obj(
        data, "header", ("format", "version", "attempts", "snapshots"), ("exported_at", "generator")
    )
    version = data.get("version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise _Located(
            f"results file version {_show(version)} is not supported (this quiz reads"
            f" {', '.join(map(str, READABLE_VERSIONS))})"
        )
    return obj.count("attempts"), obj.count("snapshots"), int(version)


def _parse_snapshot(data: object) -> BankSnapshot:
    obj = _Obj(data, "snapshot", ("type", "bank", "content_hash", "title", "questions"), ())
    bank_id = obj.text("bank")
    questions_data = obj.data["questions"]
    if not isinstance(questions_data, list):
        raise _Located(f"snapshot {_show(bank_id)}: 'questions' must be a list")
    questions = []
    seen: set[str] = set()
    for i, item in enumerate(questions_data, 1):
        q = _Obj(
            item,
            f"snapshot {_show(bank_id)} question {i}",
            ("id", "kind", "prompt", "max_score"),
            (
                "expected",
                "tags",
                "options",
                "answers",
                "difficulty",
                "grading",
                "explanation",
                "credits",
                "formats",
            ),
        )
        question_id = q.text("id")
        if question_id in seen:
            raise _Located(
                f"snapshot {_show(bank_id)}: question {_show(question_id)} appears twice"
            )
        seen.add(question_id)
        max_score = q.number("max_score")
        if max_score < 0:
            raise _Located(f"{q.where}: 'max_score' must be >= 0")
        questions.append(
            QuestionSnapshot(
                bank_id=bank_id,
                question_id=question_id,
                kind=q.choice("kind", kind_names()),
                prompt=q.text("prompt", empty=True),
                max_score=max_score,
                expected=q.opt_text("expected") or "",
                tags=q.texts("tags"),
                options=q.texts("options"),
                answers=q.texts("answers"),
                difficulty=q.opt_text("difficulty"),
                grading=q.opt_text("grading") or "",
                explanation=q.opt_text("explanation") or "",
                credits=_credits(q),
                formats=_formats(q),
            )
        )
    return BankSnapshot(
        bank_id=bank_id,
        content_hash=obj.text("content_hash", empty=True),
        title=obj.text("title", empty=True),
        questions=tuple(questions),
    )


def _credits(q: _Obj) -> tuple[tuple[str, float], ...]:
    """A snapshot question's [option, credit] pairs: none, or every option of the question
    once, each with a fraction from -1 to 1."""
    value = q.data.get("credits", [])
    label = q._label("credits")
    if not isinstance(value, list):
        raise _Located(f"{label} must be a list of [option, credit] pairs")
    options = set(q.texts("options"))
    found: dict[str, float] = {}
    for pair in value:
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and isinstance(pair[0], str)
            and not isinstance(pair[1], bool)
            and isinstance(pair[1], (int, float))
        ):
            raise _Located(f"{label} must be a list of [option, credit] pairs, not {_show(pair)}")
        text, credit = pair
        if text not in options:
            raise _Located(f"{label}: {_show(text)} is not one of the question's options")
        if text in found:
            raise _Located(f"{label}: {_show(text)} appears twice")
        if not -1.0 <= credit <= 1.0:  # (false for NaN too)
            raise _Located(f"{label}: the credit of {_show(text)} must be from -1 to 1")
        found[text] = float(credit)
    missing = [text for text in q.texts("options") if text not in found]
    if found and missing:
        raise _Located(f"{label}: the credit of {_show(missing[0])} is missing")
    return tuple(found.items())


def _formats(q: _Obj) -> tuple[tuple[str, str], ...]:
    """A snapshot question's [option, format] pairs (TEXT_FORMATS)."""
    from quiz.bank.model import TEXT_FORMATS

    value = q.data.get("formats", [])
    label = q._label("formats")
    ok = isinstance(value, list) and all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) for s in p) for p in value
    )
    if not ok:
        raise _Located(f"{label} must be a list of [option, format] pairs of texts")
    for _, text_format in value:
        if text_format not in TEXT_FORMATS:
            raise _Located(
                f"{label}: the format must be one of {', '.join(TEXT_FORMATS)},"
                f" not {_show(text_format)}"
            )
    return tuple((p[0], p[1]) for p in value)


def _response_value(value: object, where: str) -> ResponseValue:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return dict(value)
    raise _Located(
        f"{where}: 'response' must be text, a list of texts, an object of texts or null, "
        f"not {_type_name(value)}"
    )


_RESPONSE_KEYS = frozenset(
    (
        "bank",
        "question",
        "score",
        "max_score",
        "correct",
        "response",
        "seconds",
        "answered_at",
        "skipped",
        "graded",
    )
)
_NUMBER = (int, float)  # `type(x) in _NUMBER`: never a bool


def _fast_response(data: object, banks: set[str]) -> ResponseRecord | None:
    """A well-formed response read at once (a class's file holds a million); None when any
    check fails, and `_parse_response`'s field-by-field path then says what is wrong. It
    accepts exactly what that path accepts (a test holds them equal)."""
    if type(data) is not dict or not data.keys() <= _RESPONSE_KEYS:
        return None
    get: Any = data.get  # any JSON value: every one is checked below
    bank_id, question_id = get("bank"), get("question")
    score, max_score = get("score"), get("max_score")
    correct = get("correct")
    skipped, graded = get("skipped", False), get("graded", True)
    seconds, answered_at = get("seconds"), get("answered_at")
    top = limits.MAX_MAGNITUDE
    if not (
        type(bank_id) is str
        and type(question_id) is str
        and bank_id.strip()
        and question_id.strip()
        and (not banks or bank_id in banks)
        and type(score) in _NUMBER
        and type(max_score) in _NUMBER
        and -top <= score <= top
        and -top <= max_score <= top
        and 0 <= max_score
        and 0 <= score <= max_score + _SCORE_SLACK
        and type(correct) is bool
        and type(skipped) is bool
        and type(graded) is bool
        and (seconds is None or (type(seconds) in _NUMBER and 0 <= seconds <= _MAX_SECONDS))
        and (
            answered_at is None
            or (
                type(answered_at) is str
                and answered_at.strip()
                and limits.time_problem(answered_at) is None
            )
        )
    ):
        return None
    value = get("response")
    if value is not None and type(value) is not str:
        if type(value) is list and all(type(v) is str for v in value):
            value = list(value)
        elif type(value) is dict and all(type(v) is str for v in value.values()):
            value = dict(value)
        else:
            return None
    return ResponseRecord(
        bank_id=bank_id,
        question_id=question_id,
        response=value,
        score=float(score),
        max_score=float(max_score),
        correct=correct,
        seconds=None if seconds is None else float(seconds),
        answered_at=answered_at,
        skipped=skipped,
        graded=graded,
    )


def _parse_response(data: object, where: str, banks: set[str]) -> ResponseRecord:
    fast = _fast_response(data, banks)
    return fast if fast is not None else _checked_response(data, where, banks)


def _checked_response(data: object, where: str, banks: set[str]) -> ResponseRecord:
    """A response read field by field: the first problem raises, located."""
    r = _Obj(
        data,
        where,
        ("bank", "question", "score", "max_score", "correct"),
        ("response", "seconds", "answered_at", "skipped", "graded"),
    )
    bank_id = r.text("bank")
    if banks and bank_id not in banks:
        raise _Located(f"{where}: bank {_show(bank_id)} is not among the attempt's banks")
    score, max_score = r.number("score"), r.number("max_score")
    if max_score < 0 or score < 0 or score > max_score + _SCORE_SLACK:
        raise _Located(f"{where}: score {score:g} must be between 0 and max_score {max_score:g}")
    seconds = r.opt_seconds("seconds")
    return ResponseRecord(
        bank_id=bank_id,
        question_id=r.text("question"),
        response=_response_value(r.data.get("response"), where),
        score=score,
        max_score=max_score,
        correct=r.boolean("correct"),
        seconds=seconds,
        answered_at=r.timestamp("answered_at", optional=True),
        skipped=r.boolean("skipped", default=False),
        graded=r.boolean("graded", default=True),
    )


def canonical_uuid(text: str) -> str:
    """A UUID in its one canonical spelling (lower case, hyphenated) from any spelling Python
    reads: hyphens or none, braces, `urn:uuid:`, any case. ValueError if it is not one."""
    return str(uuid.UUID(text.strip()))


def _parse_attempt(data: object) -> AttemptRecord:
    a = _Obj(
        data,
        "attempt",
        ("type", "id", "user", "banks", "mode", "status", "started_at", "responses"),
        ("finished_at", "seed", "plan"),
    )
    given_id = a.text("id")
    try:
        attempt_id = canonical_uuid(given_id)
    except ValueError:
        raise _Located(f"attempt 'id' must be a UUID, not {_show(given_id)}") from None
    where = f"attempt {attempt_id[:8]}"
    problem = name_problem(a.text("user"))
    if problem is not None:
        raise _Located(f"{where}: {problem}")
    seed = a.data.get("seed")
    if seed is not None:
        problem = limits.integer_problem(seed)
        if problem:
            raise _Located(f"{where}: 'seed' {problem} (or null), not {_show(seed, 30)}")
    banks = a.pairs("banks")
    bank_ids = {b for b, _ in banks}
    plan = a.pairs("plan")
    responses_data = a.data["responses"]
    if not isinstance(responses_data, list):
        raise _Located(f"{where}: 'responses' must be a list, not {_type_name(responses_data)}")
    responses = tuple(
        _parse_response(item, f"{where} response {i}", bank_ids)
        for i, item in enumerate(responses_data, 1)
    )
    status = a.choice("status", ATTEMPT_STATUSES)
    finished_at = a.timestamp("finished_at", optional=True)
    return AttemptRecord(
        id=attempt_id,
        user=a.text("user"),
        banks=banks,
        mode=a.choice("mode", ATTEMPT_MODES),
        started_at=a.timestamp("started_at") or "",
        status=status,
        finished_at=finished_at,
        seed=seed,
        plan=plan,
        responses=responses,
    )


def parse_results_text(text: str, path: str = "<string>") -> Results:
    """Parse and validate a whole results file; `ResultsFileError` at the first problem."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    numbered = ((n, line, n == len(lines)) for n, line in enumerate(lines, 1))
    version = VERSION
    snapshots: tuple[BankSnapshot, ...] = ()
    attempts: list[AttemptRecord] = []
    attempt_lines: list[int] = []
    for item in parse_lines(numbered, path):
        if isinstance(item, int):
            version = item
        elif isinstance(item, tuple):
            snapshots = item
        else:
            attempts.append(item.attempt)
            attempt_lines.append(item.line)
    return Results(
        path=path,
        attempts=tuple(attempts),
        snapshots=snapshots,
        attempt_lines=tuple(attempt_lines),
        version=version,
    )


@dataclass(frozen=True)
class ReadAttempt:
    """One attempt of a results file being read, with its line."""

    attempt: AttemptRecord
    line: int


def parse_lines(
    numbered: Iterable[tuple[int, str, bool]], path: str
) -> Iterator[int | tuple[BankSnapshot, ...] | ReadAttempt]:
    """Parse and validate a results file line by line: (line number, line without its newline,
    whether it is the last line) in, and out, as they are read: the format version (an int),
    then every snapshot at once (a tuple, before the first attempt, even when there are none),
    then each attempt (`ReadAttempt`). `ResultsFileError` at the first problem; only the
    snapshots and the attempt ids are held, so memory does not grow with the responses."""

    def fail(line_no: int, message: str) -> ResultsFileError:
        return ResultsFileError(f"{path}:{line_no}: {message}")

    expected_attempts = expected_snapshots = 0
    snapshots: list[BankSnapshot] = []
    snapshots_given = False
    attempts = 0
    attempt_lines: dict[str, int] = {}
    snapshot_lines: dict[tuple[str, str], int] = {}
    last = 0
    for line_no, line, is_last in numbered:
        last = line_no
        if not line.strip():
            raise fail(line_no, "blank line (each line must be one JSON object)")
        try:
            data = json.loads(line, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as error:
            hint = "; was the file cut short?" if is_last else ""
            raise fail(line_no, f"not valid JSON: {_json_problem(error)}{hint}") from None
        try:
            if line_no == 1:
                expected_attempts, expected_snapshots, version = _parse_header(data)
                yield version
                continue
            kind = data.get("type") if isinstance(data, dict) else None
            if kind == "snapshot":
                if attempts:
                    raise _Located("snapshots must come before the attempts")
                if len(snapshots) >= expected_snapshots:
                    raise _Located(f"more snapshots than the header's {expected_snapshots}")
                snapshot = _parse_snapshot(data)
                key = (snapshot.bank_id, snapshot.content_hash)
                if key in snapshot_lines:
                    raise _Located(
                        f"snapshot of {_show(snapshot.bank_id)} repeats line {snapshot_lines[key]}"
                    )
                snapshot_lines[key] = line_no
                snapshots.append(snapshot)
            elif kind == "attempt":
                if len(snapshots) < expected_snapshots:
                    raise _Located(
                        f"expected {expected_snapshots} snapshots before the attempts, "
                        f"found {len(snapshots)}"
                    )
                if attempts >= expected_attempts:
                    raise _Located(f"more attempts than the header's {expected_attempts}")
                attempt = _parse_attempt(data)
                if attempt.id in attempt_lines:
                    raise _Located(f"attempt {attempt.id} repeats line {attempt_lines[attempt.id]}")
                attempt_lines[attempt.id] = line_no
                attempts += 1
                if not snapshots_given:
                    snapshots_given = True
                    yield tuple(snapshots)
                yield ReadAttempt(attempt, line_no)
            else:
                raise _Located(f"'type' must be 'snapshot' or 'attempt', not {_show(kind)}")
        except _Located as problem:
            raise fail(line_no, str(problem)) from None
    if last == 0:
        raise fail(1, "empty file: not a quiz results file")
    end = last + 1
    if len(snapshots) != expected_snapshots:
        raise fail(
            end,
            f"the header promises {expected_snapshots} snapshots, the file has "
            f"{len(snapshots)}: it was cut short or edited",
        )
    if attempts != expected_attempts:
        raise fail(
            end,
            f"the header promises {expected_attempts} attempts, the file has "
            f"{attempts}: it was cut short or edited",
        )
    if not snapshots_given:
        yield tuple(snapshots)


def _json_problem(error: BaseException) -> str:
    """What is wrong with a line, and where: "unterminated string at column 57"."""
    if isinstance(error, RecursionError):
        return "nested too deeply"
    if not isinstance(error, json.JSONDecodeError):
        if "integer string conversion" in str(error):  # Python's cap, not the user's business
            return "a whole number too long to read (over 4,300 digits)"
        return clean_line(str(error))
    # The messages end "... starting at" or "... at": the position is the column.
    what = re.sub(r"\s+(?:starting\s+)?at$", "", error.msg.strip())
    what = what[:1].lower() + what[1:]
    return clean_line(f"{what} at column {error.colno}")


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_results(path: str | Path) -> Results:
    """Read and validate one results file (`-` is not special: pass a path)."""
    from quiz.inputs import InputError, read_input

    name = str(path)
    try:
        raw = read_input(path, "results")
    except InputError as error:
        raise ResultsFileError(str(error)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ResultsFileError(f"{name}:{line}: not UTF-8 text") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse_results_text(text, name)


def _file_lines(handle: Iterable[bytes], name: str) -> Iterator[tuple[int, str, bool]]:
    """(line number, text without its newline, whether it is the last line) of a file read
    line by line: as `parse_results` splits the whole text (a leading byte-order mark is
    dropped; a line that is not UTF-8 is a located error)."""
    line_no = 0
    pending: bytes | None = None
    for raw in handle:
        if pending is not None:
            yield _decoded(pending, line_no, name, False)
        line_no += 1
        pending = raw
    if pending is not None:
        yield _decoded(pending, line_no, name, True)


def _decoded(raw: bytes, line_no: int, name: str, last: bool) -> tuple[int, str, bool]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ResultsFileError(f"{name}:{line_no}: not UTF-8 text") from None
    if line_no == 1 and text.startswith("\ufeff"):
        text = text[1:]
    if text.endswith("\n"):
        text = text[:-1]
    return line_no, text, last


def read_results_stream(path: str | Path) -> Iterator[int | tuple[BankSnapshot, ...] | ReadAttempt]:
    """`parse_lines` over a file read line by line (what `parse_results` checks, in memory
    that does not grow with the file)."""
    from quiz.inputs import InputError, input_lines

    name = str(path)
    try:
        # a regular file only, within its size cap: a FIFO or a device is refused before
        # reading (quiz.inputs), and lines are read as they are parsed
        yield from parse_lines(_file_lines(input_lines(path, "results"), name), name)
    except InputError as error:
        raise ResultsFileError(f"{error.name}: {error.reason}") from None


def parse_many(paths: Iterable[str | Path]) -> ImportBatch:
    """Every file's attempts and snapshots, all validated before anything is merged.

    Every copy of an attempt is kept, in file order, with its `file:line`: the store merges a
    copy it already holds as skipped (or grown, when the copy has more), so an attempt given in
    two files counts once as added and once as skipped. Copies that disagree (another learner or
    mode, a different response to the same question) are an error naming both places. A
    snapshot is kept once per (bank id, content hash).
    """
    attempts: list[AttemptRecord] = []
    origins: list[str] = []
    versions: list[int] = []
    seen: dict[str, list[tuple[AttemptRecord, str]]] = {}
    snapshots: dict[tuple[str, str], BankSnapshot] = {}
    for path in paths:
        results = parse_results(path)
        for snapshot in results.snapshots:
            snapshots.setdefault((snapshot.bank_id, snapshot.content_hash), snapshot)
        for attempt, line in zip(results.attempts, results.attempt_lines, strict=True):
            origin = f"{results.path}:{line}"
            for earlier, where in seen.get(attempt.id, []):
                problem = disagreement(earlier, attempt)
                if problem:
                    raise ResultsFileError(
                        f"{origin}: attempt {attempt.id} disagrees with its copy at {where}"
                        f" ({problem}): nothing was imported"
                    )
            seen.setdefault(attempt.id, []).append((attempt, origin))
            attempts.append(attempt)
            origins.append(origin)
            versions.append(results.version)
    return ImportBatch(tuple(attempts), tuple(snapshots.values()), tuple(origins), tuple(versions))


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def response_difference(old: ResponseRecord, new: ResponseRecord) -> str | None:
    """Which field of a response differs ("its 'response': 'A' against 'B'"), or None.

    Only what the learner gave is compared: the response and whether it was skipped. Scores
    are derived from it (and re-graded on import), so a copy that differs only in its scores
    is the same response."""
    if old.response != new.response:
        return f"its 'response': {_show(old.response, 30)} against {_show(new.response, 30)}"
    if old.skipped != new.skipped:
        return f"its 'skipped': {_show(old.skipped)} against {_show(new.skipped)}"
    return None


def scores_differ(old: ResponseRecord, new: ResponseRecord) -> bool:
    return not (
        _same(old.score, new.score)
        and _same(old.max_score, new.max_score)
        and old.correct == new.correct
    )


def disagreement(one: AttemptRecord, other: AttemptRecord) -> str | None:
    """How two copies of an attempt disagree (None if they agree on everything both hold):
    the learner ('user'), the 'mode', or a field of a response to a question both answered."""
    if one.user != other.user:
        return f"'user' {_show(one.user)} against {_show(other.user)}"
    if one.mode != other.mode:
        return f"'mode' {one.mode} against {other.mode}"
    mine = {(r.bank_id, r.question_id): r for r in one.responses}
    for r in other.responses:
        old = mine.get((r.bank_id, r.question_id))
        problem = None if old is None else response_difference(old, r)
        if problem:
            return f"question {clean_line(f'{r.bank_id}/{r.question_id}')}, {problem}"
    return None
