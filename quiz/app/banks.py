"""Authors' use cases: list and show banks, validate files (ids unique across them), and the
text that `banks new|schema|import|export|draft` write.

Each function returns data or text; printing it, or writing it with `quiz.app.files`, is the
command's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quiz.bank.model import Bank, Question, Source
    from quiz.errors import Problem

# Keys of a question's JSON that give its answer away (`banks show --json` without --answers).
ANSWER_KEYS = frozenset(
    {"answer", "answers", "accept", "tolerance", "explanation", "feedback", "facts"}
)


def bank_rows() -> list[dict[str, Any]]:
    """The known banks (bundled ones, QUIZ_BANKS folders), an invalid one with `valid` false."""
    from quiz.bank.catalog import Catalog

    rows: list[dict[str, Any]] = []
    for entry in Catalog().entries():
        bank = entry.bank
        rows.append(
            {
                "id": bank.id if bank else entry.path.stem,
                "title": bank.title if bank else None,
                "questions": len(bank.questions) if bank else None,
                "kinds": list(bank.kinds) if bank else [],
                "origin": entry.origin,
                "path": str(entry.path),
                "valid": bank is not None,
            }
        )
    return rows


def load_for_show(bank_ref: str, facts: bool) -> tuple[Bank, Source | None]:
    """The bank, and its source record when its facts are to be shown."""
    from quiz.bank.catalog import Catalog

    catalog = Catalog()
    bank = catalog.resolve(bank_ref)
    source = catalog.source(bank.source, bank) if (facts and bank.source) else None
    return bank, source


def bank_data(bank: Bank, answers: bool) -> dict[str, Any]:
    """The bank as JSON data; without `answers`, nothing that gives an answer away."""
    from quiz.bank.dump import bank_to_dict, question_to_dict

    data = bank_to_dict(bank)
    if not answers:
        data["questions"] = [_without_answers(q, question_to_dict(q)) for q in bank.questions]
    return data


# Of a kind's answer fields, those that say how to answer without giving the answer away.
_SAFE_FIELDS = frozenset({"unit", "fuzzy"})


def _without_answers(question: Question, data: dict[str, Any]) -> dict[str, Any]:
    """A question's data with nothing from which its answer can be read: no answer fields
    (a match's pairs, an order's items in order, which options are distractors), no
    explanation or feedback; instead the options as `banks show` lists them (sorted) and a
    match's left-hand items."""
    from quiz.kinds import kind_of

    hidden = ANSWER_KEYS | {spec.name for spec in kind_of(question).fields} - _SAFE_FIELDS
    shown = {k: v for k, v in data.items() if k not in hidden}
    listed = shown_options(question)
    if listed.lefts:
        shown["lefts"] = list(listed.lefts)
    if listed.options:
        shown["options"] = list(listed.options)
    return shown


@dataclass(frozen=True)
class Shown:
    """What a question shows besides its prompt: a match's left sides, the options (sorted,
    so that the right answer's place says nothing)."""

    lefts: tuple[str, ...]
    options: tuple[str, ...]
    answer: str
    # options or answers worth part of the marks, or a penalty: "Sonbong 50%" (with --answers)
    credits: tuple[str, ...] = ()


def shown_options(question: Question) -> Shown:
    """What `banks show` lists under a question: its options in a fixed order that gives
    nothing away, and match's left-hand items; a text in a format of its own (from Moodle)
    as the plain text it shows."""
    from quiz.kinds import kind_of, shown_option

    kind = kind_of(question)
    options = [shown_option(question, text) for text in kind.snapshot_options(question)[0]]
    partial = [
        (shown_option(question, text), credit)
        for text, credit in kind.credits(question) or ()
        if credit not in (0, 1)
    ]
    return Shown(
        tuple(shown_option(question, text) for text in kind.lefts(question)),
        tuple(sorted(options, key=str.casefold)),
        kind.expected_text(question),
        tuple(f"{text} {round(credit * 100, 5):g}%" for text, credit in partial),
    )


@dataclass(frozen=True)
class Validation:
    """`banks validate`: every problem found, the files checked, how many were invalid or
    not found."""

    files: tuple[Path, ...]
    problems: tuple[Problem, ...]
    invalid: int
    missing: int

    @property
    def ok(self) -> bool:
        return bool(self.files) and not self.invalid and not self.missing


def validate(paths: tuple[str, ...] | list[str]) -> Validation:
    """Check bank files (folders of them, bank ids); a bank id used by two files is an error."""
    from quiz.bank.catalog import expand_paths
    from quiz.bank.loader import check_bank
    from quiz.errors import NotFound, Problem

    files: list[Path] = []
    problems: list[Problem] = []
    invalid = missing = 0
    for given in paths:
        try:
            files += expand_paths([given])
        except NotFound as error:
            problems.append(Problem(given, None, None, str(error).removeprefix(f"{given}: ")))
            missing += 1
    ids: dict[str, str] = {}
    for file in files:
        bank, found = check_bank(file)
        if bank is not None and bank.id in ids:
            message = f"bank id '{bank.id}' is also used by {ids[bank.id]}"
            found.append(Problem(str(file), None, None, message))
        elif bank is not None:
            ids[bank.id] = str(file)
        if bank is None or any(p.severity == "error" for p in found):
            invalid += 1
        problems += found
    return Validation(tuple(files), tuple(problems), invalid, missing)


def new_text(bank_id: str, output: str | None) -> str:
    """A new bank's text: a commented example of each kind (named for the file written)."""
    from quiz.bank.scaffold import new_bank_text

    name = Path(output).name if output and output != "-" else None
    return new_bank_text(bank_id, name)


def schema_text() -> str:
    from quiz.formats.schema import schema_text as text

    return text()


IMPORT_FORMATS: tuple[str, ...] = ("gift", "moodle-xml")
EXPORT_FORMATS: tuple[str, ...] = ("gift", "moodle-xml", "qti", "yaml", "json")


@dataclass(frozen=True)
class Imported:
    text: str  # the bank's YAML, with a header line saying where it came from
    warnings: tuple[Problem, ...]  # one, located, per question skipped (essay, cloze...)


def import_file(
    file: str, bank_id: str | None, title: str | None, source_format: str | None = None
) -> Imported:
    """A GIFT or Moodle XML file (`source_format`, else by its name: `.xml` is Moodle XML)
    as a bank's YAML, and the warnings for what was skipped."""
    from quiz.bank.dump import dump_bank

    fmt = source_format or ("moodle-xml" if file.lower().endswith(".xml") else "gift")
    if fmt == "moodle-xml":
        from quiz.formats.moodle_xml import load_moodle_xml_checked as load
    else:
        from quiz.formats.gift import load_gift_checked as load
    bank, warnings = load(file, bank_id=bank_id, title=title)
    header = f"# Imported from {Path(file).name} by `quiz banks import`.\n"
    return Imported(header + dump_bank(bank), tuple(warnings))


def import_gift(file: str, bank_id: str | None, title: str | None) -> str:
    """A GIFT file as a bank's YAML, with a header line saying where it came from."""
    return import_file(file, bank_id, title, "gift").text


@dataclass(frozen=True)
class Exported:
    data: str | bytes  # text, or the bytes of a zip (QTI)
    warnings: tuple[str, ...]  # "[question] what the format changes"


def export_bank(bank_ref: str, to: str) -> Exported:
    """A bank as GIFT, Moodle XML, a QTI 1.2 zip for Canvas, YAML or JSON, and the warnings
    for what the target format says otherwise than quiz grades it."""
    from quiz.bank.catalog import Catalog

    bank = Catalog().resolve(bank_ref)
    if to == "gift":
        from quiz.formats.gift import gift_export

        text, said = gift_export(bank)
        return Exported(text, tuple(said))
    if to == "moodle-xml":
        from quiz.formats.moodle_xml import moodle_xml_export

        text, said = moodle_xml_export(bank)
        return Exported(text, tuple(said))
    if to == "qti":
        from quiz.formats.qti import qti_export

        data, said = qti_export(bank)
        return Exported(data, tuple(said))
    return Exported(export_text(bank_ref, to), ())


def export_text(bank_ref: str, to: str) -> str:
    """A bank as GIFT, YAML or JSON."""
    from quiz.bank.catalog import Catalog

    bank = Catalog().resolve(bank_ref)
    from quiz.app.handouts import refuse_handout

    refuse_handout(bank, f"exported as {to.upper()}")
    if to == "gift":
        from quiz.formats.gift import bank_to_gift

        return bank_to_gift(bank)
    if to == "yaml":
        from quiz.bank.dump import dump_bank

        return dump_bank(bank)
    from quiz.bank.dump import bank_to_dict
    from quiz.sanitize import json_text

    return json_text(bank_to_dict(bank), indent=2) + "\n"


@dataclass(frozen=True)
class Draft:
    text: str  # the bank's YAML, with a header saying how to finish it
    questions: int


def draft(article: str, skip: int | None) -> Draft:
    """Draft questions from a plain-text article; what is returned loads as a bank."""
    from quiz.bank.draft import draft_bank, heading_lines
    from quiz.bank.dump import dump_bank
    from quiz.bank.loader import load_bank_text
    from quiz.errors import QuizError
    from quiz.inputs import read_input

    path = Path(article)
    try:
        text = read_input(article, "article").decode("utf-8")
    except UnicodeDecodeError:
        raise QuizError(f"{article} is not UTF-8 text") from None
    if skip is None:
        skip = heading_lines(text)
    bank = draft_bank(text, path.name, skip)
    if not bank.questions:
        raise QuizError(f"{article}: no figures, dates or attributed statements found")
    header = (
        f"# Drafted from {path.name} by `quiz banks draft` (paragraphs: each non-empty line,"
        f" counted from 1 after {skip} heading line(s)).\n"
        "# Check every question against the article, rewrite it in your own words, add `facts`\n"
        "# if the bank has a source, then remove `draft: true`.\n"
    )
    yaml_text = header + dump_bank(bank)
    load_bank_text(yaml_text, str(path.with_suffix(".yaml")))  # what we write must load
    return Draft(yaml_text, len(bank.questions))
