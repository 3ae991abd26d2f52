"""The quiz engine, pure: which questions, in what order, with what options, and the results.

A `Session` is built from one or more banks and a *plan*: the (bank id, question id) pairs of the
quiz in the order they are asked. `select_plan` draws a plan (filters, seeded shuffle, count);
resuming an attempt passes its stored plan and responses back in. Each answer is graded by
`quiz.kinds.grade` and handed to the `on_answer` callback before the session moves on: the
command wires that callback to the store, so an answer is saved when it is given and the engine
never touches the store, the terminal or the clock (front ends measure the seconds).

Option order is derived from the seed and the question's identity, not from its position, so a
resumed attempt shows every question's options as the first run did.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from quiz import kinds
from quiz.bank.model import Bank, Question
from quiz.grading.hints import Hint, unreadable
from quiz.kinds import kind_of
from quiz.kinds.base import option_number
from quiz.sanitize import without_surrogates
from quiz.store.records import (
    ResponseRecord,
    ResponseValue,
    unreadable_response,
    unreadable_text,
)

Key = tuple[str, str]  # (bank id, question id)

# What a learner types to leave a text prompt (and, in plain mode, any prompt).
SKIP_WORDS = frozenset({":skip", ":s"})
QUIT_WORDS = frozenset({":quit", ":q"})
UNSHUFFLED_SEED = 0  # match and order options of an unshuffled quiz are mixed from this seed
UNTAGGED = "(untagged)"


@dataclass(frozen=True)
class Filters:
    """Which questions a quiz may draw: every filter given must hold (tags: any one of them)."""

    count: int | None = None
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    difficulty: tuple[str, ...] = ()
    only: frozenset[Key] | None = None  # e.g. the questions answered wrong last time
    include_drafts: bool = False

    def admits(self, bank: Bank, question: Question) -> bool:
        if question.draft and not self.include_drafts:
            return False
        if self.tags and not set(self.tags) & set(question.tags):
            return False
        if self.kinds and question.kind not in self.kinds:
            return False
        if self.difficulty and question.difficulty not in self.difficulty:
            return False
        return self.only is None or (bank.id, question.id) in self.only


def select_plan(
    banks: Sequence[Bank], filters: Filters = Filters(), *, seed: int, shuffle: bool = True
) -> list[Key]:
    """The quiz's questions in the order asked: filtered, shuffled from the seed, then cut;
    no question after one that gave its answer away (see `plan_quiz`)."""
    return list(plan_quiz(banks, filters, seed=seed, shuffle=shuffle).keys)


@dataclass(frozen=True)
class LeftOut:
    """A question left out of a quiz: it and `other` (asked) give each other's answers away."""

    key: Key
    other: Key


@dataclass(frozen=True)
class Plan:
    """A quiz's questions in the order asked, and those left out because of a give-away."""

    keys: tuple[Key, ...]
    left_out: tuple[LeftOut, ...] = ()
    replaced: int = 0  # how many of those another question took the place of (under a count)


def reveal_map(banks: Sequence[Bank]) -> dict[Key, set[Key]]:
    """For each question of the banks, the questions of its bank whose answers it shows (its
    `reveals:` and what `quiz.bank.giveaways` finds)."""
    from quiz.bank.giveaways import reveal_graph

    found: dict[Key, set[Key]] = {}
    for bank in banks:
        for question_id, revealed in reveal_graph(bank).items():
            found[(bank.id, question_id)] = {(bank.id, other) for other in revealed}
    return found


def plan_quiz(
    banks: Sequence[Bank],
    filters: Filters = Filters(),
    *,
    seed: int,
    shuffle: bool = True,
    reveals: dict[Key, set[Key]] | None = None,
) -> Plan:
    """The quiz's questions: filtered, shuffled from the seed (or in the banks' order), cut
    to `filters.count`, and ordered so that no question is asked after one that showed its
    answer (`reveals`, by default `reveal_map(banks)`).

    Drawn in order, a question is left out when it and questions already drawn reveal each
    other's answers (directly, or round a longer loop), since no order can then avoid the
    give-away; under a count, the next question drawn takes its place. The questions drawn
    are asked in their drawn order, except that a question whose answer an earlier one would
    show is moved to just before that one.
    """
    pool = [(b.id, q.id) for b in banks for q in b.questions if filters.admits(b, q)]
    if shuffle:
        random.Random(seed).shuffle(pool)
    graph = reveal_map(banks) if reveals is None else reveals
    limit = len(pool) if filters.count is None else max(filters.count, 0)
    chosen: list[Key] = []
    taken: set[Key] = set()
    left_out: list[LeftOut] = []
    for key in pool:
        if len(chosen) >= limit:
            break
        loop = _loop_through(key, taken, graph)
        if loop is not None:
            left_out.append(LeftOut(key, loop))
            continue
        chosen.append(key)
        taken.add(key)
    shortfall = min(limit, len(pool)) - len(chosen)
    ordered = tuple(_revealed_first(chosen, graph))
    return Plan(ordered, tuple(left_out), len(left_out) - shortfall)


def _loop_through(key: Key, taken: set[Key], graph: dict[Key, set[Key]]) -> Key | None:
    """A question of `taken` with which `key` would close a loop of give-aways (`key` shows
    its answer, directly or through others of `taken`, and it shows `key`'s), else None."""
    seen: set[Key] = set()
    stack = [other for other in graph.get(key, ()) if other in taken]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        if key in graph.get(current, ()):
            return current
        stack.extend(other for other in graph.get(current, ()) if other in taken)
    return None


def _revealed_first(chosen: list[Key], graph: dict[Key, set[Key]]) -> list[Key]:
    """`chosen` in its order, except that each question comes after every question of
    `chosen` whose answer it shows: those are moved to just before it (there is no loop: see
    `plan_quiz`)."""
    position = {key: index for index, key in enumerate(chosen)}
    placed: set[Key] = set()
    ordered: list[Key] = []
    for first in chosen:
        # depth first, without recursion: a question goes in once all it shows are in
        stack: list[tuple[Key, list[Key]]] = []
        if first not in placed:
            placed.add(first)
            stack.append((first, _shown_by(first, graph, position)))
        while stack:
            key, waiting = stack[-1]
            while waiting and waiting[0] in placed:
                waiting.pop(0)
            if waiting:
                other = waiting.pop(0)
                placed.add(other)
                stack.append((other, _shown_by(other, graph, position)))
            else:
                stack.pop()
                ordered.append(key)
    return ordered


def _shown_by(key: Key, graph: dict[Key, set[Key]], position: dict[Key, int]) -> list[Key]:
    """The questions of the quiz whose answers `key` shows, in the quiz's order."""
    return sorted(
        (other for other in graph.get(key, ()) if other in position), key=lambda k: position[k]
    )


def new_seed() -> int:
    """A fresh seed for a quiz taken without `--seed` (stored, so a resume shows the same)."""
    return random.SystemRandom().randrange(1, 2**31)


@dataclass(frozen=True)
class Item:
    """One question as this quiz shows it: options in their shown order, its points."""

    bank: Bank
    question: Question
    number: int  # 1-based position in the plan
    points: float
    # choice, multi: options; truefalse: ("true", "false"); order: items in a shuffled order;
    # match: the right-hand texts in a shuffled order (each left is asked in turn).
    options: tuple[str, ...] = ()
    lefts: tuple[str, ...] = ()  # match: the left-hand texts, in the author's order

    @property
    def key(self) -> Key:
        return (self.bank.id, self.question.id)

    @property
    def kind(self) -> str:
        return self.question.kind

    def option_text(self, typed: str) -> str | None:
        """The option shown as number `typed` ("2" -> the second option), else None."""
        return option_number(self.options, typed)

    def plain_response(self, line: str) -> ResponseValue:
        """A line typed in plain mode as the response graded and stored (numbers -> texts).

        Raises `Unreadable` (a ValueError, with a hint to show) when the line cannot be read
        for this kind: the learner is asked again.
        """
        text = line.strip()
        if not text:
            raise unreadable("response.empty")
        return kind_of(self.question).plain_response(self.question, self.options, text)

    def well_formed(self, response: ResponseValue) -> Hint | None:
        """None when `response` may be graded; else why it is no answer (`Kind.well_formed`):
        a front end on a terminal asks again, and `Session.answer` records it as unreadable."""
        if response is None:
            return None
        return kind_of(self.question).well_formed(self.question, response)


@dataclass(frozen=True)
class Result:
    """One graded (or skipped) question of the quiz."""

    bank_id: str
    question_id: str
    question: Question | None  # None: a resumed answer whose question left the bank
    response: ResponseValue
    score: float
    max_score: float
    correct: bool
    expected: str
    skipped: bool = False
    feedback: str | None = None
    hint: Hint | None = None  # why it was refused or wrong: quiz.ui.hints says it in words
    seconds: float | None = None
    answered_at: str | None = None
    unreadable: bool = False  # not an answer at all (given with no terminal to ask again): 0

    @property
    def key(self) -> Key:
        return (self.bank_id, self.question_id)

    @property
    def verdict(self) -> str:
        """right, partial, wrong or skipped: always said in words, never by colour alone."""
        if self.skipped:
            return "skipped"
        if self.correct:
            return "right"
        return "partial" if self.score > 0 else "wrong"

    @property
    def fraction(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0

    @property
    def tags(self) -> tuple[str, ...]:
        return self.question.tags if self.question is not None else ()

    def record(self) -> ResponseRecord:
        """What the store keeps; an unreadable answer keeps its flag in the response
        (`quiz.store.records.unreadable_response`)."""
        response = self.response
        if self.unreadable and isinstance(response, str):
            response = unreadable_response(response)
        return ResponseRecord(
            bank_id=self.bank_id,
            question_id=self.question_id,
            response=response,
            score=self.score,
            max_score=self.max_score,
            correct=self.correct,
            seconds=self.seconds,
            answered_at=self.answered_at,
            skipped=self.skipped,
        )


@dataclass(frozen=True)
class TagTotal:
    tag: str
    score: float
    max_score: float
    asked: int
    right: int

    @property
    def percent(self) -> float:
        return 100 * self.score / self.max_score if self.max_score else 0.0


@dataclass(frozen=True)
class Summary:
    score: float
    max_score: float
    total: int  # questions in the plan
    answered: int  # given an answer (skips not counted)
    skipped: int
    right: int
    by_tag: tuple[TagTotal, ...]
    missed: tuple[Result, ...]  # wrong, partial or skipped, in the order asked
    results: tuple[Result, ...] = field(default=())

    @property
    def percent(self) -> float:
        return 100 * self.score / self.max_score if self.max_score else 0.0

    @property
    def complete(self) -> bool:
        return self.answered + self.skipped >= self.total


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Session:
    """A quiz in progress: the plan, where we are in it, and the results so far."""

    def __init__(
        self,
        banks: Sequence[Bank],
        plan: Iterable[Key],
        *,
        seed: int,
        shuffle: bool = True,
        answered: Iterable[ResponseRecord] = (),
        on_answer: Callable[[Result], None] | None = None,
        clock: Callable[[], str] = _now,
    ) -> None:
        self.banks = tuple(banks)
        self.seed = seed
        self.shuffle = shuffle
        self.on_answer = on_answer
        self._clock = clock
        by_id = {bank.id: bank for bank in self.banks}
        self.items: list[Item] = []
        self.dropped: list[Key] = []  # planned questions no longer in their bank
        for bank_id, question_id in plan:
            bank = by_id.get(bank_id)
            question = bank.question(question_id) if bank is not None else None
            if bank is None or question is None:
                self.dropped.append((bank_id, question_id))
                continue
            self.items.append(self._item(bank, question, len(self.items) + 1))
        self.plan: tuple[Key, ...] = tuple(item.key for item in self.items)
        planned = {item.key: item for item in self.items}
        self.results: list[Result] = []
        seen: set[Key] = set()
        for record in answered:
            key = (record.bank_id, record.question_id)
            if key in seen or key not in planned:
                continue
            seen.add(key)
            self.results.append(_from_record(record, planned[key]))
        self._pending = [item for item in self.items if item.key not in seen]

    @classmethod
    def build(
        cls,
        banks: Sequence[Bank],
        filters: Filters = Filters(),
        *,
        seed: int,
        shuffle: bool = True,
        on_answer: Callable[[Result], None] | None = None,
    ) -> Session:
        """A new quiz drawn from `banks` (see `select_plan`)."""
        plan = select_plan(banks, filters, seed=seed, shuffle=shuffle)
        return cls(banks, plan, seed=seed, shuffle=shuffle, on_answer=on_answer)

    def _item(self, bank: Bank, question: Question, number: int) -> Item:
        # Unshuffled (`--no-shuffle`, a graded sheet), match and order options still need a
        # mixed order, and it must be the same on every run and on resume: a fixed seed.
        seed = self.seed if self.shuffle else UNSHUFFLED_SEED
        rng = random.Random(f"{seed}/{bank.id}/{question.id}")
        shuffle_options = self.shuffle and bank.defaults.shuffle_choices
        options, lefts = kind_of(question).options(question, rng, shuffle_options)
        return Item(bank, question, number, float(bank.points(question)), options, lefts)

    # -- where we are -------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def current(self) -> Item | None:
        return self._pending[0] if self._pending else None

    @property
    def remaining(self) -> int:
        return len(self._pending)

    @property
    def done(self) -> bool:
        return not self._pending

    @property
    def position(self) -> int:
        """1-based count of the question being asked (answered so far + 1)."""
        return len(self.results) + 1

    # -- answering ----------------------------------------------------------------------------
    def answer(self, response: ResponseValue, seconds: float | None = None) -> Result:
        """Grade the current question's response, hand the result on, and move to the next."""
        item = self._require_current()
        if response is None:
            return self.skip(seconds)
        response = without_surrogates(response)
        refused = item.well_formed(response)
        if refused is not None:  # no terminal to ask again: recorded as unreadable, 0 points
            return self.answer_unreadable(response, refused, seconds)
        graded = kinds.grade(item.question, response, points=item.points)
        result = Result(
            bank_id=item.bank.id,
            question_id=item.question.id,
            question=item.question,
            response=response,
            score=graded.score,
            max_score=graded.max_score,
            correct=graded.correct,
            expected=graded.expected,
            feedback=graded.feedback,
            hint=graded.hint,
            seconds=seconds,
            answered_at=self._clock(),
        )
        return self._accept(result)

    def answer_unreadable(
        self, text: ResponseValue, hint: Hint, seconds: float | None = None
    ) -> Result:
        """Record `text` as an unreadable answer to the current question (0 points): what a
        front end with no terminal to ask again does with an answer it cannot read."""
        item = self._require_current()
        return self._accept(
            Result(
                bank_id=item.bank.id,
                question_id=item.question.id,
                question=item.question,
                response=text,
                score=0.0,
                max_score=item.points,
                correct=False,
                expected=kind_of(item.question).expected_text(item.question),
                hint=hint,
                seconds=seconds,
                answered_at=self._clock(),
                unreadable=True,
            )
        )

    def answer_plain(self, line: str, seconds: float | None = None) -> Result:
        """Plain mode: the line typed, option numbers turned into option texts, graded."""
        item = self._require_current()
        return self.answer(item.plain_response(line), seconds)

    def skip(self, seconds: float | None = None) -> Result:
        """Skip the current question: it scores 0 and is shown as skipped."""
        item = self._require_current()
        result = Result(
            bank_id=item.bank.id,
            question_id=item.question.id,
            question=item.question,
            response=None,
            score=0.0,
            max_score=item.points,
            correct=False,
            expected=kind_of(item.question).expected_text(item.question),
            skipped=True,
            seconds=seconds,
            answered_at=self._clock(),
        )
        return self._accept(result)

    def _require_current(self) -> Item:
        item = self.current
        if item is None:
            raise IndexError("the quiz has no question left to answer")
        return item

    def _accept(self, result: Result) -> Result:
        if self.on_answer is not None:
            self.on_answer(result)  # saved first: if that fails, the question is asked again
        self.results.append(result)
        self._pending.pop(0)
        return result

    # -- the end ------------------------------------------------------------------------------
    def summary(self) -> Summary:
        return summarize(self.results, total=self.total)


def summarize(results: Sequence[Result], *, total: int | None = None) -> Summary:
    """Score, per-tag totals and the missed questions of a list of results."""
    tags: dict[str, list[Result]] = {}
    for result in results:
        for tag in result.tags or (UNTAGGED,):
            tags.setdefault(tag, []).append(result)
    by_tag = tuple(
        TagTotal(
            tag=tag,
            score=sum(r.score for r in rs),
            max_score=sum(r.max_score for r in rs),
            asked=len(rs),
            right=sum(1 for r in rs if r.correct),
        )
        for tag, rs in sorted(tags.items(), key=lambda kv: (kv[0] == UNTAGGED, kv[0]))
    )
    return Summary(
        score=sum(r.score for r in results),
        max_score=sum(r.max_score for r in results),
        total=len(results) if total is None else total,
        answered=sum(1 for r in results if not r.skipped),
        skipped=sum(1 for r in results if r.skipped),
        right=sum(1 for r in results if r.correct),
        by_tag=by_tag if any(t.tag != UNTAGGED for t in by_tag) else (),
        missed=tuple(r for r in results if not r.correct),
        results=tuple(results),
    )


def _from_record(record: ResponseRecord, item: Item) -> Result:
    text = unreadable_text(record.response, item.question.kind)
    return Result(
        bank_id=record.bank_id,
        question_id=record.question_id,
        question=item.question,
        response=record.response if text is None else text,
        unreadable=text is not None,
        hint=None if text is None else item.well_formed(text),
        score=record.score,
        max_score=record.max_score,
        correct=record.correct,
        expected=kind_of(item.question).expected_text(item.question),
        skipped=record.skipped,
        seconds=record.seconds,
        answered_at=record.answered_at,
    )
