"""Hints in words: what the front ends say for a structured hint (`quiz.grading.hints.Hint`).

The grader says *why* as a code and values; this module says it to the learner. Examples are
neutral: a value written the way the learner should write one, chosen so that it is never the
question's answer (nor a part of it, nor within its tolerance). What the learner typed may be
read back to them; nothing else from the question's answer is ever quoted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from quiz.bank.model import Question
from quiz.grading.dates import MONTH_NAMES
from quiz.grading.hints import Hint
from quiz.grading.numbers import is_percent
from quiz.kinds import find_kind, grade

# Examples for a number or date answer: neutral values, never the answer. If one would grade
# right for the question asked, the next group is used (see `safe_examples`).
NUMBER_EXAMPLES: tuple[tuple[str, ...], ...] = (
    ("1,250", "1.25k"),
    ("4,800", "4.8k"),
    ("3,600", "3.6k"),
    ("52,000", "52k"),
)
DATE_EXAMPLES: dict[str, tuple[tuple[str, ...], ...]] = {
    "year": (("1987",), ("2004",), ("1975",)),
    "month": (("2019-03", "March 2019"), ("2004-10", "October 2004"), ("1987-06", "June 1987")),
    "day": (
        ("2019-03-14", "14 March 2019"),
        ("2004-10-02", "2 October 2004"),
        ("1987-06-21", "21 June 1987"),
    ),
}
# "write it as a percentage": a share written both ways, the percentage first.
PERCENT_EXAMPLES: tuple[tuple[str, str], ...] = (("25%", "0.25"), ("40%", "0.4"), ("8%", "0.08"))
_EXAMPLE_MONTHS = ("March", "October", "June", "August")


def grades_right(question: Question | None, text: str) -> bool:
    """Whether `text`, typed as the answer, would score anything for this question."""
    if question is None:
        return False
    try:
        graded = grade(question, text)
    except Exception:  # an example that cannot be graded gives nothing away
        return False
    return graded.correct or graded.score > 0


def safe_examples(
    question: Question | None, candidates: Sequence[tuple[str, ...]]
) -> tuple[str, ...] | None:
    """The first group of examples none of which grades right for `question`."""
    for group in candidates:
        if not any(grades_right(question, example) for example in group):
            return group
    return None


def _or(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _such_as(question: Question | None, candidates: Sequence[tuple[str, ...]]) -> str:
    examples = safe_examples(question, candidates)
    return f", such as {_or(examples)}" if examples else ""


def date_precision(question: Question | None) -> str:
    """The precision a date question asks for ("year", "month", "day"); "day" otherwise."""
    found = find_kind(question.kind) if question is not None else None
    shape = found.answer_format(question) if found is not None and question is not None else None
    if shape is not None and shape.code == "date.format":
        return str(shape.values.get("precision", "day"))
    return "day"


def _neutral_month(question: Question | None, *spans: Callable[[str], str]) -> str:
    """A month name for an example, such that no text made with it grades right."""
    for month in _EXAMPLE_MONTHS:
        if not any(grades_right(question, span(month)) for span in spans):
            return month
    return next(m for m in MONTH_NAMES if m not in _EXAMPLE_MONTHS)


# -- the words, by code ----------------------------------------------------------------------------
Words = Callable[[Mapping[str, Any], Question | None], str]


def _number_examples(question: Question | None) -> tuple[tuple[str, ...], ...]:
    """Examples in the question's unit: a share asked in % gets percentages ("25%"), not
    "1,250" (which no share is)."""
    if is_percent(getattr(question, "unit", None)):
        return tuple((percent,) for percent, _ in PERCENT_EXAMPLES)
    return NUMBER_EXAMPLES


def _number_unreadable(values: Mapping[str, Any], question: Question | None) -> str:
    return "write a number" + _such_as(question, _number_examples(question))


def _date_unreadable(values: Mapping[str, Any], question: Question | None) -> str:
    precision = date_precision(question)
    what = {"year": "a year", "month": "a month and year", "day": "a date"}[precision]
    return f"write {what}" + _such_as(question, DATE_EXAMPLES[precision])


def _number_format(values: Mapping[str, Any], question: Question | None) -> str:
    unit = values.get("unit")
    shown = f" (in {unit})" if unit else ""
    return f"Type a number{shown}" + _such_as(question, _number_examples(question))


def _date_format(values: Mapping[str, Any], question: Question | None) -> str:
    precision = str(values.get("precision", "day"))
    what = {"year": "a year", "month": "a month and year", "day": "a full date"}[precision]
    return f"Type {what}" + _such_as(question, DATE_EXAMPLES[precision])


def _grouped_example(question: Question | None) -> str:
    group = safe_examples(question, NUMBER_EXAMPLES)
    return group[0] if group else "1,250"


def _decimal_comma(values: Mapping[str, Any], question: Question | None) -> str:
    token = str(values["token"])
    return (
        f"{token}: use a dot for decimals ({token.replace(',', '.')}); a comma separates "
        f"thousands only before groups of three digits ({_grouped_example(question)})"
    )


def _swapped_separators(values: Mapping[str, Any], question: Question | None) -> str:
    token = str(values["token"])
    whole, _, decimals = token.replace(".", ",").rpartition(",")
    return f"{token}: use a dot for decimals and a comma for thousands ({whole}.{decimals})"


def _bad_grouping(values: Mapping[str, Any], question: Question | None) -> str:
    return (
        f"{values['token']}: a comma separates thousands only before groups of three digits"
        f" ({_grouped_example(question)})"
    )


def _as_percentage(values: Mapping[str, Any], question: Question | None) -> str:
    for percent, share in PERCENT_EXAMPLES:
        if not grades_right(question, percent):
            return f"write it as a percentage (such as {percent} for {share})"
    return "write it as a percentage"


def _reads_as_number(values: Mapping[str, Any], question: Question | None) -> str:
    unit = values.get("unit")
    return f"reads as {float(values['value']):,.10g}" + (f" {unit}" if unit else "")


def _date_words(year: int, month: int, day: int) -> str:
    name = MONTH_NAMES[month - 1] if 1 <= month <= 12 else str(month)
    return f"{day} {name} {year:04d}"


def _ambiguous(values: Mapping[str, Any], question: Question | None) -> str:
    first, second, year = int(values["first"]), int(values["second"]), int(values["year"])
    one, other = _date_words(year, second, first), _date_words(year, first, second)
    return (
        f"{values['text']} could be {one} or {other}: write the month in words ({one})"
        f" or use ISO ({year:04d}-{second:02d}-{first:02d})"
    )


def _no_year(values: Mapping[str, Any], question: Question | None) -> str:
    group = safe_examples(question, DATE_EXAMPLES["month"])
    example = group[-1] if group else "March 2019"
    return f"give the year too, with four digits ({example})"


def _no_month(values: Mapping[str, Any], question: Question | None) -> str:
    day, year = values["day"], values["year"]
    month = _neutral_month(
        question,
        lambda m: f"{day} {m} {year}",
        lambda m: f"{m} {year}",
        lambda m: f"{day} {m}",
    )
    return f"give the month in words with the day ({day} {month} {year})"


def _bad_day(values: Mapping[str, Any], question: Question | None) -> str:
    name = MONTH_NAMES[int(values["month"]) - 1]
    day, year, last = values["day"], values["year"], values["last"]
    return f"there is no {day} {name} {year}: {name} {year} has {last} days"


def _imprecise(values: Mapping[str, Any], question: Question | None) -> str:
    wanted, given = values.get("wanted"), values.get("given")
    missing = "month" if wanted == "month" else "day"
    if wanted == "day" and given == "year":
        missing = "month and the day"
    return f"be more precise: give the {missing}"


def _quote(text: object, limit: int = 60) -> str:
    shown = " ".join(str(text).split())
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f"“{shown}”"


def _multi_partial(values: Mapping[str, Any], question: Question | None) -> str:
    wrong = int(values["wrong"])
    text = f"{values['right']} of {values['total']} right options picked"
    if wrong:
        text += f", {wrong} wrong {'pick' if wrong == 1 else 'picks'}"
    not_options = values.get("not_options") or ()
    if not_options:
        text += "; not options: " + ", ".join(_quote(t) for t in not_options)
    return text


def _match_partial(values: Mapping[str, Any], question: Question | None) -> str:
    text = f"{values['right']} of {values['total']} pairs right"
    return text + (f", {values['missing']} not matched" if values.get("missing") else "")


def _order_partial(values: Mapping[str, Any], question: Question | None) -> str:
    text = f"{values['in_order']} of {values['total']} items in the right relative order"
    return text + (f"; {values['missing']} missing" if values.get("missing") else "")


def _then_unreadable(prefix: str) -> Words:
    def words(values: Mapping[str, Any], question: Question | None) -> str:
        return f"{prefix}: {_date_unreadable(values, question)}"

    return words


def _fixed(text: str) -> Words:
    return lambda values, question: text


def _formatted(template: str) -> Words:
    return lambda values, question: template.format(**values)


WORDS: dict[str, Words] = {
    # any kind
    "response.unreadable": _fixed("this answer could not be read"),
    "response.empty": _fixed("type an answer, :skip to skip or :quit to save and quit"),
    "response.wrong_type": _formatted("expected {expected}, got {got}"),
    "kind.unknown": lambda v, q: f"questions of kind {v['kind']!r} cannot be graded",
    "options.numbers": _formatted(
        "type option numbers from 1 to {count}, separated by spaces or commas"
    ),
    "options.number": _formatted("type a number from 1 to {count}"),
    "options.repeated": _fixed("give each number once"),
    "options.not_all": _formatted(
        "put all {count} items in order: every number from 1 to {count}, once"
    ),
    # by kind
    "choice.not_an_option": lambda v, q: f"{_quote(v['given'])} is not one of the options",
    "choice.several_options": lambda v, q: (
        f"{_quote(v['given'])} matches more than one option"
        f" ({', '.join(_quote(o) for o in v['options'])}): only the exact text tells them apart"
    ),
    "multi.partial": _multi_partial,
    "truefalse.unreadable": _fixed("answer true or false (t/f, yes/no and y/n work too)"),
    "text.no_letters": _fixed("write the answer in letters or digits"),
    "text.close": _fixed("close: check the spelling"),
    "match.partial": _match_partial,
    "match.no_pairs": _fixed("this question has no pairs to match"),
    "match.one_at_a_time": _fixed("a match question is answered one left-hand item at a time"),
    "order.partial": _order_partial,
    "order.not_a_list": _fixed("give the items as a list, in order"),
    "order.no_items": _fixed("this question has no items to order"),
    # numbers
    "number.unreadable": _number_unreadable,
    "number.format": _number_format,
    "number.reads_as": _reads_as_number,
    "number.decimal_comma": _decimal_comma,
    "number.swapped_separators": _swapped_separators,
    "number.bad_grouping": _bad_grouping,
    "number.too_large": _fixed("that number is too large"),
    "number.range": _fixed("give one number, not a range or a comparison"),
    "number.wrong_unit": _formatted(
        "the answer is in {unit}, not {given}: write the unit as {unit} (or leave it out)"
    ),
    "number.comma_ambiguous": lambda v, q: (
        f"{v['token']} reads as {str(v['token']).replace(',', '')}: use a dot for decimals"
    ),
    "number.as_percentage": _as_percentage,
    "number.scale": _formatted("check the size: off by a factor of a {factor}"),
    # dates
    "date.unreadable": _date_unreadable,
    "date.format": _date_format,
    "date.reads_as": _formatted("reads as {date}"),
    "date.ambiguous": _ambiguous,
    "date.no_month_in": _formatted("{text}: neither {first} nor {second} is a month"),
    "date.two_months": _then_unreadable("give one month, not two"),
    "date.two_years": _then_unreadable("give one year, not two"),
    "date.two_days": _then_unreadable("give one day, not two"),
    "date.no_year": _no_year,
    "date.no_month": _no_month,
    "date.bad_year": lambda v, q: f"{v['year']} is not a year: {_date_unreadable(v, q)}",
    "date.bad_month": _formatted("there is no month {month}: months run from 1 to 12"),
    "date.bad_day": _bad_day,
    "date.imprecise": _imprecise,
}


def hint_text(hint: Hint, question: Question | None = None) -> str:
    """The hint in words, with examples that are not `question`'s answer (not yet cleaned
    for the terminal: the caller passes it through `quiz.sanitize`)."""
    words = WORDS.get(hint.code)
    if words is None:  # a code with no words yet (a new kind's): say no more than that
        return "this answer could not be read"
    try:
        return words(hint.values, question)
    except (KeyError, ValueError, IndexError, TypeError):
        return "this answer could not be read"
