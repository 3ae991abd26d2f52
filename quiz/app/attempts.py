"""Attempts: start a quiz or a study session, resume one, save each answer, finish, grade a sheet.

The commands `take`, `study` and `grade` share one pattern: store the banks' snapshots, start an
attempt, let a `Session` ask (or a sheet answer) its questions while `saver` commits each answer
as it is given, then finish. Here that pattern is plain functions over the store, the session and
the banks; asking the questions and printing belong to the command and the front end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from quiz.app.stores import open_store as open_store  # (here too, for the commands)
from quiz.times import attempt_order

if TYPE_CHECKING:
    from quiz.bank.model import Bank
    from quiz.session import Filters, LeftOut, Result, Session, Summary
    from quiz.store import Store
    from quiz.store.records import AttemptRecord, ResponseRecord, ResponseValue

Key = tuple[str, str]  # (bank id, question id)

# The modes of attempts that `take --resume` continues (a study session is rerun, not resumed).
QUIZ_MODES = ("take", "exam")


@dataclass(frozen=True)
class QuizRequest:
    """What the learner asked `quiz take` for (all optional: the whole bank, shuffled)."""

    count: int | None = None
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    difficulty: str | None = None
    seed: int | None = None  # None: a fresh one
    shuffle: bool = True
    wrong_only: bool = False
    exam: bool = False


@dataclass(frozen=True)
class Progress:
    """How far an attempt got: answered (skips excluded), skipped, and planned questions."""

    answered: int
    skipped: int
    total: int


@dataclass(frozen=True)
class SetAside:
    """An unfinished attempt that starting the same quiz afresh set aside (now abandoned)."""

    bank_ids: tuple[str, ...]
    progress: Progress
    attempt_id: str = ""  # kept, closed: `scores show` shows its answers


@dataclass(frozen=True)
class Running:
    """A stored attempt under way, and the session that asks its questions and saves each one."""

    attempt_id: str
    session: Session
    banks: tuple[Bank, ...]
    exam: bool = False
    # The unfinished attempt this one replaced, when anything in it had been answered.
    set_aside: SetAside | None = None
    # Questions left out because they and a question asked give away each other's answers,
    # and how many of them another question replaced (under --count): the learner is told.
    left_out: tuple[LeftOut, ...] = ()
    replaced: int = 0

    @property
    def bank_ids(self) -> tuple[str, ...]:
        return tuple(bank.id for bank in self.banks)

    @property
    def handout(self) -> bool:
        """A sealed handout: feedback withheld, answers stored ungraded for the instructor."""
        return any(bank.handout is not None for bank in self.banks)

    def progress(self) -> Progress:
        return session_progress(self.session)


def session_progress(session: Session) -> Progress:
    skipped = sum(1 for r in session.results if r.skipped)
    return Progress(len(session.results) - skipped, skipped, session.total)


def saver(
    store: Store,
    attempt_id: str,
    then: Callable[[Result], None] | None = None,
    *,
    ungraded: bool = False,
) -> Callable[[Result], None]:
    """Store each answer as it is given; a Ctrl-C waits until it is stored whole (and `then`,
    e.g. the study card's review, is done), then interrupts."""
    from quiz.ui.interrupts import deferred_sigint

    def save(result: Result) -> None:
        record = result.record()
        if ungraded:  # a handout: its copy of the question cannot grade it (nor say what
            # is unreadable: the response as given, for the instructor's copy to grade)
            record = replace(
                record,
                response=result.response,
                score=0.0,
                max_score=0.0,
                correct=False,
                graded=False,
            )
        with deferred_sigint():
            store.record_response(attempt_id, record)
            if then is not None:
                then(result)

    return save


def _snapshot(store: Store, banks: Sequence[Bank]) -> None:
    """Keep each bank version seen, so reports do not depend on the YAML staying on disk."""
    from quiz.store.records import snapshot_of

    for bank in banks:
        store.save_snapshot(snapshot_of(bank))


def _bank_hashes(banks: Sequence[Bank]) -> list[tuple[str, str]]:
    return [(b.id, b.content_hash or "") for b in banks]


# --- take ------------------------------------------------------------------------------------


def find_resumable(store: Store, user: str, banks: Sequence[Bank]) -> AttemptRecord | None:
    """The user's latest unfinished quiz on exactly these banks; with no banks, on any."""
    if banks:
        bank_ids = [b.id for b in banks]
        candidates = [store.find_resumable(user, bank_ids, mode=mode) for mode in QUIZ_MODES]
        found = sorted((a for a in candidates if a is not None), key=attempt_order)
        return found[-1] if found else None
    unfinished = [
        a for a in store.attempts(user=user, status="in_progress") if a.mode in QUIZ_MODES
    ]
    return unfinished[0] if unfinished else None


def resume_quiz(store: Store, user: str, banks: Sequence[Bank], *, exam: bool = False) -> Running:
    """Continue the attempt `find_resumable` finds, with its plan, seed and answers so far;
    with no banks given, its banks are looked up by id. NotFound when there is none. An exam
    stays an exam; `exam` makes any resumed quiz one (feedback held to the end)."""
    from quiz.errors import NotFound
    from quiz.session import Session

    attempt = find_resumable(store, user, banks)
    if attempt is None:
        where = f" on {', '.join(b.id for b in banks)}" if banks else ""
        raise NotFound(
            f"no unfinished quiz for {user}{where} to resume: start one with `quiz take`"
        )
    if not banks:
        from quiz.bank.catalog import Catalog

        banks = Catalog().resolve_many([bank_id for bank_id, _ in attempt.banks])
    session = Session(
        banks,
        attempt.plan,
        seed=attempt.seed if attempt.seed is not None else 0,
        shuffle=attempt.seed is not None,
        answered=_graded_here(banks, attempt.responses)
        if store.class_role == "learner" and not is_handout(banks)
        else attempt.responses,
        on_answer=saver(store, attempt.id, ungraded=is_handout(banks)),
    )
    return Running(
        attempt.id,
        session,
        tuple(banks),
        exam=exam or attempt.mode == "exam" or is_handout(banks),
    )


def wrong_last_time(store: Store, user: str, banks: Sequence[Bank]) -> frozenset[Key]:
    """The questions of these banks the user got wrong the last time they answered them."""
    return frozenset((b.id, qid) for b in banks for qid in store.wrong_last_time(user, b.id))


def start_quiz(
    store: Store, user: str, banks: Sequence[Bank], request: QuizRequest
) -> Running | None:
    """Plan a quiz, store it and return it running; None when `wrong_only` finds nothing to
    retry. A plan with no question is a QuizError naming the filters. The user's unfinished
    attempt on the same banks and mode is set aside (reported if anything in it was answered).
    No question is asked after one that gives its answer away (`quiz.session.plan_quiz`);
    `left_out` says which were left out for it, for the learner to be told.
    """
    from quiz.errors import QuizError
    from quiz.session import Filters, Session, new_seed, plan_quiz

    handout = refuse_mixed_handouts(banks)
    if handout and request.wrong_only:
        raise QuizError(
            "--wrong-only cannot be used with a handout: its answers are graded by the"
            " instructor, so nothing here says which were wrong"
        )
    if request.wrong_only:
        from quiz.app.classroom import WAITING, awaiting_grades

        waiting = awaiting_grades(store, user, [b.id for b in banks])
        if waiting:
            raise QuizError(
                f"--wrong-only: your last answers to {', '.join(waiting)} are {WAITING}, so"
                " nothing says yet which were wrong; take the whole bank, or try again once"
                " they are graded (your instructor's next command grades them)"
            )
    only = wrong_last_time(store, user, banks) if request.wrong_only else None
    if only is not None and not only:
        return None
    seed = request.seed if request.seed is not None else new_seed()
    filters = Filters(
        count=request.count,
        tags=request.tags,
        kinds=request.kinds,
        difficulty=(request.difficulty,) if request.difficulty else (),
        only=only,
    )
    planned = plan_quiz(banks, filters, seed=seed, shuffle=request.shuffle)
    plan = list(planned.keys)
    if not plan:
        raise QuizError("no question matches: " + filters_text(banks, filters))
    _snapshot(store, banks)
    mode = "exam" if request.exam or handout else "take"
    replaced = store.find_resumable(user, [b.id for b in banks], mode=mode)
    attempt_id = store.start_attempt(
        user=user,
        banks=_bank_hashes(banks),
        mode=mode,
        seed=seed if request.shuffle else None,
        plan=plan,
    )
    session = Session(
        banks,
        plan,
        seed=seed,
        shuffle=request.shuffle,
        on_answer=saver(store, attempt_id, ungraded=handout),
    )
    set_aside = None
    if replaced is not None and replaced.responses:  # (nothing answered: nothing lost)
        set_aside = SetAside(
            tuple(b for b, _ in replaced.banks), attempt_progress(replaced), replaced.id
        )
    return Running(
        attempt_id,
        session,
        tuple(banks),
        exam=request.exam or handout,
        set_aside=set_aside,
        left_out=planned.left_out,
        replaced=planned.replaced,
    )


def is_handout(banks: Sequence[Bank]) -> bool:
    return any(bank.handout is not None for bank in banks)


def refuse_mixed_handouts(banks: Sequence[Bank]) -> bool:
    """Whether this quiz is a handout; QuizError when a handout is mixed with other banks."""
    from quiz.errors import QuizError

    handouts = [bank.id for bank in banks if bank.handout is not None]
    if handouts and len(banks) > 1:
        raise QuizError(f"the handout {handouts[0]} is taken on its own, not with other banks")
    return bool(handouts)


def _graded_here(
    banks: Sequence[Bank], responses: Sequence[ResponseRecord]
) -> tuple[ResponseRecord, ...]:
    """A learner's answers as a class store keeps them: ungraded (the instructor's grade step
    grades them). Graded again by the learner's copy of the bank, for the screen only."""
    from quiz.kinds import grade

    by_id = {bank.id: bank for bank in banks}
    out = []
    for response in responses:
        bank = by_id.get(response.bank_id)
        question = bank.question(response.question_id) if bank is not None else None
        if response.graded or bank is None or question is None:
            out.append(response)
            continue
        points = float(bank.points(question))
        if response.skipped:
            out.append(replace(response, max_score=points))
            continue
        result = grade(question, response.response, points=points)
        out.append(
            replace(
                response,
                score=result.score,
                max_score=result.max_score,
                correct=result.correct,
                graded=True,
            )
        )
    return tuple(out)


def unfinished(store: Store, user: str, banks: Sequence[Bank], *, exam: bool) -> Progress | None:
    """How far the user's unfinished attempt on these banks got (None: none, or nothing in it
    answered): a terminal asks whether to resume it rather than set it aside."""
    mode = "exam" if exam else "take"
    found = store.find_resumable(user, [b.id for b in banks], mode=mode)
    if found is None or not found.responses:
        return None
    return attempt_progress(found)


def attempt_progress(attempt: AttemptRecord) -> Progress:
    skipped = sum(1 for r in attempt.responses if r.skipped)
    total = len(attempt.plan) or len(attempt.responses)
    return Progress(len(attempt.responses) - skipped, skipped, total)


def filters_text(banks: Sequence[Bank], filters: Filters) -> str:
    """The filters of a quiz in words, for "no question matches: ..."."""
    parts = [f"bank{'s' if len(banks) != 1 else ''} {', '.join(b.id for b in banks)}"]
    if filters.tags:
        parts.append(f"tag {' or '.join(filters.tags)}")
    if filters.kinds:
        parts.append(f"kind {' or '.join(filters.kinds)}")
    if filters.difficulty:
        parts.append(f"difficulty {' or '.join(filters.difficulty)}")
    if filters.only is not None:
        parts.append("answered wrong last time")
    return "; ".join(parts)


def finish(store: Store, running: Running) -> None:
    """Mark the attempt finished (every answer is already stored)."""
    store.finish_attempt(running.attempt_id)


def _facts_by_question(banks: Sequence[Bank]) -> Iterator[tuple[Key, list[Any]]]:
    """Each question's facts (None for one not found) from its bank's source record; banks
    without a source, or whose record cannot be read, give nothing."""
    from quiz.bank.catalog import Catalog
    from quiz.errors import QuizError

    catalog = Catalog()
    for bank in banks:
        if not bank.source:
            continue
        try:
            source = catalog.source(bank.source, bank)
        except (QuizError, OSError):
            continue
        for question in bank.questions:
            yield (bank.id, question.id), [source.fact(fact_id) for fact_id in question.facts]


def citations(banks: Sequence[Bank]) -> dict[Key, tuple[int, ...]]:
    """The source paragraphs of each question's facts, from the banks' source records.

    A question whose facts cannot be looked up (no source, a record not found, an unknown fact)
    is left out: its feedback cites the question's own `paragraph`, if it has one.
    """
    found: dict[Key, tuple[int, ...]] = {}
    for key, facts in _facts_by_question(banks):
        paragraphs = sorted({fact.paragraph for fact in facts if fact is not None})
        if paragraphs:
            found[key] = tuple(paragraphs)
    return found


def source_notes(banks: Sequence[Bank], asked: Iterable[Key] | None = None) -> dict[Key, str]:
    """What each question's source paragraphs say, from the banks' source records: the
    statements of the facts the question tests (the record's own words), joined. Questions
    whose facts cannot be looked up are left out (as in `citations`).

    A fact that another question of the quiz (`asked`: its plan; else every question of the
    banks) also tests is not stated: its words would give that question's answer away (the
    feedback still cites its paragraph)."""
    from collections import Counter

    found_facts = _facts_by_question(banks)
    by_question = {key: [f for f in facts if f is not None] for key, facts in found_facts}
    keys = set(by_question) if asked is None else set(asked) & set(by_question)
    # a fact by its id and words (banks may share one source record); once per question
    tested = Counter(
        fact for key in keys for fact in {(f.id, f.statement) for f in by_question[key]}
    )
    found: dict[Key, str] = {}
    for key in keys:
        said = " ".join(
            " ".join(f.statement.split())
            for f in by_question[key]
            if tested[f.id, f.statement] == 1
        )
        if said:
            found[key] = said
    return found


# --- study -----------------------------------------------------------------------------------


def start_study(store: Store, user: str, banks: Sequence[Bank], count: int) -> Running | None:
    """A study session of the questions due (then new ones), at most `count`; None when
    nothing is due. Each answer (not a skip) also updates the question's FSRS card."""
    from quiz.app import study as scheduler
    from quiz.session import Session, new_seed

    if is_handout(banks):
        from quiz.errors import QuizError

        raise QuizError(
            "a handout cannot be studied: its answers are withheld and graded by the"
            " instructor (study the full bank instead)"
        )
    due = scheduler.due_questions(store, user, banks, count)
    if not due:
        return None
    _snapshot(store, banks)
    seed = new_seed()
    attempt_id = store.start_attempt(
        user=user, banks=_bank_hashes(banks), mode="study", seed=seed, plan=list(due)
    )

    def review(result: Result) -> None:
        if not result.skipped:
            scheduler.review(store, user, result.bank_id, result.question_id, result.fraction)

    session = Session(banks, due, seed=seed, on_answer=saver(store, attempt_id, review))
    return Running(attempt_id, session, tuple(banks))


def study_counts(store: Store, user: str, running: Running) -> tuple[int, int]:
    """(due for review, new) among a study session's questions."""
    plan = running.session.plan
    seen = {(c.bank_id, c.question_id) for c in store.cards(user, sorted({b for b, _ in plan}))}
    due = sum(1 for key in plan if key in seen)
    return due, len(plan) - due


def study_forecast(store: Store, user: str, bank_ids: Sequence[str]) -> dict[str, int]:
    """How many cards are due today, tomorrow and this week."""
    from quiz.app import study as scheduler

    return scheduler.forecast(store, user, bank_ids)


# --- grade -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """An answer sheet read and checked against its bank: the responses by question id."""

    bank: Bank
    user: str | None  # the sheet's `user:`, if any
    responses: dict[str, ResponseValue]
    path: str = ""
    # where each answer is written: question id -> (line, column), 1-based
    places: dict[str, tuple[int, int]] = field(default_factory=dict)


def read_sheet(sheet_path: str, bank_ref: str) -> Sheet:
    """Load the sheet (first: its errors come first), then the bank; unknown ids are errors."""
    from quiz.app.handouts import refuse_handout
    from quiz.bank.catalog import Catalog
    from quiz.bank.sheet import load_sheet, responses_for

    sheet = load_sheet(sheet_path)
    bank = Catalog().resolve(bank_ref)
    refuse_handout(bank, "graded from an answer sheet")
    places = {
        question_id: (value.start_mark.line + 1, value.start_mark.column + 1)
        for question_id, (_, value) in sheet.answers.items()
    }
    return Sheet(bank, sheet.user, responses_for(sheet, bank), sheet.path, places)


@dataclass(frozen=True)
class Graded:
    """A graded sheet: the summary, and the attempt it was recorded as (None: not recorded)."""

    bank: Bank
    user: str
    summary: Summary
    attempt_id: str | None

    def as_dict(self) -> dict[str, Any]:
        """`quiz grade --json`'s object (DESIGN.md: Answer sheets)."""
        return {
            "bank": self.bank.id,
            "user": self.user,
            "score": self.summary.score,
            "max_score": self.summary.max_score,
            "questions": [
                {
                    "id": r.question_id,
                    "score": r.score,
                    "max_score": r.max_score,
                    "correct": r.correct,
                    "response": r.response,
                    "expected": r.expected,
                }
                for r in self.summary.results
            ],
        }


def grade_sheet(sheet: Sheet, user: str, store: Store | None) -> Graded:
    """Grade every question of the bank in its order (left out: not answered, 0); with a
    store, record it as a finished `grade` attempt, whole or not at all (one transaction: a
    full disk or a kill leaves no half-written attempt)."""
    import uuid

    from quiz.bank.sheet import answered
    from quiz.session import Session
    from quiz.store.records import AttemptRecord, snapshot_of
    from quiz.times import utc_now

    bank = sheet.bank
    plan = [(bank.id, q.id) for q in bank.questions]
    started = utc_now()
    records: list[ResponseRecord] = []
    session = Session(
        [bank], plan, seed=0, shuffle=False, on_answer=lambda r: records.append(r.record())
    )
    while (item := session.current) is not None:
        # an empty answer is no answer (not a wrong one), however the sheet was made
        session.answer(answered(sheet.responses.get(item.question.id)))
    attempt_id = None
    if store is not None:
        attempt_id = str(uuid.uuid4())
        attempt = AttemptRecord(
            id=attempt_id,
            user=user,
            banks=tuple(_bank_hashes([bank])),
            mode="grade",
            started_at=started,
            status="finished",
            finished_at=utc_now(),
            plan=tuple(plan),
            responses=tuple(records),
        )
        store.merge([attempt], [snapshot_of(bank)])
    return Graded(bank, user, session.summary(), attempt_id)
