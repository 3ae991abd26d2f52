"""Re-grading: the instructor's bank decides every stored score (DESIGN.md: whose score counts).

A score that arrives in a results file is a claim. On import, each response is matched to the
instructor's copy of its question and graded by it:

- a question of a handout carries a token (`hmac-sha256:SOURCE:...`, see `quiz.app.handouts`):
  the instructor's secret recomputes it over the source bank's question, and only a match
  grades the response;
- a question with a grading hash (`sha256:...`, results files of version 2) is matched by
  `quiz.kinds.grading_hash` over the fields that decide a grade, so a fixed explanation keeps
  the match while a changed answer, tolerance or point value does not;
- without either (version 1 files, older stores), the attempt's whole-bank content hash must be
  the instructor's bank's.

A response nothing matches (an unknown question or bank, another version of the question) is
stored ungraded: score and max score 0, `graded` false, and shown as such, never silently
scored. The instructor's banks are those given with `--bank PATH` and then the catalog (bundled
banks and `QUIZ_BANKS`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.kinds import grade
from quiz.sanitize import clean_line
from quiz.store.records import ResponseRecord, option_credits

if TYPE_CHECKING:
    from quiz.bank.model import Bank, Question
    from quiz.kinds import Grade
    from quiz.store.records import AttemptRecord, BankSnapshot

HANDOUT_PREFIX = "hmac-sha256:"
HASH_PREFIX = "sha256:"


class InstructorBanks:
    """The banks the instructor has: `--bank` paths first, then the catalog, loaded lazily."""

    def __init__(self, paths: Sequence[str | Path] = (), *, home: Path | None = None) -> None:
        from quiz.bank.catalog import Catalog
        from quiz.bank.loader import load_bank

        self._given: dict[str, list[Bank]] = {}
        from quiz.app.handouts import refuse_handout

        for path in paths:
            bank = load_bank(path)
            refuse_handout(bank, "graded against (give --bank the full bank)")
            self._given.setdefault(bank.id, []).append(bank)
        self._catalog = Catalog()
        self._home = home
        self._secret: bytes | None = None
        # (bank id, bank content hash, question id) -> the question's grading hash
        self._hashes: dict[tuple[str, str, str], str] = {}
        # what `_match` found for a question and version: the banks do not change meanwhile
        self.matches: dict[tuple[str, str, str, str, bool], Match | None] = {}
        # a grade given, by question, points and response: graders are pure, and a class
        # gives the same answers again and again (kept to GRADES_KEPT, then begun afresh)
        self.grades: dict[tuple[int, float, object], tuple[Question, Grade]] = {}

    def grading_hash(self, bank: Bank, question: Question) -> str:
        """The question's grading hash, computed once per question (an import asks per
        response)."""
        from quiz.kinds import grading_hash

        if bank.content_hash is None:  # a bank not read from a file: nothing to key it by
            return grading_hash(question, bank.points(question))
        key = (bank.id, bank.content_hash, question.id)
        found = self._hashes.get(key)
        if found is None:
            found = self._hashes[key] = grading_hash(question, bank.points(question))
        return found

    def candidates(self, bank_id: str) -> list[Bank]:
        """Every bank the instructor has with this id (the given ones first)."""
        found = list(self._given.get(bank_id, []))
        if not found:
            # A catalog error (two files with one id) stops the import: grading against
            # the wrong copy, or storing everything ungraded, would be worse.
            found = [
                bank
                for bank in self._catalog.banks()
                if bank.id == bank_id and bank.handout is None
            ]
        return found

    def secret(self) -> bytes | None:
        """The instructor's handout secret, if there is one (never created here)."""
        if self._secret is None and self._home is not None:
            from quiz.app.handouts import read_secret

            self._secret = read_secret(self._home)
        return self._secret


@dataclass(frozen=True)
class Match:
    bank: Bank
    question: Question


def _match(
    banks: InstructorBanks,
    bank_id: str,
    question_id: str,
    grading: str,
    content_hash: str,
    *,
    by_id: bool = False,
) -> Match | None:
    """The instructor's question this response answers, or None. `by_id`: the instructor's
    current question with the same id, whatever its version (`scores regrade` of a response
    graded before: the answer key was fixed since). Found once per question and version (an
    import asks once per response)."""
    key = (bank_id, question_id, grading, content_hash, by_id)
    cache = banks.matches
    if key in cache:
        return cache[key]
    if len(cache) >= _MATCHES_KEPT:  # a file naming ever new versions: memory stays bounded
        cache.clear()
    found = cache[key] = _find_match(banks, bank_id, question_id, grading, content_hash, by_id)
    return found


_MATCHES_KEPT = 50_000


def _find_match(
    banks: InstructorBanks,
    bank_id: str,
    question_id: str,
    grading: str,
    content_hash: str,
    by_id: bool,
) -> Match | None:
    if grading.startswith(HANDOUT_PREFIX):
        from quiz.app.handouts import check_token, source_question, token_source

        named = token_source(grading)
        secret = banks.secret()
        if named is None or secret is None:
            return None
        for bank in banks.candidates(named):
            # a handout's question ids are keyed by the secret: map back to the bank's own
            question = source_question(secret, bank, question_id)
            if question is not None and (by_id or check_token(secret, bank, question, grading)):
                return Match(bank, question)
        return None
    if by_id:
        for bank in banks.candidates(bank_id):
            question = bank.question(question_id)
            if question is not None:
                return Match(bank, question)
        return None
    for bank in banks.candidates(bank_id):
        question = bank.question(question_id)
        if question is None:
            continue
        if grading.startswith(HASH_PREFIX):
            if banks.grading_hash(bank, question) == grading:
                return Match(bank, question)
        elif content_hash and bank.content_hash == content_hash:
            return Match(bank, question)
    return None


@dataclass
class AttemptChange:
    """What re-grading did to one attempt: the scores the file (or store) had, and the grade."""

    attempt_id: str
    user: str
    regraded: int = 0  # responses whose score changed
    ungraded: int = 0  # responses no bank could grade
    claimed: float = 0.0
    claimed_max: float = 0.0
    score: float = 0.0
    max_score: float = 0.0
    questions: list[str] = field(default_factory=list)  # bank/question of each change

    @property
    def changed(self) -> bool:
        return bool(self.regraded or self.ungraded)

    def message(self, claimed_word: str = "the file claimed") -> str:
        parts = []
        if self.regraded:
            parts.append(f"{self.regraded} response{'s' if self.regraded != 1 else ''} re-graded")
        if self.ungraded:
            parts.append(
                f"{self.ungraded} response{'s' if self.ungraded != 1 else ''} stored ungraded"
                " (no matching question in your banks)"
            )
        return (
            f"{clean_line(self.user)} ({self.attempt_id[:8]}): {', '.join(parts)}; "
            f"{claimed_word} {_num(self.claimed)}/{_num(self.claimed_max)}, "
            f"graded {_num(self.score)}/{_num(self.max_score)}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "attempt": self.attempt_id,
            "user": self.user,
            "regraded": self.regraded,
            "ungraded": self.ungraded,
            "claimed_score": self.claimed,
            "claimed_max_score": self.claimed_max,
            "score": self.score,
            "max_score": self.max_score,
            "questions": list(self.questions),
        }


def _num(value: float) -> str:
    return f"{value:g}" if math.isfinite(value) else "?"


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def token_source_of(grading: str) -> str | None:
    if not grading.startswith(HANDOUT_PREFIX):
        return None
    from quiz.app.handouts import token_source

    return token_source(grading)


def grade_response(
    banks: InstructorBanks,
    response: ResponseRecord,
    grading: str,
    content_hash: str,
    *,
    by_id: bool = False,
) -> ResponseRecord:
    """The response with the instructor's grade, or ungraded (score and max 0)."""
    found = _match(
        banks, response.bank_id, response.question_id, grading, content_hash, by_id=by_id
    )
    if found is None:
        return _graded(response, 0.0, 0.0, False, False)
    points = found.bank.points(found.question)
    if response.skipped:
        return _graded(response, 0.0, float(points), False, True)
    result = _grade_once(banks, found.question, response.response, points)
    return _graded(response, result.score, result.max_score, result.correct, True)


GRADES_KEPT = 20_000  # grades remembered by an import (memory that does not grow with it)


def _grade_once(banks: InstructorBanks, question: Question, value: object, points: float) -> Grade:
    """`grade`, remembered for a response of text or a list of texts (the same question, points
    and response always grade alike): an import grades each distinct answer once."""
    if isinstance(value, str):
        key: tuple[int, float, object] | None = (id(question), points, value)
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        key = (id(question), points, ("list", *value))
    else:
        key = None
    if key is None:
        return grade(question, value, points=points)
    kept = banks.grades.get(key)
    if kept is not None and kept[0] is question:  # held here: its id is not reused
        return kept[1]
    result = grade(question, value, points=points)
    if len(banks.grades) >= GRADES_KEPT:
        banks.grades.clear()
    banks.grades[key] = (question, result)
    return result


def _graded(
    r: ResponseRecord, score: float, max_score: float, correct: bool, graded: bool
) -> ResponseRecord:
    """The response with this grade (built directly: an import makes one per response)."""
    return ResponseRecord(
        r.bank_id,
        r.question_id,
        r.response,
        score,
        max_score,
        correct,
        seconds=r.seconds,
        answered_at=r.answered_at,
        skipped=r.skipped,
        graded=graded,
    )


def regrade_attempt(
    banks: InstructorBanks,
    attempt: AttemptRecord,
    gradings: Mapping[tuple[str, str, str], str],
    *,
    graded_by_id: bool = False,
) -> tuple[AttemptRecord, AttemptChange]:
    """Every response of `attempt` graded by the instructor's banks. `gradings` maps (bank id,
    content hash, question id) to the grading hash or token the attempt's snapshot holds.
    `graded_by_id` (`scores regrade`): a response graded before is graded by the current
    question with its id (a fixed answer key applies); an ungraded one must still match."""
    hashes = dict(attempt.banks)
    change = AttemptChange(attempt.id, attempt.user)
    responses = []
    for response in attempt.responses:
        content_hash = hashes.get(response.bank_id, "")
        grading = gradings.get((response.bank_id, content_hash, response.question_id), "")
        new = grade_response(
            banks, response, grading, content_hash, by_id=graded_by_id and response.graded
        )
        change.claimed += response.score
        change.claimed_max += response.max_score
        change.score += new.score
        change.max_score += new.max_score
        if not new.graded:
            change.ungraded += 1
            change.questions.append(f"{response.bank_id}/{response.question_id}")
        elif not (
            response.graded
            and new.correct == response.correct
            and (new.score == response.score or _same(new.score, response.score))
            and (new.max_score == response.max_score or _same(new.max_score, response.max_score))
        ):
            change.regraded += 1
            change.questions.append(f"{response.bank_id}/{response.question_id}")
        responses.append(new)
    return replace(attempt, responses=tuple(responses)), change


def gradings_of(snapshots: Iterable[BankSnapshot]) -> dict[tuple[str, str, str], str]:
    """(bank id, content hash, question id) -> grading hash or token, from snapshots."""
    return {
        (s.bank_id, s.content_hash, q.question_id): q.grading
        for s in snapshots
        for q in s.questions
        if q.grading
    }


def answered_snapshots(
    banks: InstructorBanks, snapshots: Iterable[BankSnapshot]
) -> list[BankSnapshot]:
    """The snapshots, each handout's with the right answers and explanations of the source
    questions its tokens match: what the instructor's store keeps, so that results handed
    back (`quiz scores export --user NAME`) show the learner what was right."""
    from quiz.kinds import kind_of

    out = []
    for snapshot in snapshots:
        questions = []
        for q in snapshot.questions:
            found = None
            if q.grading.startswith(HANDOUT_PREFIX):
                found = _match(banks, q.bank_id, q.question_id, q.grading, "")
            if found is None:
                questions.append(q)
                continue
            kind = kind_of(found.question)
            questions.append(
                replace(
                    q,
                    expected=kind.expected_text(found.question),
                    explanation=found.question.explanation or "",
                    answers=kind.snapshot_options(found.question)[1],
                    credits=option_credits(found.question),
                )
            )
        out.append(replace(snapshot, questions=tuple(questions)))
    return out
