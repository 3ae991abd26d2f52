"""The quiz engine: selection, seeded shuffles, answering, skipping, resuming, totals."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.bank.loader import load_bank, load_bank_text
from quiz.bank.model import Bank
from quiz.grading.hints import Hint, Unreadable
from quiz.session import Filters, Result, Session, select_plan, summarize
from quiz.store.records import ResponseRecord

BANKS = Path(__file__).parent / "data" / "banks"


@pytest.fixture(scope="module")
def mini() -> Bank:
    return load_bank(BANKS / "mini.yaml")


@pytest.fixture(scope="module")
def three() -> Bank:
    return load_bank(BANKS / "three.yaml")


def right_response(item) -> object:  # type: ignore[no-untyped-def]
    """The response that earns full marks for an item, as a front end would hand it over."""
    q = item.question
    return {
        "choice": lambda: q.answer,
        "multi": lambda: list(q.answers),
        "truefalse": lambda: "true" if q.answer else "false",
        "text": lambda: q.answer,
        "number": lambda: str(int(q.answer)),
        "date": lambda: str(q.answer),
        "match": lambda: dict(q.pairs),
        "order": lambda: list(q.items),
    }[q.kind]()


# -- selection and order --------------------------------------------------------------------------
def test_same_seed_same_quiz(mini: Bank) -> None:
    first = Session.build([mini], seed=42)
    again = Session.build([mini], seed=42)
    assert first.plan == again.plan
    assert [i.options for i in first.items] == [i.options for i in again.items]
    assert sorted(q for _, q in first.plan) == sorted(q.id for q in mini.questions)


def test_different_seeds_differ(mini: Bank) -> None:
    plans = {Session.build([mini], seed=seed).plan for seed in range(10)}
    assert len(plans) > 1
    options = {Session.build([mini], seed=seed).items[0].options for seed in range(10)}
    assert len(options) > 1


def test_no_shuffle_keeps_bank_order_and_options(mini: Bank) -> None:
    session = Session.build([mini], seed=7, shuffle=False)
    assert [q for _, q in session.plan] == [q.id for q in mini.questions]
    choice = session.items[0]
    # Unshuffled options come sorted, so the answer (first in the model) is not given away.
    expected = tuple(sorted(mini.questions[0].options, key=str.casefold))  # type: ignore[attr-defined]
    assert choice.options == expected


def test_bank_default_keeps_option_order(three: Bank) -> None:
    for seed in range(5):
        session = Session.build([three], seed=seed)
        for item in session.items:
            options = item.question.options  # type: ignore[attr-defined]
            assert item.options == tuple(sorted(options, key=str.casefold))
    # ...but the questions are still shuffled
    assert len({Session.build([three], seed=s).plan for s in range(10)}) > 1


def test_order_and_match_never_show_the_answer(mini: Bank) -> None:
    for seed in range(30):
        for shuffle in (True, False):
            session = Session.build([mini], seed=seed, shuffle=shuffle)
            by_kind = {item.kind: item for item in session.items}
            order = by_kind["order"]
            assert order.options != order.question.items  # type: ignore[attr-defined]
            assert sorted(order.options) == sorted(order.question.items)  # type: ignore[attr-defined]
            match = by_kind["match"]
            rights = tuple(r for _, r in match.question.pairs)  # type: ignore[attr-defined]
            assert match.options != rights
            assert match.lefts == tuple(left for left, _ in match.question.pairs)  # type: ignore[attr-defined]


def test_no_shuffle_fixes_match_and_order_options(mini: Bank) -> None:
    # --no-shuffle: the same options on every run, whatever seed the run drew, and on resume
    # (which rebuilds an unshuffled quiz with seed 0); still never in the right order
    shown = set()
    for seed in (0, 1, 7, 123456, 2**31 - 1):
        session = Session.build([mini], seed=seed, shuffle=False)
        by_kind = {item.kind: item for item in session.items}
        shown.add((by_kind["order"].options, by_kind["match"].options))
    assert len(shown) == 1
    [(order, match)] = shown
    assert order != mini.question("sizes").items  # type: ignore[union-attr]
    assert match != tuple(r for _, r in mini.question("pairs").pairs)  # type: ignore[union-attr]


def test_option_order_depends_on_the_question_not_its_position(mini: Bank) -> None:
    session = Session.build([mini], seed=5)
    reversed_plan = Session([mini], list(reversed(session.plan)), seed=5)
    assert {i.key: i.options for i in session.items} == {
        i.key: i.options for i in reversed_plan.items
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(tags=("geography",)), {"capital", "pairs"}),
        (Filters(tags=("maths", "history")), {"primes", "barrels", "moon"}),
        (Filters(kinds=("text", "number")), {"author", "barrels"}),
        (Filters(difficulty=("easy",)), {"capital", "sky", "sizes"}),
        (Filters(tags=("nature",), difficulty=("easy",)), {"sky", "sizes"}),
        (Filters(only=frozenset({("mini", "moon"), ("other", "x")})), {"moon"}),
        (Filters(tags=("nothing",)), set()),
    ],
)
def test_filters(mini: Bank, filters: Filters, expected: set[str]) -> None:
    plan = select_plan([mini], filters, seed=1)
    assert {q for _, q in plan} == expected


def test_count_cuts_after_shuffling(mini: Bank) -> None:
    plans = {tuple(select_plan([mini], Filters(count=3), seed=s)) for s in range(10)}
    assert all(len(plan) == 3 for plan in plans)
    assert len(plans) > 1
    assert select_plan([mini], Filters(count=3), seed=1, shuffle=False) == [
        ("mini", "capital"),
        ("mini", "primes"),
        ("mini", "sky"),
    ]
    assert len(select_plan([mini], Filters(count=50), seed=1)) == 8


def test_drafts_are_left_out() -> None:
    bank = load_bank_text(
        "id: d\ntitle: D\nquestions:\n"
        "  - {id: a, kind: text, prompt: A?, answer: a}\n"
        "  - {id: b, kind: text, prompt: B?, answer: b, draft: true}\n"
    )
    assert select_plan([bank], seed=1) == [("d", "a")]
    assert len(select_plan([bank], Filters(include_drafts=True), seed=1)) == 2


def test_several_banks(mini: Bank, three: Bank) -> None:
    session = Session.build([mini, three], seed=3)
    assert {b for b, _ in session.plan} == {"mini", "three"}
    assert session.total == 11
    assert len(set(session.plan)) == 11


# -- answering -------------------------------------------------------------------------------------
def test_answer_grades_and_hands_on(mini: Bank) -> None:
    seen: list[Result] = []
    session = Session.build([mini], seed=9, on_answer=seen.append)
    item = session.current
    assert item is not None and session.position == 1
    result = session.answer(right_response(item), seconds=2.5)
    assert seen == [result]
    assert result.correct and result.score == result.max_score == 1
    assert result.verdict == "right"
    record = result.record()
    assert (record.bank_id, record.question_id) == item.key
    assert record.seconds == 2.5 and record.answered_at and not record.skipped
    assert session.position == 2 and session.remaining == 7


def test_every_kind_right_gives_full_marks(mini: Bank) -> None:
    session = Session.build([mini], seed=11)
    while (item := session.current) is not None:
        session.answer(right_response(item))  # type: ignore[arg-type]
    summary = session.summary()
    assert (summary.score, summary.max_score, summary.percent) == (8, 8, 100)
    assert summary.missed == () and summary.complete


def test_points_come_from_the_bank() -> None:
    bank = load_bank_text(
        "id: p\ntitle: P\ndefaults: {points: 2}\nquestions:\n"
        "  - {id: a, kind: text, prompt: A?, answer: a}\n"
        "  - {id: b, kind: text, prompt: B?, answer: b, points: 5}\n"
    )
    session = Session.build([bank], seed=1, shuffle=False)
    assert session.answer("a").max_score == 2
    assert session.skip().max_score == 5
    assert session.summary().max_score == 7


def test_partial_and_wrong(mini: Bank) -> None:
    session = Session([mini], [("mini", "primes"), ("mini", "capital")], seed=1)
    partial = session.answer(["2"])
    assert partial.verdict == "partial" and partial.score == 0.5 and not partial.correct
    wrong = session.answer("Lyon")
    assert wrong.verdict == "wrong" and wrong.score == 0 and wrong.expected == "Paris"


def test_skip(mini: Bank) -> None:
    seen: list[Result] = []
    session = Session([mini], [("mini", "capital")], seed=1, on_answer=seen.append)
    result = session.skip(seconds=1.0)
    assert result.skipped and result.verdict == "skipped" and result.score == 0
    assert result.response is None and result.max_score == 1 and result.expected == "Paris"
    assert seen[0].record().skipped
    assert session.done and session.current is None
    summary = session.summary()
    assert summary.skipped == 1 and summary.missed == (result,)
    with pytest.raises(IndexError):
        session.skip()


def test_a_failed_save_asks_again(mini: Bank) -> None:
    def broken(result: Result) -> None:
        raise OSError("disk full")

    session = Session([mini], [("mini", "capital")], seed=1, on_answer=broken)
    with pytest.raises(OSError):
        session.answer("Paris")
    assert session.current is not None and session.results == []


def test_plain_numbers_become_option_texts(mini: Bank) -> None:
    session = Session.build([mini], seed=4)
    items = {item.kind: item for item in session.items}
    choice = items["choice"]
    assert choice.plain_response("2") == choice.options[1]
    assert choice.plain_response("Paris") == "Paris"
    assert choice.plain_response("9") == "9"  # not an option number: graded as typed
    assert items["truefalse"].plain_response("2") == "false"
    assert items["truefalse"].plain_response("yes") == "yes"
    multi = items["multi"]
    assert multi.plain_response("1, 3") == [multi.options[0], multi.options[2]]
    order = items["order"]
    assert order.plain_response("3 1 2") == [order.options[2], order.options[0], order.options[1]]
    assert order.plain_response("3,1, 2") == order.plain_response("3 1 2")
    for bad in ("1 2", "1 1 2", "a b c", "4 1 2"):
        with pytest.raises(ValueError):
            order.plain_response(bad)
    with pytest.raises(ValueError):
        multi.plain_response("7")
    for nothing in (",", " , ;"):  # no option at all is not an answer
        with pytest.raises(Unreadable) as refused:
            multi.plain_response(nothing)
        # (its words, "... separated by spaces or commas", are the front end's: test_plain)
        assert refused.value.hint == Hint("options.numbers", {"count": len(multi.options)})
    with pytest.raises(ValueError):
        choice.plain_response("   ")
    assert items["number"].plain_response(" 67,300 ") == "67,300"


def test_answer_plain_grades_the_text(mini: Bank) -> None:
    seen: list[Result] = []
    session = Session([mini], [("mini", "capital")], seed=2, on_answer=seen.append)
    item = session.current
    assert item is not None
    number = item.options.index("Paris") + 1
    result = session.answer_plain(str(number))
    assert result.correct and seen[0].record().response == "Paris"


def test_undecodable_input_is_stored_as_replacement_characters(mini: Bank) -> None:
    # stdin read with `surrogateescape` turns the byte 0xff into "\udcff", which SQLite and
    # any UTF-8 writer refuse: a response never keeps a surrogate
    seen: list[Result] = []
    session = Session(
        [mini], [("mini", "author"), ("mini", "primes")], seed=2, on_answer=seen.append
    )
    assert session.answer("Shakespeare\udcff").response == "Shakespeare\ufffd"
    assert session.answer(["2\udcff", "3"]).response == ["2\ufffd", "3"]
    for result in seen:
        assert str(result.record().response).encode("utf-8")


# -- resuming --------------------------------------------------------------------------------------
def test_resume_continues_with_the_next_question(mini: Bank) -> None:
    records: list[ResponseRecord] = []
    first = Session.build([mini], seed=21, on_answer=lambda r: records.append(r.record()))
    first.answer(right_response(first.current))  # type: ignore[arg-type]
    first.skip()
    third = first.current
    assert third is not None

    again = Session([mini], first.plan, seed=21, answered=records)
    assert again.current is not None
    assert again.current.key == third.key
    assert again.current.options == third.options
    assert again.current.number == 3 and again.position == 3 and again.remaining == 6
    assert [r.key for r in again.results] == [r.key for r in first.results]
    summary = again.summary()
    assert (summary.score, summary.skipped, summary.total) == (1, 1, 8)


def test_resume_ignores_unplanned_and_vanished_questions(mini: Bank) -> None:
    plan = [("mini", "capital"), ("mini", "gone"), ("other", "x"), ("mini", "sky")]
    stray = ResponseRecord("mini", "author", "x", 0, 1, False)
    done = ResponseRecord("mini", "capital", "Paris", 1, 1, True)
    session = Session([mini], plan, seed=1, answered=[stray, done, done])
    assert session.dropped == [("mini", "gone"), ("other", "x")]
    assert session.total == 2 and len(session.results) == 1
    assert session.current is not None and session.current.question.id == "sky"


# -- totals ----------------------------------------------------------------------------------------
def test_totals_by_tag(mini: Bank) -> None:
    session = Session.build([mini], seed=0, shuffle=False)
    answers = {
        "capital": "Paris",  # geography 1/1
        "primes": ["2", "4"],  # maths 0/1 (one right, one wrong pick)
        "sky": "false",  # nature 1/1
        "author": "Shakespeare",  # literature 1/1
        "barrels": "5",  # maths 0/1
        "moon": "1969",  # history 1/1
        "pairs": {"France": "Paris", "Italy": "Madrid", "Spain": "Rome"},  # geography 1/3
    }
    while (item := session.current) is not None:
        qid = item.question.id
        if qid in answers:
            session.answer(answers[qid])  # type: ignore[arg-type]
        else:
            session.skip()  # sizes: nature 0/1
    summary = session.summary()
    tags = {t.tag: (round(t.score, 3), t.max_score, t.asked, t.right) for t in summary.by_tag}
    assert tags == {
        "geography": (1.333, 2, 2, 1),
        "history": (1, 1, 1, 1),
        "literature": (1, 1, 1, 1),
        "maths": (0, 2, 2, 0),
        "nature": (1, 2, 2, 1),
    }
    assert [t.tag for t in summary.by_tag] == sorted(tags)
    assert [r.question_id for r in summary.missed] == ["primes", "barrels", "pairs", "sizes"]
    assert summary.right == 4 and summary.skipped == 1 and summary.answered == 7
    assert round(summary.percent, 1) == round(100 * (4 + 1 / 3) / 8, 1)


def test_untagged_questions_make_no_table() -> None:
    bank = load_bank_text(
        "id: u\ntitle: U\nquestions:\n  - {id: a, kind: text, prompt: A, answer: a}\n"
    )
    session = Session.build([bank], seed=1)
    session.answer("a")
    assert session.summary().by_tag == ()
    assert summarize([]).percent == 0


# -- give-aways: no question after one that showed its answer ------------------------------------
REVEALING = """\
id: reveal
title: Give-aways
questions:
  - id: source
    kind: choice
    prompt: Which body said 97% of the trade came from China?
    answer: KOTRA
    distractors: [UN data, Customs]
  - id: filler-1
    kind: truefalse
    prompt: The port is ice-free.
    answer: true
  - id: share
    kind: number
    prompt: What share of the trade came from China?
    answer: 97
    unit: "%"
  - id: filler-2
    kind: truefalse
    prompt: The zone was declared in the 1990s.
    answer: true
  - id: filler-3
    kind: text
    prompt: Which city is the capital?
    answer: Pyongyang
  - id: declared
    kind: truefalse
    prompt: The bridge opened before the port.
    answer: false
    reveals: [filler-3]
"""

# each gives the other's answer away: no order can help
MUTUAL = """\
  - id: port
    kind: text
    prompt: Which port did the first ships leave in 2015?
    answer: Rajin
  - id: ships-year
    kind: date
    prompt: In which year did the first ships leave Rajin?
    answer: "2015"
"""


def test_a_question_is_asked_before_one_that_gives_its_answer_away() -> None:
    bank = load_bank_text(REVEALING)
    for seed in range(40):
        for shuffle in (True, False):
            plan = [qid for _, qid in select_plan([bank], seed=seed, shuffle=shuffle)]
            assert sorted(plan) == sorted(q.id for q in bank.questions), plan
            assert plan.index("share") < plan.index("source"), (seed, plan)  # found by lint
            assert plan.index("filler-3") < plan.index("declared"), (seed, plan)  # `reveals:`
    # moved earlier, to just before the question that shows its answer; the rest keep the draw
    plan = [qid for _, qid in select_plan([bank], seed=0, shuffle=False)]
    assert plan == ["share", "source", "filler-1", "filler-2", "filler-3", "declared"]
    unsorted = {tuple(q for _, q in select_plan([bank], seed=s)) for s in range(40) if s != 0}
    assert len(unsorted) > 10  # still shuffled


def test_a_pair_that_reveals_each_other_is_never_asked_together() -> None:
    from quiz.session import plan_quiz

    bank = load_bank_text(REVEALING + MUTUAL)
    kept = set()
    for seed in range(40):
        plan = plan_quiz([bank], seed=seed)
        ids = [qid for _, qid in plan.keys]
        assert len(ids) == len(bank.questions) - 1
        assert not {"port", "ships-year"} <= set(ids), (seed, ids)
        (left,) = plan.left_out
        kept.add(left.other[1])
        assert {left.key[1], left.other[1]} == {"port", "ships-year"}
        assert plan.replaced == 0
        # and the one kept is asked before the question that shows its answer
        if "ships-year" in ids:
            assert ids.index("share") < ids.index("source")
    assert kept == {"port", "ships-year"}  # which one stays depends on the draw


def test_under_a_count_another_question_takes_the_left_out_ones_place() -> None:
    from quiz.session import plan_quiz

    bank = load_bank_text(REVEALING + MUTUAL)
    replaced = 0
    for seed in range(60):
        plan = plan_quiz([bank], Filters(count=4), seed=seed)
        ids = [qid for _, qid in plan.keys]
        assert len(ids) == 4, (seed, ids)
        assert not {"port", "ships-year"} <= set(ids)
        assert plan.replaced == len(plan.left_out)
        replaced += plan.replaced
    assert replaced > 0  # some draws met the pair within the first four
    # with every question asked, a count beyond the pool replaces nothing
    whole = plan_quiz([bank], Filters(count=8), seed=1)
    assert len(whole.keys) == 7 and len(whole.left_out) == 1 and whole.replaced == 0


def test_a_loop_of_three_leaves_one_out() -> None:
    from quiz.session import plan_quiz

    bank = load_bank_text(
        """\
id: loop
title: Loop
questions:
  - {id: a, kind: truefalse, prompt: A., answer: true, reveals: [b]}
  - {id: b, kind: truefalse, prompt: B., answer: true, reveals: [c]}
  - {id: c, kind: truefalse, prompt: C., answer: true, reveals: [a]}
  - {id: d, kind: truefalse, prompt: D., answer: true}
"""
    )
    for seed in range(20):
        plan = plan_quiz([bank], seed=seed)
        ids = [qid for _, qid in plan.keys]
        assert len(ids) == 3 and "d" in ids and len(plan.left_out) == 1, ids
        for revealer, revealed in (("a", "b"), ("b", "c"), ("c", "a")):
            if revealer in ids and revealed in ids:
                assert ids.index(revealed) < ids.index(revealer), ids
