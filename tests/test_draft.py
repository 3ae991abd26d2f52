"""`quiz banks draft`: figures, dates and speakers found in texts written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.bank.draft import (
    attributions,
    dates,
    draft_bank,
    figures,
    heading_lines,
    paragraphs,
    sentences,
)
from quiz.bank.dump import dump_bank
from quiz.bank.loader import check_bank_bytes, load_bank_text
from quiz.bank.model import (
    Bank,
    ChoiceQuestion,
    DateQuestion,
    NumberQuestion,
    PartialDate,
    TextQuestion,
)

DATA = Path(__file__).resolve().parent / "data" / "draft"


@pytest.fixture(scope="module")
def harbour() -> Bank:
    text = (DATA / "harbour.txt").read_text(encoding="utf-8")
    return draft_bank(text, "harbour.txt", skip=2)


def test_paragraphs_are_non_empty_lines_after_the_skipped_ones() -> None:
    text = "Outlet\n\nHeadline\nFirst paragraph.\n\n\nSecond one.\n"
    assert [(p.number, p.line, p.text) for p in paragraphs(text, skip=2)] == [
        (1, 4, "First paragraph."),
        (2, 7, "Second one."),
    ]
    assert [p.number for p in paragraphs(text, skip=0)] == [1, 2, 3, 4]
    # By default the heading (lines not ended like a sentence) is skipped.
    assert [p.text for p in paragraphs(text)] == ["First paragraph.", "Second one."]


def test_the_heading_is_found_as_the_seed_counts_paragraphs() -> None:
    text = "Daily Paper\n\nTown Opens Harbour\n\n\nTown Opens Harbour\nIt opened.\nLater.\n"
    assert heading_lines(text) == 3
    assert heading_lines("A sentence first.\nHeadline\n") == 0


def test_sentences_do_not_end_at_abbreviations() -> None:
    text = 'Dr. Lee arrived on Jan. 5. He left. "It rained," Mr. Kim said. J. Smith agreed.'
    assert sentences(text) == [
        "Dr. Lee arrived on Jan. 5.",
        "He left.",
        '"It rained," Mr. Kim said.',
        "J. Smith agreed.",
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It opened on 14 March 2021, after work.", [PartialDate(2021, 3, 14)]),
        ("It opened on March 14, 2021.", [PartialDate(2021, 3, 14)]),
        ("It opened on Dec. 5, 2022.", [PartialDate(2022, 12, 5)]),
        ("It opened on 2021-03-14.", [PartialDate(2021, 3, 14)]),
        ("Trade resumed in September 2022.", [PartialDate(2022, 9)]),
        ("It was built in 1887 and rebuilt in 1952.", [PartialDate(1887), PartialDate(1952)]),
        # Never more precision than written; decades, figures and dayless months are no dates.
        ("It opened on 5 December.", []),
        ("It was first built in the 1950s.", []),
        ("Boats landed 2,023 tonnes.", []),
        ("They shipped 2000 tonnes.", []),
        ("Prices rose 2024% in a year.", []),
        ("It opened on 30 February 2021.", []),
    ],
)
def test_dates(sentence: str, expected: list[PartialDate]) -> None:
    assert [d.date for d in dates(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Boats landed 12,400 tonnes of fish.", [(12400, "tonnes")]),
        ("Trade was up 38% on the year.", [(38, "%")]),
        ("Trade was up 38 percent, or 7.5 per cent in value.", [(38, "%"), (7.5, "%")]),
        ("The works cost $4.5 million.", [(4_500_000, "US dollars")]),
        ("About 2.4 million people live there.", [(2_400_000, "people")]),
        ("It has 300 more workers.", [(300, None)]),
        ("The breakwater is 640 metres long.", [(640, "metres")]),
        ("In 2023 boats landed 90 tonnes.", [(90, "tonnes")]),  # the year is a date
        ("On the 5th day the G20 met.", []),
    ],
)
def test_figures(sentence: str, expected: list[tuple[float, str | None]]) -> None:
    assert [(f.value, f.unit) for f in figures(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "speaker", "statement"),
    [
        (
            '"We have waited thirty years for this," said Ines Duval.',
            "Ines Duval",
            "We have waited thirty years for this",
        ),
        (
            '"The bridge will open soon," Marta Lind said.',
            "Marta Lind",
            "The bridge will open soon",
        ),
        (
            "Mayor Ines Duval said the harbour would double the catch.",
            "Ines Duval",
            "the harbour would double the catch",
        ),
        (
            "According to the Regional Fisheries Board, boats landed more fish.",
            "Regional Fisheries Board",
            "boats landed more fish",
        ),
        (
            "Boats landed more fish, according to the Fisheries Board.",
            "Fisheries Board",
            "Boats landed more fish",
        ),
        (
            "The works cost a great deal, the Harbour Trust reported.",
            "Harbour Trust",
            "The works cost a great deal",
        ),
        (
            "Engineer Tomas Berg stated that the breakwater is long.",
            "Tomas Berg",
            "the breakwater is long",
        ),
        (
            "Duval claims the town will need more workers.",
            "Duval",
            "the town will need more workers",
        ),
        ("Anna Berg, a local trader, said prices had fallen.", "Anna Berg", "prices had fallen"),
    ],
)
def test_attributions(sentence: str, speaker: str, statement: str) -> None:
    assert [(a.speaker, a.statement) for a in attributions(sentence)] == [(speaker, statement)]


@pytest.mark.parametrize(
    "sentence",
    ["He said it would rain.", "The boats left early.", "They reported nothing new."],
)
def test_no_attribution_without_a_named_speaker(sentence: str) -> None:
    assert attributions(sentence) == []


def test_the_expected_figures_are_found(harbour: Bank) -> None:
    found = {
        (q.paragraph, q.answer, q.unit) for q in harbour.questions if isinstance(q, NumberQuestion)
    }
    assert found == {
        (4, 12400, "tonnes"),
        (4, 38, "%"),
        (5, 4_500_000, "US dollars"),
        (6, 640, "metres"),
        (8, 85000, "visitors"),
        (9, 300, None),
    }


def test_the_expected_dates_are_found_at_their_precision(harbour: Bank) -> None:
    found = {(q.paragraph, q.answer) for q in harbour.questions if isinstance(q, DateQuestion)}
    assert found == {
        (1, PartialDate(2021, 3, 14)),
        (4, PartialDate(2023)),
        (7, PartialDate(2022, 9)),
        (9, PartialDate(2030)),
        (10, PartialDate(1887)),
    }


def test_the_expected_speakers_are_found(harbour: Bank) -> None:
    said = [q for q in harbour.questions if isinstance(q, ChoiceQuestion)]
    assert [(q.paragraph, q.answer) for q in said] == [
        (2, "Ines Duval"),
        (3, "Ines Duval"),  # the quotation
        (4, "Regional Fisheries Board"),
        (5, "Harbour Trust"),
        (6, "Tomas Berg"),
        (8, "Visitors Office"),
        (9, "Ines Duval"),  # "Duval claims": the fullest form of the name
    ]
    speakers = {q.answer for q in said}
    for question in said:
        # The distractors are other speakers of the article.
        assert question.answer not in question.distractors
        assert set(question.distractors) <= speakers
        assert len(question.distractors) == 3


def test_every_question_is_a_draft_with_its_paragraph(harbour: Bank) -> None:
    assert harbour.questions
    assert all(q.draft and q.paragraph for q in harbour.questions)
    assert len({q.id for q in harbour.questions}) == len(harbour.questions)
    assert all(q.explanation for q in harbour.questions)


def test_the_output_validates_with_draft_warnings(harbour: Bank) -> None:
    text = dump_bank(harbour)
    bank, problems = check_bank_bytes(text.encode(), "draft.yaml")
    assert bank == harbour
    assert {p.severity for p in problems} == {"warning"}
    assert len(problems) == len(harbour.questions)


def test_a_single_speaker_gives_a_text_question() -> None:
    bank = draft_bank((DATA / "plain.txt").read_text(encoding="utf-8"), "plain.txt")
    assert bank.id == "plain-draft"
    said = [q for q in bank.questions if isinstance(q, TextQuestion)]
    assert [(q.paragraph, q.answer) for q in said] == [(2, "Marta Lind")]
    assert [q.answer for q in bank.questions if isinstance(q, DateQuestion)] == [
        PartialDate(1998, 5)
    ]
    load_bank_text(dump_bank(bank))
