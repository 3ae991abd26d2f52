"""Moodle XML import and export (issue #17): the elements Moodle's importer needs per type,
hand-written files read as Moodle reads them, and round trips bank -> XML -> bank and bank ->
GIFT -> bank that keep credits and feedback."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from quiz.bank.loader import load_bank
from quiz.bank.model import (
    Bank,
    ChoiceQuestion,
    MatchQuestion,
    MultiQuestion,
    NumberAnswer,
    NumberQuestion,
    OrderQuestion,
    Question,
    TextQuestion,
    Tolerance,
    TrueFalseQuestion,
)
from quiz.errors import BankError
from quiz.formats.gift import bank_to_gift, read_gift
from quiz.formats.moodle_xml import (
    _parse,
    moodle_xml_export,
    read_moodle_xml,
    read_moodle_xml_checked,
)
from quiz.kinds import grade, kind_of, shown_option
from tests.strategies import banks, ids, valid_bank, words
from tests.test_gift import tricky_banks

ROOT = Path(__file__).resolve().parent.parent

SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Ports/North East</text></category>
  </question>
  <question type="multichoice">
    <name><text>Which port</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which <b>port</b>?</p>]]></text></questiontext>
    <generalfeedback format="html"><text>Rason is the zone.</text></generalfeedback>
    <defaultgrade>2</defaultgrade>
    <idnumber>P-1</idnumber>
    <single>true</single>
    <answer fraction="100" format="html"><text><![CDATA[<p>Rason</p>]]></text>
      <feedback format="html"><text>Yes.</text></feedback></answer>
    <answer fraction="50" format="html"><text>Sonbong</text>
      <feedback format="html"><text>Part of it.</text></feedback></answer>
    <answer fraction="-33.33333" format="html"><text>Hamhung</text><feedback><text/></feedback>
    </answer>
    <tags><tag><text>Trade Zones</text></tag></tags>
  </question>
  <question type="essay">
    <name><text>Essay</text></name>
    <questiontext format="html"><text>Discuss.</text></questiontext>
  </question>
  <question type="multichoice">
    <name><text>Primes</text></name>
    <questiontext format="moodle_auto_format"><text>Which are prime?</text></questiontext>
    <single>false</single>
    <answer fraction="70"><text>7</text></answer>
    <answer fraction="30"><text>11</text></answer>
    <answer fraction="-50"><text>9</text></answer>
    <answer fraction="0"><text>15</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>Pet</text></name>
    <questiontext format="plain_text"><text>Which pet purrs?</text></questiontext>
    <answer fraction="100"><text>Cat</text><feedback><text>Yes!</text></feedback></answer>
    <answer fraction="50"><text>Lion</text><feedback><text>Not a pet.</text></feedback></answer>
    <answer fraction="0"><text>*</text><feedback><text>No.</text></feedback></answer>
  </question>
  <question type="numerical">
    <name><text>Dice</text></name>
    <questiontext format="plain_text"><text>A number from 2 to 6?</text></questiontext>
    <answer fraction="100"><text>4</text><tolerance>2</tolerance><feedback><text/></feedback>
    </answer>
    <answer fraction="50"><text>7</text><tolerance>0</tolerance>
      <feedback><text>Close.</text></feedback></answer>
    <answer fraction="0"><text>*</text><tolerance>0</tolerance>
      <feedback><text>Not on this die.</text></feedback></answer>
  </question>
  <question type="truefalse">
    <name><text>Sky</text></name>
    <questiontext format="plain_text"><text>The sky is green.</text></questiontext>
    <answer fraction="0"><text>true</text><feedback><text>It is blue.</text></feedback></answer>
    <answer fraction="100"><text>false</text><feedback><text>Right.</text></feedback></answer>
  </question>
  <question type="matching">
    <name><text>Tools</text></name>
    <questiontext format="plain_text"><text>Pair each tool with its use.</text></questiontext>
    <subquestion format="html"><text><![CDATA[<p>Cuts wood</p>]]></text>
      <answer><text>Saw</text></answer></subquestion>
    <subquestion format="plain_text"><text>Drives nails</text>
      <answer><text>Hammer</text></answer></subquestion>
    <subquestion format="plain_text"><text></text><answer><text>Glue</text></answer></subquestion>
  </question>
  <question type="ordering">
    <name><text>Steps</text></name>
    <questiontext format="plain_text"><text>Put these in order.</text></questiontext>
    <answer fraction="1"><text>first</text></answer>
    <answer fraction="2"><text>second</text></answer>
    <answer fraction="3"><text>third</text></answer>
  </question>
  <question type="multianswer">
    <name><text>Cloze</text></name>
    <questiontext><text>{1:SHORTANSWER:=a}</text></questiontext>
  </question>
</quiz>
"""


def by_id(bank: Bank) -> dict[str, Question]:
    return {q.id: q for q in bank.questions}


def test_a_moodle_file_reads_as_moodle_reads_it() -> None:
    bank, warnings = read_moodle_xml_checked(SAMPLE, "sample.xml")
    lines = SAMPLE.splitlines()
    essay = lines.index('  <question type="essay">') + 1
    ordering = lines.index('  <question type="ordering">') + 1
    cloze = lines.index('  <question type="multianswer">') + 1
    assert [(w.line, w.severity) for w in warnings] == [
        (essay, "warning"),
        (ordering, "warning"),
        (cloze, "warning"),
    ]
    assert "essay" in warnings[0].message and "cloze" in warnings[2].message
    # qtype_ordering grades by its own `gradingtype`, never quiz's (L-1)/(n-1): said on import
    assert warnings[1].message.startswith("Moodle grades this ordering question by its own")
    questions = by_id(bank)
    assert list(questions) == ["p-1", "primes", "pet", "dice", "sky", "tools", "steps"]
    port = questions["p-1"]
    assert isinstance(port, ChoiceQuestion)
    assert port.prompt == "<p>Which <b>port</b>?</p>" and port.format == "html"
    assert port.answer == "Rason"  # an option's HTML becomes plain text
    assert kind_of(port).credits(port) == (
        ("Rason", 1.0),
        ("Sonbong", 0.5),
        ("Hamhung", -0.3333333),
    )
    assert port.points == 2 and port.idnumber == "P-1" and port.explanation == "Rason is the zone."
    assert port.tags == ("ports", "north-east", "trade-zones")  # category segments, then tags
    assert grade(port, "Rason").feedback == "Yes."
    primes = questions["primes"]
    assert isinstance(primes, MultiQuestion) and primes.format == "moodle"
    assert kind_of(primes).credits(primes) == (("7", 0.7), ("11", 0.3), ("9", -0.5), ("15", 0.0))
    pet = questions["pet"]
    assert isinstance(pet, TextQuestion) and pet.credits == (("Lion", 0.5),)
    assert grade(pet, "dog").feedback == "No."
    dice = questions["dice"]
    assert isinstance(dice, NumberQuestion)
    assert dice.answers == (NumberAnswer(7, Tolerance(0), 0.5, "Close."),)
    assert grade(dice, "9").feedback == "Not on this die."
    sky = questions["sky"]
    assert isinstance(sky, TrueFalseQuestion) and sky.answer is False
    tools = questions["tools"]
    assert isinstance(tools, MatchQuestion)
    # format.php (xml) reads each subquestion's format: an HTML one in a plain-text question
    # keeps its text and format, and the terminal shows it as plain text.
    assert tools.pairs == (("<p>Cuts wood</p>", "Saw"), ("Drives nails", "Hammer"))
    assert tools.formats == (("<p>Cuts wood</p>", "html"),)
    assert shown_option(tools, tools.pairs[0][0]) == "Cuts wood"
    assert tools.distractors == ("Glue",)
    steps = questions["steps"]
    assert isinstance(steps, OrderQuestion) and steps.items == ("first", "second", "third")


def test_errors_are_located_and_come_at_once() -> None:
    text = (
        "<quiz>\n"
        '<question type="multichoice"><questiontext><text>Q</text></questiontext>\n'
        "<single>true</single>"
        '<answer fraction="0"><text>a</text></answer><answer fraction="0"><text>b</text></answer>'
        "</question>\n"
        '<question type="numerical"><questiontext><text>N</text></questiontext>\n'
        '<answer fraction="100"><text>many</text></answer></question>\n'
        "</quiz>\n"
    )
    with pytest.raises(BankError) as caught:
        read_moodle_xml(text, "bad.xml")
    problems = caught.value.problems
    assert [p.line for p in problems] == [2, 4]
    assert "no right option" in problems[0].message and "many" in problems[1].message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("<quiz><question", "not well-formed"),
        ('<!DOCTYPE quiz [<!ENTITY a "b">]><quiz/>', "document type"),
        ("<questions/>", "top element must be <quiz>"),
        ("<quiz></quiz>", "no questions"),
    ],
)
def test_bad_files(text: str, words: str) -> None:
    with pytest.raises(BankError) as caught:
        read_moodle_xml(text, "x.xml")
    assert words in str(caught.value)


# -- the structure Moodle's importer expects ----------------------------------------------

COMMON = ["name/text", "questiontext/text", "generalfeedback", "defaultgrade", "penalty", "hidden"]
REQUIRED = {
    "multichoice": [
        "single",
        "shuffleanswers",
        "answernumbering",
        "answer/text",
        "answer/feedback",
    ],
    "truefalse": ["answer/text", "answer/feedback"],
    "shortanswer": ["usecase", "answer/text", "answer/feedback"],
    "numerical": ["answer/text", "answer/tolerance", "answer/feedback"],
    "matching": ["shuffleanswers", "subquestion/text", "subquestion/answer/text"],
    "ordering": ["layouttype", "selecttype", "selectcount", "gradingtype", "answer/text"],
}


def _has(node: Any, path: str) -> bool:
    head, _, rest = path.partition("/")
    children = node.all(head)
    if not children:
        return False
    return all(_has(child, rest) for child in children) if rest else True


@pytest.mark.parametrize("path", sorted((ROOT / "banks").glob("*.yaml")), ids=lambda p: p.name)
def test_exported_xml_has_the_elements_each_type_needs(path: Path) -> None:
    bank = load_bank(path)
    text, _ = moodle_xml_export(bank)
    quiz = _parse(text).find("quiz")
    assert quiz is not None
    seen = set()
    for question in quiz.all("question"):
        qtype = question.attrs["type"]
        seen.add(qtype)
        for element in [*COMMON, *REQUIRED[qtype]]:
            assert _has(question, element), (question.value("name"), qtype, element)
        for answer in question.all("answer"):
            assert "fraction" in answer.attrs
    assert read_moodle_xml(text) == bank


def test_every_type_is_written() -> None:
    questions = []
    for path in sorted((ROOT / "banks").glob("*.yaml")):
        questions += list(load_bank(path).questions)
    questions.append(
        MatchQuestion(id="m", prompt="P", pairs=(("a", "b"), ("c", "d")), distractors=("e",))
    )
    text, warnings = moodle_xml_export(Bank(id="all", title="All", questions=tuple(questions)))
    quiz = _parse(text).find("quiz")
    assert quiz is not None
    assert {q.attrs["type"] for q in quiz.all("question")} == set(REQUIRED)
    assert any("ordering" in w and "longest ordered subset" in w for w in warnings)


def test_order_is_exported_as_ordering_with_a_warning() -> None:
    bank = Bank(id="b", title="B", questions=(OrderQuestion(id="o", prompt="P", items=("a", "b")),))
    text, warnings = moodle_xml_export(bank)
    assert "<gradingtype>LONGEST_ORDERED_SUBSET</gradingtype>" in text
    assert warnings == [
        "[o] an order question becomes Moodle's ordering question graded by the longest"
        " ordered subset (L/n), not quiz's (L-1)/(n-1)"
    ]


def test_export_writes_moodle_grades_and_plain_numbers() -> None:
    bank = Bank(
        id="b",
        title="B",
        questions=(
            MultiQuestion(id="m", prompt="P", answers=("a", "b", "c"), distractors=("d",)),
            NumberQuestion(id="n", prompt="P", answer=0.00001, tolerance=Tolerance(0.5)),
        ),
    )
    text, warnings = moodle_xml_export(bank)
    assert 'fraction="33.33333"' in text and 'fraction="-33.33333"' in text
    assert "<text>0.00001</text>" in text and "e-05" not in text
    assert warnings == []
    assert read_moodle_xml(text) == bank


def test_an_ordering_question_says_how_moodle_grades_it_unless_quiz_wrote_it() -> None:
    question = (
        '<question type="ordering"><name><text>O</text></name>'
        "<questiontext><text>Order them.</text></questiontext>"
        "<selecttype>RANDOM</selecttype><selectcount>2</selectcount>"
        "<gradingtype>ABSOLUTE_POSITION</gradingtype>"
        '<answer fraction="1"><text>a</text></answer><answer fraction="2"><text>b</text></answer>'
        '<answer fraction="3"><text>c</text></answer></question>'
    )
    _, warnings = read_moodle_xml_checked(f"<quiz>{question}</quiz>", "t.xml")
    (warning,) = warnings
    assert "by absolute position" in warning.message and "shows some" in warning.message
    bank = Bank(id="b", title="B", questions=(OrderQuestion(id="o", prompt="P", items=("a", "b")),))
    assert read_moodle_xml_checked(moodle_xml_export(bank)[0], "t.xml")[1] == []


@pytest.mark.parametrize(
    ("showunits", "unit", "warned"), [("0", "km", True), (None, "km", True), ("3", None, False)]
)
def test_a_numerical_questions_units(showunits: str | None, unit: str | None, warned: bool) -> None:
    # qtype_numerical: the unit of multiplier 1 is the answer's; others are converted by their
    # multipliers (quiz does not: said); `showunits` 3 is "units not used".
    shown = f"<showunits>{showunits}</showunits>" if showunits else ""
    xml = (
        '<quiz><question type="numerical"><name><text>D</text></name>'
        "<questiontext><text>How far?</text></questiontext>"
        '<answer fraction="100"><text>50</text><tolerance>5</tolerance></answer>'
        "<units><unit><multiplier>1</multiplier><unit_name>km</unit_name></unit>"
        "<unit><multiplier>1000</multiplier><unit_name>m</unit_name></unit></units>"
        f"{shown}</question></quiz>"
    )
    bank, warnings = read_moodle_xml_checked(xml, "t.xml")
    (question,) = bank.questions
    assert isinstance(question, NumberQuestion) and question.unit == unit
    assert [w.message for w in warnings] == (
        ["Moodle also reads the answer in m: quiz takes the answer in km only"] if warned else []
    )


@pytest.mark.parametrize(("unit", "left"), [("km", "0"), ("%", "0"), ("$", "1")])
def test_a_numbers_unit_is_written_as_moodles_optional_unit(unit: str, left: str) -> None:
    # qtype_numerical: the unit of multiplier 1 is the answer's own; `showunits` 0 (UNITINPUT)
    # lets the learner type it, 3 (UNITNONE) refuses "5 km"; `unitgradingtype` 0 costs
    # nothing for a number typed without it, as quiz grades; a currency symbol, which quiz
    # reads before the number ("$5"), goes on the left (`unitsleft` 1).
    question = NumberQuestion(
        id="d", prompt="How far?", answer=50, tolerance=Tolerance(5), unit=unit
    )
    bank = Bank(id="b", title="B", questions=(question,))
    text, warnings = moodle_xml_export(bank)
    node = _parse(text).find("quiz", "question")
    assert node is not None
    units = node.find("units")
    assert units is not None and len(units.all("unit")) == 1
    assert (units.value("unit", "multiplier"), units.value("unit", "unit_name")) == ("1", unit)
    assert node.value("showunits") == "0" and node.value("unitgradingtype") == "0"
    assert node.value("unitsleft") == left
    assert "quiz:" not in "".join(c for c, _, _ in node.comments)  # nothing left for the comment
    assert warnings == []
    assert read_moodle_xml_checked(text, "t.xml") == (bank, [])


def test_a_number_without_a_unit_says_units_are_not_used() -> None:
    bank = Bank(id="b", title="B", questions=(NumberQuestion(id="n", prompt="P", answer=5),))
    node = _parse(moodle_xml_export(bank)[0]).find("quiz", "question")
    assert node is not None and node.find("units") is None and node.value("showunits") == "3"


def _with_extras(qtype: str, extras: str) -> str:
    bodies = {
        "multichoice": '<single>true</single><answer fraction="100"><text>a</text></answer>'
        '<answer fraction="0"><text>b</text></answer>',
        "shortanswer": '<answer fraction="100"><text>a</text></answer>',
        "matching": "<subquestion><text>a</text><answer><text>b</text></answer></subquestion>"
        "<subquestion><text>c</text><answer><text>d</text></answer></subquestion>",
        "ordering": '<answer fraction="1"><text>a</text></answer>'
        '<answer fraction="2"><text>b</text></answer>',
        "numerical": '<answer fraction="100"><text>5</text><tolerance>0</tolerance></answer>',
        "truefalse": '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer>',
    }
    return (
        '<quiz>\n  <question type="category"><category><text>$course$/top</text></category>'
        f'</question>\n  <question type="{qtype}"><name><text>Q1</text></name>'
        f'<questiontext format="html"><text>Q?</text></questiontext>{bodies[qtype]}{extras}'
        "</question>\n</quiz>\n"
    )


def _feedback(tag: str, text: str, fmt: str = "html") -> str:
    return f'<{tag} format="{fmt}"><text><![CDATA[{text}]]></text></{tag}>'


RIGHT, PART, WRONG = "correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"


@pytest.mark.parametrize(
    ("qtype", "extras", "said"),
    [
        (
            "multichoice",
            _feedback(RIGHT, "Well done: Rason.")
            + _feedback(PART, "")
            + _feedback(WRONG, "<p>See the map.</p>")
            + _feedback("hint", "North.")
            + _feedback("hint", "<p>East.</p>"),
            "Moodle's combined feedback (correct, incorrect) and 2 hints are not kept",
        ),
        ("matching", _feedback(PART, "Some pairs."), "Moodle's combined feedback (partially"),
        ("ordering", _feedback(WRONG, '<img src="x.png">'), "feedback (incorrect) is not kept"),
        ("numerical", _feedback("hint", "Count again."), "Moodle's 1 hint (shown between tries)"),
        (  # qformat_xml's older form of a hint
            "truefalse",
            "<hint><hintcontent><text>Look up.</text></hintcontent></hint>" * 2,
            "Moodle's 2 hints (shown between tries) are not kept",
        ),
        # what Moodle writes on export when there is nothing: empty elements, or only tags
        (
            "multichoice",
            _feedback(RIGHT, "")
            + _feedback(PART, "<p><br></p>")
            + _feedback(WRONG, " ")
            + '<hint format="html"><text></text></hint><shownumcorrect/>',
            None,
        ),
        # the sentences Moodle's form fills in say no more than quiz's own right or wrong
        (
            "multichoice",
            _feedback(RIGHT, "<p>Your answer is correct.</p>")
            + _feedback(PART, "Your answer is partially correct.", "plain_text")
            + _feedback(WRONG, "Your answer is  incorrect."),
            None,
        ),
        # qtype_shortanswer has no combined feedback: Moodle ignores it, so nothing is dropped
        ("shortanswer", _feedback(RIGHT, "Yes!"), None),
    ],
    ids=["mc", "matching", "ordering-image", "numerical", "old-hints", "empty", "defaults", "sa"],
)
def test_combined_feedback_and_hints_are_warned_once_per_question(
    qtype: str, extras: str, said: str | None
) -> None:
    # qformat_xml reads <correctfeedback>, <partiallycorrectfeedback> and <incorrectfeedback>
    # (import_combined_feedback: multichoice, matching; qtype_ordering too) and Moodle shows
    # the one for the response's grade; <hint> (import_hints, every type) is shown between
    # tries. quiz keeps neither: one located warning says what is dropped.
    text = _with_extras(qtype, extras)
    bank, warnings = read_moodle_xml_checked(text, "t.xml")
    assert [q.id for q in bank.questions] == ["q1"]
    ours = [w for w in warnings if "not kept" in w.message]
    if said is None:
        assert ours == []
        return
    (warning,) = ours
    assert (warning.line, warning.column, warning.question) == (3, 3, "q1")  # the <question>
    assert warning.severity == "warning" and said in warning.message
    assert warning.message.endswith("not kept: quiz shows the explanation after every answer")


def test_a_case_sensitive_short_answer_is_warned() -> None:
    # Moodle's shortanswer with <usecase>1</usecase> compares case; quiz folds case, as the
    # issue decides: the import says so instead of changing the grading silently.
    def short(usecase: str) -> str:
        return (
            '<quiz>\n  <question type="shortanswer"><name><text>Cap</text></name>'
            "<questiontext><text>Capital?</text></questiontext>"
            f'<usecase>{usecase}</usecase><answer fraction="100"><text>Rason</text></answer>'
            "</question>\n</quiz>\n"
        )

    bank, warnings = read_moodle_xml_checked(short("1"), "t.xml")
    assert [q.id for q in bank.questions] == ["cap"]
    (warning,) = warnings
    assert (warning.line, warning.severity) == (2, "warning") and "case" in warning.message
    assert read_moodle_xml_checked(short("0"), "t.xml")[1] == []


def test_a_fraction_within_moodles_tolerance_of_a_grade_is_that_grade() -> None:
    answers = "".join(
        f'<answer fraction="{f}"><text>{t}</text></answer>'
        for t, f in (("a", "33.3333"), ("b", "33.3333"), ("c", "33.3333"), ("d", "-100"))
    )
    xml = (
        '<quiz><question type="multichoice"><name><text>Q</text></name>'
        f"<questiontext><text>Which?</text></questiontext><single>false</single>{answers}"
        "</question></quiz>"
    )
    (question,) = read_moodle_xml(xml).questions
    assert kind_of(question).credits(question) == (
        ("a", 0.3333333),
        ("b", 0.3333333),
        ("c", 0.3333333),
        ("d", -1.0),
    )


def test_a_short_answers_asterisk_travels_as_moodle_compares_it() -> None:
    bank = Bank(
        id="b",
        title="B",
        questions=(TextQuestion(id="t", prompt="2 by 3?", answer="2*3", feedback=(("*", "No"),)),),
    )
    text, _ = moodle_xml_export(bank)
    assert "<text>2\\*3</text>" in text and "<text>*</text>" in text
    assert read_moodle_xml(text) == bank
    wild = text.replace("<text>2\\*3</text>", "<text>2*</text>").replace("<!-- quiz:", "<!-- ")
    bank, warnings = read_moodle_xml_checked(wild, "t.xml")
    assert bank.questions[0].answer == "2*"
    assert len(warnings) == 1 and "any characters" in warnings[0].message


def test_a_file_of_skipped_questions_says_so() -> None:
    xml = (
        '<quiz>\n  <question type="essay"><name><text>E</text></name>'
        "<questiontext><text>Discuss.</text></questiontext></question>\n</quiz>\n"
    )
    with pytest.raises(BankError) as raised:
        read_moodle_xml(xml)
    first, summary = raised.value.problems
    assert (first.line, first.severity) == (2, "error") and "essay" in first.message
    assert summary.message.startswith("no question quiz can take: the only one was skipped")


def test_eleven_right_options_are_split_to_add_up_to_100() -> None:
    # qtype_multichoice save_question_options: a multiple-response question's right options
    # must add up to 100%; 1/11 has no allowed grade, so nine get 10% and two 5%.
    answers = tuple(f"a{n}" for n in range(11))
    bank = Bank(
        id="b",
        title="B",
        questions=(MultiQuestion(id="m", prompt="P", answers=answers, distractors=("z",)),),
    )
    text, warnings = moodle_xml_export(bank)
    right = [float(f) for f in re.findall(r'fraction="([0-9.]+)"', text) if float(f) > 0]
    assert sorted(right) == [5.0] * 2 + [10.0] * 9
    assert 'fraction="-10"' in text and len(warnings) == 2
    assert read_moodle_xml(text) == bank


# -- round trips with credits and feedback ----------------------------------------------

credits = st.sampled_from([0.5, 0.25, 0.1, 0.3333333, 0.75, 0.2])
penalties = st.sampled_from([-1.0, -0.5, -0.25, -0.3333333, 0.0])


@st.composite
def credited_questions(draw: st.DrawFn, qid: str) -> Question:
    kind = draw(st.sampled_from(["choice", "multi", "text", "number", "match"]))
    common: dict[str, Any] = {
        "id": qid,
        "prompt": draw(words),
        "explanation": draw(st.none() | words),
        "format": draw(st.sampled_from([None, "html", "markdown", "moodle", "plain"])),
        "idnumber": draw(st.none() | words),
    }
    texts = draw(st.lists(words, min_size=3, max_size=5, unique_by=lambda s: " ".join(s.split())))
    question: Question
    feedback_keys = list(texts)
    if kind == "choice":
        right = draw(st.integers(1, 2))
        given = tuple((t, draw(credits | penalties)) for t in texts[right:] if draw(st.booleans()))
        question = ChoiceQuestion(
            **common,
            answer=texts[0],
            other_answers=tuple(texts[1:right]),
            distractors=tuple(texts[right:]),
            credits=tuple((t, c) for t, c in given if c),
        )
    elif kind == "multi":
        split = draw(st.integers(1, len(texts) - 1))
        answers, distractors = texts[:split], texts[split:]
        weighted = draw(st.booleans())
        given_credits: tuple[tuple[str, float], ...] = ()
        if weighted:
            shares = [draw(st.integers(1, 4)) for _ in answers]
            total = sum(shares)
            # shares that add up to exactly 1 where floats allow: halves, quarters, fifths...
            assume(total in (1, 2, 4, 5, 8, 10))
            given_credits = tuple((a, s / total) for a, s in zip(answers, shares, strict=True))
            given_credits += tuple((d, draw(penalties)) for d in distractors)
        question = MultiQuestion(
            **common,
            answers=tuple(answers),
            distractors=tuple(distractors),
            credits=given_credits,
        )
    elif kind == "text":
        question = TextQuestion(
            **common,
            answer=texts[0],
            accept=tuple(texts[1:]),
            credits=tuple((t, draw(credits)) for t in texts[1:] if draw(st.booleans())),
        )
        feedback_keys.append("*")
    elif kind == "number":
        value = draw(st.integers(-1000, 1000)) / draw(st.sampled_from([1, 10, 100]))
        others = tuple(
            NumberAnswer(
                value + n + 1,
                Tolerance(draw(st.sampled_from([0, 0.5, 1]))),
                draw(credits),
                draw(st.none() | words),
            )
            for n in range(draw(st.integers(0, 2)))
        )
        question = NumberQuestion(
            **common,
            answer=value,
            tolerance=Tolerance(draw(st.sampled_from([0, 1]))),
            answers=others,
            unit=draw(st.none() | st.sampled_from(["km", "%", "$", "million barrels"])),
        )
        feedback_keys = ["*", str(int(value)) if float(value).is_integer() else repr(value)]
    else:
        lefts = texts[:2]
        question = MatchQuestion(
            **common,
            pairs=tuple((left, f"{left} right") for left in lefts),
            distractors=tuple(texts[2:]),
        )
        feedback_keys = [f"{left} right" for left in lefts]
    keys = draw(st.lists(st.sampled_from(feedback_keys), max_size=2, unique=True))
    return type(question)(
        **{**question.__dict__, "feedback": tuple((k, draw(words)) for k in keys)}
    )


@st.composite
def credited_banks(draw: st.DrawFn) -> Bank:
    qids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    return Bank(
        id=draw(ids),
        title=draw(words),
        questions=tuple(draw(credited_questions(qid)) for qid in qids),
    )


@given(credited_banks())
def test_credits_round_trip_through_moodle_xml(bank: Bank) -> None:
    bank = valid_bank(bank)
    text = moodle_xml_export(bank)[0]
    assert read_moodle_xml(text) == bank
    # a number's unit travels as qtype_numerical's own unit, not in quiz's comment
    quiz = _parse(text).find("quiz")
    assert quiz is not None
    for node, question in zip(quiz.all("question"), bank.questions, strict=True):
        unit = question.unit if isinstance(question, NumberQuestion) else None
        assert node.value("units", "unit", "unit_name") == unit
        assert node.value("showunits") in (None, "3" if unit is None else "0")
        assert '"unit"' not in "".join(c for c, _, _ in node.comments)


@given(credited_banks())
def test_credits_round_trip_through_gift(bank: Bank) -> None:
    bank = valid_bank(bank)
    assert read_gift(bank_to_gift(bank)) == bank


@given(tricky_banks())
def test_banks_with_formats_and_feedback_round_trip_through_moodle_xml(bank: Bank) -> None:
    # The GIFT test's banks: GIFT syntax in every text, feedback, and texts in a format of
    # their own (`formats`), which Moodle XML writes in each element's `format`.
    bank = valid_bank(bank)
    assert read_moodle_xml(moodle_xml_export(bank)[0]) == bank


@pytest.mark.parametrize("title", ["quiz", "quiz: a title", "quiz:{", "Quiz -- 2"])
def test_a_bank_titled_like_a_quiz_comment_round_trips(title: str) -> None:
    # Hypothesis found it: the export's first, human comment read "<title>: exported by quiz",
    # and a bank titled "quiz" made it look like a broken quiz comment.
    bank = valid_bank(
        Bank(id="t", title=title, questions=(TrueFalseQuestion(id="q", prompt="p?", answer=False),))
    )
    assert read_moodle_xml(moodle_xml_export(bank)[0]) == bank


def test_an_older_export_whose_first_comment_starts_with_quiz_still_reads() -> None:
    xml = (
        "<quiz>\n  <!-- quiz: exported by quiz. -->\n"
        '  <!-- quiz: {"bank": {"id": "b", "title": "quiz"}} -->\n'
        '  <question type="truefalse"><name><text>q</text></name>'
        "<questiontext><text>p?</text></questiontext>"
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question>\n</quiz>\n'
    )
    bank = read_moodle_xml(xml)
    assert (bank.id, bank.title) == ("b", "quiz")


@given(banks())
def test_any_valid_bank_round_trips_through_moodle_xml(bank: Bank) -> None:
    bank = valid_bank(bank)
    assert read_moodle_xml(moodle_xml_export(bank)[0]) == bank


def test_import_and_export_on_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from quiz.cli import cli

    source = tmp_path / "sample.xml"
    source.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "sample.yaml"
    runner = CliRunner()
    result = runner.invoke(cli, ["banks", "import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning:") == 3  # an essay, a cloze, an ordering's grading
    back = tmp_path / "back.xml"
    result = runner.invoke(
        cli, ["banks", "export", str(out), "--to", "moodle-xml", "-o", str(back)]
    )
    assert result.exit_code == 0, result.output
    assert "Warning: [steps]" in result.stderr
    assert read_moodle_xml(back.read_text(encoding="utf-8")) == load_bank(out)


def test_dropped_feedback_and_hints_are_said_on_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from quiz.cli import cli

    source = tmp_path / "moodle.xml"
    extras = (
        _feedback(RIGHT, "Well done.")
        + _feedback(PART, "")
        + _feedback(WRONG, "Look again.")
        + _feedback("hint", "North.")
        + _feedback("hint", "East.")
    )
    source.write_text(_with_extras("multichoice", extras), encoding="utf-8")
    out = tmp_path / "moodle.yaml"
    runner = CliRunner()
    result = runner.invoke(cli, ["banks", "import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "moodle.xml:3:3: warning: [q1] Moodle's combined feedback (correct, incorrect) and 2"
        " hints are not kept: quiz shows the explanation after every answer"
    ) in result.stderr
    assert result.stderr.count("warning:") == 1 and out.exists()
    out.unlink()
    result = runner.invoke(cli, ["banks", "import", str(source), "-o", str(out), "--strict"])
    assert result.exit_code == 1 and "--strict: nothing written" in result.stderr
    assert not out.exists()


def test_a_unit_is_exported_on_the_command_line_without_a_warning(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from quiz.cli import cli

    source = tmp_path / "far.yaml"
    source.write_text(
        "id: far\ntitle: Far\nquestions:\n"
        "  - {id: d, kind: number, prompt: How far?, answer: 50, tolerance: 5, unit: km}\n",
        encoding="utf-8",
    )
    out = tmp_path / "far.xml"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["banks", "export", str(source), "--to", "moodle-xml", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.stderr
    text = out.read_text(encoding="utf-8")
    assert "<units><unit><multiplier>1</multiplier><unit_name>km</unit_name></unit></units>" in text
    assert "<showunits>0</showunits>" in text and '"unit"' not in text
    back = tmp_path / "back.yaml"
    result = runner.invoke(cli, ["banks", "import", str(out), "-o", str(back), "--strict"])
    assert result.exit_code == 0, result.output
    assert load_bank(back) == load_bank(source)


def test_texts_in_a_format_of_their_own_travel_in_moodles_format_attributes() -> None:
    # Moodle XML gives each answer, feedback and subquestion a `format`: a text with a format
    # of its own is written with it (not in the quiz comment), and read back with it.
    from quiz.formats.gift import read_gift

    bank = read_gift(
        "::c:: Pick. {=a #[html]<b>yes</b> ~[html]<i>c</i> &amp; d ~b####[markdown]*why*}\n\n"
        "::m:: [html]<p>Tools</p> {=[moodle]<i>Cuts</i> -> Saw =Drives -> Hammer}\n"
    )
    text, _ = moodle_xml_export(bank)
    assert 'quiz: {"formats"' not in text and '"formats"' not in text
    assert (
        '<answer fraction="0" format="html"><text>&lt;i&gt;c&lt;/i&gt; &amp;amp; d</text>' in text
    )
    assert '<feedback format="html"><text>&lt;b&gt;yes&lt;/b&gt;</text></feedback>' in text
    assert '<generalfeedback format="markdown"><text>*why*</text>' in text
    assert '<subquestion format="moodle_auto_format"><text>&lt;i&gt;Cuts&lt;/i&gt;' in text
    assert read_moodle_xml(text) == bank
