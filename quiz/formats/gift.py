"""GIFT, Moodle's plain-text question format: import to the bank model, export from it.

Import reads what Moodle's GIFT documentation describes:

- questions separated by blank lines; `//` comment lines; `::title::` (the question id is the
  title's slug, made unique, else the first words of the prompt); `[moodle]`, `[plain]`,
  `[markdown]`, `[html]` markers (dropped: the text is kept as written);
- `$CATEGORY: a/b` (until the next one, each segment becomes a tag; `$course$` and `top`
  are not tags);
- multiple choice `{=right ~wrong}`; weights `~%50%` and `~%-100%`, giving a `multi`
  question when no single option is worth 100%; true/false `{T}`, `{F}`, `{TRUE}`, `{FALSE}`
  with `#feedback when wrong#feedback when right`; short answer `{=a =b}` (the first is the
  answer, the others are accepted); numeric `{#a}`, `{#a:t}`, `{#min..max}` and
  `{#=a:t}`; matching `{=left -> right}`; the missing-word form (an answer block inside the
  text, which becomes a `_____` blank in the prompt); per-answer feedback `#` (into the
  question's `feedback` mapping) and general feedback `####` (into `explanation`);
- the escapes `\\~ \\= \\# \\{ \\} \\:` and `\\n`, plus `\\\\`, `\\%` and `\\>` (written by the
  exporter so that a backslash, an option starting with `%` and a `->` inside an option
  survive).

Anything else is an error located as `file:line:col`, all of them at once: a description (text
with no answer block), an essay `{}`, several answer blocks (cloze), partial credit that the
bank model cannot grade.

What GIFT cannot say (dates, order questions, units, relative tolerances, facts, difficulty,
points, draft, paragraph, the bank's id, title, description, source and defaults) the exporter
writes in the closest GIFT form plus `// quiz: {...}` comment lines holding JSON, which the
importer reads back; Moodle ignores them as comments. A question's `// quiz:` line holds the
bank keys whose value differs from what the GIFT text alone gives (`null` removes a key); a
`"kind"` there converts the GIFT question first: a short answer into a `date`, a matching
question whose right sides are 1, 2, 3... into an `order` question. The bank's line is
`// quiz: {"bank": {...}}`. So export then import gives back an equal bank.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from quiz.bank.model import (
    BANK_KEYS,
    QUESTION_KEYS,
    Bank,
    MatchQuestion,
    NumberQuestion,
    OrderQuestion,
    Question,
    TextQuestion,
    Tolerance,
    TrueFalseQuestion,
    format_number,
)
from quiz.errors import BankError, Problem
from quiz.grading.text import plain_text
from quiz.kinds import find_kind, kind_of, registered

QUIZ_COMMENT = "// quiz:"
BLANK = "_____"
# Moodle's escapes (`escapedchar_pre`): nothing else is one, so `\\%` shows its backslash.
_ESCAPABLE = {"~", "=", "#", "{", "}", ":", "\\"}
_FORMATS = ("[moodle]", "[plain]", "[markdown]", "[html]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
# Moodle's answer weight: `%`, minus signs, one or two digits, a point, digits, `%`.
_WEIGHT_RE = re.compile(r"^%(-*[0-9]{1,2}\.?[0-9]*)%")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def _question_fields() -> set[str]:
    """Every key a question may have: the common ones and every registered kind's."""
    return {spec.name for spec in QUESTION_KEYS} | {
        spec.name for kind in registered() for spec in kind.fields
    }


_BANK_FIELDS = {spec.name for spec in BANK_KEYS} - {"questions"}


class GiftError(Exception):
    """A problem at an offset of the text being parsed."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass
class _Text:
    """The text of one question (comment lines blanked), with a map back to file positions."""

    lines: list[tuple[int, int, str]]  # (line number, column of the first char, text)
    text: str = field(init=False)
    starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.starts = []
        offset = 0
        for _, _, text in self.lines:
            self.starts.append(offset)
            offset += len(text) + 1
        self.text = "\n".join(text for _, _, text in self.lines)

    def where(self, offset: int) -> tuple[int, int]:
        index = 0
        for i, start in enumerate(self.starts):
            if start <= offset:
                index = i
        line, column, _ = self.lines[index]
        return line, column + max(0, offset - self.starts[index])


@dataclass
class _Parsed:
    data: dict[str, Any]
    line: int
    quiz: dict[str, Any]  # the `// quiz:` keys for this question
    quiz_at: tuple[int, int] | None  # where the first `// quiz:` line is


# -- reading: text helpers ----------------------------------------------------------------------


def _find(text: str, token: str, start: int = 0, end: int | None = None) -> int:
    """Offset of the first unescaped `token` in text[start:end], or -1."""
    stop = len(text) if end is None else end
    i = start
    while i < stop:
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(token, i) and i + len(token) <= stop:
            return i
        i += 1
    return -1


def _unescape(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt in _ESCAPABLE:
                out.append(nxt)
                i += 2
                continue
            if nxt == "n":
                out.append("\n")
                i += 2
                continue
        out.append(char)
        i += 1
    return "".join(out)


def _clean(raw: str) -> str:
    """GIFT text as the learner sees it: line breaks in the file are spaces (inside
    `<pre>...</pre>` they stay: Moodle shows them), escapes undone."""
    parts = re.split(r"(<pre\b.*?</pre>)", raw, flags=re.IGNORECASE | re.DOTALL)
    joined = "".join(
        part if n % 2 else re.sub(r"[ \t]*\n[ \t]*", " ", part) for n, part in enumerate(parts)
    )
    return _unescape(joined.strip(" \t\n")).strip(" \t")


def imported_bank(
    meta: dict[str, Any],
    questions: list[Any],
    path: str,
    bank_id: str | None,
    title: str | None,
) -> dict[str, Any]:
    """An importer's bank data (GIFT, Moodle XML): the keys given (`bank_id`, `title`), else
    what the file said, else the file's name; then the questions read."""
    stem = Path(path).stem if not path.startswith("<") else "imported"
    if bank_id is not None:
        meta["id"] = bank_id
    if title is not None:
        meta["title"] = title
    meta.setdefault("id", slug(stem) or "imported")
    meta.setdefault("title", stem.replace("-", " ").replace("_", " ").strip() or "Imported")
    data = {spec.name: meta[spec.name] for spec in BANK_KEYS if spec.name in meta}
    data["questions"] = questions
    return data


def slug(text: str, max_length: int = 48) -> str:
    """`Who said it?` -> `who-said-it`: an id made of a-z, 0-9 and single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    result = ""
    for word in words:
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > max_length:
            break
        result = candidate
    if not result and words:
        result = words[0][:max_length]
    return result


def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


def _number(text: str, offset: int, what: str) -> float:
    cleaned = text.strip()
    if not _NUMBER_RE.match(cleaned):
        raise GiftError(f"{what} must be a number, not '{cleaned}'", offset)
    value = float(cleaned)
    if not math.isfinite(value):
        raise GiftError(f"{what} is too large", offset)
    return value


def _plain_number(value: float) -> float | int:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


# -- reading: answer blocks -----------------------------------------------------------------------
#
# The blocks are read as Moodle's reader reads them (question/format/gift/format.php,
# `readquestion`): the question type comes from the block's first character and the characters
# it holds (`#` numerical; any `~` multichoice, single when a `=` is there too; `=` with `->`
# matching; T, TRUE, F, FALSE true/false; anything else a short answer), weights are
# `%n%` right after the marker (a `%` that does not form one is text), and a format marker may
# open any text.


class Skip(Exception):
    """A question Moodle takes but quiz cannot (essay, description, cloze): skipped, warned."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass
class Option:
    weight: float  # Moodle's fraction: 1 for `=`, n/100 for `%n%`, else 0 (1 in short answers)
    text: str
    feedback: str | None
    offset: int
    weighted: bool = False  # written with a `%n%` weight


def _formatted(raw: str) -> tuple[str | None, str]:
    """A text's format marker (`[html]`...) and the text after it, as Moodle's
    `parse_text_with_format` reads them: a marker only at the very start."""
    stripped = raw.strip()
    for marker in _FORMATS:
        if stripped.startswith(marker):
            return marker[1:-1], stripped[len(marker) :]
    return None, raw


# The format of the question being read (its text's marker): the default of its other texts.
_QUESTION_FORMAT: ContextVar[str | None] = ContextVar("gift_question_format", default=None)


# The texts of the question being read that carry a format marker of their own (options, left
# items, feedback, the general feedback): text -> format, for the bank's `formats`.
_OWN_FORMATS: ContextVar[dict[str, str] | None] = ContextVar("gift_own_formats", default=None)


def _text(raw: str, *, option: bool = False, keep: bool = True) -> str:
    """A text as the learner sees it: its format marker dropped, line breaks spaces (kept
    inside <pre>), escapes undone. A text with a marker of its own (where Moodle keeps one,
    `keep`: not a short answer's answers) is kept as written, and its format goes to the
    question's `formats` (the terminal shows it as plain text). An option without one (quiz's
    options are plain text), or a short answer with one, in HTML or Moodle's format loses its
    tags; other texts are shown through the question's format."""
    marker, body = _formatted(raw)
    text = _clean(body)
    question_format = _QUESTION_FORMAT.get()
    own = _OWN_FORMATS.get()
    if marker is not None and own is not None and keep:
        kept = text.strip() if option else text
        if kept:
            own[kept] = marker
        return kept
    if option or (marker is not None and marker != question_format):
        return plain_text(text, marker or question_format).strip()
    return text


def _split_all(text: str, token: str) -> list[tuple[int, str]]:
    """`text` split at each unescaped `token`: (offset of the piece, piece)."""
    pieces = []
    start = 0
    while True:
        at = _find(text, token, start)
        if at < 0:
            pieces.append((start, text[start:]))
            return pieces
        pieces.append((start, text[start:at]))
        start = at + len(token)


def _weight(body: str) -> tuple[float | None, str]:
    """Moodle's `%n%` weight at the start of an option (after spaces), and the rest."""
    stripped = body.lstrip()
    match = _WEIGHT_RE.match(stripped)
    if match is None:
        return None, body
    number = match.group(1)
    value = -Decimal(number.lstrip("-")) if number.startswith("-") else Decimal(number)
    return moodle_fraction(value / 100), stripped[match.end() :]


def moodle_fraction(value: Decimal) -> float:
    """A weight as Moodle's import keeps it: within 0.00001 of one of its allowed grades, that
    grade (question/format.php `match_grade_options`: `%33.3333%` is 0.3333333, and three
    such weights add up to 1 as Moodle's do); any other as written."""
    for grade in ALLOWED_GRADES:
        signed = -grade if value < 0 else grade
        if abs(value - signed) < Decimal("0.00001"):
            return float(signed)
    return float(value)


def _comment(body: str, *, keep: bool = True) -> tuple[str, str | None]:
    """An option's text and its feedback (after the first unescaped `#`), cleaned; `keep`: the
    option's own format marker is kept (see `_text`)."""
    at = _find(body, "#")
    if at < 0:
        return _text(body, option=True, keep=keep), None
    feedback = _text(body[at + 1 :])
    return _text(body[:at], option=True, keep=keep), feedback or None


def _pieces(block: str, marks: str, base: int) -> list[tuple[str, int, str]]:
    """The options of a block split at its unescaped `marks`: (mark, offset, body); text
    before the first mark is an option without one (Moodle keeps it) unless it is blank."""
    out: list[tuple[str, int, str]] = []
    starts = [i for i in range(len(block)) if block[i] in marks and _is_unescaped(block, i)]
    lead = block[: starts[0]] if starts else block
    if lead.strip():
        out.append(("", base, lead))
    for n, at in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(block)
        out.append((block[at], base + at, block[at + 1 : end]))
    return out


def _is_unescaped(text: str, index: int) -> bool:
    backslashes = 0
    i = index - 1
    while i >= 0 and text[i] == "\\":
        backslashes += 1
        i -= 1
    return backslashes % 2 == 0


def _answer_block(block: str, base: int) -> dict[str, Any]:
    """The kind and answer fields of one `{...}` block (without the braces)."""
    data: dict[str, Any] = {}
    general = -1
    at = _find(block, "####")
    while at >= 0:  # the last one, as Moodle's strrpos
        general = at
        at = _find(block, "####", at + 1)
    if general >= 0:
        explanation = _text(block[general + 4 :])
        if explanation:
            data["explanation"] = explanation
        block = block[:general]
    body = block.strip()
    lead = len(block) - len(block.lstrip())
    if not body:
        raise Skip("an essay question ({}): quiz cannot grade an essay, so it is skipped", base)
    start = base + lead
    if body.startswith("#"):
        data.update(_numeric(body[1:], start + 1))
    elif _find(body, "~") >= 0:
        data.update(_multichoice(body, start, single=_find(body, "=") >= 0))
    elif _find(body, "=") >= 0 and _find(body, "->") >= 0:
        data.update(_matching(body, start))
    else:
        at = _find(body, "#")
        head = body[:at].strip() if at > 0 else body
        if head in _TRUE_FALSE:
            data.update(_truefalse(body))
        else:
            data.update(_short_answer(body, start))
    return data


def _truefalse(body: str) -> dict[str, Any]:
    parts = [piece for _, piece in _split_all(body, "#")]
    parts = [*parts[:2], "#".join(parts[2:])] if len(parts) > 3 else parts
    answer = _TRUE_FALSE[parts[0].strip()]
    data: dict[str, Any] = {"kind": "truefalse", "answer": answer}
    feedback = {}
    wrong = _text(parts[1]) if len(parts) > 1 else ""
    right = _text(parts[2]) if len(parts) > 2 else ""
    if wrong:
        feedback[str(not answer).lower()] = wrong
    if right:
        feedback[str(answer).lower()] = right
    if feedback:
        data["feedback"] = feedback
    return data


def _options(
    body: str, base: int, *, default: float, marks: str, keep: bool = True
) -> list[Option]:
    options = []
    for mark, offset, piece in _pieces(body, marks, base):
        if mark == "=" and marks == "~=":  # multichoice: `=` is fully right, no weight read
            weight, rest, weighted = 1.0, piece, False
        else:
            found, rest = _weight(piece)
            weighted = found is not None
            weight = found if found is not None else (0.0 if mark == "~" else default)
        text, feedback = _comment(rest, keep=keep)
        options.append(Option(weight, text, feedback, offset, weighted))
    return options


def _feedback_of(options: list[Option]) -> dict[str, str]:
    return {o.text: o.feedback for o in options if o.feedback is not None}


def _exact(value: float) -> float:
    """A fraction read from a percentage, in its shortest decimal form (0.3333333)."""
    return float(f"{value:.10g}")


def _multichoice(body: str, base: int, *, single: bool) -> dict[str, Any]:
    options = _options(body, base, default=0.0, marks="~=")
    return multichoice_fields(options, base, single=single)


def multichoice_fields(options: list[Option], base: int, *, single: bool) -> dict[str, Any]:
    """Moodle's multichoice question (its options' texts, fractions and feedback) as a bank
    question's kind and fields: `single` a choice, else a multi (shared with Moodle XML)."""
    if len(options) < 2:
        raise GiftError("a multiple-choice question needs at least two options", base)
    for option in options:
        if not option.text:
            raise GiftError("an option with no text", option.offset)
        if option.weight > 1:
            raise GiftError("a weight cannot be more than 100%", option.offset)
    feedback = _feedback_of(options)
    extra: dict[str, Any] = {"feedback": feedback} if feedback else {}
    if single:  # one option is picked: a choice question, partial credit per option
        right = [o for o in options if o.weight == 1]
        if not right:
            raise GiftError("no right option: mark it with = or %100%", base)
        wrong = [o for o in options if o.weight != 1]
        data: dict[str, Any] = {"kind": "choice"}
        if len(right) == 1:
            data["answer"] = right[0].text
        else:
            data["answers"] = [o.text for o in right]
        data["distractors"] = [_credited(o.text, o.weight) for o in wrong]
        return {**data, **extra}
    right = [o for o in options if o.weight > 0]
    wrong = [o for o in options if o.weight <= 0]
    if not right:
        raise GiftError("no right option: give the right ones a positive weight, as ~%50%", base)
    n = len(right)
    usual = all(abs(o.weight - 1 / n) < 1e-6 for o in right) and all(
        abs(o.weight + 1 / n) < 1e-6 for o in wrong
    )
    if usual:  # quiz's own rule (each wrong pick costs 1/n): no credits needed
        data = {"kind": "multi", "answers": [o.text for o in right]}
        if wrong:
            data["distractors"] = [o.text for o in wrong]
        return {**data, **extra}
    data = {
        "kind": "multi",
        "answers": [{"text": o.text, "credit": _exact(o.weight)} for o in right],
    }
    if wrong:
        data["distractors"] = [_credited(o.text, o.weight) for o in wrong]
    return {**data, **extra}


def _credited(text: str, weight: float) -> Any:
    return {"text": text, "credit": _exact(weight)} if weight else text


def _matching(body: str, base: int) -> dict[str, Any]:
    pairs: list[list[str]] = []
    distractors: list[str] = []
    for _, offset, piece in _pieces(body, "=", base):
        at = _find(piece, "->")
        if at < 0:
            raise GiftError("every option of a matching question is =left -> right", offset)
        left, right = _text(piece[:at], option=True), _clean(piece[at + 2 :])
        if not right:
            raise GiftError("a pair with no right side", offset)
        if left:
            pairs.append([left, right])
        else:  # Moodle: an extra right-hand answer that matches no left item
            distractors.append(right)
    data: dict[str, Any] = {"kind": "match", "pairs": pairs}
    if distractors:
        data["distractors"] = distractors
    return data


def _short_answer(body: str, base: int) -> dict[str, Any]:
    # format.php keeps only the text of a short answer's answer (no format): its marker goes.
    return short_answer_fields(_options(body, base, default=1.0, marks="=", keep=False), base)


# Where a reader wants to hear of what it reads otherwise than Moodle (offset, message).
NOTES: ContextVar[list[tuple[int, str]] | None] = ContextVar("gift_notes", default=None)

# An asterisk Moodle's short answer takes for a wildcard (qtype_shortanswer
# `compare_string_with_wildcard`): one not after a backslash (`\*` is a literal asterisk).
_WILDCARD = re.compile(r"(?<!\\)\*")


def _literal_answer(option: Option) -> Option:
    r"""A short answer's text as Moodle compares it: `\*` is an asterisk. An answer with a
    wildcard `*` (other than `*` alone, any answer) is kept as written, and noted."""
    text = option.text
    if text.strip() == "*" or "*" not in text:
        return option
    if _WILDCARD.search(text):
        notes = NOTES.get()
        if notes is not None:
            notes.append(
                (
                    option.offset,
                    f"Moodle reads the `*` in the answer {text!r} as any characters:"
                    " quiz compares it as written",
                )
            )
        return option
    return replace(option, text=text.replace("\\*", "*"))


def star_escaped(text: str) -> str:
    r"""A short answer's text as Moodle compares it literally: each `*` written `\*` (the
    inverse of `_literal_answer`)."""
    return text.replace("*", "\\*")


def short_answer_fields(options: list[Option], base: int) -> dict[str, Any]:
    """Moodle's short answer (answers with fractions and feedback) as a `text` question."""
    options = [_literal_answer(option) for option in options]
    for option in options:
        if not option.text:
            raise GiftError("an answer with no text", option.offset)
        if option.weight > 1:
            raise GiftError("a weight cannot be more than 100%", option.offset)
    right = [o for o in options if o.weight == 1]
    if not right:
        raise GiftError("a short answer needs one answer worth 100%", base)
    answer = right[0]
    accepted = [o for o in options if o.weight > 0 and o is not answer]
    data: dict[str, Any] = {"kind": "text", "answer": answer.text}
    if accepted:
        data["accept"] = [
            o.text if o.weight == 1 else {"text": o.text, "credit": _exact(o.weight)}
            for o in accepted
        ]
    # An answer worth nothing only says something: its feedback.
    feedback = {o.text: o.feedback for o in options if o.feedback is not None}
    if feedback:
        data["feedback"] = feedback
    return data


def _numeric(body: str, base: int) -> dict[str, Any]:
    """`{#...}`: answers `a`, `a:t`, `min..max`, each `=%w%` weighted with a `#feedback`, and
    after a `~` the feedback for any other answer."""
    wrong_at = _find(body, "~")
    wrong_feedback = None
    if wrong_at >= 0:
        wrong_feedback = _comment(body[wrong_at + 1 :])[1]
        body = body[:wrong_at]
    answers: list[dict[str, Any]] = []
    for mark, offset, piece in _pieces(body, "=", base):
        found, rest = _weight(piece)
        raw, message = _split_number_feedback(rest)
        value, tolerance = _numeric_answer(raw, offset + (1 if mark else 0))
        answers.append(
            {
                "value": value,
                "tolerance": tolerance,
                "credit": 1.0 if found is None else _exact(found),
                "feedback": message,
                "offset": offset,
            }
        )
    if not answers:
        raise GiftError("a numeric answer block needs a number: {#97}, {#97:2} or {#95..99}", base)
    return numerical_fields(answers, wrong_feedback, base)


def numerical_fields(
    answers: list[dict[str, Any]], wrong_feedback: str | None, base: int
) -> dict[str, Any]:
    """Moodle's numerical answers ({value, tolerance, credit, feedback, offset}) and its
    feedback for any other answer as a `number` question (shared with Moodle XML)."""
    right = [a for a in answers if a["credit"] == 1]
    if not right:
        raise GiftError("a numeric question needs one answer worth 100%", base)
    for entry in answers:
        if entry["credit"] > 1:
            raise GiftError("a weight cannot be more than 100%", entry["offset"])
    main = right[0]
    data: dict[str, Any] = {"kind": "number", "answer": main["value"]}
    if main["tolerance"]:
        data["tolerance"] = main["tolerance"]
    others = []
    for entry in answers:
        if entry is main:
            continue
        item: dict[str, Any] = {"value": entry["value"]}
        if entry["tolerance"]:
            item["tolerance"] = entry["tolerance"]
        if entry["credit"] != 1:
            item["credit"] = entry["credit"]
        if entry["feedback"]:
            item["feedback"] = entry["feedback"]
        others.append(item)
    if others:
        data["answers"] = others
    feedback = {}
    if main["feedback"]:
        feedback[format_number(main["value"])] = main["feedback"]
    if wrong_feedback:
        feedback["*"] = wrong_feedback
    if feedback:
        data["feedback"] = feedback
    return data


def _split_number_feedback(body: str) -> tuple[str, str | None]:
    at = _find(body, "#")
    if at < 0:
        return body, None
    return body[:at], _text(body[at + 1 :]) or None


def _numeric_answer(raw: str, offset: int) -> tuple[float | int, float | int]:
    """A number answer's value and tolerance, in their shortest exact decimal forms."""
    text = _formatted(raw)[1].strip()
    if not text:
        raise GiftError(
            "a numeric answer block needs a number: {#97}, {#97:2} or {#95..99}", offset
        )
    if ".." in text[1:]:
        at = text.index("..", 1)
        low = _decimal(text[:at], offset, "the low end of the range")
        high = _decimal(text[at + 2 :], offset, "the high end of the range")
        if low > high:
            raise GiftError(f"the range {text} runs backwards", offset)
        answer = (low + high) / 2
        tolerance = high - answer
    elif ":" in text[1:]:
        at = text.index(":", 1)
        answer = _decimal(text[:at], offset, "the numeric answer")
        tolerance = _decimal(text[at + 1 :], offset, "the tolerance")
        if tolerance < 0:
            raise GiftError("the tolerance cannot be negative", offset)
    else:
        answer = _decimal(text, offset, "the numeric answer")
        tolerance = Decimal(0)
    return _plain_number(float(answer)), _plain_number(float(tolerance))


def _decimal(text: str, offset: int, what: str) -> Decimal:
    cleaned = text.strip()
    if not _NUMBER_RE.match(cleaned):
        raise GiftError(f"{what} must be a number, not '{cleaned}'", offset)
    value = Decimal(cleaned)
    if not math.isfinite(float(value)):
        raise GiftError(f"{what} is too large", offset)
    return value


# -- reading: questions and files -------------------------------------------------------------


def _question(source: _Text) -> tuple[dict[str, Any], str | None]:
    """One question's data (bank keys, plain values) and its title, if any."""
    text = source.text
    start = len(text) - len(text.lstrip())
    title: str | None = None
    if text.startswith("::", start):
        end = _find(text, "::", start + 2)
        if end < 0:  # Moodle: no name, and the text goes on after the `::`
            start += 2
        else:
            title = _clean(text[start + 2 : end])
            start = end + 2
    rest = text[start:]
    stripped = rest.lstrip()
    text_format: str | None = None
    for marker in _FORMATS:
        if stripped.startswith(marker):
            text_format = marker[1:-1]
            start += len(rest) - len(stripped) + len(marker)
            break
    opening = _find(text, "{", start)
    closing_any = _find(text, "}", start)
    if opening < 0 and closing_any < 0:
        raise Skip(
            "a description (text without a question): quiz has nothing to ask, so it is skipped",
            start,
        )
    if opening < 0:
        raise GiftError("a } with no { before it", closing_any)
    stray = _find(text, "}", start, opening)
    if stray >= 0:
        raise GiftError("a } with no { before it: escape it as \\}", stray)
    closing = _find(text, "}", opening + 1)
    nested = _find(text, "{", opening + 1)
    if closing < 0:
        raise GiftError("the answer block { is not closed with }", opening)
    if 0 <= nested < closing:
        raise GiftError("a { inside an answer block: escape it as \\{", nested)
    again = _find(text, "{", closing + 1)
    if again >= 0:
        raise Skip(
            "a cloze question (several answer blocks): quiz takes one per question, so it is"
            " skipped",
            again,
        )
    stray = _find(text, "}", closing + 1)
    if stray >= 0:
        raise GiftError("a } with no { before it", stray)
    before, after = text[start:opening], text[closing + 1 :]
    prompt = _clean(before + BLANK + after) if after.strip() else _clean(before)
    if not prompt:
        raise GiftError("the question has no text", start)
    token = _QUESTION_FORMAT.set(text_format)
    own: dict[str, str] = {}
    own_token = _OWN_FORMATS.set(own)
    try:
        answers = _answer_block(text[opening + 1 : closing], opening + 1)
    finally:
        _QUESTION_FORMAT.reset(token)
        _OWN_FORMATS.reset(own_token)
    data: dict[str, Any] = {"id": None, "kind": answers.pop("kind"), "prompt": prompt}
    explanation = answers.pop("explanation", None)
    feedback = answers.pop("feedback", None)
    data.update(answers)
    if feedback:
        data["feedback"] = feedback
    if explanation:
        data["explanation"] = explanation
    if text_format is not None:
        data["format"] = text_format
    if own:  # each text with a marker of its own is written {text, format} where it stands
        from quiz.bank.dump import inline_formats

        inline_formats(data, own)
    return data, title


_ID_RE = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]")
_TAG_RE = re.compile(r"\[tag:((?:\\\]|[^\]\x00-\x1f])+)\]")


def _id_and_tags(comment: str) -> tuple[str | None, list[str]]:
    """A question's Moodle id number and tags from its `//` comment lines (`[id:...]`,
    `[tag:...]`, a `\\]` inside being `]`), as Moodle reads them; tags as bank tags."""
    found = _ID_RE.search(comment)
    idnumber = found.group(1).replace("\\]", "]").strip() if found else None
    tags: list[str] = []
    for match in _TAG_RE.finditer(comment):
        tag = slug(match.group(1).replace("\\]", "]").strip())
        if tag and tag not in tags:
            tags.append(tag)
    return idnumber or None, tags


def _category_tags(path: str) -> list[str]:
    tags = []
    segments = [segment.strip() for segment in re.split(r"(?<!/)/(?!/)", path)]
    for n, segment in enumerate(segments):
        if re.fullmatch(r"\$\w+\$", segment) or not segment:
            continue
        if segment.lower() == "top" and all(
            re.fullmatch(r"\$\w+\$", s) or not s for s in segments[:n]
        ):
            continue
        tag = slug(segment.replace("//", "/"))
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _convert_kind(data: dict[str, Any], kind: str, offset: int) -> dict[str, Any]:
    """The GIFT question's data as another kind, as a `// quiz:` line's "kind" asks."""
    common = {spec.name for spec in QUESTION_KEYS}
    if data.get("kind") == kind:
        return data
    converted = {k: v for k, v in data.items() if k in common}
    converted["kind"] = kind
    if kind == "order" and data.get("kind") == "match":
        positions = {}
        for left, right in data["pairs"]:
            if not right.isdigit() or int(right) in positions:
                raise GiftError(
                    "an order question in GIFT is a matching question of item -> 1, 2, 3...",
                    offset,
                )
            positions[int(right)] = left
        if sorted(positions) != list(range(1, len(positions) + 1)):
            raise GiftError("the positions of an order question run 1, 2, 3...", offset)
        converted["items"] = [positions[n] for n in sorted(positions)]
    elif (found := find_kind(kind)) is not None:
        names = {spec.name for spec in found.fields}
        converted.update({k: v for k, v in data.items() if k in names})
    return converted


@dataclass
class _Reader:
    path: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    bank_meta: dict[str, Any] | None = None
    bank_meta_line: int | None = None
    tags: list[str] = field(default_factory=list)
    questions: list[_Parsed] = field(default_factory=list)

    def error(
        self, line: int | None, column: int | None, message: str, question: str | None = None
    ) -> None:
        self.problems.append(Problem(self.path, line, column, message, question))

    def warning(self, line: int | None, column: int | None, message: str) -> None:
        self.warnings.append(Problem(self.path, line, column, message, None, "warning"))

    def read(self, text: str) -> None:
        block: list[tuple[int, str]] = []
        for number, line in enumerate(text.split("\n"), 1):
            line = line.removesuffix("\r")
            if line.strip():
                block.append((number, line))
            elif block:
                self.block(block)
                block = []
        if block:
            self.block(block)

    def block(self, block: list[tuple[int, str]]) -> None:
        quiz: dict[str, Any] = {}
        quiz_at: tuple[int, int] | None = None
        text_lines: list[tuple[int, int, str]] = []
        comments: list[str] = []
        for number, line in block:
            content = line.lstrip()
            column = len(line) - len(content) + 1
            if content.startswith(QUIZ_COMMENT):
                payload_at = column + len(QUIZ_COMMENT)
                values = self.quiz_comment(content[len(QUIZ_COMMENT) :], number, payload_at)
                if values is None:
                    continue
                if "bank" in values:
                    self.bank_comment(values, number, column)
                    continue
                quiz.update(values)
                quiz_at = quiz_at or (number, column)
            elif content.startswith("//"):
                comments.append(content)
            elif content.startswith("$CATEGORY:") and not text_lines:
                self.tags = _category_tags(content[len("$CATEGORY:") :].strip())
            else:
                text_lines.append((number, 1, line))
        if not text_lines:
            if quiz and quiz_at:
                self.error(*quiz_at, "a `// quiz:` line with no question after it")
            return
        source = _Text(text_lines)
        notes: list[tuple[int, str]] = []
        token = NOTES.set(notes)
        try:
            data, title = _question(source)
        except GiftError as error:
            self.error(*source.where(error.offset), error.message)
            return
        except Skip as skip:
            self.warning(*source.where(skip.offset), skip.message)
            return
        finally:
            NOTES.reset(token)
        for offset, message in notes:
            self.warning(*source.where(offset), message)
        idnumber, comment_tags = _id_and_tags("\n".join(comments))
        tags = list(self.tags)
        tags += [tag for tag in comment_tags if tag not in tags]
        if tags:
            data["tags"] = tags
        if idnumber:
            data["idnumber"] = idnumber
        data["id"] = idnumber or title
        self.questions.append(_Parsed(data, text_lines[0][0], quiz, quiz_at))

    def quiz_comment(self, payload: str, line: int, column: int) -> dict[str, Any] | None:
        try:
            values = json.loads(payload)
        except json.JSONDecodeError as error:
            self.error(
                line,
                column + error.colno - 1,
                f"a `// quiz:` line must hold a JSON object: {error.msg}",
            )
            return None
        except (ValueError, RecursionError) as error:  # over 4300 digits; nested too deeply
            reason = (
                "nested too deeply" if isinstance(error, RecursionError) else "too long a number"
            )
            self.error(line, column, f"a `// quiz:` line must hold a JSON object: {reason}")
            return None
        if _too_deep(values):
            self.error(line, column, "a `// quiz:` line must hold a JSON object: nested too deeply")
            return None
        if not isinstance(values, dict):
            self.error(line, column, "a `// quiz:` line must hold a JSON object {...}")
            return None
        if "bank" in values:
            if len(values) > 1 or not isinstance(values["bank"], dict):
                self.error(line, column, 'a bank line is `// quiz: {"bank": {...}}` alone')
                return None
            unknown = sorted(set(values["bank"]) - _BANK_FIELDS)
        else:
            unknown = sorted(set(values) - _question_fields())
        if unknown:
            self.error(line, column, "unknown key(s) in a `// quiz:` line: " + ", ".join(unknown))
            return None
        return values

    def bank_comment(self, values: dict[str, Any], line: int, column: int) -> None:
        if self.bank_meta is not None:
            self.error(line, column, 'a second bank line (`// quiz: {"bank": ...}`)')
            return
        self.bank_meta = values["bank"]
        self.bank_meta_line = line

    def finish(self) -> list[dict[str, Any]]:
        """Apply each question's `// quiz:` keys and give every question a unique id."""
        taken: set[str] = set()
        questions = []
        for parsed in self.questions:
            data = parsed.data
            quiz = dict(parsed.quiz)
            kind = quiz.pop("kind", None)
            if isinstance(kind, str) and kind != data["kind"]:
                try:
                    data = _convert_kind(data, kind, 0)
                except GiftError as error:
                    self.error(parsed.line, 1, error.message)
                    continue
            elif kind is not None:
                data["kind"] = kind
            title = data.pop("id")
            base = slug(title) if title else ""
            if not base:
                base = slug(" ".join(data["prompt"].split()[:6]), 40) or "question"
            qid = _unique(base, taken) if "id" not in quiz else quiz["id"]
            data = {"id": qid, **data}
            for key, value in quiz.items():
                if value is None:
                    data.pop(key, None)
                else:
                    data[key] = value
            if isinstance(data.get("id"), str):
                taken.add(data["id"])
            parsed.data = data
            questions.append(data)
        return questions


def _too_deep(value: Any, limit: int = 16) -> bool:
    """Whether JSON nests lists and objects more than `limit` deep (no `// quiz:` key needs
    more than a few levels; deeper would exhaust the recursion of what reads it next)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth >= limit:
                return True
            stack.extend(
                (v, depth + 1) for v in (item.values() if isinstance(item, dict) else item)
            )
    return False


def read_gift(
    text: str,
    path: str = "<string>",
    *,
    bank_id: str | None = None,
    title: str | None = None,
) -> Bank:
    """The bank in GIFT text. `BankError` with every problem, located, when it cannot be read.

    The bank's id and title come from `bank_id`/`title`, else the file's `// quiz:` bank line,
    else the file name. Questions quiz cannot take are skipped (see `read_gift_checked`).
    """
    return read_gift_checked(text, path, bank_id=bank_id, title=title)[0]


def read_gift_checked(
    text: str,
    path: str = "<string>",
    *,
    bank_id: str | None = None,
    title: str | None = None,
) -> tuple[Bank, list[Problem]]:
    """The bank in GIFT text and the warnings: one, located, for each question Moodle takes
    but quiz cannot (an essay, a description, a cloze), which is skipped. `BankError` with
    every error of the file at once (the GIFT reader's and the bank loader's)."""
    from quiz.bank.loader import check_bank_bytes

    reader = _Reader(path)
    reader.read(text.removeprefix("\ufeff"))
    questions = reader.finish()
    if not questions and not reader.problems:
        if reader.warnings:
            reader.problems += all_skipped(reader.warnings)
        else:
            reader.error(1, 1, "no questions found in the GIFT file")
    if not questions:
        raise BankError(reader.problems)
    data = imported_bank(dict(reader.bank_meta or {}), questions, path, bank_id, title)
    # A path beside the GIFT file, so that the loader finds a seed record next to it.
    beside = str(Path(path).with_suffix(".gift.yaml")) if not path.startswith("<") else path
    # The loader checks what was readable even when some questions were not: one round.
    bank, loaded = check_bank_bytes(_yaml_text(data).encode("utf-8"), beside)
    problems = [*reader.problems]
    problems += [_relocate(p, path, reader) for p in loaded if p.severity == "error"]
    if problems or bank is None:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise BankError(problems)
    warnings = [*reader.warnings]
    warnings += [_relocate(p, path, reader) for p in loaded if p.severity != "error"]
    warnings.sort(key=lambda p: (p.line or 0, p.column or 0))
    lines = {p.data.get("id"): p.line for p in reader.questions}
    bank = replace(
        bank,
        questions=tuple(replace(q, line=lines.get(q.id)) for q in bank.questions),
        path=path,
    )
    return bank, warnings


def all_skipped(warnings: list[Problem]) -> list[Problem]:
    """The errors of a file whose every question was skipped: each skip, and that nothing is
    left to import (rather than "no questions found", which a file of essays is not)."""
    skipped = [replace(w, severity="error") for w in warnings]
    which = f"all {len(skipped)} were" if len(skipped) > 1 else "the only one was"
    summary = f"no question quiz can take: {which} skipped, so there is nothing to import"
    return [*skipped, Problem(skipped[0].path, None, None, summary)]


def load_gift(path: str | Path, **names: str | None) -> Bank:
    """The bank in a GIFT file (`bank_id=`, `title=` as in `read_gift`)."""
    return load_gift_checked(path, **names)[0]


def load_gift_checked(path: str | Path, **names: str | None) -> tuple[Bank, list[Problem]]:
    """The bank in a GIFT file and its warnings (see `read_gift_checked`)."""
    from quiz.bank.yamlnodes import read_text  # the same located UTF-8 check as for YAML banks
    from quiz.inputs import InputError, read_input

    file = Path(path)
    problems: list[Problem] = []
    try:
        data = read_input(file, "gift")
    except InputError as error:
        raise BankError([Problem(error.name, None, None, error.reason)]) from None
    text = read_text(str(file), data, problems)
    if text is None:
        raise BankError(problems)
    return read_gift_checked(text, str(file), **names)


def _yaml_text(data: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def _relocate(problem: Problem, path: str, reader: _Reader) -> Problem:
    """A loader problem about the generated YAML, placed on the GIFT question it is about."""
    line: int | None = None
    if problem.question is not None:
        for parsed in reader.questions:
            if parsed.data.get("id") == problem.question:
                line = parsed.quiz_at[0] if parsed.quiz_at else parsed.line
                break
    elif reader.bank_meta_line is not None:
        line = reader.bank_meta_line
    return Problem(
        path, line, 1 if line else None, problem.message, problem.question, problem.severity
    )


# -- writing ------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    """Text as Moodle's GIFT writer escapes it (`repchar`): `\\ # = ~ { } :` and line feeds;
    nothing else, since Moodle would show any other backslash."""
    out = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        out = out.replace(char, "\\" + char)
    return out.replace("\r", "").replace("\n", "\\n")


def _escape_option(text: str, question: Question | None = None) -> str:
    """An option's text, escaped, after its own format marker where it has one (`formats`);
    a leading format marker of the text is shielded by one of its own (where Moodle reads a
    weight, a leading `%n%` needs a `%100%`/`%0%` before it: the caller adds it, see
    `_guard`)."""
    out = _escape(text)
    own = question.own_format(text) if question is not None else None
    if own is not None:
        return f"[{own}]{out}"
    if text.strip().startswith(_FORMATS) or out != out.strip():
        out = "[plain]" + out  # shown as written
    return out


def _guard(text: str) -> bool:
    """Whether an option's text would be read as a weight: it then needs one written first."""
    return _WEIGHT_RE.match(text.lstrip()) is not None


# Moodle's list of allowed grades (question_bank::fraction_options_full in
# question/engine/bank.php: every fraction an answer may be worth, and their negatives), as
# exact decimals; checked against that file's $rawfractions.
_GRADES = "1 0.9 0.8333333 0.8 0.75 0.7 0.6666667 0.6 0.5 0.4 0.3333333 0.3 0.25 0.2"
_GRADES += " 0.1666667 0.1428571 0.125 0.1111111 0.1 0.05 0"
ALLOWED_GRADES: tuple[Decimal, ...] = tuple(Decimal(text) for text in _GRADES.split())


def allowed_grade(fraction: float) -> tuple[Decimal, bool]:
    """The allowed grade for `fraction` (a sign and one of ALLOWED_GRADES) and whether it is
    exact (within Moodle's 0.0000001)."""
    size = Decimal(repr(abs(fraction)))
    nearest = min(ALLOWED_GRADES, key=lambda grade: abs(grade - size))
    exact = abs(nearest - size) <= Decimal("0.0000005")
    return (-nearest if fraction < 0 else nearest), exact


def _percent(fraction: float, warn: Callable[[str], None] | None = None) -> str:
    """A fraction as a GIFT weight's number (0.5 -> "50"): an allowed grade, exact where one
    is; otherwise the nearest, and `warn` says so."""
    grade, exact = allowed_grade(fraction)
    if not exact and warn is not None:
        shown = _decimal_text(abs(grade) * 100)
        warn(
            f"a weight of {abs(fraction) * 100:g}% is not one of Moodle's grades: written {shown}%"
        )
    return _decimal_text(grade * 100)


def multiple_response_grades(
    credits: tuple[tuple[str, float], ...], warn: Callable[[str], None] | None = None
) -> tuple[tuple[str, float], ...]:
    """A multiple-response question's credits on Moodle's list of allowed grades.

    Moodle wants the right options' grades to add up to 100% (qtype_multichoice
    `save_question_options`, to two places: else it imports the question with a notice, and a
    learner missing one option still gets full marks). A credit with no exact grade is split
    between the grades beside it (11 right options at 1/11 each: nine at 10%, two at 5%) so
    that the sum stays 100%; where no split adds up, each takes the nearest grade. `warn`
    names what changed; the penalties take the nearest grade.
    """
    given = [(text, credit, *allowed_grade(credit)) for text, credit in credits]
    chosen = {i: grade for i, (_, credit, grade, _) in enumerate(given) if credit > 0}
    target = Decimal(1)

    def off(total: Decimal) -> Decimal:
        return abs(total - target)

    def beside(credit: float) -> list[Decimal]:
        # never 0: a right option worth nothing would be a wrong one in Moodle
        size = Decimal(repr(credit))
        below = [g for g in ALLOWED_GRADES if 0 < g <= size][:1]
        above = [g for g in ALLOWED_GRADES if g >= size][-1:]
        return below + above

    inexact = [i for i in chosen if not given[i][3]]
    while off(sum(chosen.values(), Decimal(0))) >= Decimal("0.005"):
        total = sum(chosen.values(), Decimal(0))
        moves = [
            (off(total - chosen[i] + grade), abs(grade - Decimal(repr(given[i][1]))), i, grade)
            for i in inexact
            for grade in beside(given[i][1])
            if grade != chosen[i]
        ]
        best = min(moves, default=None)
        if best is None or best[0] >= off(total):
            break
        chosen[best[2]] = best[3]
        inexact.remove(best[2])  # each credit moves once, to the grade on its other side
    out = []
    written: dict[float, list[Decimal]] = {}  # each inexact credit: the grades it became
    for i, (text, credit, nearest, exact) in enumerate(given):
        grade = chosen.get(i, nearest)
        if not exact:
            written.setdefault(credit, []).append(grade)
        out.append((text, float(grade)))
    for credit, grades in written.items():
        counts = {g: grades.count(g) for g in sorted(set(grades), reverse=True)}
        shown = " and ".join(
            f"{_decimal_text(g * 100)}%"
            + (f" ({n} option{'s' if n > 1 else ''})" if len(counts) > 1 else "")
            for g, n in counts.items()
        )
        if warn is not None:
            warn(f"a weight of {credit * 100:g}% is not one of Moodle's grades: written {shown}")
    total = sum(chosen.values(), Decimal(0))
    if chosen and off(total) >= Decimal("0.005") and warn is not None:
        warn(
            f"the right options' weights add up to {_decimal_text(total * 100)}%, not 100%:"
            " Moodle imports the question with a notice"
        )
    return tuple(out)


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _options_block(
    rows: list[tuple[str, str]], feedback: dict[str, str], question: Question
) -> list[str]:
    out = []
    for line, text in rows:
        message = feedback.get(text)
        out.append(f"  {line}" + (f" #{_escape_feedback(message, question)}" if message else ""))
    return out


def _escape_feedback(text: str, question: Question | None = None) -> str:
    """A feedback (or the general feedback), escaped, after its own format marker if any."""
    out = _escape(text)
    own = question.own_format(text) if question is not None else None
    if own is not None:
        return f"[{own}]{out}"
    return "[plain]" + out if text.strip().startswith(_FORMATS) or out != out.strip() else out


# The closest GIFT form of each kind GIFT has: its option rows (GIFT line, option text for its
# feedback), or a whole answer block.
Rows = list[tuple[str, str]]
Warn = Callable[[str], None]


def _multichoice_rows(question: Question, feedback: dict[str, str], warn: Warn) -> Rows:
    """Moodle's multichoice: single (a `choice`) writes each fully right option `=`, the rest
    `~` with their weight; multiple (`multi`, ticked in a checklist) writes every option `~`
    with its weight (format.php: no `=` makes the question multiple)."""
    from quiz.kinds import kind_of

    kind = kind_of(question)
    single = kind.widget != "checkbox"
    credits = kind.credits(question) or ()
    if not single:
        credits = multiple_response_grades(credits, warn)
    rows = []
    for text, credit in credits:
        if single and credit == 1:
            rows.append((f"={_escape_option(text, question)}", text))
            continue
        weight = f"%{_percent(credit, warn)}%" if credit or _guard(text) else ""
        rows.append((f"~{weight}{_escape_option(text, question)}", text))
    return rows


def _text_rows(question: TextQuestion, feedback: dict[str, str], warn: Warn) -> Rows | str:
    from quiz.kinds import kind_of

    def written(text: str) -> str:  # an asterisk as Moodle compares it literally
        return _escape_option(star_escaped(text))

    rows = []
    for text, credit in kind_of(question).credits(question) or ():
        weight = f"%{_percent(credit, warn)}%" if credit != 1 or _guard(text) else ""
        rows.append((f"={weight}{written(text)}", text))
    answers = {text for _, text in rows}
    # A message for a wrong answer is Moodle's answer worth 0% with feedback; `*` alone is
    # Moodle's wildcard for any other answer.
    rows += [
        (f"=%0%{'*' if key == '*' else written(key)}", key)
        for key in feedback
        if key not in answers
    ]
    line, text = rows[0]
    if len(rows) == 1 and line == f"={written(text)}" and "->" in text:
        # format.php takes a block holding both `=` and `->` for matching, and GIFT has no
        # escape for `->`; a lone full-credit answer written bare (`{->}`) has no `=`, and
        # Moodle reads it as a short answer.
        message = feedback.get(text)
        return line[1:] + (f"#{_escape_feedback(message, question)}" if message else "")
    return rows


def _match_rows(question: MatchQuestion, feedback: dict[str, str], warn: Warn) -> Rows:
    from quiz.sanitize import clean_line

    for left, _ in question.pairs:
        if "->" in left:  # format.php splits a pair at its first `->`; GIFT cannot escape it
            warn(
                f"the left item {clean_line(left)} holds `->`, which GIFT cannot escape: Moodle"
                " splits the pair at its first `->` (Moodle XML keeps it)"
            )
    rows = [
        (f"={_escape_option(left, question)} -> {_escape_option(right)}", "")
        for left, right in question.pairs
    ]
    return rows + [(f"= -> {_escape_option(extra)}", "") for extra in question.distractors]


def _order_rows(question: OrderQuestion, feedback: dict[str, str], warn: Warn) -> Rows:
    warn(
        "an order question has no GIFT form: written as matching (item -> 1, 2, 3...), which"
        " Moodle grades pair by pair, not by the longest run in order"
    )
    return [(f"={_escape_option(item)} -> {n}", "") for n, item in enumerate(question.items, 1)]


def _truefalse_block(question: TrueFalseQuestion, feedback: dict[str, str], warn: Warn) -> str:
    answer = "TRUE" if question.answer else "FALSE"
    wrong = feedback.get(str(not question.answer).lower())
    right = feedback.get(str(question.answer).lower())
    block = answer
    if wrong or right:
        block += f"#{_escape_feedback(wrong or '', question)}"
    if right:
        block += f"#{_escape_feedback(right, question)}"
    return block


def _number_text(value: float) -> str:
    """A number in its shortest exact decimal form, never with an exponent (1e-05 -> 0.00001)."""
    text = format_number(value)
    if "e" in text or "E" in text:
        text = _decimal_text(Decimal(text))
    return text


def _number_answer(value: float, tolerance: float) -> str:
    text = _number_text(value)
    return f"{text}:{_number_text(tolerance)}" if tolerance else text


def _number_block(question: NumberQuestion, feedback: dict[str, str], warn: Warn) -> str:
    def absolute(value: float, tolerance: Tolerance) -> float:
        return float(abs(value) * tolerance.value if tolerance.relative else tolerance.value)

    main = _number_answer(question.answer, absolute(question.answer, question.tolerance))
    message = feedback.get(format_number(question.answer))
    wrong = feedback.get("*")
    if not question.answers and not wrong:
        return f"#{main}" + (f"#{_escape_feedback(message, question)}" if message else "")
    parts = [f"={main}" + (f"#{_escape_feedback(message, question)}" if message else "")]
    for other in question.answers:
        weight = f"%{_percent(other.credit, warn)}%" if other.credit != 1 else ""
        text = _number_answer(other.value, absolute(other.value, other.tolerance))
        note = f"#{_escape_feedback(other.feedback, question)}" if other.feedback else ""
        parts.append(f"={weight}{text}{note}")
    if wrong:
        parts.append(f"~#{_escape_feedback(wrong, question)}")
    return "#" + " ".join(parts)


def _matching_rows(question: Question, feedback: dict[str, str], warn: Warn) -> Rows:
    from quiz.kinds import kind_of

    if kind_of(question).moodle_xml == "ordering":  # an order question: item -> position
        return _order_rows(cast(OrderQuestion, question), feedback, warn)
    return _match_rows(cast(MatchQuestion, question), feedback, warn)


# Each Moodle question type GIFT has (a kind's `gift`), and how its block is written: option
# rows (GIFT line, option text for its feedback), or a whole answer block.
_BLOCKS: dict[str, Callable[[Any, dict[str, str], Warn], Rows | str]] = {
    "multichoice": _multichoice_rows,
    "shortanswer": _text_rows,
    "matching": _matching_rows,
    "truefalse": _truefalse_block,
    "numerical": _number_block,
}


def _render(question: Question, warn: Warn | None = None) -> list[str]:
    """The closest GIFT form of a question (without its `// quiz:` line)."""
    say: Warn = warn or (lambda message: None)
    feedback = dict(question.feedback)
    general = (
        f"####{_escape_feedback(question.explanation, question)}" if question.explanation else ""
    )
    head, tail = _escape(question.prompt), ""
    if question.prompt.count(BLANK) == 1:
        before, after = question.prompt.split(BLANK)
        if after.strip():
            head, tail = _escape(before), _escape(after)
    if question.format is not None:
        head = f"[{question.format}]" + head
    elif question.prompt.lstrip().startswith(_FORMATS):
        head = "[plain]" + head  # so that the prompt's own bracket is not taken for a format
    # In the missing-word form the text around the blank is kept as it is, spaces included.
    title = f"::{_escape(question.id)}:: {head}" + ("" if tail else " ")
    kind = kind_of(question)
    render = _BLOCKS.get(kind.gift) if kind.gift is not None else None
    if render is None:  # a date, and any kind GIFT lacks: a short answer with the expected text
        say(
            f"a {question.kind} question has no Moodle type: written as a short answer, which"
            " Moodle compares as text (quiz reads it back as it was)"
        )
        rows = [(f"={_escape_option(kind_of(question).expected_text(question))}", "")]
    else:
        block = render(question, feedback, say)
        if isinstance(block, str):  # an answer block without options: on the title's line
            return [*_id_comment(question), f"{title}{{{block}{general}}}{tail}"]
        rows = block
    lines = [*_id_comment(question), f"{title}{{"]
    lines += _options_block(rows, feedback, question) if rows else []
    if general:
        lines.append(f"  {general}")
    lines.append("}" + tail)
    return lines


def _id_comment(question: Question) -> list[str]:
    """Moodle's `// [id:...]` comment for the question's id number (`]` escaped)."""
    if question.idnumber is None:
        return []
    text = " ".join(question.idnumber.replace("]", "\\]").split())
    return [f"// [id:{text}]"]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _canonical(data: dict[str, Any]) -> dict[str, Any]:
    """Plain values, without the keys that only repeat a default."""
    out = {}
    for key, value in data.items():
        value = _plain(value)
        if value is None or value == [] or value == {}:
            continue
        if value is False and key != "answer":
            continue
        if key == "tolerance" and value == 0:
            continue
        out[key] = value
    return out


def _read_back(lines: list[str], tags: list[str]) -> dict[str, Any]:
    """What `_Reader` will make of a question's lines (`GiftError` when it cannot)."""
    # Split at line feeds, a trailing CR dropped, as `_Reader.read` does.
    read_lines = [line.removesuffix("\r") for line in "\n".join(lines).split("\n")]
    comments = [line for line in read_lines if line.lstrip().startswith("//")]
    text = [(n, 1, line) for n, line in enumerate(read_lines, 1) if line not in comments]
    try:
        parsed, _ = _question(_Text(text))
    except Skip as skip:
        raise GiftError(skip.message, skip.offset) from None
    idnumber, comment_tags = _id_and_tags("\n".join(comments))
    category = _category_tags("/".join(tags))
    category += [tag for tag in comment_tags if tag not in category]
    if category:
        parsed["tags"] = category
    if idnumber:
        parsed["idnumber"] = idnumber
    return parsed


def _exported(
    question: Question, tags: list[str], warn: Warn | None = None
) -> tuple[list[str], dict[str, Any]]:
    """A question's GIFT lines, and the keys its `// quiz:` line must add to give it back."""
    from quiz.bank.dump import question_to_dict
    from quiz.sanitize import without_controls

    wanted = _canonical(question_to_dict(question))
    said: list[str] = []
    candidates = [
        _render(question, said.append),
        # Should the closest form not read back, a bare one that always does: the
        # `// quiz:` line then carries the rest.
        [f"::{question.id}:: [plain]{_escape(question.prompt)} {{=?}}"],
        [f"::{question.id}:: ? {{=?}}"],
    ]
    keys: dict[str, Any] = {}
    for index, candidate in enumerate(candidates):
        # GIFT has no escape for a control or bidi character: the text goes without, and
        # reads back different, so the `// quiz:` line (JSON, escaped) keeps the exact text.
        lines = [without_controls(line) for line in candidate]
        try:
            parsed = _read_back(lines, tags)
            if parsed["kind"] != question.kind:
                parsed = _convert_kind(parsed, question.kind, 0)
                keys["kind"] = question.kind
            placeholder = index > 0
            break
        except GiftError:
            continue
    else:  # pragma: no cover - the last candidate always reads back
        raise AssertionError("no GIFT form of the question reads back")
    if placeholder:
        # The closest form reads back otherwise (a short answer `->` beside other answers: a
        # block holding `=` and `->` is matching, and GIFT cannot escape `->`), or not at all.
        said = [
            "has no GIFT form that Moodle reads as quiz does: Moodle gets a short answer `?`,"
            " and only quiz reads the question back (from its `// quiz:` line); export Moodle"
            " XML for Moodle"
        ]
    for message in said:
        if warn is not None:
            warn(message)
    parsed["id"] = slug(parsed.get("idnumber") or question.id)
    have = _canonical(parsed)
    for key in [*wanted, *(k for k in have if k not in wanted)]:  # a stable order
        if _ordered(wanted.get(key)) != _ordered(have.get(key)):
            keys[key] = wanted.get(key)
    return lines, keys


def _ordered(value: Any) -> Any:
    """Mappings as lists of pairs: the order of `feedback` is part of the question."""
    if isinstance(value, dict):
        return [(k, _ordered(v)) for k, v in value.items()]
    return value


def _json(value: Any) -> str:
    from quiz.sanitize import json_text

    # Control characters, and those some tools take for line breaks, stay escaped.
    return json_text(value)


def bank_to_gift(bank: Bank) -> str:
    """The bank as GIFT text that Moodle imports and `read_gift` reads back to an equal bank."""
    return gift_export(bank)[0]


def gift_export(bank: Bank) -> tuple[str, list[str]]:
    """The bank as GIFT text, and a warning ("[question] what changed") for each question
    Moodle will read otherwise than quiz grades it (an order question, a weight that is not
    one of Moodle's grades). The `// quiz:` lines still give quiz the bank back exactly."""
    from quiz.bank.dump import bank_to_dict
    from quiz.sanitize import clean_line

    warnings: list[str] = []

    meta = bank_to_dict(bank)
    meta.pop("questions", None)
    out = [
        f"// Title: {clean_line(bank.title)}",  # a comment; the exact title is in the JSON below
        "// Exported by quiz. `// quiz:` lines keep what GIFT cannot say; Moodle ignores them.",
        f"{QUIZ_COMMENT} {_json({'bank': _plain(meta)})}",
        "",
    ]
    tags: list[str] = []
    for question in bank.questions:
        if list(question.tags) != tags and question.tags:
            tags = list(question.tags)
            out += [f"$CATEGORY: {'/'.join(tags)}", ""]
        elif not question.tags and tags:
            tags = []
            out += ["$CATEGORY: $course$/top", ""]
        said: list[str] = []
        lines, keys = _exported(question, tags, said.append)
        warnings += [f"[{question.id}] {message}" for message in dict.fromkeys(said)]
        if keys:
            out.append(f"{QUIZ_COMMENT} {_json(keys)}")
        out += [*lines, ""]
    return "\n".join(out), warnings
