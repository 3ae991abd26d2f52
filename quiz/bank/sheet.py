"""Answer sheets for `quiz grade`: YAML read as written, every problem located `file:line:col`.

```yaml
bank: rason-figures
user: alice
answers:
  china-share: 97 percent
  china-share-source: KOTRA
  rason-population: 200 thousand
```

The sheet is composed with the same safe reader as banks (`quiz.bank.yamlnodes`): scalars stay the
text written (`no` is the word no, `1:30` is not 90), aliases and object tags are refused.
Reading a sheet (`read_sheet`) checks its shape; `responses_for` then checks it against the bank:
an unknown question id, or a list where one value is due, is an error; a question the sheet does
not answer, or answers with nothing (`""`, `[]`), is not answered (it scores 0).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz.bank.model import Bank
from quiz.bank.yamlnodes import Walker, compose, did_you_mean, is_null, read_text
from quiz.errors import AnswerSheetError, Problem
from quiz.kinds import kind_of
from quiz.sanitize import name_problem
from quiz.store.records import ResponseValue

SHEET_KEYS = ("bank", "user", "answers")


@dataclass
class AnswerSheet:
    path: str
    bank: str | None = None
    user: str | None = None
    # question id -> (key node, value node), in the order written
    answers: dict[str, tuple[ScalarNode, Node]] = field(default_factory=dict)
    bank_node: Node | None = None


def load_sheet(path: str | Path) -> AnswerSheet:
    """Read and shape-check a sheet; `AnswerSheetError` listing every located problem."""
    from quiz.inputs import InputError, read_input

    name = "<stdin>" if str(path) == "-" else str(path)
    try:
        data = read_input(path, "sheet", stdin_ok=True)
    except InputError as error:
        raise AnswerSheetError(str(error)) from None
    return load_sheet_bytes(data, name)


def load_sheet_bytes(data: bytes, path: str = "<string>") -> AnswerSheet:
    problems: list[Problem] = []
    text = read_text(path, data, problems)
    root = compose(text, path, problems) if text is not None else None
    if root is None:
        raise _error(problems)
    walker = Walker(path)
    sheet = AnswerSheet(path)
    entries = walker.mapping(root, "an answer sheet")
    if entries is not None:
        for key, (key_node, value_node) in entries.items():
            if key == "bank":
                sheet.bank = walker.text(value_node, "bank")
                sheet.bank_node = value_node
            elif key == "user":
                user = walker.text(value_node, "user")
                sheet.user = user.strip() if user else None
                problem = name_problem(sheet.user) if sheet.user else None
                if problem is not None:
                    walker.error(value_node, problem)
            elif key == "answers":
                answers = walker.mapping(value_node, "answers")
                if answers is not None:
                    sheet.answers = answers
            else:
                walker.error(
                    key_node,
                    f"unknown key '{key}'{did_you_mean(key, SHEET_KEYS)}: "
                    "a sheet has bank, user and answers",
                )
        if "answers" not in entries:
            walker.error(root, "the sheet has no 'answers' mapping (question id: answer)")
    if walker.failed:
        raise _error(walker.problems)
    return sheet


def responses_for(sheet: AnswerSheet, bank: Bank) -> dict[str, ResponseValue]:
    """The sheet's responses by question id, checked against the bank (unknown ids are errors)."""
    walker = Walker(sheet.path)
    if sheet.bank is not None and sheet.bank != bank.id:
        walker.error(
            sheet.bank_node,
            f"this sheet is for bank '{sheet.bank}', not '{bank.id}'",
        )
    known = [q.id for q in bank.questions]
    responses: dict[str, ResponseValue] = {}
    for question_id, (key_node, value_node) in sheet.answers.items():
        question = bank.question(question_id)
        if question is None:
            walker.error(
                key_node,
                f"unknown question id '{question_id}'{did_you_mean(question_id, known)}: "
                f"bank '{bank.id}' has no such question",
            )
            continue
        what = f"the answer to '{question_id}'"
        if is_null(value_node):
            responses[question_id] = None  # written but left empty: not answered
            continue
        value: ResponseValue
        shape = kind_of(question).sheet_shape  # how the kind's response is written
        if shape == "mapping":
            value = _pairs(walker, value_node, what, question_id)
        elif shape in ("list", "list-or-scalar"):
            value = _texts(
                walker, value_node, what, question_id, single_ok=shape == "list-or-scalar"
            )
        else:
            value = walker.scalar(value_node, what, question_id)
            if value is not None and not _finite_figure(value):
                walker.error(value_node, f"{what} is a number too large to read: '{value}'")
                continue
        responses[question_id] = answered(value)
    if walker.failed:
        raise _error(walker.problems)
    return responses


def answered(value: ResponseValue) -> ResponseValue:
    """A sheet's answer as a response, or None when nothing is written: an empty or blank
    text (`id: ""`), or a list or mapping with nothing but those. Blank items of a list and
    pairs with a blank right side are left out. None counts as not answered (0, like a
    question the sheet leaves out), never as a wrong answer."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, list):
        items = [item for item in value if item.strip()]
        return items or None
    if isinstance(value, dict):
        pairs = {left: right for left, right in value.items() if right.strip()}
        return pairs or None
    return value


_FIGURE_RE = re.compile(r"^[+-]?(?:\d[\d_,]*(?:\.\d*)?|\.\d+)[eE][+-]?\d+$")


def _finite_figure(text: str) -> bool:
    """False for a figure written with an exponent that no float holds (1e400): it would read
    as infinity. Anything else is left to the grader."""
    cleaned = text.strip()
    if not _FIGURE_RE.match(cleaned):
        return True
    try:
        return math.isfinite(float(cleaned.replace(",", "").replace("_", "")))
    except (ValueError, OverflowError):
        return False


def _texts(walker: Walker, node: Node, what: str, qid: str, *, single_ok: bool) -> list[str] | None:
    if single_ok and isinstance(node, ScalarNode):
        value = walker.scalar(node, what, qid)
        return None if value is None else [value]
    if not isinstance(node, SequenceNode):
        walker.error(node, f"{what} must be a list (one item per line, starting '- ')", qid)
        return None
    values = walker.sequence(node, what, qid) or []
    texts = [walker.scalar(item, f"each item of {what}", qid) for item in values]
    return [t for t in texts if t is not None]


def _pairs(walker: Walker, node: Node, what: str, qid: str) -> dict[str, str] | None:
    if not isinstance(node, MappingNode):
        walker.error(node, f"{what} must be a mapping (left: right)", qid)
        return None
    entries = walker.mapping(node, what, qid) or {}
    pairs: dict[str, str] = {}
    for left, (_, right_node) in entries.items():
        right = walker.scalar(right_node, f"the match for '{left}'", qid)
        if right is not None:
            pairs[left] = right
    return pairs


def _error(problems: list[Problem]) -> AnswerSheetError:
    errors = [p for p in problems if p.severity == "error"] or problems
    return AnswerSheetError("\n".join(str(p) for p in errors))
