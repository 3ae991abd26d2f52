"""Moodle XML, the format Moodle itself uses to move questions: import to the bank model, export
from it.

Read as Moodle's importer reads it (question/format/xml/format.php): `<question type="...">`
elements of `<quiz>`, each with `<name>`, `<questiontext format="...">`, `<generalfeedback>`,
`<defaultgrade>`, `<idnumber>`, `<tags>` and its type's answers (`fraction` in percent). The
types that map: multichoice (`<single>` true: `choice`, else `multi`), truefalse, shortanswer
(`text`), numerical (`number`, `*` for any other answer), matching (`match`, a subquestion
without text being an extra right-hand answer) and ordering (`order`). A category
(`$course$/top/a/b`) gives its segments as tags to the questions after it, as in GIFT.
Questions Moodle takes but quiz cannot (essay, description, cloze, calculated...) are skipped
with one located warning each; a malformed question is an error, and every error is reported at
once.

Export writes every element Moodle's importer needs for each type, the question's text in its
`format` (plain text by default), a number's unit as qtype_numerical's optional unit. What
Moodle cannot say (relative tolerances, facts, difficulty, a date, the bank's id and
title...) goes in `<!-- quiz: {...} -->` comments, which Moodle's importer skips (it reads
elements by path and never sees comments) and `banks import` reads back, so export then
import gives an equal bank. An order question becomes Moodle's
ordering type graded by the longest ordered subset, a near but different rule: a warning says
so.

No DTD or entity is accepted (Moodle's files have none): a document type is an error.
"""

from __future__ import annotations

import json
import math
import re
import xml.parsers.expat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast
from xml.sax.saxutils import escape, quoteattr

from quiz.bank.model import (
    Bank,
    MatchQuestion,
    NumberQuestion,
    OrderQuestion,
    Question,
    Tolerance,
    TrueFalseQuestion,
)
from quiz.errors import BankError, Problem
from quiz.formats.gift import (
    NOTES,
    GiftError,
    Option,
    Skip,
    _canonical,
    _category_tags,
    _decimal_text,
    _number_text,
    _ordered,
    _percent,
    _plain,
    _unique,
    all_skipped,
    imported_bank,
    moodle_fraction,
    multichoice_fields,
    multiple_response_grades,
    numerical_fields,
    short_answer_fields,
    slug,
    star_escaped,
)
from quiz.grading.text import plain_text

QUIZ_COMMENT = "quiz:"
_TEXT_FORMATS = {
    "html": "html",
    "moodle_auto_format": "moodle",
    "plain_text": "plain",
    "markdown": "markdown",
}
_TEXT_FORMATS["markdown"] = "markdown"
_FORMAT_NAMES = {
    "html": "html",
    "moodle": "moodle_auto_format",
    "markdown": "markdown",
    "plain": "plain_text",
}
_SKIPPED = {
    "essay": "an essay question: quiz cannot grade an essay",
    "description": "a description (text without a question): quiz has nothing to ask",
    "multianswer": "a cloze (embedded answers) question: quiz takes one answer block",
    "calculated": "a calculated question: quiz has no formulas",
    "calculatedsimple": "a calculated question: quiz has no formulas",
    "calculatedmulti": "a calculated question: quiz has no formulas",
    "randomsamatch": "a random short-answer matching question: quiz has no random draws",
    "random": "a random question: quiz has no random draws",
    "ddwtos": "a drag-and-drop question: quiz has no drag and drop",
    "ddimageortext": "a drag-and-drop question: quiz has no drag and drop",
    "ddmarker": "a drag-and-drop question: quiz has no drag and drop",
    "gapselect": "a select-missing-words question: quiz takes one answer block",
}


# -- reading: a small tree with line numbers and comments ------------------------------------------


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    line: int
    column: int
    children: list[_Node] = field(default_factory=list)
    text: str = ""
    comments: list[tuple[str, int, int]] = field(default_factory=list)

    def find(self, *path: str) -> _Node | None:
        node: _Node | None = self
        for name in path:
            if node is None:
                return None
            node = next((c for c in node.children if c.tag == name), None)
        return node

    def all(self, name: str) -> list[_Node]:
        return [c for c in self.children if c.tag == name]

    def value(self, *path: str) -> str | None:
        """The `<text>` under `path` (or the element's own text when it has no `<text>`)."""
        node = self.find(*path)
        if node is None:
            return None
        inner = node.find("text")
        return (inner or node).text


class _XmlError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def _parse(text: str) -> _Node:
    parser = xml.parsers.expat.ParserCreate()
    root = _Node("", {}, 1, 1)
    stack = [root]

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = _Node(tag, attrs, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        stack[-1].children.append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def data(chars: str) -> None:
        stack[-1].text += chars

    def comment(chars: str) -> None:
        where = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        stack[-1].comments.append((chars, *where))

    def doctype(*_: Any) -> None:
        raise _XmlError(
            "a document type (DTD) is not accepted in Moodle XML",
            parser.CurrentLineNumber,
            parser.CurrentColumnNumber + 1,
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.CommentHandler = comment
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        parser.Parse(text, True)
    except xml.parsers.expat.ExpatError as error:
        message = xml.parsers.expat.errors.messages.get(error.code, "not well-formed")
        raise _XmlError(f"not well-formed XML: {message}", error.lineno, error.offset + 1) from None
    return root


# -- reading: questions ----------------------------------------------------------------------------


def _format(node: _Node | None) -> str | None:
    """A text's format as the bank says it (None: plain text, as written)."""
    if node is None:
        return None
    name = _TEXT_FORMATS.get(node.attrs.get("format", "moodle_auto_format"), "moodle")
    return None if name == "plain" else name


def _text(node: _Node | None) -> str:
    if node is None:
        return ""
    inner = node.find("text")
    return ((inner or node).text if inner is not None else "").strip()


def _fraction(node: _Node) -> float:
    raw = node.attrs.get("fraction", "0").strip()
    try:
        value = float(raw) / 100
    except ValueError:
        raise GiftError(f"the fraction '{raw}' must be a number (percent)", 0) from None
    if not math.isfinite(value):
        raise GiftError(f"the fraction '{raw}' must be a number (percent)", 0)
    return moodle_fraction(Decimal(f"{value:.10g}"))


def _format_name(node: _Node | None) -> str:
    """A text's format, `plain` included (Moodle's default is its own auto-format)."""
    if node is None:
        return "moodle"
    return _TEXT_FORMATS.get(node.attrs.get("format", "moodle_auto_format"), "moodle")


class _Formats:
    """The texts of one question in a format of their own (the bank's `formats`): those whose
    `format` differs from the question text's, as Moodle's GIFT writer marks them."""

    def __init__(self, question: _Node) -> None:
        self.question = _format_name(question.find("questiontext"))
        self.own: dict[str, str] = {}

    def text(self, node: _Node | None) -> str:
        """A feedback's (or the general feedback's) text; its format noted if its own."""
        text = _text(node)
        name = _format_name(node)
        if text and node is not None and name != self.question:
            self.own[text] = name
        return text

    def option(self, node: _Node | None) -> str:
        """An option's (or a left item's) text: quiz's options are plain text, so one in the
        question's HTML loses its tags; one in an HTML, Moodle or Markdown format of its own
        is kept as written, with its format."""
        if node is None:
            return ""
        name = _format_name(node)
        if name not in ("plain", self.question):
            text = _text(node)
            if text:
                self.own[text] = name
            return text
        return plain_text(_text(node), _format(node)).strip()


def _feedback_text(node: _Node, formats: _Formats | None = None) -> str | None:
    feedback = node.find("feedback")
    return (formats.text(feedback) if formats is not None else _text(feedback)) or None


def _option_text(node: _Node | None) -> str:
    """An option's text: quiz's options are plain text, so an HTML one loses its tags."""
    if node is None:
        return ""
    return plain_text(_text(node), _format(node)).strip()


def _answers(question: _Node, formats: _Formats, *, own: bool = False) -> list[Option]:
    """The answers, with their feedback; `own`: an option may keep a format of its own."""
    return [
        Option(
            _fraction(a),
            formats.option(a) if own else _option_text(a),
            _feedback_text(a, formats),
            0,
            True,
        )
        for a in question.all("answer")
    ]


def _question_data(node: _Node, qtype: str) -> dict[str, Any]:
    """The bank fields of one `<question>` (GiftError/Skip when it cannot be one)."""
    if qtype in _SKIPPED:
        raise Skip(_SKIPPED[qtype] + ", so it is skipped", 0)
    prompt = _text(node.find("questiontext"))
    data: dict[str, Any] = {"kind": None, "prompt": prompt}
    formats = _Formats(node)
    if qtype == "multichoice":
        single = (node.value("single") or "true").strip().lower() in ("true", "1")
        data.update(multichoice_fields(_answers(node, formats, own=True), 0, single=single))
    elif qtype == "truefalse":
        answers = node.all("answer")
        by_text = {_text(a).lower(): a for a in answers}
        if set(by_text) != {"true", "false"}:
            raise GiftError("a truefalse question has the answers true and false", 0)
        data.update(kind="truefalse", answer=_fraction(by_text["true"]) == 1)
        feedback = {}
        for word in ("true", "false"):
            message = _feedback_text(by_text[word], formats)
            if message:
                feedback[word] = message
        if feedback:
            data["feedback"] = feedback
    elif qtype == "shortanswer":
        data.update(short_answer_fields(_answers(node, formats), 0))
    elif qtype == "numerical":
        entries = []
        wrong = None
        for element in node.all("answer"):
            value = _text(element)
            if value == "*":
                wrong = _feedback_text(element, formats)
                continue
            tolerance = (element.value("tolerance") or "0").strip() or "0"
            try:
                number, margin = float(value), float(tolerance)
            except ValueError:
                raise GiftError(f"a numerical answer must be a number, not '{value}'", 0) from None
            entries.append(
                {
                    "value": _plain_number(number),
                    "tolerance": _plain_number(abs(margin)),
                    "credit": _fraction(element),
                    "feedback": _feedback_text(element, formats),
                    "offset": 0,
                }
            )
        if not entries:
            raise GiftError("a numerical question needs an answer", 0)
        data.update(numerical_fields(entries, wrong, 0))
        data.update(_units(node))
    elif qtype == "matching":
        pairs, extras = [], []
        for sub in node.all("subquestion"):
            left, right = formats.option(sub), _text(sub.find("answer"))
            if not right:
                continue  # Moodle skips a subquestion without an answer
            if left:
                pairs.append([left, right])
            else:
                extras.append(right)
        data.update(kind="match", pairs=pairs)
        if extras:
            data["distractors"] = extras
    elif qtype == "ordering":
        data.update(kind="order", items=[_option_text(a) for a in node.all("answer")])
    else:
        raise Skip(
            f"a question of Moodle's type '{qtype}': quiz has no such kind, so it is skipped", 0
        )
    text_format = _format(node.find("questiontext"))
    if text_format is not None:
        data["format"] = text_format
    explanation = formats.text(node.find("generalfeedback"))
    if explanation:
        data["explanation"] = explanation
    if formats.own:  # each text with a format of its own is written {text, format}
        from quiz.bank.dump import inline_formats

        inline_formats(data, formats.own)
    idnumber = (node.value("idnumber") or "").strip()
    if idnumber:
        data["idnumber"] = idnumber
    grade = (node.value("defaultgrade") or "").strip()
    if grade:
        try:
            points = float(grade)
        except ValueError:
            raise GiftError(f"the default grade '{grade}' must be a number", 0) from None
        if points != 1:
            data["points"] = _plain_number(points)
    tags = node.find("tags")
    if tags is not None:
        found = [slug(_text(tag)) for tag in tags.all("tag")]
        data["tags"] = [tag for n, tag in enumerate(found) if tag and tag not in found[:n]]
    return data


def _plain_number(value: float) -> float | int:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _quiz_comment(node: _Node) -> tuple[dict[str, Any] | None, tuple[int, int] | None, str | None]:
    """The node's `<!-- quiz: {...} -->` keys, where, and what is wrong with it."""
    # A comment that merely starts with "quiz:" (a title of "quiz" in an older export's first
    # line, say) is only a fault when no other quiz comment on the node holds the keys.
    first_problem: tuple[tuple[int, int], str] | None = None
    for text, line, column in node.comments:
        body = text.strip()
        if not body.startswith(QUIZ_COMMENT):
            continue
        try:
            values = json.loads(body[len(QUIZ_COMMENT) :])
        except json.JSONDecodeError as error:
            message = f"a quiz comment must hold a JSON object: {error.msg}"
            first_problem = first_problem or ((line, column), message)
            continue
        if not isinstance(values, dict):
            message = "a quiz comment must hold a JSON object {...}"
            first_problem = first_problem or ((line, column), message)
            continue
        return values, (line, column), None
    if first_problem is not None:
        return None, first_problem[0], first_problem[1]
    return None, None, None


@dataclass
class _Read:
    path: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)


def _units(node: _Node) -> dict[str, Any]:
    """A numerical question's unit: qtype_numerical's unit of multiplier 1, where Moodle asks
    for one (`showunits` other than 3, "not shown"). Other units, which Moodle converts by
    their multipliers, quiz does not take: noted (`NOTES`)."""
    units = []
    listed = node.find("units")
    for unit in listed.all("unit") if listed is not None else []:
        name = (unit.value("unit_name") or "").strip()
        try:
            multiplier = float((unit.value("multiplier") or "1").strip())
        except ValueError:
            multiplier = math.nan
        if name:
            units.append((name, multiplier))
    if not units or (node.value("showunits") or "0").strip() == "3":
        return {}
    main = next((name for name, multiplier in units if multiplier == 1), None)
    others = [name for name, _ in units if name != main]
    notes = NOTES.get()
    if others and notes is not None:
        taken = f"quiz takes the answer in {main} only" if main else "quiz takes the number alone"
        notes.append((0, f"Moodle also reads the answer in {', '.join(others)}: {taken}"))
    return {"unit": main} if main else {}


# Moodle's overall ("combined") feedback, shown after a response graded correct, partially
# correct or incorrect: qformat_xml's import_combined_feedback reads it for multichoice and
# matching, qtype_ordering's import_from_xml for ordering; other types ignore it.
_COMBINED_FEEDBACK = (
    ("correctfeedback", "correct", "your answer is correct."),
    ("partiallycorrectfeedback", "partially correct", "your answer is partially correct."),
    ("incorrectfeedback", "incorrect", "your answer is incorrect."),
)
_COMBINED_TYPES = frozenset({"multichoice", "matching", "ordering"})
_MEDIA_RE = re.compile(r"<(?:img|object|applet|video|audio|iframe|embed)\b", re.IGNORECASE)


def _says_something(node: _Node | None, default: str = "") -> bool:
    """Whether a Moodle text shows anything: not an empty one, nor one of only tags (Moodle
    writes them empty on export, as html_is_blank reads them, an image being something),
    nor `default`, the sentence Moodle's editing form fills in."""
    if node is None:
        return False
    raw = _text(node)
    if node.attrs.get("format") == "plain_text":
        said = " ".join(raw.split())
    else:
        said = " ".join(plain_text(raw, "html").split())
        if not said and _MEDIA_RE.search(raw):
            return True
    return bool(said) and said.casefold() != default


def _dropped_note(node: _Node, qtype: str) -> str | None:
    """What Moodle shows of this question that quiz has no place for: the combined feedback
    (Moodle's own default sentences aside) and the hints of interactive behaviour with
    multiple tries (qformat_xml's import_hints, every type); None when there is none."""
    combined = [
        word
        for tag, word, default in _COMBINED_FEEDBACK
        if qtype in _COMBINED_TYPES and _says_something(node.find(tag), default)
    ]
    hints = sum(1 for hint in node.all("hint") if _says_something(hint.find("hintcontent") or hint))
    if not combined and not hints:
        return None
    named = f"{hints} hint{'s' if hints > 1 else ''}"
    if combined:
        what = f"Moodle's combined feedback ({', '.join(combined)})"
        what += f" and {named} are" if hints else " is"
    else:
        what = f"Moodle's {named} (shown between tries) {'are' if hints > 1 else 'is'}"
    return f"{what} not kept: quiz shows the explanation after every answer"


def _ordering_note(node: _Node) -> str:
    """How Moodle grades an ordering question, beside quiz's rule (qtype_ordering's
    `gradingtype`, and `selecttype`/`selectcount` when only some items are shown)."""
    rule = (node.value("gradingtype") or "").strip()
    said = rule.lower().replace("_", " ") if rule else "its own grading type"
    note = f"Moodle grades this ordering question by {said}; quiz by the longest run in order"
    note += " ((L-1)/(n-1))"
    select = (node.value("selecttype") or "ALL").strip().upper()
    if select not in ("ALL", "0"):
        note += ", and quiz asks every item where Moodle shows some"
    return note


def read_moodle_xml_checked(
    text: str, path: str = "<string>", *, bank_id: str | None = None, title: str | None = None
) -> tuple[Bank, list[Problem]]:
    """The bank in Moodle XML text and its warnings (a question skipped); `BankError` with every
    error at once."""
    from quiz.bank.loader import check_bank_bytes
    from quiz.formats.gift import _yaml_text

    read = _Read(path)
    try:
        root = _parse(text.removeprefix("\ufeff"))
    except _XmlError as error:
        raise BankError([Problem(path, error.line, error.column, error.message)]) from None
    quiz = root.find("quiz")
    if quiz is None:
        raise BankError([Problem(path, 1, 1, "not Moodle XML: the top element must be <quiz>")])
    meta: dict[str, Any] = {}
    bank_line, _, bank_problem = _quiz_comment(quiz)
    if bank_problem is None and bank_line is not None and isinstance(bank_line.get("bank"), dict):
        meta = dict(bank_line["bank"])
    questions: list[dict[str, Any]] = []
    taken: set[str] = set()
    category: list[str] = []
    for node in quiz.all("question"):
        qtype = node.attrs.get("type", "")
        if qtype == "category":
            category = _category_tags(_text(node.find("category")))
            continue
        keys, where, problem = _quiz_comment(node)
        notes: list[tuple[int, str]] = []
        token = NOTES.set(notes)
        try:
            data = _question_data(node, qtype)
        except Skip as skip:
            read.warnings.append(
                Problem(path, node.line, node.column, skip.message, None, "warning")
            )
            continue
        except GiftError as error:
            if not (keys and "kind" in keys):
                read.problems.append(Problem(path, node.line, node.column, error.message))
                continue
            # What Moodle cannot take (one option, say) quiz's comment gives in full.
            data = {"kind": None, "prompt": _text(node.find("questiontext"))}
        finally:
            NOTES.reset(token)
        for _, message in notes:  # what Moodle reads otherwise, at the question
            read.warnings.append(Problem(path, node.line, node.column, message, None, "warning"))
        if qtype == "ordering" and bank_line is None:  # not quiz's own order question
            read.warnings.append(
                Problem(path, node.line, node.column, _ordering_note(node), None, "warning")
            )
        usecase = node.find("usecase")
        if qtype == "shortanswer" and usecase is not None and usecase.text.strip() == "1":
            # quiz compares typed answers with case folded; say so rather than grade otherwise
            read.warnings.append(
                Problem(
                    path,
                    node.line,
                    node.column,
                    "a short answer Moodle compares with case (usecase 1): quiz ignores case",
                    None,
                    "warning",
                )
            )
        if category:
            tags = list(category)
            tags += [tag for tag in data.get("tags", []) if tag not in tags]
            data["tags"] = tags
        if not data.get("tags"):
            data.pop("tags", None)
        name = _text(node.find("name"))
        base = slug(data.get("idnumber") or name) or slug(" ".join(data["prompt"].split()[:6]), 40)
        if problem is not None and where is not None:
            read.problems.append(Problem(path, where[0], where[1], problem))
            continue
        data = _apply(data, keys or {})
        qid = data.get("id") if isinstance(data.get("id"), str) else None
        if qid is None:
            qid = _unique(base or "question", taken)
        taken.add(qid)
        dropped = _dropped_note(node, qtype)
        if dropped:
            read.warnings.append(Problem(path, node.line, node.column, dropped, qid, "warning"))
        data = {"id": qid, **{k: v for k, v in data.items() if k != "id"}}
        read.lines[qid] = node.line
        questions.append(data)
    if not questions and not read.problems and read.warnings:
        read.problems += all_skipped(read.warnings)
    elif not questions and not read.problems:
        read.problems.append(Problem(path, quiz.line, quiz.column, "no questions found"))
    if not questions:
        raise BankError(read.problems)
    bank_data = imported_bank(meta, questions, path, bank_id, title)
    beside = str(Path(path).with_suffix(".xml.yaml")) if not path.startswith("<") else path
    bank, loaded = check_bank_bytes(_yaml_text(bank_data).encode("utf-8"), beside)
    problems = [*read.problems]
    for found in loaded:
        line = read.lines.get(found.question or "")
        located = Problem(
            path, line, 1 if line else None, found.message, found.question, found.severity
        )
        (problems if found.severity == "error" else read.warnings).append(located)
    if problems or bank is None:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise BankError(problems)
    from dataclasses import replace

    bank = replace(
        bank,
        questions=tuple(replace(q, line=read.lines.get(q.id)) for q in bank.questions),
        path=path,
    )
    return bank, sorted(read.warnings, key=lambda p: (p.line or 0, p.column or 0))


def _apply(data: dict[str, Any], keys: dict[str, Any]) -> dict[str, Any]:
    """The question's data with its quiz comment's keys applied (`null` removes one)."""
    out = dict(data)
    kind = keys.get("kind")
    if isinstance(kind, str) and kind != out.get("kind"):
        from quiz.formats.gift import _convert_kind

        try:
            out = _convert_kind(out, kind, 0)
        except GiftError:
            out["kind"] = kind
    for key, value in keys.items():
        if key == "kind":
            continue
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def read_moodle_xml(text: str, path: str = "<string>", **names: str | None) -> Bank:
    """The bank in Moodle XML text (see `read_moodle_xml_checked`)."""
    return read_moodle_xml_checked(text, path, **names)[0]


def load_moodle_xml_checked(path: str | Path, **names: str | None) -> tuple[Bank, list[Problem]]:
    """The bank in a Moodle XML file and its warnings."""
    from quiz.bank.yamlnodes import read_text
    from quiz.inputs import InputError, read_input

    file = Path(path)
    problems: list[Problem] = []
    try:
        data = read_input(file, "gift")  # the same cap as a GIFT file; no FIFO, no device
    except InputError as error:
        raise BankError([Problem(error.name, None, None, error.reason)]) from None
    text = read_text(str(file), data, problems)
    if text is None:
        raise BankError(problems)
    return read_moodle_xml_checked(text, str(file), **names)


# -- writing ---------------------------------------------------------------------------------------

Warn = Any  # Callable[[str], None]


def _el(tag: str, body: str = "", **attrs: str) -> str:
    attributes = "".join(f" {name}={quoteattr(value)}" for name, value in attrs.items())
    return f"<{tag}{attributes}>{body}</{tag}>"


def _text_el(tag: str, text: str, text_format: str | None = None, **attrs: str) -> str:
    """`<tag format="..."><text>...</text></tag>`: the text escaped for XML, nothing else."""
    fmt = _FORMAT_NAMES.get(text_format or "", "plain_text")
    return _el(tag, _el("text", _xml_text(text)), format=fmt, **attrs)


def _xml_text(text: str) -> str:
    # XML 1.0 cannot hold most control characters: they are dropped (the bank's are cleaned).
    cleaned = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)
    return escape(cleaned)


def _answer(
    fraction: float,
    text: str,
    feedback: str | None,
    question: Question,
    warn: Warn,
    *,
    own: bool = False,
) -> str:
    """An answer with its feedback, each in its own format (`formats`) or else plain text for
    the answer (quiz's options are plain text) and the question's format for the feedback;
    `own`: the answer may have a format of its own (a multichoice option)."""
    text_format = question.own_format(text) if own else None
    return _el(
        "answer",
        _el("text", _xml_text(text))
        + _text_el("feedback", feedback or "", _format_of(question, feedback)),
        fraction=_percent(fraction, warn),
        format=_FORMAT_NAMES.get(text_format or "", "plain_text"),
    )


def _format_of(question: Question, text: str | None) -> str | None:
    """A feedback's format: its own, or the question's."""
    own = question.own_format(text) if text else None
    return own or question.format


def _body(question: Question, warn: Warn) -> tuple[str, list[str]]:
    """The question's Moodle type and its type's elements."""
    from quiz.kinds import kind_of

    fmt = question.format
    feedback = dict(question.feedback)
    found = kind_of(question)
    kind = found.moodle_xml  # the kind's Moodle question type
    credits = found.credits(question)
    if kind == "multichoice":
        single = "false" if found.widget == "checkbox" else "true"
        if single == "false":
            credits = multiple_response_grades(credits or (), warn)
        parts = [
            _el("single", single),
            _el("shuffleanswers", "true"),
            _el("answernumbering", "abc"),
            _el("showstandardinstruction", "0"),
            *(
                _text_el(name, "", fmt)
                for name in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")
            ),
        ]
        parts += [
            _answer(c, t, feedback.get(t), question, warn, own=True) for t, c in credits or ()
        ]
        return "multichoice", parts
    if kind == "truefalse":
        answer = bool(cast(TrueFalseQuestion, question).answer)
        parts = [
            _answer(1.0 if answer else 0.0, "true", feedback.get("true"), question, warn),
            _answer(0.0 if answer else 1.0, "false", feedback.get("false"), question, warn),
        ]
        return "truefalse", parts
    if kind == "shortanswer":
        # An asterisk is written `\*`, as qtype_shortanswer compares it literally; `*` alone,
        # worth 0%, is its wildcard for any other answer.
        parts = [_el("usecase", "0")]
        parts += [
            _answer(c, star_escaped(t), feedback.get(t), question, warn) for t, c in credits or ()
        ]
        answers = {t for t, _ in credits or ()}
        parts += [
            _answer(0.0, k if k == "*" else star_escaped(k), m, question, warn)
            for k, m in feedback.items()
            if k not in answers
        ]
        return "shortanswer", parts
    if kind == "numerical":
        return "numerical", _numerical(cast(NumberQuestion, question), feedback, fmt, warn)
    if kind == "matching":
        pairs = cast(MatchQuestion, question).pairs
        extras = cast(MatchQuestion, question).distractors
        parts = [_el("shuffleanswers", "true")]
        parts += [_subquestion(left, right, question.own_format(left)) for left, right in pairs]
        parts += [_subquestion("", extra, None) for extra in extras]
        return "matching", parts
    if kind == "ordering":
        warn(
            "an order question becomes Moodle's ordering question graded by the longest ordered"
            " subset (L/n), not quiz's (L-1)/(n-1)"
        )
        items = cast(OrderQuestion, question).items
        parts = [
            _el("layouttype", "VERTICAL"),
            _el("selecttype", "ALL"),
            _el("selectcount", "0"),
            _el("gradingtype", "LONGEST_ORDERED_SUBSET"),
            _el("showgrading", "SHOW"),
            _el("numberingstyle", "none"),
        ]
        parts += [
            _el("answer", _el("text", _xml_text(i)), fraction=str(n))
            for n, i in enumerate(items, 1)
        ]
        return "ordering", parts
    # a date (and any kind Moodle lacks): a short answer with the expected text
    warn(
        f"a {question.kind} question has no Moodle type: written as a short answer, which"
        " Moodle compares as text"
    )
    expected = kind_of(question).expected_text(question)
    written = _answer(1.0, star_escaped(expected), None, question, warn)
    return "shortanswer", [_el("usecase", "0"), written]


def _subquestion(left: str, right: str, fmt: str | None) -> str:
    """A matching pair; without a left side, an extra right-hand answer. The left side is
    plain text unless it has a format of its own (`fmt`)."""
    body = _el("text", _xml_text(left)) + _el("answer", _el("text", _xml_text(right)))
    return _el("subquestion", body, format=_FORMAT_NAMES.get(fmt or "", "plain_text"))


def _numerical(
    question: NumberQuestion, feedback: dict[str, str], fmt: str | None, warn: Warn
) -> list[str]:
    from quiz.bank.model import format_number

    def absolute(value: float, tolerance: Tolerance) -> float:
        return float(abs(value) * tolerance.value if tolerance.relative else tolerance.value)

    def answer(value: float, tolerance: float, credit: float, message: str | None) -> str:
        return _el(
            "answer",
            _el("text", _number_text(value))
            + _el("tolerance", _number_text(tolerance))
            + _text_el("feedback", message or "", _format_of(question, message)),
            fraction=_percent(credit, warn),
            format=_FORMAT_NAMES.get(fmt or "", "plain_text"),
        )

    parts = [
        answer(
            question.answer,
            absolute(question.answer, question.tolerance),
            1.0,
            feedback.get(format_number(question.answer)),
        )
    ]
    parts += [
        answer(a.value, absolute(a.value, a.tolerance), a.credit, a.feedback)
        for a in question.answers
    ]
    if "*" in feedback:
        parts.append(
            _el(
                "answer",
                _el("text", "*")
                + _el("tolerance", "0")
                + _text_el("feedback", feedback["*"], _format_of(question, feedback["*"])),
                fraction="0",
            )
        )
    return parts + _unit_elements(question.unit)


# Currency symbols, which quiz reads before the number ("$5"): qtype_numerical reads a unit on
# one side only, so these go on the left (`unitsleft` 1), every other unit on the right.
_UNITS_LEFT = frozenset({"$", "€", "£", "¥", "₩"})


def _unit_elements(unit: str | None) -> list[str]:
    """qtype_numerical's unit settings for quiz's `unit`: the unit of multiplier 1, shown as a
    text box (`showunits` 0, UNITINPUT) and optional (`unitgradingtype` 0: no penalty for a
    number without it), as quiz grades it. Without a unit, units are not used (`showunits` 3,
    UNITNONE)."""
    parts = []
    if unit:
        body = _el("multiplier", "1") + _el("unit_name", _xml_text(unit))
        parts.append(_el("units", _el("unit", body)))
    parts += [
        _el("unitgradingtype", "0"),
        _el("unitpenalty", "0.1000000"),
        _el("showunits", "0" if unit else "3"),
        _el("unitsleft", "1" if unit in _UNITS_LEFT else "0"),
    ]
    return parts


def _question_xml(question: Question, warn: Warn) -> str:
    qtype, parts = _body(question, warn)
    points = question.points if question.points is not None else 1
    head = [
        _el("name", _el("text", _xml_text(question.id))),
        _text_el("questiontext", question.prompt, question.format),
        _text_el(
            "generalfeedback",
            question.explanation or "",
            _format_of(question, question.explanation),
        ),
        _el("defaultgrade", _decimal_text(_dec(points))),
        _el("penalty", "0.3333333"),
        _el("hidden", "0"),
        _el("idnumber", _xml_text(question.idnumber or "")),
    ]
    tags = ""
    if question.tags:
        tags = _el("tags", "".join(_el("tag", _el("text", _xml_text(t))) for t in question.tags))
    inner = "\n    ".join([*head, *parts] + ([tags] if tags else []))
    return f'  <question type="{qtype}">\n    {inner}\n  </question>'


def _dec(value: float) -> Any:
    return Decimal(repr(float(value)))


def _comment(values: dict[str, Any]) -> str:
    # `--` may not appear inside an XML comment, nor may most control characters in XML: JSON
    # escapes them (ensure_ascii), and a `-` after a `-` is written \u002d.
    text = json.dumps(values, ensure_ascii=True)
    while "--" in text:
        text = text.replace("--", "-\\u002d")
    return f"<!-- {QUIZ_COMMENT} {text} -->"


def _keys_for(question: Question, xml_text: str) -> dict[str, Any]:
    """The keys a quiz comment must add for the XML to read back as `question`."""
    from quiz.bank.dump import question_to_dict

    wanted = _canonical(question_to_dict(question))
    node = _parse(f"<quiz>{xml_text}</quiz>").find("quiz", "question")
    assert node is not None
    keys: dict[str, Any] = {}
    try:
        parsed = _question_data(node, node.attrs["type"])
    except (GiftError, Skip):
        parsed = {"kind": None}
    if parsed.get("kind") != question.kind:
        keys["kind"] = question.kind
        parsed = _apply(parsed, {"kind": question.kind})
    parsed["id"] = question.id
    have = _canonical(parsed)
    for key in [*wanted, *(k for k in have if k not in wanted)]:
        if _ordered(wanted.get(key)) != _ordered(have.get(key)):
            keys[key] = wanted.get(key)
    if question.id != (slug(question.idnumber) if question.idnumber else question.id):
        keys["id"] = question.id
    return keys


def moodle_xml_export(bank: Bank) -> tuple[str, list[str]]:
    """The bank as Moodle XML, and a warning ("[question] what changed") for each question
    Moodle grades otherwise than quiz. `read_moodle_xml` gives the bank back exactly."""
    from quiz.bank.dump import bank_to_dict

    meta = bank_to_dict(bank)
    meta.pop("questions", None)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<quiz>",
        f"  <!-- Exported by quiz: {_xml_comment_text(bank.title)} -->",
        f"  {_comment({'bank': _plain(meta)})}",
    ]
    warnings: list[str] = []
    for question in bank.questions:
        said: list[str] = []
        element = _question_xml(question, said.append)
        warnings += [f"[{question.id}] {message}" for message in dict.fromkeys(said)]
        keys = _keys_for(question, element)
        if keys:
            head, rest = element.split("\n", 1)
            element = f"{head}\n    {_comment(keys)}\n{rest}"
        out.append(element)
    out.append("</quiz>")
    return "\n".join(out) + "\n", warnings


def _xml_comment_text(text: str) -> str:
    return re.sub(r"-{2,}", "-", " ".join(_xml_text(text).split())).strip("-")


def bank_to_moodle_xml(bank: Bank) -> str:
    return moodle_xml_export(bank)[0]
