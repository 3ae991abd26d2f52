"""Unit tests for quiz.grading: each kind, partial credit worked by hand, and the readers."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

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
from quiz.grading.hints import Hint, Unreadable
from quiz.kinds import Grade, format_response, grade, kind_of
from quiz.ui.hints import hint_text


def words(result: Grade, question: Question | None = None) -> str:
    """A result's hint as the front ends say it (the grader gives a code and values)."""
    assert result.hint is not None
    return hint_text(result.hint, question)


def number(answer: float, unit: str | None = None, **kw: object) -> NumberQuestion:
    return NumberQuestion(id="n", prompt="How many?", answer=answer, unit=unit, **kw)  # type: ignore[arg-type]


def date(answer: str, **kw: object) -> DateQuestion:
    parts = [int(p) for p in answer.split("-")]
    return DateQuestion(id="d", prompt="When?", answer=PartialDate(*parts), **kw)  # type: ignore[arg-type]


def text(answer: str, **kw: object) -> TextQuestion:
    return TextQuestion(id="t", prompt="Who?", answer=answer, **kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Grade and points


def test_grade_is_frozen_and_has_the_contract_fields() -> None:
    result = grade(number(5), "5")
    assert result == Grade(1.0, 1.0, True, "5", None, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.score = 0  # type: ignore[misc]
    assert result.fraction == 1.0


def test_points_default_to_question_points_then_one() -> None:
    assert grade(number(5), "5").max_score == 1
    assert grade(number(5, points=3), "5").max_score == 3
    assert grade(number(5, points=3), "5", points=2).max_score == 2
    assert grade(number(5, points=3), "5", points=2).score == 2
    assert grade(number(5, points=3), "6").score == 0


def test_zero_points_are_still_graded() -> None:
    right = grade(number(5), "5", points=0)
    wrong = grade(number(5), "6", points=0)
    assert (right.score, right.max_score, right.correct) == (0, 0, True)
    assert (wrong.score, wrong.correct) == (0, False)


def test_negative_points_are_the_callers_mistake() -> None:
    with pytest.raises(ValueError):
        grade(number(5), "5", points=-1)


def test_expected_comes_from_the_model() -> None:
    assert grade(number(67300, "barrels"), "1").expected == "67,300 barrels"
    assert grade(number(97, "%"), "1").expected == "97%"
    assert grade(date("2022-12"), "2022").expected == "2022-12"


# --------------------------------------------------------------------------------------------
# numbers


@pytest.mark.parametrize(
    "written",
    [
        "67,300",
        "67 300",
        "67\u2009300",
        "67\u202f300",
        "67\u00a0300",
        "67300",
        "67.3k",
        "67.3K",
        "67.3 thousand",
        "0.0673 million",
        "67,300 barrels",
        "67,300 barrel",
        "67,300 Barrels",
        "67.3k barrels",
        "~67,300",
        "about 67,300",
        "approximately 67,300 barrels",
        "67300.0",
        " 67,300 ",
        "６７３００",
    ],
)
def test_numbers_written_the_ways_people_write_them(written: str) -> None:
    result = grade(number(67300, "barrels"), written)
    assert result.correct, result


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("2 thousand", 2000),
        ("0.2 million", 200_000),
        ("1.5 billion", 1.5e9),
        ("1.5bn", 1.5e9),
        ("3m", 3e6),
        ("-3.5", -3.5),
        ("−3.5", -3.5),
        ("-1,250.75", -1250.75),
        (".5", 0.5),
        ("1.5e6", 1.5e6),
        ("12 345 678", 12_345_678),
    ],
)
def test_parse_number_values(written: str, value: float) -> None:
    parsed, unit = parse_number(written)
    assert parsed == pytest.approx(value)
    assert unit is None


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("97%", "%"),
        ("97 %", "%"),
        ("97 percent", "%"),
        ("97 per cent", "%"),
        ("97 Percent", "%"),
        ("67,300 barrels", "barrels"),
        ("$5", "$"),
        ("5 tonnes", "tonnes"),
    ],
)
def test_parse_number_units(written: str, unit: str) -> None:
    assert parse_number(written)[1] == unit


@pytest.mark.parametrize("written", ["97%", "97 %", "97 percent", "97 per cent", "97", "97.0%"])
def test_percent_forms_are_one_unit(written: str) -> None:
    assert grade(number(97, "%"), written).correct


def test_percent_question_accepts_percent_as_the_unit_name() -> None:
    assert grade(number(97, "percent"), "97%").correct
    assert grade(number(97, "percent"), "97 per cent").correct


def test_comma_decimal_is_refused_with_a_hint() -> None:
    with pytest.raises(Unreadable) as refused:
        parse_number("1,5")
    assert refused.value.hint == Hint("number.decimal_comma", {"token": "1,5"})
    assert hint_text(refused.value.hint).startswith("1,5: use a dot for decimals")
    result = grade(number(1.5), "1,5")
    assert not result.correct
    assert words(result).startswith("1,5: use a dot for decimals")
    assert not grade(number(15), "1,5").correct


def test_a_comma_meant_as_a_decimal_point_gets_a_hint() -> None:
    result = grade(number(1.5), "1,500")
    assert not result.correct
    assert result.hint == Hint("number.comma_ambiguous", {"token": "1,500"})
    assert words(result) == "1,500 reads as 1500: use a dot for decimals"
    assert grade(number(1.6), "1,500").hint is None


@pytest.mark.parametrize("written", ["1,50,000", "1,5000", "12,34", "1.234,5", ",5", "1.2.3"])
def test_commas_group_only_threes(written: str) -> None:
    with pytest.raises(ValueError):
        parse_number(written)


@pytest.mark.parametrize(
    "written",
    ["", "   ", "abc", "five", "5 or 6", "5 to 7", "12/2022", "5 (about)", "--5", "nan", "inf"],
)
def test_unreadable_numbers_raise_value_error_with_a_hint(written: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_number(written)
    assert str(info.value)
    result = grade(number(5), written)
    assert not result.correct and result.hint


def test_a_different_unit_is_wrong_and_names_the_unit_asked_for() -> None:
    result = grade(number(67300, "barrels"), "67,300 tonnes")
    assert not result.correct
    assert "barrels" in words(result)
    percent = grade(number(97, "%"), "97 points")
    assert not percent.correct
    assert "write the unit as %" in words(percent)


def test_no_unit_is_fine_and_a_unitless_question_ignores_words() -> None:
    assert grade(number(67300, "barrels"), "67300").correct
    assert grade(number(5), "5 ships").correct


def test_a_unit_that_is_a_multiplier_letter_is_the_unit() -> None:
    metres = number(5, "m")
    assert grade(metres, "5 m").correct
    assert grade(metres, "5m").correct
    assert not grade(metres, "5 km").correct


def test_a_question_unit_with_a_multiplier() -> None:
    question = number(1.5, "million tonnes")
    for written in ["1.5 million tonnes", "1.5", "1,500,000 tonnes", "1500000"]:
        assert grade(question, written).correct, written
    assert not grade(question, "1.5 tonnes").correct


def test_absolute_tolerance() -> None:
    question = number(100, tolerance=Tolerance(2))
    assert grade(question, "102").correct
    assert grade(question, "98").correct
    assert not grade(question, "102.01").correct
    assert not grade(question, "97.9").correct


def test_relative_tolerance() -> None:
    question = number(67300, tolerance=Tolerance(0.05, relative=True))
    assert grade(question, "70,665").correct  # +5%
    assert grade(question, "63,935").correct  # -5%
    assert not grade(question, "70,700").correct
    assert not grade(question, "63,900").correct


def test_float_error_is_forgiven_but_nothing_more() -> None:
    assert grade(number(0.1 + 0.2), "0.3").correct
    assert grade(number(67300), "67.3k").correct
    assert not grade(number(67300), "67,301").correct
    assert not grade(number(0.3), "0.3000001").correct


def test_zero_tolerance_is_exact() -> None:
    assert not grade(number(97, "%"), "96%").correct
    assert not grade(number(97, "%"), "97.5%").correct


def test_numeric_responses_are_read_as_numbers() -> None:
    assert grade(number(67300), 67300).correct
    assert grade(number(1.5), 1.5).correct
    assert not grade(number(1), True).correct  # a bool is not a number


def test_fraction_for_a_percentage_gets_a_hint() -> None:
    question = number(97, "%")
    result = grade(question, "0.97")
    assert not result.correct
    # in neutral words: the hint no longer shows the answer (it said "... as a percentage: 97%")
    assert result.hint == Hint("number.as_percentage")
    assert words(result, question) == "write it as a percentage (such as 25% for 0.25)"
    assert "97" not in words(result, question)
    # an example that would be the answer is not used
    assert "25%" not in words(grade(number(25, "%"), "0.25"), number(25, "%"))


def test_off_by_a_thousand_gets_a_hint() -> None:
    result = grade(number(67300, "barrels"), "67.3")
    assert not result.correct
    assert result.hint == Hint("number.scale", {"factor": "thousand"})
    assert "thousand" in words(result)


def test_number_feedback_matches_raw_and_parsed_keys() -> None:
    question = number(67300, "barrels", feedback=(("60,000", "That was the 2021 figure."),))
    assert grade(question, "60,000").feedback == "That was the 2021 figure."
    assert grade(question, "60000 barrels").feedback == "That was the 2021 figure."
    assert grade(question, "61000").feedback is None
    assert grade(question, "67300").feedback is None  # right answers carry no feedback


# --------------------------------------------------------------------------------------------
# dates


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1991", PartialDate(1991)),
        ("December 2022", PartialDate(2022, 12)),
        ("Dec 2022", PartialDate(2022, 12)),
        ("Dec. 2022", PartialDate(2022, 12)),
        ("December, 2022", PartialDate(2022, 12)),
        ("december 2022", PartialDate(2022, 12)),
        ("Sept 2022", PartialDate(2022, 9)),
        ("2022-12", PartialDate(2022, 12)),
        ("12/2022", PartialDate(2022, 12)),
        ("2022/12", PartialDate(2022, 12)),
        ("2022-12-05", PartialDate(2022, 12, 5)),
        ("5 December 2022", PartialDate(2022, 12, 5)),
        ("December 5, 2022", PartialDate(2022, 12, 5)),
        ("5th Dec 2022", PartialDate(2022, 12, 5)),
        ("Monday, 5 December 2022", PartialDate(2022, 12, 5)),
        ("the 5th of December 2022", PartialDate(2022, 12, 5)),
        ("25/12/2022", PartialDate(2022, 12, 25)),
        ("12/25/2022", PartialDate(2022, 12, 25)),
        ("05/05/2022", PartialDate(2022, 5, 5)),
        ("29 February 2024", PartialDate(2024, 2, 29)),
    ],
)
def test_parse_date(written: str, expected: PartialDate) -> None:
    assert parse_date(written) == expected


def test_ambiguous_all_number_dates_are_refused() -> None:
    with pytest.raises(Unreadable) as info:
        parse_date("03/04/2023")
    message = hint_text(info.value.hint)
    assert "3 April 2023" in message and "4 March 2023" in message
    assert "in words" in message and "2023-04-03" in message
    result = grade(date("2023-04-03"), "03/04/2023")
    assert not result.correct
    assert result.hint == info.value.hint


@pytest.mark.parametrize(
    "written", ["30 February 2023", "2023-02-30", "29 Feb 2023", "31/04/2022", "2022-13", "2022-00"]
)
def test_impossible_dates_are_refused(written: str) -> None:
    with pytest.raises(Unreadable) as refused:
        parse_date(written)
    assert hint_text(refused.value.hint).startswith("there is no")


@pytest.mark.parametrize(
    "written", ["", "soon", "Dec 22", "December", "5 2022", "2022-12-05T10:00"]
)
def test_unreadable_dates_raise_value_error(written: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(written)
    assert str(info.value)


def test_month_answer_accepts_the_month_and_days_inside_it() -> None:
    question = date("2022-12")
    for written in [
        "December 2022",
        "Dec. 2022",
        "2022-12",
        "12/2022",
        "5 December 2022",
        "2022-12-31",
    ]:
        assert grade(question, written).correct, written
    assert not grade(question, "2022-11-30").correct
    assert not grade(question, "January 2023").correct


def test_a_coarser_date_asks_for_more_precision() -> None:
    month = grade(date("2022-12"), "2022")
    assert not month.correct
    assert words(month) == "be more precise: give the month"
    day = grade(date("2022-12-05"), "December 2022")
    assert not day.correct
    assert words(day) == "be more precise: give the day"
    both = grade(date("2022-12-05"), "2022")
    assert words(both) == "be more precise: give the month and the day"


def test_a_year_answer_accepts_any_date_in_that_year() -> None:
    question = date("1991")
    for written in ["1991", "December 1991", "1991-09-17", "17 September 1991"]:
        assert grade(question, written).correct, written
    assert not grade(question, "1992").correct


def test_a_day_answer() -> None:
    question = date("2022-12-05")
    assert grade(question, "5 December 2022").correct
    assert grade(question, "05/12/2022").correct is False  # refused: could be 12 May
    assert not grade(question, "6 December 2022").correct


def test_date_objects_are_accepted() -> None:
    assert grade(date("2022-12"), dt.date(2022, 12, 5)).correct
    assert grade(date("2022-12"), PartialDate(2022, 12)).correct


def test_date_feedback() -> None:
    question = date("2022-12", feedback=(("2021-12", "That was a year earlier."),))
    assert grade(question, "December 2021").feedback == "That was a year earlier."
    assert grade(question, "2021-12").feedback == "That was a year earlier."
    assert grade(question, "2020").feedback is None


# --------------------------------------------------------------------------------------------
# text


@pytest.mark.parametrize(
    "written", ["Jeong Eun-lee", "JEONG EUNLEE", "jeong eun lee", " Jeong  Eunlee. "]
)
def test_text_compares_letters_and_digits(written: str) -> None:
    assert grade(text("Jeong Eun-lee"), written).correct


def test_text_variants_of_one_name() -> None:
    assert grade(text("Kim Jong-un"), "Kim Jong Un").correct
    assert grade(text("Kim Jong Un"), "kim jong-un").correct
    assert grade(text("Ålesund"), "alesund").correct
    assert grade(text("Straße"), "STRASSE").correct


def test_normalize_text() -> None:
    assert normalize_text("Jeong Eun-lee") == "jeongeunlee"
    assert normalize_text("Café") == "cafe"
    assert normalize_text("ＡＢＣ１２３") == "abc123"
    assert normalize_text("  -- ") == ""


def test_text_accept_aliases() -> None:
    question = text("Alexander Kozlov", accept=("Kozlov",))
    assert grade(question, "kozlov").correct
    assert not grade(question, "Kozlova").correct  # no fuzzy


def test_fuzzy_forgives_one_edit_on_six_letters_or_more() -> None:
    question = text("Kozlovsky", fuzzy=True)
    assert grade(question, "Kozlovski").correct  # substitute
    assert grade(question, "Kozlovsk").correct  # delete
    assert grade(question, "Kozzlovsky").correct  # insert
    assert grade(question, "Kolzovsky").correct  # swap neighbours
    assert not grade(question, "Kolzovski").correct  # two edits
    assert not grade(question, "Kozlvoski").correct
    assert not grade(question, "Kyzlovsko").correct  # a swap of letters that are not neighbours


def test_fuzzy_does_not_apply_below_six_letters() -> None:
    assert grade(text("Rason", fuzzy=True), "rason").correct
    assert not grade(text("Rason", fuzzy=True), "Rasen").correct
    assert grade(text("Rasons", fuzzy=True), "Rasens").correct


def test_without_fuzzy_a_typo_is_wrong_with_a_hint() -> None:
    result = grade(text("Kozlovsky"), "Kozlovski")
    assert not result.correct
    assert words(result) == "close: check the spelling"


def test_text_feedback_matches_raw_and_normalised() -> None:
    question = text(
        "Jeong Eun-lee", feedback=(("Kim Jong Un", "He is the leader, not the scholar."),)
    )
    assert grade(question, "Kim Jong Un").feedback == "He is the leader, not the scholar."
    assert grade(question, "kim jong-un").feedback == "He is the leader, not the scholar."
    assert grade(question, "Putin").feedback is None


def test_empty_text_is_wrong() -> None:
    result = grade(text("Rason"), "  ")
    assert not result.correct and result.hint


# --------------------------------------------------------------------------------------------
# true/false


@pytest.mark.parametrize("written", ["true", "True", " TRUE ", "t", "T", "yes", "Y", "y", True])
def test_true_forms(written: object) -> None:
    assert grade(TrueFalseQuestion(id="x", prompt="?", answer=True), written).correct
    assert not grade(TrueFalseQuestion(id="x", prompt="?", answer=False), written).correct


@pytest.mark.parametrize("written", ["false", "FALSE", "f", "no", "N", False])
def test_false_forms(written: object) -> None:
    assert grade(TrueFalseQuestion(id="x", prompt="?", answer=False), written).correct


@pytest.mark.parametrize("written", ["maybe", "", "1", "tru", 1, None])
def test_anything_else_is_wrong_with_a_hint(written: object) -> None:
    result = grade(TrueFalseQuestion(id="x", prompt="?", answer=True), written)
    assert not result.correct and result.hint


def test_truefalse_feedback() -> None:
    question = TrueFalseQuestion(id="x", prompt="?", answer=True, feedback=(("false", "It is."),))
    assert grade(question, "no").feedback == "It is."


# --------------------------------------------------------------------------------------------
# choice

CHOICE = ChoiceQuestion(
    id="c",
    prompt="Which country?",
    answer="Russia",
    distractors=("China", "South Korea"),
    feedback=(("China", "China is the bigger partner overall."),),
)


def test_choice_exact_then_normalised() -> None:
    assert grade(CHOICE, "Russia").correct
    assert grade(CHOICE, "russia").correct
    assert not grade(CHOICE, "China").correct
    assert not grade(CHOICE, "south-korea").correct


def test_choice_feedback_for_the_option_picked() -> None:
    assert grade(CHOICE, "China").feedback == "China is the bigger partner overall."
    assert grade(CHOICE, "china").feedback == "China is the bigger partner overall."
    assert grade(CHOICE, "South Korea").feedback is None


def test_choice_not_an_option() -> None:
    result = grade(CHOICE, "Japan")
    assert not result.correct
    assert "not one of the options" in words(result)


def test_choice_text_naming_several_options_says_which() -> None:
    question = ChoiceQuestion(id="c", prompt="?", answer="GB", distractors=("Gb", "UK"))
    result = grade(question, "gb")
    assert not result.correct
    assert words(result) == (
        "“gb” matches more than one option (“GB”, “Gb”): only the exact text tells them apart"
    )
    hint = kind_of(question).well_formed(question, "gb")  # plain mode asks again with it
    assert hint is not None and hint.code == "choice.several_options"
    assert kind_of(question).well_formed(question, "Gb") is None


def test_choice_text_naming_several_options_as_shown_says_which() -> None:
    # options in a format of their own are shown as plain text: "GB" and "Gb"
    question = ChoiceQuestion(
        id="c",
        prompt="?",
        answer="<b>GB</b>",
        distractors=("<i>Gb</i>", "UK"),
        formats=(("<b>GB</b>", "html"), ("<i>Gb</i>", "html")),
    )
    result = grade(question, "gb")
    assert result.hint is not None and result.hint.code == "choice.several_options"
    assert result.hint.values["options"] == ["GB", "Gb"]
    assert grade(question, "fr").hint.code == "choice.not_an_option"


def test_choice_numbers_are_not_options() -> None:
    result = grade(CHOICE, 1)
    assert not result.correct and result.hint


def test_choice_exact_match_wins_over_normalised() -> None:
    question = ChoiceQuestion(id="c", prompt="?", answer="U.S.", distractors=("US",))
    assert grade(question, "U.S.").correct
    assert not grade(question, "US").correct


# --------------------------------------------------------------------------------------------
# multi: max(0, (right - wrong) / right count) * points

MULTI = MultiQuestion(
    id="m",
    prompt="Which?",
    answers=("coal", "seafood", "oil"),
    distractors=("rice", "steel"),
    feedback=(("rice", "Rice went the other way."),),
)


@pytest.mark.parametrize(
    ("picks", "score"),
    [
        (["coal", "seafood", "oil"], 3.0),  # (3-0)/3 * 3
        (["oil", "coal", "seafood"], 3.0),
        (["coal", "seafood"], 2.0),  # (2-0)/3 * 3
        (["coal", "seafood", "rice"], 1.0),  # (2-1)/3 * 3
        (["coal", "seafood", "oil", "rice"], 2.0),  # (3-1)/3 * 3
        (["coal", "rice", "steel"], 0.0),  # (1-2)/3 floored at 0
        (["rice"], 0.0),
        ([], 0.0),
        (["coal", "coal"], 1.0),  # a pick counts once
        (["Coal", "SEAFOOD"], 2.0),  # normalised
        (["coal", "tea"], 0.0),  # an unknown pick is a wrong pick: (1-1)/3
    ],
)
def test_multi_partial_credit(picks: list[str], score: float) -> None:
    result = grade(MULTI, picks, points=3)
    assert result.score == pytest.approx(score)
    assert result.correct is (score == 3.0)


def test_multi_partial_credit_with_other_points() -> None:
    assert grade(MULTI, ["coal"], points=1).score == pytest.approx(1 / 3)
    assert grade(MULTI, ["coal", "oil", "steel"], points=2).score == pytest.approx(2 / 3)


def test_multi_hints_and_feedback() -> None:
    result = grade(MULTI, ["coal", "rice", "tea"])
    assert words(result) == "1 of 3 right options picked, 2 wrong picks; not options: “tea”"
    assert result.feedback == "Rice went the other way."


def test_multi_accepts_a_semicolon_list_in_one_string() -> None:
    assert grade(MULTI, "coal; seafood; oil").correct
    assert grade(MULTI, "coal", points=3).score == pytest.approx(1)


@pytest.mark.parametrize("response", [None, 3, {"coal": "x"}, ["coal", 3]])
def test_multi_wrong_types(response: object) -> None:
    result = grade(MULTI, response)
    assert result.score == 0 and result.hint


# --------------------------------------------------------------------------------------------
# match: share of right pairs

MATCH = MatchQuestion(
    id="w",
    prompt="Who said it?",
    pairs=(("Kozlov", "minister"), ("Jeong", "scholar"), ("KOTRA", "agency"), ("Kim", "leader")),
)


@pytest.mark.parametrize(
    ("response", "score"),
    [
        ({"Kozlov": "minister", "Jeong": "scholar", "KOTRA": "agency", "Kim": "leader"}, 4.0),
        ({"Kozlov": "scholar", "Jeong": "minister", "KOTRA": "agency", "Kim": "leader"}, 2.0),
        ({"Kozlov": "minister", "Jeong": "leader", "KOTRA": "scholar", "Kim": "agency"}, 1.0),
        ({"Kozlov": "minister"}, 1.0),
        ({"kozlov": "Minister", "JEONG": "scholar"}, 2.0),  # normalised both sides
        ({"Putin": "leader", "Kim": "leader"}, 1.0),  # an unknown left is ignored
        ({}, 0.0),
        ([["Kozlov", "minister"], ["Jeong", "scholar"], ["Kim", "agency"]], 2.0),
    ],
)
def test_match_partial_credit(response: object, score: float) -> None:
    result = grade(MATCH, response, points=4)
    assert result.score == pytest.approx(score)
    assert result.correct is (score == 4.0)


def test_match_hint() -> None:
    result = grade(MATCH, {"Kozlov": "scholar", "Jeong": "scholar", "KOTRA": "agency"})
    assert words(result) == "2 of 4 pairs right, 1 not matched"


@pytest.mark.parametrize("response", ["Kozlov", ["Kozlov"], {"Kozlov": 1}, None])
def test_match_wrong_types(response: object) -> None:
    result = grade(MATCH, response)
    assert result.score == 0 and result.hint


# --------------------------------------------------------------------------------------------
# order: (L - 1) / (n - 1), L = longest run in the right relative order

ORDER = OrderQuestion(id="o", prompt="Order", items=("A", "B", "C", "D", "E"))


@pytest.mark.parametrize(
    ("response", "score"),
    [
        (["A", "B", "C", "D", "E"], 4.0),  # L=5: 4/4
        (["E", "D", "C", "B", "A"], 0.0),  # reversed: L=1
        (["B", "A", "C", "D", "E"], 3.0),  # L=4 (A C D E): 3/4
        (["A", "C", "B", "E", "D"], 2.0),  # L=3 (A B D): 2/4
        (["C", "D", "E", "A", "B"], 2.0),  # L=3 (C D E): 2/4
        (["E", "A", "B", "C", "D"], 3.0),  # L=4: 3/4
        (["B", "A", "E", "D", "C"], 1.0),  # L=2 (B E, A D, ...): 1/4
        (["A", "B"], 1.0),  # L=2, the rest missing: 1/4
        (["A"], 0.0),
        ([], 0.0),
        (["A", "X", "B", "C", "D", "E"], 4.0),  # unknown items are ignored
        (["A", "A", "B", "C", "D", "E"], 4.0),  # a repeat is ignored
        (["a", "b", "c", "d", "e"], 4.0),  # normalised
    ],
)
def test_order_partial_credit(response: list[str], score: float) -> None:
    result = grade(ORDER, response, points=4)
    assert result.score == pytest.approx(score)
    assert result.correct is (score == 4.0)


def test_order_with_three_items() -> None:
    question = OrderQuestion(id="o", prompt="Order", items=("x", "y", "z"))
    assert grade(question, ["y", "x", "z"]).score == pytest.approx(0.5)  # L=2: 1/2
    assert grade(question, ["z", "y", "x"]).score == 0
    assert grade(question, ["y", "z", "x"]).score == pytest.approx(0.5)


def test_order_hint() -> None:
    assert (
        words(grade(ORDER, ["B", "A", "C"]))
        == "2 of 5 items in the right relative order; 2 missing"
    )


def test_order_with_repeated_items() -> None:
    question = OrderQuestion(id="o", prompt="Order", items=("go", "stop", "go"))
    assert grade(question, ["go", "stop", "go"]).correct
    assert grade(question, ["stop", "go", "go"]).score == pytest.approx(0.5)


def test_order_single_item() -> None:
    question = OrderQuestion(id="o", prompt="Order", items=("only",))
    assert grade(question, ["only"]).correct
    assert not grade(question, []).correct


def test_order_accepts_an_arrow_list_in_one_string() -> None:
    assert grade(ORDER, "A → B → C → D → E").correct
    assert grade(ORDER, "A; B; C; D; E").correct
    result = grade(ORDER, "ABCDE")
    assert not result.correct and result.hint


# --------------------------------------------------------------------------------------------
# wrong types never raise

ALL_QUESTIONS: list[Question] = [
    number(67300, "barrels"),
    date("2022-12"),
    text("Rason"),
    TrueFalseQuestion(id="x", prompt="?", answer=True),
    CHOICE,
    MULTI,
    MATCH,
    ORDER,
]
ODD_RESPONSES: list[object] = [
    None,
    0,
    -1,
    1.5,
    float("nan"),
    float("inf"),
    True,
    "",
    "\x00\x1b[2J",
    [],
    [None],
    {},
    {1: 2},
    object(),
    b"bytes",
    ("tuple",),
    {"set"},
    dt.date(2022, 12, 5),
]


@pytest.mark.parametrize("question", ALL_QUESTIONS, ids=lambda q: q.kind)
@pytest.mark.parametrize("response", ODD_RESPONSES, ids=repr)
def test_odd_responses_are_graded_not_raised(question: Question, response: object) -> None:
    result = grade(question, response)
    assert 0 <= result.score <= result.max_score
    readable = isinstance(response, str) and response != ""
    if isinstance(question, NumberQuestion):
        readable = isinstance(response, (int, float)) and not isinstance(response, bool)
    if not result.correct and not readable:
        assert result.hint  # refused: the learner is told why


def test_wrong_type_hints_say_what_was_expected() -> None:
    assert words(grade(number(5), ["5"])) == "expected a number, got a list"
    assert words(grade(text("Rason"), None)) == "expected text, got nothing"
    assert words(grade(text("Rason"), 5)) == "expected text, got a number"


def test_unknown_question_kind() -> None:
    result = grade(Question(id="q", prompt="?"), "anything")
    assert not result.correct and result.hint


# --------------------------------------------------------------------------------------------
# format_response


def response(question: Question, value: object) -> str:
    return kind_of(question).response_text(question, value)


def test_format_response() -> None:
    # one formatter: lists joined with "; ", an order's items with " → ", pairs as "a → b"
    assert response(MULTI, ["coal", "oil"]) == "coal; oil"
    assert response(ORDER, ["A", "B"]) == "A → B"
    assert response(MATCH, {"Kozlov": "minister"}) == "Kozlov → minister"
    assert response(MATCH, [["Kozlov", "minister"]]) == "Kozlov → minister"
    assert response(TrueFalseQuestion(id="x", prompt="?", answer=True), True) == "true"
    assert response(number(5), 67300.0) == "67300"
    assert response(number(5), "67,300") == "67,300"
    assert response(number(5), None) == ""
    assert response(date("2022"), dt.date(2022, 12, 5)) == "2022-12-05"
    assert format_response(["a", "b"]) == "a; b"
    assert format_response(["a", "b"], item=str.upper) == "A; B"
