"""GIFT read as Moodle's own reader reads it (question/format/gift/format.php, `readquestion`),
and written as Moodle reads it back (issue #17).

Each test names the format.php behaviour that decides. The fixtures are our own; the cases
re-express what Moodle's import tests (question/format/gift/tests/giftformat_test.php) check,
except that an essay gives quiz's located skip warning instead of a question.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.bank.model import (
    Bank,
    ChoiceQuestion,
    MatchQuestion,
    MultiQuestion,
    NumberAnswer,
    NumberQuestion,
    Question,
    TextQuestion,
    Tolerance,
    TrueFalseQuestion,
)
from quiz.errors import BankError, Problem
from quiz.formats.gift import (
    ALLOWED_GRADES,
    gift_export,
    read_gift,
    read_gift_checked,
)
from quiz.kinds import grade, kind_of


def read(text: str) -> tuple[Bank, list[Problem]]:
    return read_gift_checked(text, "t.gift")


def one(text: str) -> Question:
    bank, warnings = read(text)
    assert warnings == []
    (question,) = bank.questions
    return question


def credits(question: Question) -> tuple[tuple[str, float], ...]:
    return kind_of(question).credits(question) or ()


# -- giftformat_test.php's import cases, re-expressed ---------------------------------------------


def test_essay_is_skipped_with_a_located_warning() -> None:
    # format.php: an empty answer block is an essay. quiz cannot grade one: skipped, warned.
    text = "::Ask:: Tell us about your weekend. {}\n\n::Next:: Sure? {T}\n"
    bank, warnings = read(text)
    assert [q.id for q in bank.questions] == ["next"]
    (warning,) = warnings
    # located inside the empty block, just after its `{`
    assert (warning.line, warning.column, warning.severity) == (1, text.index("{") + 2, "warning")
    assert "essay" in warning.message and "skipped" in warning.message


def test_matching_with_format_markers_and_an_extra_right_hand_answer() -> None:
    # format.php: subquestions go through parse_text_with_format (the marker is dropped), the
    # question text's marker is its format, and `= -> x` is an answer with no subquestion.
    question = one(
        "::Tools:: [html]Pair each <i>tool</i> with its use. {\n"
        "  =[html]Cuts wood -> Saw\n"
        "  =[moodle]Drives nails -> Hammer\n"
        "  =[plain]Tightens bolts -> Spanner\n"
        "  =[markdown]Measures length -> Tape\n"
        "  = -> Glue\n"
        "}"
    )
    assert isinstance(question, MatchQuestion)
    assert question.prompt == "Pair each <i>tool</i> with its use."
    assert question.format == "html"
    assert question.pairs == (
        ("Cuts wood", "Saw"),
        ("Drives nails", "Hammer"),
        ("Tightens bolts", "Spanner"),
        ("Measures length", "Tape"),
    )
    assert question.distractors == ("Glue",)


def test_single_choice_feedback_with_markers_on_options_and_feedback() -> None:
    # format.php: a `=` makes the multichoice single; commentparser splits `#` feedback and
    # parse_text_with_format drops `[html]`/`[plain]` from option and feedback texts.
    question = one(
        "::Hue:: Which colour is between red and yellow?\n"
        "{\n"
        "  =orange # right, well done\n"
        "  ~green # [html]no, that is after yellow\n"
        "  ~[plain]violet # no, that is at the far end\n"
        "}"
    )
    assert isinstance(question, ChoiceQuestion)
    assert question.prompt == "Which colour is between red and yellow?"
    assert (question.answer, question.distractors) == ("orange", ("green", "violet"))
    assert credits(question) == (("orange", 1.0), ("green", 0.0), ("violet", 0.0))
    assert dict(question.feedback) == {
        "orange": "right, well done",
        "green": "no, that is after yellow",
        "violet": "no, that is at the far end",
    }
    right = grade(question, "orange")
    assert right.correct and right.feedback == "right, well done"  # shown after a right answer


def test_multiple_response_weights_and_penalties() -> None:
    # format.php: no `=`, so single = 0; answerweightparser reads %50% and %-100% exactly.
    question = one(
        "::Primes:: Which are prime?\n"
        "{\n"
        "  ~%50%seven # yes\n"
        "  ~%-100%nine # [html]no\n"
        "  ~%50%eleven # yes\n"
        "  ~%-100%[plain]fifteen # no\n"
        "}"
    )
    assert isinstance(question, MultiQuestion)
    assert question.answers == ("seven", "eleven")
    assert question.distractors == ("nine", "fifteen")
    assert credits(question) == (("seven", 0.5), ("eleven", 0.5), ("nine", -1.0), ("fifteen", -1.0))
    assert grade(question, ["seven", "eleven"]).correct
    assert grade(question, ["seven"]).fraction == 0.5
    assert grade(question, ["seven", "eleven", "nine"]).fraction == 0  # a penalty of 100%


@pytest.mark.parametrize("right", [3, 6, 7, 9])
def test_moodles_seven_place_weights_are_right_when_every_right_option_is_picked(
    right: int,
) -> None:
    # Moodle writes 1/3 as 33.33333% (its grades have 7 places): three such weights add up
    # to 99.99999%, which Moodle calls right (question_state graded_state_for_fraction:
    # above 0.999999). A learner picking every right option is right, with full marks.
    from quiz.formats.gift import allowed_grade

    weight = allowed_grade(1 / right)[0] * 100
    options = " ".join(f"~%{weight}%r{n}" for n in range(right))
    question = one(f"::Q:: Which? {{{options} ~%-100%w}}")
    result = grade(question, [f"r{n}" for n in range(right)])
    assert result.correct and result.fraction == 1.0
    assert grade(question, [f"r{n}" for n in range(right - 1)]).fraction < 0.9


@pytest.mark.parametrize("weight", ["33.3333", "33.333", "33.33333"])
def test_a_weight_within_moodles_tolerance_of_a_grade_is_that_grade(weight: str) -> None:
    # question/format.php match_grade_options: a weight within 0.00001 of an allowed grade is
    # that grade, so three `%33.3333%` add up to Moodle's 100% and the file imports.
    question = one(f"::Q:: Which? {{~%{weight}%a ~%{weight}%b ~%{weight}%c ~%-100%d}}")
    third = ("a", "b", "c")
    assert credits(question) == (*((t, 0.3333333) for t in third), ("d", -1.0))
    assert one("::Q:: Which? {=a ~%45%b}").credits == (("b", 0.45),)  # no grade near: as is


def test_each_picked_options_feedback_is_shown_right_or_wrong() -> None:
    # Moodle's multichoice renderer shows the feedback of every chosen option: a right pick's
    # message too when the answer is only partly right.
    question = one("::W:: Which? {~%70%a#Good. ~%30%b#Also. ~%-50%c#Bad. ~d}")
    partly = grade(question, ["a", "c"])
    assert partly.fraction == pytest.approx(0.2)
    assert partly.feedback is not None
    assert "Good." in partly.feedback and "Bad." in partly.feedback
    assert "Also." not in partly.feedback  # not picked
    right = grade(question, ["a", "b", "d"])
    assert right.correct and right.feedback is not None and "Good." in right.feedback


def test_multiple_response_with_one_right_option_and_half_penalties() -> None:
    # format.php: `~%100%` without any `=` is still a multiple-response question (single = 0):
    # Moodle writes this form itself; the penalties stay -50%.
    question = one("::Pick:: Which is a vowel? {~%100%e #yes ~%-50%k #no ~%-50%t #no}")
    assert isinstance(question, MultiQuestion)
    assert question.answers == ("e",)
    assert credits(question) == (("e", 1.0), ("k", -0.5), ("t", -0.5))
    assert grade(question, ["e", "k"]).fraction == 0.5


def test_numeric_with_feedback_for_any_other_answer() -> None:
    # format.php: in a numerical block, text from the first `~` on is the feedback for `*`.
    question = one("::Dice:: Roll a number from 2 to 6. {#4:2~#Not on this die}")
    assert isinstance(question, NumberQuestion)
    assert (question.answer, question.tolerance) == (4, Tolerance(2))
    assert dict(question.feedback) == {"*": "Not on this die"}
    assert grade(question, "9").feedback == "Not on this die"
    assert grade(question, "5").correct


def test_short_answer_with_partial_credit_and_a_wildcard() -> None:
    # format.php: short-answer weights are read after `=`; `*` worth 0% only gives feedback.
    question = one(
        "::Pet:: Which pet purrs?{\n"
        "  =Cat#Yes!\n"
        "  =%50%Lion#A big one, but not a pet.\n"
        "  =%0%*#No, not that one.\n"
        "  ####[html]Cats purr; so do some wild cats.\n"
        "}"
    )
    assert isinstance(question, TextQuestion)
    assert question.answer == "Cat"
    assert credits(question) == (("Cat", 1.0), ("Lion", 0.5))
    assert question.explanation == "Cats purr; so do some wild cats."  # general feedback
    assert question.own_format(question.explanation) == "html"  # generalfeedbackformat
    assert grade(question, "lion").fraction == 0.5
    assert grade(question, "lion").feedback == "A big one, but not a pet."
    assert grade(question, "dog").feedback == "No, not that one."
    assert grade(question, "cat").feedback == "Yes!"


def test_a_short_answers_asterisk_as_moodle_compares_it() -> None:
    # qtype_shortanswer compare_string_with_wildcard: `*` is any characters, `\*` an
    # asterisk. quiz has no wildcard: `\*` is read as the asterisk, and a wildcard is kept as
    # written with a located warning (the grading differs there).
    text = "::S:: Which cat? {=Lion =%50%Lion* =%0%*#No.}\n\n::T:: 2 by 3? {=2\\*3}"
    bank, warnings = read(text)
    lion, times = bank.questions
    assert isinstance(lion, TextQuestion) and isinstance(times, TextQuestion)
    assert lion.accept == ("Lion*",) and dict(lion.feedback) == {"*": "No."}
    assert times.answer == "2*3" and grade(times, "2*3").correct
    (warning,) = warnings
    assert (warning.line, warning.column) == (1, text.index("=%50%") + 1)
    assert "`*` in the answer 'Lion*'" in warning.message


def test_true_false_feedbacks_wrong_then_right() -> None:
    # format.php split_truefalse_comment: {FALSE#when wrong#when right}.
    question = one(
        "::Sky:: The sky is green.{\nFALSE#It is blue on a clear day.#Right, it is not.}"
    )
    assert isinstance(question, TrueFalseQuestion)
    assert question.answer is False
    assert dict(question.feedback) == {
        "true": "It is blue on a clear day.",
        "false": "Right, it is not.",
    }
    assert grade(question, "false").feedback == "Right, it is not."


@pytest.mark.parametrize("block", ["T", "TRUE"])
def test_true_forms(block: str) -> None:
    question = one(f"// a name with digits\n::3-11 ABC::ABC is a thing.{{{block}}}")
    assert isinstance(question, TrueFalseQuestion) and question.answer is True
    assert question.id == "3-11-abc"


def test_true_false_words_are_case_sensitive() -> None:
    # format.php: in_array($truefalsecheck, ['T', 'TRUE', 'F', 'FALSE']) compares exactly.
    question = one("::Q:: Say yes. {true}")
    assert isinstance(question, TextQuestion) and question.answer == "true"


def test_backslashes() -> None:
    # format.php escapedchar_pre/post: `\\` is one backslash, other backslashes stay.
    question = one("::Slash:: A \\\\ B \\\\\\\\ C \\d {=x}")
    assert question.prompt == "A \\ B \\\\ C \\d"


def test_pre_keeps_its_line_breaks() -> None:
    question = one(
        "::Code::[html]<p>What does this print?</p>\n"
        "<pre>\n"
        "    if x \\{\n"
        "        print(1)\n"
        "    \\}\n"
        "</pre>\n"
        "{=1}"
    )
    assert question.prompt == (
        "<p>What does this print?</p> <pre>\n    if x {\n        print(1)\n    }\n</pre>"
    )
    assert question.format == "html"


def test_tags_and_id_number_from_comments() -> None:
    # format.php extract_idnumber_and_tags_from_comment: [tag:...] and [id:...] in comments;
    # the question id is the id number's slug.
    question = one(
        "// This one has tags: [tag:Geography] [tag:north-east].\n"
        "// And an id number: [id:GEO\\]7].\n"
        "::Question name:: Which port? {=Rason =Rajin}"
    )
    assert question.idnumber == "GEO]7"
    assert question.id == "geo-7"
    assert question.tags == ("geography", "north-east")


def test_tags_of_a_skipped_essay_do_not_leak() -> None:
    bank, warnings = read("// [tag:x] [id:e1]\n::E:: Discuss. {}\n\n::Q:: Which? {=a ~b}\n")
    assert len(warnings) == 1
    assert bank.questions[0].tags == () and bank.questions[0].idnumber is None


@pytest.mark.parametrize(
    ("comment", "idnumber", "tags"),
    [
        ("", None, ()),
        ("// Nothing to see here.", None, ()),
        ("// Its number is [id:port-3], see the list.", "port-3", ()),
        ("// Filed under [tag:ports] and [tag:trade].", None, ("ports", "trade")),
        ("// [tag:trade] [id:p9] [tag:ports]", "p9", ("trade", "ports")),
        # spaces inside the brackets go; the comment may run over several lines
        (
            "// [tag:   sea ] first line\n// then [id:  n7  ] and t[tag:rail  ]ail",
            "n7",
            ("sea", "rail"),
        ),
        # a tag broken over two comment lines is no tag
        ("// not one [tag:\n// sea]", None, ()),
        ("// [id:a\\]b] with an escaped bracket", "a]b", ()),
    ],
)
def test_id_numbers_and_tags_in_comments(
    comment: str, idnumber: str | None, tags: tuple[str, ...]
) -> None:
    # format.php extract_idnumber_and_tags_from_comment, case by case (giftformat_test.php's
    # data provider checks the same rules).
    text = (comment + "\n" if comment else "") + "::Q:: Which port? {=Rason ~Seoul}"
    question = one(text)
    assert question.idnumber == idnumber
    assert question.tags == tags


def test_moodles_own_numeric_export_reads_back() -> None:
    # Moodle's GIFT writer gives each numerical answer its weight and a `#` even when it has
    # no feedback, one per line, and the "any other answer" feedback as `~#`.
    question = one("::Die:: Roll from 2 to 6.{#\n\t=%100%4:2#\n\t~#Not on this die\n}")
    assert isinstance(question, NumberQuestion)
    assert (question.answer, question.tolerance, question.answers) == (4, Tolerance(2), ())
    assert dict(question.feedback) == {"*": "Not on this die"}


def test_moodles_own_true_false_export_reads_back() -> None:
    # Moodle's writer: `{TRUE#when wrong#when right####general}`, each with its own marker.
    question = one(
        "// [id:tf1] [tag:tag1] [tag:tag2]\n"
        "::TF::[html]The sea is <b>salt</b>.{TRUE#[html]No, <i>it is</i>.#Right.####Taste it.}"
    )
    assert isinstance(question, TrueFalseQuestion) and question.answer is True
    assert (question.idnumber, question.tags, question.format) == ("tf1", ("tag1", "tag2"), "html")
    assert dict(question.feedback) == {"false": "No, <i>it is</i>.", "true": "Right."}
    assert question.explanation == "Taste it."
    assert grade(question, "true").feedback == "Right."


# -- the constructs the issue lists -----------------------------------------------------------


def test_arrow_in_a_choice_option_is_text() -> None:
    # format.php: a `~` makes it multichoice before `->` is looked at.
    question = one("::Flow:: Which way? {=north -> south ~east -> west}")
    assert isinstance(question, ChoiceQuestion)
    assert question.options == ("north -> south", "east -> west")


def test_options_differing_in_case_are_two_options() -> None:
    question = one("::UK:: The code of the United Kingdom? {=GB ~Gb ~gb}")
    assert isinstance(question, ChoiceQuestion)
    assert question.distractors == ("Gb", "gb")
    assert grade(question, "GB").correct and not grade(question, "Gb").correct


def test_a_typed_option_that_names_several_options_picks_none() -> None:
    # Options differing only in case are compared exactly: "gB" names GB and Gb alike, so it
    # picks neither (before, it picked the first, the right one).
    question = one("::UK:: The code of the United Kingdom? {=GB ~Gb}")
    loose = grade(question, "gB")
    assert not loose.correct and loose.hint is not None
    assert loose.hint.code == "choice.several_options"
    assert loose.hint.values["options"] == ["GB", "Gb"]  # the learner is told which, not "none"
    assert grade(question, "UK").hint.code == "choice.not_an_option"
    assert grade(question, " GB ").correct  # one option trimmed: still that one
    multi = one("::M:: Which? {~%100%GB ~%-100%Gb}")
    assert grade(multi, ["gb"]).fraction == 0


def test_a_percent_that_is_no_weight_is_text() -> None:
    # format.php $giftanswerweightregex: `%` digits `%` only.
    question = one("::P:: Which? {=yes ~%maybe ~%5 apples}")
    assert isinstance(question, ChoiceQuestion)
    assert question.distractors == ("%maybe", "%5 apples")


def test_partial_credit_beside_a_right_option() -> None:
    question = one("::Port:: Which port? {=Rason ~%50%Sonbong ~Hamhung}")
    assert isinstance(question, ChoiceQuestion)
    assert credits(question) == (("Rason", 1.0), ("Sonbong", 0.5), ("Hamhung", 0.0))
    assert grade(question, "Sonbong").fraction == 0.5


def test_two_fully_right_options() -> None:
    question = one("::City:: Name a port. {=Rason =Rajin ~Pyongyang}")
    assert isinstance(question, ChoiceQuestion)
    assert question.answers == ("Rason", "Rajin")
    assert grade(question, "Rajin").correct


def test_bare_short_answer() -> None:
    # format.php: the text before the first `=` is kept as an answer.
    question = one("::One:: Say one. {One}")
    assert isinstance(question, TextQuestion) and question.answer == "One"


def test_range_in_shortest_exact_decimals() -> None:
    question = one("::Pi:: Pi to three places? {#3.141..3.142}")
    assert isinstance(question, NumberQuestion)
    assert (question.answer, question.tolerance) == (3.1415, Tolerance(0.0005))
    assert "3.1414999" not in kind_of(question).expected_text(question)


def test_numeric_answers_with_weights_and_feedback() -> None:
    question = one("::N:: How many? {#=%100%3:2#Yes. =%50%10:1#Close. ~#No.}")
    assert isinstance(question, NumberQuestion)
    assert question.answers == (NumberAnswer(10, Tolerance(1), 0.5, "Close."),)
    assert dict(question.feedback) == {"3": "Yes.", "*": "No."}
    assert grade(question, "3").feedback == "Yes."
    result = grade(question, "11")
    assert result.fraction == 0.5 and result.feedback == "Close."


def test_numeric_general_feedback_alone_is_an_essay() -> None:
    # format.php: `####` is cut off first (strrpos); an empty block left is an essay.
    bank, warnings = read("::E:: Explain. {####Good answers mention X.}\n\n::Q:: Ok? {T}")
    assert len(bank.questions) == 1 and "essay" in warnings[0].message


def test_description_and_cloze_are_skipped_with_warnings() -> None:
    bank, warnings = read(
        "::Intro:: Read the article first.\n\n"
        "::Gap:: Rason is {=north} of {=Seoul}.\n\n"
        "::Q:: Ok? {T}\n"
    )
    assert [q.id for q in bank.questions] == ["q"]
    assert [(w.line, "description" in w.message or "cloze" in w.message) for w in warnings] == [
        (1, True),
        (3, True),
    ]


def test_format_markers_on_options_and_feedback_are_kept_and_shown_as_plain_text() -> None:
    # format.php parse_text_with_format on each option and feedback: the marker is the text's
    # format. quiz keeps the text as written with its format (`formats`), and the terminal
    # shows it as plain text (tags removed, entities decoded).
    from quiz.kinds import shown_option, shown_text

    question = one("::Q:: Pick. {=[moodle]a #[html]<b>yes</b> ~[plain]b ~[html]<i>c</i> &amp; d}")
    assert isinstance(question, ChoiceQuestion)
    assert question.options == ("a", "b", "<i>c</i> &amp; d")
    assert dict(question.formats) == {
        "a": "moodle",
        "b": "plain",
        "<i>c</i> &amp; d": "html",
        "<b>yes</b>": "html",
    }
    assert dict(question.feedback) == {"a": "<b>yes</b>"}
    assert [shown_option(question, o) for o in question.options] == ["a", "b", "c & d"]
    assert shown_text(question, "<b>yes</b>") == "yes"
    right = grade(question, "a")
    assert right.correct and shown_text(question, right.feedback or "") == "yes"
    assert grade(question, "<i>c</i> &amp; d").fraction == 0  # picked as written
    html = one("::Q:: [html]<p>Pick.</p> {=a #<b>yes</b>}")  # the question's own format
    assert dict(html.feedback) == {"a": "<b>yes</b>"} and html.formats == ()


def test_a_feedback_in_a_format_of_its_own_is_shown_in_the_questions_format() -> None:
    # A plain feedback `a < b &amp; c` in an HTML question, and an HTML one in a plain
    # question: each reaches the screen as the plain text it shows, joined or not.
    from quiz.kinds import shown_text

    html = one("::Q:: [html]<p>Which?</p> {~%50%x #[plain]a < b &amp; c ~%50%y #<i>fine</i>}")
    said = grade(html, ["x", "y"]).feedback or ""
    assert shown_text(html, said) == "a < b &amp; c fine"
    plain = one("::Q:: Which? {=x #[html]<b>yes</b> &amp; more ~y}")
    assert shown_text(plain, grade(plain, "x").feedback or "") == "yes & more"


def test_gift_round_trip_keeps_format_markers() -> None:
    # The bank -> GIFT -> bank round trip keeps each marker in the GIFT text itself (no
    # `// quiz:` line needed), as Moodle's writer puts it before the text.
    text = (
        "::q:: Pick. {\n  =[moodle]a #[html]<b>yes</b>\n  ~[plain]b\n  ~[html]<i>c</i> &amp; d\n"
        "####[markdown]*why*}\n\n"
        "::t:: [html]<p>Tools</p> {\n  =[html]<i>Cuts</i> wood -> Saw\n  =Drives -> Hammer\n}\n\n"
        "::n:: How many? {#=3:1#[html]<b>yes</b> =%50%5#[plain]close ~#[html]<i>no</i>}\n\n"
        "::f:: Sure? {T#[html]<b>no</b>#[plain]yes}\n"
    )
    bank, warnings = read(text)
    assert warnings == []
    assert [len(q.formats) for q in bank.questions] == [5, 1, 3, 2]
    exported, _ = gift_export(bank)
    assert '// quiz: {"formats"' not in exported and '"formats"' not in exported
    for marked in (
        "=[moodle]a #[html]<b>yes</b>",
        "~[plain]b",
        "~[html]<i>c</i> &amp; d",
        "####[markdown]*why*",
        "=[html]<i>Cuts</i> wood -> Saw",
        "~#[html]<i>no</i>",
        "#[plain]close",
        "TRUE#[html]<b>no</b>#[plain]yes",
    ):
        assert marked in exported, marked
    assert read_gift(exported) == bank


def test_a_short_answers_marker_is_dropped_as_moodle_does() -> None:
    # format.php keeps a short answer's text only (no format): the marker goes, quiz's typed
    # answers being plain text.
    question = one("::S:: Who? {=[html]<b>Kim</b> =%50%Koz}")
    assert isinstance(question, TextQuestion)
    assert question.answer == "Kim" and question.formats == ()


def test_every_error_in_one_run_with_the_loaders() -> None:
    # A GIFT error and a bank error (an answer among the distractors) come together.
    with pytest.raises(BankError) as caught:
        read("::A:: Broken {=x ~y\n\n::B:: Same? {=x ~x}\n\n::C:: Bad {#many}\n")
    lines = [p.line for p in caught.value.problems]
    assert lines == [1, 3, 5]


def test_a_file_of_skipped_questions_says_so_rather_than_no_questions_found() -> None:
    with pytest.raises(BankError) as raised:
        read("::E:: Discuss. {####Mention X.}\n\n::D:: Read the article first.\n")
    messages = [(p.line, p.message) for p in raised.value.problems]
    assert [line for line, _ in messages] == [1, 3, None]
    assert "essay" in messages[0][1] and "description" in messages[1][1]
    assert messages[2][1] == (
        "no question quiz can take: all 2 were skipped, so there is nothing to import"
    )
    assert not any("no questions found" in m for _, m in messages)


def test_thirty_questions_with_one_essay_import_29() -> None:
    blocks = [f"::Q{n}:: Question {n}? {{=answer {n} ~other {n}}}" for n in range(29)]
    blocks.insert(14, "::Essay:: Write about the port. {}")
    bank, warnings = read("\n\n".join(blocks) + "\n")
    assert len(bank.questions) == 29
    assert len(warnings) == 1 and warnings[0].line == 29


# -- export: what Moodle reads back -----------------------------------------------------------


def test_export_writes_no_escape_moodle_would_show() -> None:
    bank = Bank(
        id="b",
        title="B",
        questions=(
            ChoiceQuestion(id="c", prompt="P", answer="a -> b", distractors=("%odd", "x")),
            TextQuestion(id="t", prompt="P", answer="%50% off"),
        ),
    )
    text, warnings = gift_export(bank)
    assert "-\\>" not in text and "\\%" not in text
    assert "=a -> b" in text and "~%odd" in text
    assert "=%100%%50% off" in text  # the weight Moodle reads first, then the text
    assert read_gift(text) == bank and warnings == []


def without_quiz_lines(text: str) -> str:
    """The GIFT as Moodle reads it: Moodle ignores the `// quiz:` comment lines."""
    return "\n".join(line for line in text.split("\n") if not line.startswith("// quiz:"))


def test_a_short_answer_arrow_is_written_bare_as_moodle_reads_it() -> None:
    # format.php takes a block holding both `=` and `->` for matching, and GIFT has no escape
    # for `->`: `{=->}` would not be a short answer. A lone answer written bare has no `=`.
    bank = Bank(
        id="b",
        title="B",
        questions=(
            TextQuestion(id="t", prompt="The arrow?", answer="->"),
            TextQuestion(id="u", prompt="P", answer="a -> b", feedback=(("a -> b", "Yes"),)),
        ),
    )
    text, warnings = gift_export(bank)
    assert "::t:: The arrow? {->}" in text and "{a -> b#Yes}" in text
    assert warnings == [] and '// quiz: {"answer"' not in text
    moodle = read_gift(without_quiz_lines(text))
    assert [(q.kind, q.answer) for q in moodle.questions] == [("text", "->"), ("text", "a -> b")]
    assert read_gift(text) == bank


def test_an_asterisk_in_a_short_answer_is_written_as_moodle_reads_it_literally() -> None:
    bank = Bank(
        id="b",
        title="B",
        questions=(
            TextQuestion(
                id="t",
                prompt="2 by 3?",
                answer="2*3",
                accept=("*",),
                feedback=(("x*y", "No."), ("*", "Any other.")),
            ),
            TextQuestion(id="u", prompt="P", answer="x", feedback=(("*", "Any other."),)),
        ),
    )
    text, warnings = gift_export(bank)
    assert "=2\\\\*3" in text and "=\\\\* #Any other." in text and "=%0%x\\\\*y #No." in text
    assert "=%0%* #Any other." in text  # `*` alone, worth 0%: Moodle's any other answer
    moodle = read_gift(without_quiz_lines(text))
    assert moodle.questions[0].answer == "2*3" and warnings == []
    assert read_gift(text) == bank


def test_what_gift_cannot_say_to_moodle_is_warned() -> None:
    # A short answer `->` beside other answers has no GIFT form Moodle reads (`=` and `->`
    # make it matching); a left item holding `->` is split at it (format.php `strpos`).
    bank = Bank(
        id="b",
        title="B",
        questions=(
            TextQuestion(id="t", prompt="P", answer="->", accept=("arrow",)),
            MatchQuestion(id="m", prompt="P", pairs=(("a -> b", "c"), ("d", "e -> f"))),
        ),
    )
    text, warnings = gift_export(bank)
    assert len(warnings) == 2
    assert warnings[0].startswith("[t]") and "Moodle gets a short answer `?`" in warnings[0]
    assert warnings[1].startswith("[m]") and "a -> b" in warnings[1]
    assert "e -> f" not in warnings[1]  # a right-hand `->` is read as written
    assert read_gift(text) == bank


def test_export_weights_are_moodle_grades() -> None:
    allowed = {f"{g * 100:f}".rstrip("0").rstrip(".") for g in ALLOWED_GRADES}
    answers = tuple(f"a{n}" for n in range(11))
    bank = Bank(
        id="b",
        title="B",
        questions=(
            MultiQuestion(id="m", prompt="P", answers=answers, distractors=("z",)),
            ChoiceQuestion(
                id="c", prompt="P", answer="a", distractors=("b",), credits=(("b", -0.5),)
            ),
            MultiQuestion(
                id="w",
                prompt="P",
                answers=("a", "b"),
                distractors=("c",),
                credits=(("a", 0.7), ("b", 0.3), ("c", -0.5)),
            ),
        ),
    )
    text, warnings = gift_export(bank)
    weights = {w.lstrip("-") for w in re.findall(r"%(-?[0-9.]+)%", text)}
    assert weights <= allowed, weights - allowed
    assert "~%-50%b" in text and "~%70%a" in text and "~%30%b" in text
    # 1/11 has no exact grade. qtype_multichoice's save_question_options wants the right
    # options of a multiple-response question to add up to 100% (to two places): 1/11 is
    # split between the grades beside it, nine at 10% and two at 5%.
    m_block = text[text.index("::m::") : text.index("::c::")]
    right = [float(w) for w in re.findall(r"~%([0-9.]+)%a", m_block)]
    assert sorted(right) == [5.0] * 2 + [10.0] * 9 and sum(right) == 100
    assert "~%-10%z" in m_block
    assert warnings == [
        "[m] a weight of 9.09091% is not one of Moodle's grades: written 10% (9 options)"
        " and 5% (2 options)",
        "[m] a weight of -9.09091% is not one of Moodle's grades: written -10%",
    ]
    assert read_gift(text) == bank  # the `// quiz:` line keeps the exact weights


@given(st.integers(1, 20), st.integers(0, 3))
def test_equal_right_weights_are_moodle_grades_adding_up_to_100(right: int, wrong: int) -> None:
    from quiz.formats.gift import multiple_response_grades

    credits = tuple((f"a{n}", 1 / right) for n in range(right))
    credits += tuple((f"z{n}", -1 / right) for n in range(wrong))
    grades = multiple_response_grades(credits)
    assert [text for text, _ in grades] == [text for text, _ in credits]
    assert all(abs(Decimal(repr(g))) in ALLOWED_GRADES for _, g in grades)
    positive = [Decimal(repr(g)) for _, g in grades[:right]]
    assert all(g > 0 for g in positive) and round(sum(positive), 2) == 1


def test_right_weights_that_cannot_add_up_to_100_are_warned() -> None:
    # 21 right options: 1/21 lies below Moodle's smallest grade (5%), which no right option
    # goes under (0% would make it wrong), so the weights add up to 105%: Moodle says so.
    answers = tuple(f"a{n}" for n in range(21))
    bank = Bank(
        id="b",
        title="B",
        questions=(MultiQuestion(id="m", prompt="P", answers=answers, distractors=("z",)),),
    )
    text, warnings = gift_export(bank)
    assert "~%0%" not in text and text.count("~%5%a") == 21
    assert "[m] the right options' weights add up to 105%, not 100%" in " ".join(warnings)
    assert read_gift(text) == bank


def test_export_of_an_order_question_warns() -> None:
    from quiz.bank.model import OrderQuestion

    bank = Bank(id="b", title="B", questions=(OrderQuestion(id="o", prompt="P", items=("a", "b")),))
    _, warnings = gift_export(bank)
    assert len(warnings) == 1 and "matching" in warnings[0] and "[o]" in warnings[0]


def test_export_keeps_format_and_id_number() -> None:
    bank = Bank(
        id="b",
        title="B",
        questions=(
            TextQuestion(
                id="geo-7", prompt="<b>Where?</b>", answer="x", format="html", idnumber="GEO]7"
            ),
        ),
    )
    text, _ = gift_export(bank)
    assert "// [id:GEO\\]7]" in text and "[html]<b>Where?</b>" in text
    assert read_gift(text) == bank


def test_the_screen_shows_html_as_plain_text() -> None:
    from quiz.kinds import shown_text

    question = one("::Q:: [html]<p>Pick &amp; <b>choose</b></p> {=a ~b}")
    assert shown_text(question, question.prompt) == "Pick & choose"


def test_a_file_with_warnings_fails_import_with_strict(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from quiz.cli import cli

    source = tmp_path / "exam.gift"
    source.write_text("::E:: Discuss. {}\n\n::Q:: Which? {=a ~b}\n", encoding="utf-8")
    out = tmp_path / "exam.yaml"
    runner = CliRunner()
    strict = runner.invoke(cli, ["banks", "import", str(source), "--strict", "-o", str(out)])
    assert strict.exit_code == 1 and not out.exists()
    assert f"{source}:1:17: warning: an essay question" in strict.stderr
    loose = runner.invoke(cli, ["banks", "import", str(source), "-o", str(out)])
    assert loose.exit_code == 0, loose.output
    assert "id: q" in out.read_text(encoding="utf-8")


def test_plain_mode_reads_a_typed_match_answer_only_when_it_names_one_option(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from quiz.cli import cli

    source = tmp_path / "codes.gift"
    source.write_text("::Codes:: Pair them. {=United Kingdom -> GB =Gibibit -> Gb}\n")
    bank = tmp_path / "codes.yaml"
    runner = CliRunner()
    assert runner.invoke(cli, ["banks", "import", str(source), "-o", str(bank)]).exit_code == 0
    result = runner.invoke(cli, ["take", str(bank), "--plain", "--no-shuffle"], input="GB\ngb\n")
    assert result.exit_code == 0, result.output
    assert "no such option" in result.output  # "gb" names GB and Gb alike
    assert "Score: 0.5/1" in result.output


def test_the_feedback_for_any_other_answer_is_not_shown_after_a_matching_one() -> None:
    # Moodle's graders give the feedback of the first answer that matches (question/type/
    # numerical and shortanswer `get_matching_answer`): `*` and `~#` are only for a response no
    # answer matched, never after a right or partly right one.
    number = one("::N:: How many? {#=3:1 =%50%7 ~#Completely wrong}")
    assert grade(number, "3").feedback is None and grade(number, "7").feedback is None
    assert grade(number, "20").feedback == "Completely wrong"
    text = one("::S:: Capital? {=Seoul =%50%Soul =%0%*#No.}")
    assert grade(text, "Seoul").feedback is None and grade(text, "Soul").feedback is None
    assert grade(text, "Busan").feedback == "No." and grade(text, "?").feedback == "No."


def test_a_response_is_shown_with_its_options_as_plain_text() -> None:
    # The feedback's "Your answer", `quiz grade` and the reports show a picked option that has
    # a format of its own as the plain text it shows; the right answer too.
    choice = one("::Q:: Pick. {=[html]<b>a</b> &amp; b ~[html]<i>c</i>}")
    kind = kind_of(choice)
    assert kind.response_text(choice, "<i>c</i>") == "c"
    assert kind.expected_text(choice) == "a & b"
    multi = one("::M:: Pick. {~%50%[html]<b>x</b> ~%50%y ~%-100%z}")
    assert kind_of(multi).response_text(multi, ["<b>x</b>", "y"]) == "x; y"
    match = one("::P:: Pair. {=[html]<i>Saw</i> -> cuts =Hammer -> drives}")
    assert kind_of(match).response_text(match, [["<i>Saw</i>", "cuts"]]) == "Saw → cuts"
    assert kind_of(match).response_text(match, {"<i>Saw</i>": "cuts"}) == "Saw → cuts"
    assert kind_of(match).expected_text(match) == "Saw → cuts; Hammer → drives"
