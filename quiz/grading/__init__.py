"""Shared parsers and normalisers, standard library only: numbers, dates, text, and hints.

`numbers` reads numbers as people type them (units, multipliers), `dates` reads dates at their
precision (and holds the one month-name table), `text` compares text on letters and digits (and
the one-edit rule), `hints` is the structured hint (a code and values) every reader raises or
returns. Grading each kind of question is `quiz.kinds`'s job; it is built from these.
"""

from __future__ import annotations

from quiz.grading.dates import MONTH_NAMES, PartialDate, month_number, parse_date
from quiz.grading.hints import Hint, Unreadable, unreadable
from quiz.grading.numbers import parse_decimal, parse_number, values_in_unit
from quiz.grading.text import FUZZY_MIN_LENGTH, normalize_text, within_one_edit

__all__ = [
    "FUZZY_MIN_LENGTH",
    "MONTH_NAMES",
    "Hint",
    "PartialDate",
    "Unreadable",
    "month_number",
    "normalize_text",
    "parse_date",
    "parse_decimal",
    "parse_number",
    "unreadable",
    "values_in_unit",
    "within_one_edit",
]
