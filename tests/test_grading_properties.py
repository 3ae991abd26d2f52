"""Property tests for quiz.grading: every way of writing a right answer is right, nothing raises,
scores stay in range, and partial credit agrees with a brute-force oracle."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import assume, example, given
from hypothesis import strategies as st

from quiz.bank.model import (
    ChoiceQuestion,
    DateQuestion,
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
from quiz.grading import normalize_text, parse_date, parse_number
from quiz.grading.hints import Unreadable
from quiz.grading.text import within_one_edit
from quiz.kinds import format_response, grade, kind_of
from quiz.ui.hints import hint_text

# --------------------------------------------------------------------------------------------
# numbers: every supported way of writing a number is read as that number


def _plain(value: Decimal) -> str:
    """A Decimal in positional notation without trailing zeros after the point: 67.3, 67300."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _grouped(value: Decimal, separator: str) -> str:
    text = format(abs(value), "f")
    whole, _, frac = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", separator)
    sign = "-" if value < 0 else ""
    return sign + grouped + ("." + frac if frac else "")


def _scaled(value: Decimal, factor: int) -> str | None:
    """value / factor written out, if it is exact and short (67300 / 1000 -> '67.3')."""
    scaled = value / factor
    if scaled * factor != value or scaled == 0:
        return None
    return _plain(scaled)


def written_forms(value: Decimal) -> list[str]:
    """Every way of writing `value` (without a unit) that the grader promises to read."""
    forms = [_plain(value), format(value, "f")]
    for separator in (",", " ", "\u2009", "\u202f", "\u00a0"):
        forms.append(_grouped(value, separator))
    for factor, words in (
        (1000, ("k", "K", " k", " thousand")),
        (10**6, (" million", "m", "mn", " mln")),
        (10**9, (" billion", "bn", " bn")),
    ):
        scaled = _scaled(value, factor)
        if scaled is not None:
            forms.extend(scaled + word for word in words)
    return forms


numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(Decimal),
    st.decimals(
        min_value=Decimal("-1e9"),
        max_value=Decimal("1e9"),
        places=3,
        allow_nan=False,
        allow_infinity=False,
    ),
    st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), places=1),
).map(lambda d: d.normalize() if d != 0 else Decimal(0))


@given(numbers)
@example(Decimal("67300"))
@example(Decimal("-0.001"))
@example(Decimal("1500000000"))
def test_every_way_of_writing_a_number_is_right(value: Decimal) -> None:
    question = NumberQuestion(id="n", prompt="?", answer=float(value))
    for form in written_forms(value):
        for prefix in ("", "~", "about ", "approximately "):
            response = prefix + form
            assert parse_number(response)[0] == float(value), response
            result = grade(question, response)
            assert result.correct, (response, result)


@given(numbers, st.sampled_from(["barrels", "barrel", "Barrels", "BARRELS"]))
def test_every_way_of_writing_a_number_with_its_unit_is_right(value: Decimal, unit: str) -> None:
    question = NumberQuestion(id="n", prompt="?", answer=float(value), unit="barrels")
    for form in written_forms(value):
        for response in (f"{form} {unit}", form):
            result = grade(question, response)
            assert result.correct, (response, result)
        other = grade(question, f"{form} tonnes")
        assert not other.correct
        assert other.hint is not None and "barrels" in hint_text(other.hint)


@given(numbers, st.sampled_from(["%", " %", " percent", " per cent", " Percent", "", " pct"]))
def test_every_way_of_writing_a_percentage_is_right(value: Decimal, suffix: str) -> None:
    question = NumberQuestion(id="n", prompt="?", answer=float(value), unit="%")
    for form in written_forms(value):
        response = form + suffix
        result = grade(question, response)
        assert result.correct, (response, result)


@given(numbers, st.sampled_from([Decimal(1), Decimal("0.5"), Decimal("0.001"), Decimal(1000)]))
def test_a_different_number_is_wrong(value: Decimal, delta: Decimal) -> None:
    question = NumberQuestion(id="n", prompt="?", answer=float(value + delta))
    for form in written_forms(value):
        assert not grade(question, form).correct, form


@given(
    numbers,
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
)
def test_absolute_tolerance_is_a_closed_interval(value: Decimal, tolerance: Decimal) -> None:
    question = NumberQuestion(
        id="n", prompt="?", answer=float(value), tolerance=Tolerance(float(tolerance))
    )
    assert grade(question, _plain(value + tolerance)).correct
    assert grade(question, _plain(value - tolerance)).correct
    assert not grade(question, _plain(value + tolerance + Decimal("0.01"))).correct
    assert not grade(question, _plain(value - tolerance - Decimal("0.01"))).correct


@given(st.integers(1, 10**9), st.integers(1, 50))
def test_relative_tolerance_is_a_share_of_the_answer(answer: int, percent: int) -> None:
    question = NumberQuestion(
        id="n", prompt="?", answer=answer, tolerance=Tolerance(percent / 100, relative=True)
    )
    allowed = Decimal(answer) * percent / 100
    assert grade(question, _plain(Decimal(answer) + allowed)).correct
    assert grade(question, _plain(Decimal(answer) - allowed)).correct
    step = max(Decimal("0.01"), allowed / 1000)
    assert not grade(question, _plain(Decimal(answer) + allowed + step)).correct


# --------------------------------------------------------------------------------------------
# dates: every supported way of writing a date, at every precision

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
PRECISIONS = ("year", "month", "day")


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def date_forms(day: dt.date, precision: str) -> list[str]:
    """Ways of writing `day` at `precision` that the grader reads unambiguously."""
    y, m, d = day.year, day.month, day.day
    name, short = MONTHS[m - 1], MONTHS[m - 1][:3]
    if precision == "year":
        return [f"{y}", f"{y}."]
    if precision == "month":
        forms = [
            f"{name} {y}",
            f"{short} {y}",
            f"{short}. {y}",
            f"{name}, {y}",
            f"{name.upper()} {y}",
            f"{name.lower()} {y}",
            f"{y}-{m:02d}",
            f"{y}-{m}",
            f"{m:02d}/{y}",
            f"{m}/{y}",
            f"{y}/{m:02d}",
        ]
        if m == 9:
            forms.append(f"Sept {y}")
        return forms
    forms = [
        f"{y}-{m:02d}-{d:02d}",
        f"{y}/{m:02d}/{d:02d}",
        f"{y}{m:02d}{d:02d}",
        f"{d} {name} {y}",
        f"{d:02d} {name} {y}",
        f"{name} {d}, {y}",
        f"{name} {d} {y}",
        f"{_ordinal(d)} {short} {y}",
        f"{_ordinal(d)} {short}. {y}",
        f"the {_ordinal(d)} of {name}, {y}",
        f"{name} {_ordinal(d)}, {y}",
        f"{day.strftime('%A')}, {d} {name} {y}",
    ]
    if d > 12 or d == m:
        forms += [f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}", f"{d}.{m}.{y}"]
        forms += [f"{m:02d}/{d:02d}/{y}", f"{m}-{d}-{y}"]
    return forms


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def _partial(day: dt.date, precision: str) -> PartialDate:
    if precision == "year":
        return PartialDate(day.year)
    if precision == "month":
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


@given(dates, st.sampled_from(PRECISIONS))
@example(dt.date(2022, 12, 5), "month")
@example(dt.date(2024, 2, 29), "day")
def test_every_way_of_writing_a_date_is_right_at_its_precision_and_finer(
    day: dt.date, precision: str
) -> None:
    question = DateQuestion(id="d", prompt="?", answer=_partial(day, precision))
    rank = PRECISIONS.index(precision)
    for finer in PRECISIONS[rank:]:
        for form in date_forms(day, finer):
            assert parse_date(form) == _partial(day, finer), form
            result = grade(question, form)
            assert result.correct, (form, result)
    for coarser in PRECISIONS[:rank]:
        for form in date_forms(day, coarser):
            result = grade(question, form)
            assert not result.correct
            assert result.hint is not None and result.hint.code == "date.imprecise", form
            assert hint_text(result.hint).startswith("be more precise"), form


@given(dates, st.sampled_from(PRECISIONS), st.integers(1, 4000))
def test_a_different_date_is_wrong(day: dt.date, precision: str, shift: int) -> None:
    other = day + dt.timedelta(days=shift)
    assume(_partial(other, precision) != _partial(day, precision))
    question = DateQuestion(id="d", prompt="?", answer=_partial(day, precision))
    for form in date_forms(other, precision):
        assert not grade(question, form).correct, form


@given(dates)
def test_all_number_dates_that_read_two_ways_are_refused(day: dt.date) -> None:
    assume(day.day <= 12 and day.day != day.month)
    response = f"{day.day:02d}/{day.month:02d}/{day.year}"
    question = DateQuestion(id="d", prompt="?", answer=_partial(day, "day"))
    result = grade(question, response)
    assert not result.correct
    assert result.hint is not None and "in words" in hint_text(result.hint)


# --------------------------------------------------------------------------------------------
# text

NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéøåü -'", min_size=1, max_size=30).filter(
    lambda s: normalize_text(s) != ""
)


@given(st.text())
@example("ﬃ Straße İ ǅ ᾈ")
@example("\u0345\u0399")
def test_normalising_twice_equals_once(value: str) -> None:
    once = normalize_text(value)
    assert normalize_text(once) == once
    assert all(ch.isalnum() for ch in once)


@given(NAMES, st.data())
def test_case_spaces_hyphens_and_accents_do_not_matter(answer: str, data: st.DataObject) -> None:
    question = TextQuestion(id="t", prompt="?", answer=answer)
    variant = data.draw(
        st.sampled_from([str.upper, str.lower, str.title, lambda s: s.replace(" ", "-")])
    )(answer)
    spaced = " ".join(answer) + "  "
    assert grade(question, variant).correct, variant
    assert grade(question, spaced).correct, spaced


def _one_edit(word: str, data: st.DataObject) -> str:
    kind = data.draw(st.sampled_from(["insert", "delete", "substitute", "swap"]))
    at = data.draw(st.integers(0, len(word) - 1))
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789"))
    if kind == "insert":
        return word[:at] + letter + word[at:]
    if kind == "delete":
        return word[:at] + word[at + 1 :]
    if kind == "substitute":
        return word[:at] + letter + word[at + 1 :]
    at = min(at, len(word) - 2)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=6, max_size=20), st.data())
def test_fuzzy_forgives_exactly_one_edit(answer: str, data: st.DataObject) -> None:
    typo = _one_edit(answer, data)
    assert grade(TextQuestion(id="t", prompt="?", answer=answer, fuzzy=True), typo).correct
    if typo != answer:
        assert not grade(TextQuestion(id="t", prompt="?", answer=answer), typo).correct


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=5), st.data())
def test_fuzzy_needs_six_letters(answer: str, data: st.DataObject) -> None:
    typo = _one_edit(answer, data)
    assume(typo != answer)
    assert not grade(TextQuestion(id="t", prompt="?", answer=answer, fuzzy=True), typo).correct


@given(st.text(alphabet="abcdefghij", min_size=6, max_size=12), st.data())
def test_fuzzy_never_forgives_two_edits_away(answer: str, data: st.DataObject) -> None:
    typo = _one_edit(_one_edit(answer, data), data)
    question = TextQuestion(id="t", prompt="?", answer=answer, fuzzy=True)
    if _osa_distance(typo, answer) >= 2:
        assert not grade(question, typo).correct


def _osa_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, the textbook table: the oracle for `fuzzy`."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        table[i][0] = i
    for j in range(len(b) + 1):
        table[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[len(a)][len(b)]


@given(st.text(alphabet="abcxyz", max_size=9), st.text(alphabet="abcxyz", max_size=9))
@example("abcx", "xbca")  # swapped, but not neighbours: two edits
@example("abc", "bac")
def test_within_one_edit_agrees_with_the_distance_table(a: str, b: str) -> None:
    assert within_one_edit(a, b) is (_osa_distance(a, b) <= 1)


# --------------------------------------------------------------------------------------------
# partial credit against brute-force oracles

ITEM_TEXT = st.text(alphabet="abcdefgh", min_size=1, max_size=4)


def _lis_brute(positions: list[int]) -> int:
    best = 0
    for size in range(len(positions), 0, -1):
        for chosen in itertools.combinations(positions, size):
            if all(x < y for x, y in itertools.pairwise(chosen)):
                return size
    return best


@given(st.lists(ITEM_TEXT, min_size=2, max_size=7, unique_by=normalize_text), st.data())
def test_order_score_is_longest_subsequence_over_n(items: list[str], data: st.DataObject) -> None:
    question = OrderQuestion(id="o", prompt="?", items=tuple(items))
    response = data.draw(st.permutations(items))
    kept = data.draw(st.integers(0, len(items)))
    response = list(response[:kept])
    positions = [items.index(x) for x in response]
    expected = max(0.0, (_lis_brute(positions) - 1) / (len(items) - 1))
    result = grade(question, response, points=3)
    assert abs(result.score - 3 * expected) < 1e-9
    assert result.correct is (response == items)
    assert grade(question, items[::-1]).score == 0


@given(
    st.lists(ITEM_TEXT, min_size=1, max_size=5, unique_by=normalize_text),
    st.lists(ITEM_TEXT, min_size=0, max_size=5, unique_by=normalize_text),
    st.data(),
)
def test_multi_score_is_right_minus_wrong_over_right(
    answers: list[str], distractors: list[str], data: st.DataObject
) -> None:
    distractors = [d for d in distractors if normalize_text(d) not in map(normalize_text, answers)]
    question = MultiQuestion(
        id="m", prompt="?", answers=tuple(answers), distractors=tuple(distractors)
    )
    picks = data.draw(st.lists(st.sampled_from(answers + distractors), unique=True))
    right = sum(p in answers for p in picks)
    wrong = len(picks) - right
    expected = max(0.0, (right - wrong) / len(answers))
    result = grade(question, picks, points=2)
    assert abs(result.score - 2 * expected) < 1e-9
    assert result.correct is (set(picks) == set(answers))


@given(st.lists(ITEM_TEXT, min_size=1, max_size=6, unique_by=normalize_text), st.data())
def test_match_score_is_the_share_of_right_pairs(lefts: list[str], data: st.DataObject) -> None:
    rights = [f"{left}!{i}" for i, left in enumerate(lefts)]
    question = MatchQuestion(id="w", prompt="?", pairs=tuple(zip(lefts, rights, strict=True)))
    given_rights = data.draw(st.permutations(rights))
    response = dict(zip(lefts, given_rights, strict=True))
    expected = sum(r == w for r, w in zip(given_rights, rights, strict=True)) / len(lefts)
    result = grade(question, response, points=5)
    assert abs(result.score - 5 * expected) < 1e-9


# --------------------------------------------------------------------------------------------
# nothing raises, and scores stay in range

QUESTIONS: list[Question] = [
    NumberQuestion(id="n", prompt="?", answer=67300, unit="barrels"),
    NumberQuestion(id="n", prompt="?", answer=97, unit="%", tolerance=Tolerance(0.05, True)),
    NumberQuestion(id="n", prompt="?", answer=1.5, unit="million tonnes"),
    NumberQuestion(id="n", prompt="?", answer=-3, tolerance=Tolerance(1)),
    DateQuestion(id="d", prompt="?", answer=PartialDate(2022, 12)),
    DateQuestion(id="d", prompt="?", answer=PartialDate(1991)),
    DateQuestion(id="d", prompt="?", answer=PartialDate(2022, 12, 5)),
    TextQuestion(id="t", prompt="?", answer="Jeong Eun-lee", accept=("Jeong",), fuzzy=True),
    TextQuestion(id="t", prompt="?", answer="?!"),
    TrueFalseQuestion(id="x", prompt="?", answer=False),
    ChoiceQuestion(id="c", prompt="?", answer="Russia", distractors=("China", "Japan")),
    MultiQuestion(id="m", prompt="?", answers=("a", "b"), distractors=("c",)),
    MatchQuestion(id="w", prompt="?", pairs=(("a", "1"), ("b", "2"))),
    OrderQuestion(id="o", prompt="?", items=("a", "b", "c")),
]
FEEDBACK = (("China", "x"), ("60,000", "y"), ("2021", "z"), ("b", "w"), ("no", "v"))
QUESTIONS += [dataclasses.replace(q, feedback=FEEDBACK) for q in QUESTIONS]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.binary(max_size=10),
    st.dates(),
    st.decimals(),
)
responses = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
    ),
    max_leaves=10,
)
number_like = st.from_regex(
    r"\A[~-]?[0-9 ,.]{0,12}(k|m|bn| thousand| million|%| percent| barrels|e[0-9]{1,3})?\Z"
)
date_like = st.from_regex(
    r"\A([0-9]{1,4}[-/. ]){0,2}[0-9]{0,4}( (jan|dec|sept)\.?,? [0-9]{1,4})?(st|th)?\Z"
)


@given(st.sampled_from(QUESTIONS), st.one_of(st.text(), number_like, date_like))
def test_grading_any_string_never_raises(question: Question, response: str) -> None:
    kind_of(question).grade(question, response)  # the kinds themselves: not the safety net
    result = grade(question, response)
    assert 0 <= result.score <= result.max_score


@given(
    st.sampled_from(QUESTIONS),
    responses,
    st.one_of(st.none(), st.floats(min_value=0, max_value=1e6)),
)
def test_grading_any_value_never_raises_and_stays_in_range(
    question: Question, response: object, points: float | None
) -> None:
    kind_of(question).grade(question, response)
    result = grade(question, response, points=points)
    assert result.max_score == (points if points is not None else 1)
    assert 0 <= result.score <= result.max_score
    if result.max_score > 0:
        assert result.correct is (result.score == result.max_score)
    if result.correct:
        assert result.hint is None and result.feedback is None


@given(st.text())
def test_parsers_raise_only_value_error(value: str) -> None:
    for parser in (parse_number, parse_date):
        try:
            parser(value)
        except Unreadable as error:  # the only error, always with a hint that has words
            assert str(error) and hint_text(error.hint) != "this answer could not be read"


@given(st.sampled_from(QUESTIONS), responses)
def test_format_response_never_raises(question: Question, response: object) -> None:
    assert isinstance(kind_of(question).response_text(question, response), str)
    assert isinstance(format_response(response), str)
