"""Hypothesis strategies for valid banks: shared by the loader, dump and GIFT round trips."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from quiz.bank.model import (
    TEXT_FORMATS,
    Bank,
    ChoiceQuestion,
    DateQuestion,
    Defaults,
    MatchQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    PartialDate,
    Question,
    TextQuestion,
    Tolerance,
    TrueFalseQuestion,
)
from quiz.kinds import kind_names

ids = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
# Printable text without leading/trailing space, as an author would write it.
words = (
    st.text(
        alphabet=st.characters(
            categories=("L", "N", "P", "Zs"), exclude_characters="\u2028\u2029\x85\xa0"
        ),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


def distinct(strategy: st.SearchStrategy[str], min_size: int, max_size: int) -> st.SearchStrategy:
    return st.lists(
        strategy,
        min_size=min_size,
        max_size=max_size,
        unique_by=lambda s: " ".join(s.casefold().split()),
    )


numbers = st.one_of(
    st.integers(-(10**9), 10**9).map(float),
    st.decimals(-(10**6), 10**6, places=3, allow_nan=False, allow_infinity=False).map(float),
)
tolerances = st.one_of(
    st.just(Tolerance()),
    st.integers(0, 100).map(lambda n: Tolerance(float(n))),
    st.integers(1, 50).map(lambda n: Tolerance(n / 100, relative=True)),
)


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates())
    precision = draw(st.sampled_from(["year", "month", "day"]))
    year = max(day.year, 1)
    if precision == "year":
        return PartialDate(year)
    if precision == "month":
        return PartialDate(year, day.month)
    return PartialDate(year, day.month, day.day)


def common(qid: str) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"id": st.just(qid), "prompt": words},
        optional={
            "explanation": words,
            "tags": st.lists(ids, max_size=3, unique=True).map(tuple),
            "difficulty": st.sampled_from(["easy", "medium", "hard"]),
            "points": st.integers(1, 5).map(float),
            "paragraph": st.integers(1, 40),
            "draft": st.booleans(),
        },
    )


def _choice(draw: st.DrawFn, base: dict[str, Any]) -> Question:
    options = draw(distinct(words, 2, 5))
    return ChoiceQuestion(**base, answer=options[0], distractors=tuple(options[1:]))


def _multi(draw: st.DrawFn, base: dict[str, Any]) -> Question:
    options = draw(distinct(words, 1, 6))
    split = draw(st.integers(1, len(options)))
    return MultiQuestion(**base, answers=tuple(options[:split]), distractors=tuple(options[split:]))


def _truefalse(draw: st.DrawFn, base: dict[str, Any]) -> Question:
    return TrueFalseQuestion(**base, answer=draw(st.booleans()))


def _text(draw: st.DrawFn, base: dict[str, Any]) -> Question:
    return TextQuestion(
        **base,
        answer=draw(words),
        accept=tuple(draw(distinct(words, 0, 3))),
        fuzzy=draw(st.booleans()),
    )


def _number(draw: st.DrawFn, base: dict[str, Any]) -> Question:
    return NumberQuestion(
        **base,
        answer=draw(numbers),
        unit=draw(st.none() | st.sampled_from(["%", "barrels", "people"])),
        tolerance=draw(tolerances),
    )


def _date(draw: st.DrawFn, base: dict[str, Any]) -> Question:
    return DateQuestion(**base, answer=draw(partial_dates()))


def _match(draw: st.DrawFn, base: dict[str, Any]) -> Question:
    lefts = draw(distinct(words, 2, 5))
    rights = draw(st.lists(words, min_size=len(lefts), max_size=len(lefts)))
    return MatchQuestion(**base, pairs=tuple(zip(lefts, rights, strict=True)))


def _order(draw: st.DrawFn, base: dict[str, Any]) -> Question:
    items = draw(distinct(words, 2, 6))
    return OrderQuestion(**base, items=tuple(items))


# A question of each kind, by the kind's name (tests/test_architecture_kinds.py checks that
# every registered kind has one).
BUILDERS: dict[str, Callable[[st.DrawFn, dict[str, Any]], Question]] = {
    "choice": _choice,
    "multi": _multi,
    "truefalse": _truefalse,
    "text": _text,
    "number": _number,
    "date": _date,
    "match": _match,
    "order": _order,
}


@st.composite
def questions(draw: st.DrawFn, qid: str) -> Question:
    base = draw(common(qid))
    kind = draw(st.sampled_from([name for name in kind_names() if name in BUILDERS]))
    question = BUILDERS[kind](draw, base)
    # Texts in a format of their own (Moodle's, `formats`): an option, a left item or the
    # explanation, now and then.
    own = [*getattr(question, "options", ()), *(p[0] for p in getattr(question, "pairs", ()))]
    own += [question.explanation] if question.explanation else []
    chosen = draw(st.lists(st.sampled_from(own), max_size=2, unique=True)) if own else []
    formats = tuple(sorted((text, draw(st.sampled_from(TEXT_FORMATS))) for text in chosen))
    return replace(question, formats=formats) if formats else question


@st.composite
def banks(draw: st.DrawFn) -> Bank:
    qids = draw(st.lists(ids, min_size=1, max_size=6, unique=True))
    return Bank(
        id=draw(ids),
        title=draw(words),
        description=draw(st.none() | words),
        language=draw(st.none() | st.sampled_from(["en", "ko"])),
        defaults=draw(
            st.builds(Defaults, points=st.integers(1, 3).map(float), shuffle_choices=st.booleans())
        ),
        questions=tuple(draw(questions(qid)) for qid in qids),
    )


def valid_bank(bank: Any) -> Any:
    """The bank as the loader has it (through YAML), or skip the example if it is not valid."""
    from quiz.bank.dump import dump_bank
    from quiz.bank.loader import load_bank_text
    from quiz.errors import BankError

    try:
        return load_bank_text(dump_bank(bank))
    except BankError:
        assume(False)
        raise
