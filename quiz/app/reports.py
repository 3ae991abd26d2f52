"""The instructor's side: build a report from the store, export and import results files.

Analysis is `quiz.reports.items` (and `quiz.store.item_inputs` over the store), rendering is
`quiz.reports.render`, the results file format is `quiz.formats.results`; this module reads the
store and puts them together. Writing a report or a results file is the command's (see
`quiz.app.files`).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quiz.app.regrade import AttemptChange
    from quiz.formats.results import ImportBatch
    from quiz.reports.gradebook import Roster
    from quiz.reports.items import BankStats, QuestionResponses
    from quiz.reports.render import Report
    from quiz.store import Store
    from quiz.store.merge import MergeResult
    from quiz.store.records import AttemptRecord, ResponseValue

BY_CHOICES = ("user", "question", "responses", "marks", "attempt")
GRADE_CHOICES = ("best", "last", "first", "mean")
ATTEMPT_CHOICES = ("first", "last", "best", "all")
LMS_CHOICES = ("moodle", "canvas")
ROSTER_MAX_BYTES = 20 * 1024 * 1024


def bank_id(bank: str | None) -> str | None:
    """A bank id as given, or the id of the bank file at that path."""
    if bank is None:
        return None
    from pathlib import Path

    from quiz.paths import looks_like_path

    if looks_like_path(bank) and Path(bank).is_file():
        from quiz.bank.catalog import Catalog

        return Catalog().resolve(bank).id
    return bank


def read_roster(path: str) -> Roster:
    """A roster CSV file (see `quiz.reports.gradebook`): a regular file, at most
    ROSTER_MAX_BYTES, UTF-8 (a byte-order mark is fine). QuizError when it cannot be read."""
    import os
    import stat

    from quiz.errors import NotFound, QuizError
    from quiz.reports.gradebook import parse_roster
    from quiz.sanitize import clean_line

    shown = clean_line(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise NotFound(f"no roster file {shown}") from None
    except OSError as error:
        raise QuizError(f"cannot read the roster {shown}: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise QuizError(f"{shown} is not a regular file: name a roster CSV file")
    if info.st_size > ROSTER_MAX_BYTES:
        raise QuizError(f"{shown} is larger than {ROSTER_MAX_BYTES // (1024 * 1024)} MB")
    try:
        with open(path, "rb") as handle:
            data = handle.read(ROSTER_MAX_BYTES + 1)
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QuizError(f"{shown}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise QuizError(f"cannot read the roster {shown}: {error.strerror}") from None
    return parse_roster(text, shown)


def build_report(
    store: Store,
    *,
    by: str,
    bank: str | None,
    user: str | None,
    all_attempts: bool = False,
    grade: str = "best",
    attempts: str | None = None,
    lms: str | None = None,
    roster: Roster | None = None,
    points: bool = False,
) -> Report:
    """The report `--by` asks for ("wide": the gradebook), over one bank or all of them.

    `attempts` picks each learner's first, last or best attempt, or all of them, for the
    reports that pick (question, responses, marks); `all_attempts` is `attempts="all"`. The
    gradebook picks with `grade` (best, last, first, mean), laid out for `lms` with `roster`.
    NotFound when a bank is named that the store has never seen."""

    rule = attempts or ("all" if all_attempts else "first")
    bank_ids = [bank] if bank else None
    if bank and store.snapshot(bank) is None and not store.attempts(bank=bank, limit=1):
        from quiz.errors import NotFound
        from quiz.sanitize import clean_line

        raise NotFound(f"no scores for bank {clean_line(bank)!r} in {store.path}")
    note = _ungraded_note(store, user, bank)
    extra = [note] if note else []
    return _build(store, by, bank, bank_ids, user, rule, grade, lms, roster, points, extra)


def _ungraded_note(store: Store, user: str | None, bank: str | None) -> str | None:
    """Responses stored ungraded are in no figure of a report; the report says how many."""
    count = store.ungraded_count(user=user, bank=bank)
    if not count:
        return None
    noun = "response is" if count == 1 else "responses are"
    return (
        f"{count} {noun} stored ungraded (no bank of yours matched the question): left out of"
        " every figure here until `quiz scores regrade --bank PATH` grades them."
    )


def _build(
    store: Store,
    by: str,
    bank: str | None,
    bank_ids: list[str] | None,
    user: str | None,
    rule: str,
    grade: str,
    lms: str | None,
    roster: Roster | None,
    points: bool,
    extra: list[str],
) -> Report:
    from quiz.reports import items as analysis
    from quiz.reports import render

    if by in ("question", "responses"):
        stats = _item_stats(store, bank_ids, user, rule)
        notes = [
            analysis.version_note(s.bank_id, s.versions) for s, _ in stats if len(s.versions) > 1
        ] + extra
        if by == "responses":
            return render.responses_report(stats, notes)
        return render.question_report([s for s, _ in stats], notes)
    if by == "user":  # summed by the store's queries: no response is loaded
        inputs = store.user_report_inputs(user=user, bank=bank)
        notes = [*analysis.version_notes_of(inputs.banks, bank_ids), *extra]
        users = analysis.user_rows_from_totals(inputs, store.snapshots())
        return render.user_report(users, notes, bank_ids or ())
    records = store.attempts(user=user, bank=bank)
    snapshots = store.snapshots()
    if by == "attempt":
        notes = [*analysis.version_notes(records, bank_ids), *extra]
        rows = analysis.attempt_rows(records, snapshots, bank)
        return render.attempt_report(rows, notes, bank_ids or ())
    reportable = [a for a in records if analysis.counts_for_reports(a)]
    notes = [*analysis.version_notes(reportable, bank_ids), *extra]
    if by == "marks":
        banks = bank_ids if bank_ids is not None else analysis.banks_in(reportable)
        tables = [analysis.marks_table(reportable, snapshots, b, rule) for b in banks]
        return render.marks_report(tables, notes)
    if by == "wide":
        book = analysis.gradebook(reportable, snapshots, bank_ids, rule=grade)
        return render.gradebook_report(book, notes, lms=lms, roster=roster, points=points)
    return render.user_report(
        analysis.user_rows(reportable, snapshots, bank), notes, bank_ids or ()
    )


def _item_stats(
    store: Store, bank_ids: list[str] | None, user: str | None, rule: str
) -> list[tuple[BankStats, list[QuestionResponses]]]:
    """Item analysis, bank by bank, computed in SQL over the store, with the response
    analysis (each response normalised by its question's kind); the questions carry their
    most common wrong answer."""
    import dataclasses

    from quiz.kinds import find_kind
    from quiz.reports import items as analysis
    from quiz.store.records import unreadable_text
    from quiz.store.snapshots import SnapshotIndex

    banks = bank_ids if bank_ids is not None else store.reportable_banks(user)
    snapshots = store.snapshots()
    index = SnapshotIndex(snapshots)
    found: list[tuple[BankStats, list[QuestionResponses]]] = []
    for b in banks:
        inputs, counts = store.item_inputs_with_responses(
            b, rule=rule, user=user, snapshots=snapshots
        )
        stats = analysis.analyse_bank(inputs, rule, _known_credits(b, index))

        def parts_of(qid: str, response: ResponseValue, b: str = b) -> Sequence[Any]:
            question = index.question(b, qid)
            kind = find_kind(question.kind) if question is not None else None
            if question is None or kind is None:
                from quiz.kinds.base import ReportPart

                text = " ".join(str(response).split())
                return (ReportPart("", text, text),) if text else ()
            typed = unreadable_text(response, question.kind)  # counted as it was typed
            return kind.report_response(question, response if typed is None else typed)

        analysed = analysis.response_analysis(stats, counts, parts_of)
        stats = dataclasses.replace(stats, items=tuple(q.item for q in analysed))
        found.append((stats, analysed))
    return found


def _known_credits(bank_id: str, index: Any) -> dict[str, Sequence[tuple[str, float]]]:
    """The credits of a bank's questions, for the random guess score of choice and multi: from
    the bank known now by its id (bundled or on QUIZ_BANKS), for each question whose copy there
    grades as the stored one did (the same grading hash), for snapshots saved before they kept
    credits. Nothing when the bank is not found: the snapshot's right options then give the
    score (exact for questions without credits)."""
    mine = [q for (b, _), q in index.questions.items() if b == bank_id]
    if all(q.credits or q.kind not in ("choice", "multi") for q in mine):
        return {}  # every snapshot keeps its questions' credits: no bank to look for
    from quiz.bank.catalog import Catalog, notes
    from quiz.errors import QuizError
    from quiz.kinds import grading_hash, kind_of

    was = notes.disabled
    notes.disabled = True  # a note about which copy of a bank is used is not the report's
    try:
        bank = Catalog().bank_with_id(bank_id)  # only the files that can hold it are read
    except (QuizError, OSError):
        return {}
    finally:
        notes.disabled = was
    if bank is None:
        return {}
    found: dict[str, Sequence[tuple[str, float]]] = {}
    for question in bank.questions:
        stored = index.question(bank_id, question.id)
        if stored is None or not stored.grading:
            continue
        credits = kind_of(question).credits(question)
        if credits and grading_hash(question, bank.points(question)) == stored.grading:
            found[question.id] = credits
    return found


def report_text(report: Report, fmt_name: str, *, bom: bool = False) -> str:
    """The report as the text of a file: a table (without colour) or a rendered format."""
    from quiz.reports import render

    if fmt_name == "table":
        import io

        buffer = io.StringIO()
        render.print_table(report, buffer, color=False)
        return buffer.getvalue()
    return render.render(report, fmt_name, bom=bom)


@dataclass(frozen=True)
class Exported:
    """A results file's text, and how many attempts and bank versions it holds."""

    text: str
    attempts: int
    snapshots: int


@dataclass(frozen=True)
class ExportStream:
    """A results file as it is written: its lines (each ending in a newline), read from the
    store a page of attempts at a time, and how many attempts and bank versions it holds."""

    lines: Iterator[str]
    attempts: int
    snapshots: int
    pages: Generator[Any, None, None]

    def close(self) -> None:
        """End the store's read (call it before the store closes, read whole or not)."""
        self.pages.close()


def export_stream(store: Store, *, user: str | None, bank: str | None) -> ExportStream:
    """The attempts (of a user, drawing from a bank) as a results file, oldest first, with
    the snapshots of the bank versions they used; consume `lines`, then `close()`, before the
    store closes."""
    from quiz.formats.results import attempt_line, results_lines

    pages = store.attempt_pages(user=user, bank=bank_id(bank))
    try:
        head = next(pages)
        assert isinstance(head, tuple)
        count, keys = head
        snapshots = store.snapshots(keys)  # those found, by bank id and content hash
    except BaseException:
        pages.close()  # end the read while the store is open, not at garbage collection
        raise

    def lines() -> Iterator[str]:
        for line in results_lines((), snapshots, count=count):
            yield line + "\n"
        for page in pages:
            assert isinstance(page, list)
            for attempt in page:
                yield attempt_line(attempt) + "\n"

    return ExportStream(lines(), count, len(snapshots), pages)


def export_results(store: Store, *, user: str | None, bank: str | None) -> Exported:
    """The attempts (of a user, drawing from a bank) as a results file, oldest first, with
    the snapshots of the bank versions they used."""
    exported = export_stream(store, user=user, bank=bank)
    try:
        return Exported("".join(exported.lines), exported.attempts, exported.snapshots)
    finally:
        exported.close()


def read_results(files: Sequence[str]) -> ImportBatch:
    """Parse and check every results file before any is merged (all or nothing)."""
    from quiz.formats.results import parse_many

    return parse_many(files)


@dataclass(frozen=True)
class Imported:
    """What an import did: the merge's counts, what re-grading changed (per attempt), and
    how many responses were taken as the files say (`--trust-scores`)."""

    result: MergeResult
    changes: tuple[AttemptChange, ...] = ()
    trusted: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.result.added,
            "grown": self.result.grown,
            "skipped": self.result.skipped,
            "scores_ignored": list(self.result.scores_ignored),
            "regraded": [change.as_dict() for change in self.changes],
            "trusted_responses": self.trusted,
        }


def merge_results(
    store: Store,
    batch: ImportBatch,
    *,
    bank_paths: Sequence[str] = (),
    trust_scores: bool = False,
    home: Path | None = None,
) -> Imported:
    """Merge checked results files in one transaction; the same attempt twice is kept once.

    Every response is first re-graded against the instructor's banks (`bank_paths`, then the
    catalog; see `quiz.app.regrade`): the stored score is the instructor's grade, and a
    response no bank matches is stored ungraded. `trust_scores` keeps the files' scores (for
    files from a source the instructor controls) and counts what it did not re-grade."""
    if trust_scores:
        trusted = sum(len(a.responses) for a in batch.attempts)
        result = store.merge(batch.attempts, batch.snapshots, origins=batch.origins)
        return Imported(result, (), trusted)
    from quiz.app.regrade import (
        InstructorBanks,
        answered_snapshots,
        gradings_of,
        regrade_attempt,
    )

    banks = InstructorBanks(bank_paths, home=home)
    gradings = gradings_of(batch.snapshots)
    attempts = []
    changes = []
    for attempt in batch.attempts:
        graded, change = regrade_attempt(banks, attempt, gradings)
        attempts.append(graded)
        if change.changed:
            changes.append(change)
    snapshots = answered_snapshots(banks, batch.snapshots)
    result = store.merge(attempts, snapshots, origins=batch.origins)
    return Imported(result, tuple(changes))


# Attempts are merged (and their totals refreshed) a chunk at a time: at most this many
# attempts, or as many as hold this many responses (the memory a chunk holds).
IMPORT_CHUNK = 500
IMPORT_CHUNK_RESPONSES = 5_000


def import_results(
    store: Store,
    files: Sequence[str],
    *,
    bank_paths: Sequence[str] = (),
    trust_scores: bool = False,
    home: Path | None = None,
    chunk: int = IMPORT_CHUNK,
    as_user: str | None = None,
) -> Imported:
    """`read_results` then `merge_results`, streamed: each file is read line by line, its
    attempts re-graded and merged a chunk at a time, in one transaction over every file (all
    or nothing: a problem anywhere, in a file or against the store, leaves the store as it
    was). Memory holds a chunk, the bank versions and the attempt ids, not the files.
    `as_user`: every attempt is stored as this learner's."""
    from dataclasses import replace

    from quiz.app.regrade import (
        InstructorBanks,
        answered_snapshots,
        gradings_of,
        regrade_attempt,
    )
    from quiz.errors import ResultsFileError
    from quiz.formats.results import disagreement, read_results_stream
    from quiz.sanitize import clean_line

    banks = None if trust_scores else InstructorBanks(bank_paths, home=home)
    gradings: dict[tuple[str, str, str], str] = {}
    changes: list[AttemptChange] = []
    trusted = 0
    first_seen: dict[str, str] = {}  # attempt id -> where its first copy was read
    with store.merging() as merger:

        def flush(records: list[AttemptRecord], origins: list[str]) -> None:
            if records:
                merger.merge(records, origins)
            records.clear()
            origins.clear()

        for path in files:
            records: list[AttemptRecord] = []
            origins: list[str] = []
            pending = 0  # responses in `records`
            for item in read_results_stream(path):
                if isinstance(item, int):
                    continue
                if isinstance(item, tuple):
                    for key, value in gradings_of(item).items():
                        gradings.setdefault(key, value)
                    merger.save_snapshots(
                        item if banks is None else answered_snapshots(banks, item)
                    )
                    continue
                attempt = item.attempt
                if as_user is not None:  # `--as USER`: local history moved into a class store
                    attempt = replace(attempt, user=as_user)
                origin = f"{path}:{item.line}"
                where = first_seen.get(attempt.id)
                if where is not None:
                    flush(records, origins)  # the earlier copy is stored: compare with it
                    pending = 0
                    stored = merger.stored(attempt.id)
                    problem = None if stored is None else disagreement(stored, attempt)
                    if problem:
                        raise ResultsFileError(
                            f"{clean_line(origin)}: attempt {attempt.id} disagrees with its copy"
                            f" at {clean_line(where)} ({problem}): nothing was imported"
                        )
                else:
                    first_seen[attempt.id] = origin
                if banks is None:
                    trusted += len(attempt.responses)
                else:
                    attempt, change = regrade_attempt(banks, attempt, gradings)
                    if change.changed:
                        changes.append(change)
                records.append(attempt)
                origins.append(origin)
                pending += len(attempt.responses)
                if len(records) >= chunk or pending >= IMPORT_CHUNK_RESPONSES:
                    flush(records, origins)
                    pending = 0
            flush(records, origins)
        result = merger.finish()
    return Imported(result, tuple(changes), trusted)


def regrade_store(
    store: Store, *, bank_paths: Sequence[str] = (), home: Path | None = None
) -> list[AttemptChange]:
    """Re-grade every stored response against the instructor's banks: a graded one by the
    current question with its bank and question id (so a fixed answer key applies), an
    ungraded one once a bank matches it (its grading hash, token or bank version). A response
    no bank has keeps its stored grade. What changed, per attempt."""
    from dataclasses import replace

    from quiz.app.regrade import InstructorBanks, gradings_of, regrade_attempt

    banks = InstructorBanks(bank_paths, home=home)
    gradings = gradings_of(store.snapshots())
    changed_attempts = []
    changes = []
    for attempt in store.attempts():
        graded, change = regrade_attempt(banks, attempt, gradings, graded_by_id=True)
        if not change.regraded:
            continue
        # keep what no bank could grade as it is: regrade never loses a stored grade
        kept = tuple(
            new if new.graded else old
            for old, new in zip(attempt.responses, graded.responses, strict=True)
        )
        changed_attempts.append(replace(graded, responses=kept))
        change.ungraded = 0
        change.score = sum(r.score for r in kept)
        change.max_score = sum(r.max_score for r in kept)
        changes.append(change)
    if changed_attempts:
        store.regrade(changed_attempts)
    return changes
