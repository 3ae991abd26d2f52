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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from quiz.bank.model import (
    BANK_KEYS,
    QUESTION_KEYS,
    Bank,
    ChoiceQuestion,
    MatchQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    Question,
    TextQuestion,
    TrueFalseQuestion,
    format_number,
)
from quiz.errors import BankError, Problem
from quiz.kinds import find_kind, kind_of, registered

QUIZ_COMMENT = "// quiz:"
BLANK = "_____"
_ESCAPABLE = {"~", "=", "#", "{", "}", ":", "\\", "%", ">"}
_FORMATS = ("[moodle]", "[plain]", "[markdown]", "[html]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_WEIGHT_RE = re.compile(r"%\s*(-?\d+(?:\.\d+)?)\s*%")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def _question_fields() -> set[str]:
    """Every key a question may have: the common ones and every registered kind's."""
    return {spec.name for spec in QUESTION_KEYS} | {
        spec.name for kind in registered() for spec in kind.fields
    }


_BANK_FIELDS = {spec.name for spec in BANK_KEYS} - {"questions"}


class _GiftError(Exception):
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
    """GIFT text as the learner sees it: line breaks in the file are spaces, escapes undone."""
    return _unescape(re.sub(r"[ \t]*\n[ \t]*", " ", raw).strip(" \t\n")).strip(" \t")


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
        raise _GiftError(f"{what} must be a number, not '{cleaned}'", offset)
    value = float(cleaned)
    if not math.isfinite(value):
        raise _GiftError(f"{what} is too large", offset)
    return value


def _plain_number(value: float) -> float | int:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


# -- reading: answer blocks -----------------------------------------------------------------------


@dataclass
class _Option:
    marker: str  # "=" or "~"
    weight: float | None
    text: str
    feedback: str | None
    raw: str  # the option's text before cleaning (for `->`)
    offset: int


def _split_feedback(body: str) -> tuple[str, str | None]:
    at = _find(body, "#")
    if at < 0:
        return body, None
    return body[:at], body[at + 1 :]


def _options(block: str, base: int) -> list[_Option]:
    """The `=...` and `~...` options of an answer block (`base`: the block's offset)."""
    marks = []
    i = 0
    while i < len(block):
        if block[i] == "\\":
            i += 2
            continue
        if block[i] in "=~":
            marks.append(i)
        i += 1
    if not marks:
        raise _GiftError("expected options starting with = or ~ in the answer block", base)
    lead = block[: marks[0]]
    if lead.strip():
        raise _GiftError(f"unexpected text '{lead.strip()}' before the first = or ~ option", base)
    options = []
    for n, mark in enumerate(marks):
        end = marks[n + 1] if n + 1 < len(marks) else len(block)
        body = block[mark + 1 : end]
        offset = base + mark
        weight = None
        stripped = body.lstrip()
        if stripped.startswith("%"):
            match = _WEIGHT_RE.match(stripped)
            if not match:
                raise _GiftError("a weight is written %50% or %-100%", offset + 1)
            weight = float(match.group(1))
            body = stripped[match.end() :]
        text, feedback = _split_feedback(body)
        cleaned = _clean(text)
        if not cleaned:
            raise _GiftError("an option with no text", offset)
        options.append(
            _Option(
                block[mark],
                weight,
                cleaned,
                _clean(feedback) if feedback is not None and _clean(feedback) else None,
                text,
                offset,
            )
        )
    return options


def _feedback_of(options: list[_Option]) -> dict[str, str]:
    return {o.text: o.feedback for o in options if o.feedback is not None}


def _answer_block(block: str, base: int) -> dict[str, Any]:
    """The kind and answer fields of one `{...}` block (without the braces)."""
    data: dict[str, Any] = {}
    search_from = 1 if block.lstrip().startswith("#") else 0
    general = _find(block, "####", search_from)
    if general >= 0:
        explanation = _clean(block[general + 4 :])
        if explanation:
            data["explanation"] = explanation
        block = block[:general]
    body = block.strip()
    lead = len(block) - len(block.lstrip())
    if not body:
        raise _GiftError("an empty answer block {} (an essay question) is not supported", base)
    if body.startswith("#"):
        data.update(_numeric(body[1:], base + lead + 1))
        return data
    parts = []
    start = 0
    while True:
        at = _find(body, "#", start)
        if at < 0:
            parts.append(body[start:])
            break
        parts.append(body[start:at])
        start = at + 1
    head = parts[0].strip().upper()
    if head in _TRUE_FALSE:
        if len(parts) > 3:
            raise _GiftError("true/false takes at most two feedbacks: {T#wrong#right}", base)
        answer = _TRUE_FALSE[head]
        data.update(kind="truefalse", answer=answer)
        feedback = {}
        wrong = _clean(parts[1]) if len(parts) > 1 else ""
        right = _clean(parts[2]) if len(parts) > 2 else ""
        if wrong:
            feedback[str(not answer).lower()] = wrong
        if right:
            feedback[str(answer).lower()] = right
        if feedback:
            data["feedback"] = feedback
        return data
    options = _options(block, base)
    data.update(_classify(options, base))
    return data


def _classify(options: list[_Option], base: int) -> dict[str, Any]:
    matching = [o for o in options if _find(o.raw, "->") >= 0]
    if matching:
        pairs = []
        for option in options:
            at = _find(option.raw, "->")
            if option.marker != "=" or at < 0:
                raise _GiftError(
                    "every option of a matching question is =left -> right", option.offset
                )
            if option.weight is not None:
                raise _GiftError("a matching pair takes no weight", option.offset)
            left, right_side = _clean(option.raw[:at]), _clean(option.raw[at + 2 :])
            if not left:
                raise _GiftError(
                    "a pair with no left side (an extra right-hand answer) is not supported",
                    option.offset,
                )
            if not right_side:
                raise _GiftError("a pair with no right side", option.offset)
            if option.feedback is not None:
                raise _GiftError("a matching pair takes no feedback", option.offset)
            pairs.append([left, right_side])
        return {"kind": "match", "pairs": pairs}
    weights = [
        (o.weight if o.weight is not None else (100.0 if o.marker == "=" else 0.0)) for o in options
    ]
    feedback = _feedback_of(options)
    extra = {"feedback": feedback} if feedback else {}
    if all(o.marker == "=" for o in options):
        for option, weight in zip(options, weights, strict=True):
            if weight != 100:
                raise _GiftError(
                    "partial credit on a short answer is not supported: give =answer",
                    option.offset,
                )
        texts = [o.text for o in options]
        data: dict[str, Any] = {"kind": "text", "answer": texts[0]}
        if texts[1:]:
            data["accept"] = texts[1:]
        return {**data, **extra}
    right = [o for o, w in zip(options, weights, strict=True) if w >= 100]
    partial = [o for o, w in zip(options, weights, strict=True) if 0 < w < 100]
    wrong = [o for o, w in zip(options, weights, strict=True) if w <= 0]
    for option, weight in zip(options, weights, strict=True):
        if weight > 100:
            raise _GiftError("a weight cannot be more than 100%", option.offset)
    if len(right) == 1 and not partial:
        return {
            "kind": "choice",
            "answer": right[0].text,
            "distractors": [o.text for o in wrong],
            **extra,
        }
    if not right and partial:
        data = {"kind": "multi", "answers": [o.text for o in partial]}
        if wrong:
            data["distractors"] = [o.text for o in wrong]
        return {**data, **extra}
    if right and partial:
        raise _GiftError(
            "partial credit on a wrong option is not supported: the option is right (=) or"
            " wrong (~); for several right options give each a share, as ~%50%",
            partial[0].offset,
        )
    if len(right) > 1:
        raise _GiftError(
            "several options are fully right: for a question with several right options give"
            " each a share of 100%, as ~%50%",
            right[1].offset,
        )
    raise _GiftError("no right option: mark it with = or a positive weight", base)


def _numeric(body: str, base: int) -> dict[str, Any]:
    """`{#...}`: one answer `a`, `a:t` or `min..max`, or `=a:t` options (one of them)."""
    if _find(body, "=") >= 0 or _find(body, "~") >= 0:
        options = []
        for option in _options(body, base):
            if option.marker == "~":
                raise _GiftError("a numeric answer starts with =", option.offset)
            if option.weight is not None and option.weight != 100:
                raise _GiftError(
                    "partial credit on a numeric answer is not supported", option.offset
                )
            options.append(option)
        if len(options) > 1:
            raise _GiftError(
                "several numeric answers: quiz takes one (with a tolerance)", options[1].offset
            )
        # Re-split the option's raw text: the number itself, then its feedback.
        option = options[0]
        mark = _find(body, "=")
        raw, feedback = _split_feedback(body[mark + 1 :])
        raw = _WEIGHT_RE.sub("", raw, count=1) if raw.lstrip().startswith("%") else raw
        return _numeric_answer(raw, feedback, option.offset + 1)
    raw, feedback = _split_feedback(body)
    return _numeric_answer(raw, feedback, base)


def _numeric_answer(raw: str, feedback: str | None, offset: int) -> dict[str, Any]:
    text = raw.strip()
    if not text:
        raise _GiftError(
            "a numeric answer block needs a number: {#97}, {#97:2} or {#95..99}", offset
        )
    data: dict[str, Any] = {"kind": "number"}
    if ".." in text:
        low_text, high_text = text.split("..", 1)
        low = _number(low_text, offset, "the low end of the range")
        high = _number(high_text, offset, "the high end of the range")
        if low > high:
            raise _GiftError(f"the range {text} runs backwards", offset)
        answer = (low + high) / 2
        tolerance = (high - low) / 2
    elif ":" in text:
        value_text, tolerance_text = text.split(":", 1)
        answer = _number(value_text, offset, "the numeric answer")
        tolerance = _number(tolerance_text, offset, "the tolerance")
        if tolerance < 0:
            raise _GiftError("the tolerance cannot be negative", offset)
    else:
        answer = _number(text, offset, "the numeric answer")
        tolerance = 0.0
    data["answer"] = _plain_number(answer)
    if tolerance:
        data["tolerance"] = _plain_number(tolerance)
    message = _clean(feedback) if feedback is not None else ""
    if message:
        data["feedback"] = {format_number(answer): message}
    return data


# -- reading: questions and files -------------------------------------------------------------


def _question(source: _Text) -> tuple[dict[str, Any], str | None]:
    """One question's data (bank keys, plain values) and its title, if any."""
    text = source.text
    start = len(text) - len(text.lstrip())
    title: str | None = None
    if text.startswith("::", start):
        end = _find(text, "::", start + 2)
        if end < 0:
            raise _GiftError("the title ::...:: is not closed", start)
        title = _clean(text[start + 2 : end])
        start = end + 2
    rest = text[start:]
    stripped = rest.lstrip()
    for marker in _FORMATS:
        if stripped.lower().startswith(marker):
            start += len(rest) - len(stripped) + len(marker)
            break
    opening = _find(text, "{", start)
    if opening < 0:
        if _find(text, "}", start) >= 0:
            raise _GiftError("a } with no { before it", _find(text, "}", start))
        raise _GiftError(
            "no answer block {...}: a description (text without a question) is not supported",
            start,
        )
    stray = _find(text, "}", start, opening)
    if stray >= 0:
        raise _GiftError("a } with no { before it: escape it as \\}", stray)
    closing = _find(text, "}", opening + 1)
    nested = _find(text, "{", opening + 1)
    if closing < 0:
        raise _GiftError("the answer block { is not closed with }", opening)
    if 0 <= nested < closing:
        raise _GiftError("a { inside an answer block: escape it as \\{", nested)
    again = _find(text, "{", closing + 1)
    if again >= 0:
        raise _GiftError(
            "a second answer block: quiz takes one per question (no cloze questions)", again
        )
    stray = _find(text, "}", closing + 1)
    if stray >= 0:
        raise _GiftError("a } with no { before it", stray)
    before, after = text[start:opening], text[closing + 1 :]
    prompt = _clean(before + BLANK + after) if after.strip() else _clean(before)
    if not prompt:
        raise _GiftError("the question has no text", start)
    answers = _answer_block(text[opening + 1 : closing], opening + 1)
    data: dict[str, Any] = {"id": None, "kind": answers.pop("kind"), "prompt": prompt}
    explanation = answers.pop("explanation", None)
    feedback = answers.pop("feedback", None)
    data.update(answers)
    if feedback:
        data["feedback"] = feedback
    if explanation:
        data["explanation"] = explanation
    return data, title


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
                raise _GiftError(
                    "an order question in GIFT is a matching question of item -> 1, 2, 3...",
                    offset,
                )
            positions[int(right)] = left
        if sorted(positions) != list(range(1, len(positions) + 1)):
            raise _GiftError("the positions of an order question run 1, 2, 3...", offset)
        converted["items"] = [positions[n] for n in sorted(positions)]
    elif (found := find_kind(kind)) is not None:
        names = {spec.name for spec in found.fields}
        converted.update({k: v for k, v in data.items() if k in names})
    return converted


@dataclass
class _Reader:
    path: str
    problems: list[Problem] = field(default_factory=list)
    bank_meta: dict[str, Any] | None = None
    bank_meta_line: int | None = None
    tags: list[str] = field(default_factory=list)
    questions: list[_Parsed] = field(default_factory=list)

    def error(
        self, line: int | None, column: int | None, message: str, question: str | None = None
    ) -> None:
        self.problems.append(Problem(self.path, line, column, message, question))

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
                continue
            elif content.startswith("$CATEGORY:") and not text_lines:
                self.tags = _category_tags(content[len("$CATEGORY:") :].strip())
            else:
                text_lines.append((number, 1, line))
        if not text_lines:
            if quiz and quiz_at:
                self.error(*quiz_at, "a `// quiz:` line with no question after it")
            return
        source = _Text(text_lines)
        try:
            data, title = _question(source)
        except _GiftError as error:
            self.error(*source.where(error.offset), error.message)
            return
        if self.tags:
            data["tags"] = list(self.tags)
        data["id"] = title
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
                except _GiftError as error:
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
    else the file name.
    """
    from quiz.bank.loader import load_bank_text

    reader = _Reader(path)
    reader.read(text.removeprefix("\ufeff"))
    questions = reader.finish()
    if not questions and not reader.problems:
        reader.error(1, 1, "no questions found in the GIFT file")
    if reader.problems:
        raise BankError(reader.problems)
    stem = Path(path).stem if not path.startswith("<") else "imported"
    meta = dict(reader.bank_meta or {})
    if bank_id is not None:
        meta["id"] = bank_id
    if title is not None:
        meta["title"] = title
    meta.setdefault("id", slug(stem) or "imported")
    meta.setdefault("title", stem.replace("-", " ").replace("_", " ").strip() or "Imported")
    data = {spec.name: meta[spec.name] for spec in BANK_KEYS if spec.name in meta}
    data["questions"] = questions
    try:
        # A path beside the GIFT file, so that the loader finds a seed record next to it.
        beside = str(Path(path).with_suffix(".gift.yaml")) if not path.startswith("<") else path
        bank = load_bank_text(_yaml_text(data), path=beside)
    except BankError as error:
        raise BankError([_relocate(p, path, reader) for p in error.problems]) from None
    lines = {p.data.get("id"): p.line for p in reader.questions}
    return replace(
        bank,
        questions=tuple(replace(q, line=lines.get(q.id)) for q in bank.questions),
        path=path,
    )


def load_gift(path: str | Path, **names: str | None) -> Bank:
    """The bank in a GIFT file (`bank_id=`, `title=` as in `read_gift`)."""
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
    return read_gift(text, str(file), **names)


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
    out = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        out = out.replace(char, "\\" + char)
    return out.replace("\n", "\\n")


def _escape_option(text: str) -> str:
    out = _escape(text).replace("->", "-\\>")
    if out.startswith("%"):
        out = "\\" + out
    return out


def _weight(share: float) -> str:
    return f"{share:.5f}".rstrip("0").rstrip(".")


def _options_block(rows: list[tuple[str, str]], feedback: dict[str, str]) -> list[str]:
    out = []
    for line, text in rows:
        message = feedback.get(text)
        out.append(f"  {line}" + (f" #{_escape(message)}" if message else ""))
    return out


# The closest GIFT form of each kind GIFT has: its option rows (GIFT line, option text for its
# feedback), or a whole answer block. Later, this mapping is the kind's (`Kind.gift`).
Rows = list[tuple[str, str]]


def _choice_rows(question: ChoiceQuestion, feedback: dict[str, str]) -> Rows:
    rows = [(f"={_escape_option(question.answer)}", question.answer)]
    return rows + [(f"~{_escape_option(d)}", d) for d in question.distractors]


def _multi_rows(question: MultiQuestion, feedback: dict[str, str]) -> Rows:
    share = _weight(100 / len(question.answers)) if question.answers else "100"
    rows = [(f"~%{share}%{_escape_option(a)}", a) for a in question.answers]
    return rows + [(f"~%-{share}%{_escape_option(d)}", d) for d in question.distractors]


def _text_rows(question: TextQuestion, feedback: dict[str, str]) -> Rows:
    return [(f"={_escape_option(a)}", a) for a in (question.answer, *question.accept)]


def _match_rows(question: MatchQuestion, feedback: dict[str, str]) -> Rows:
    return [
        (f"={_escape_option(left)} -> {_escape_option(right)}", "")
        for left, right in question.pairs
    ]


def _order_rows(question: OrderQuestion, feedback: dict[str, str]) -> Rows:
    return [(f"={_escape_option(item)} -> {n}", "") for n, item in enumerate(question.items, 1)]


def _truefalse_block(question: TrueFalseQuestion, feedback: dict[str, str]) -> str:
    answer = "TRUE" if question.answer else "FALSE"
    wrong = feedback.get(str(not question.answer).lower())
    right = feedback.get(str(question.answer).lower())
    block = answer
    if wrong or right:
        block += f"#{_escape(wrong or '')}"
    if right:
        block += f"#{_escape(right)}"
    return block


def _number_block(question: NumberQuestion, feedback: dict[str, str]) -> str:
    value = question.answer
    tolerance = question.tolerance.value
    if question.tolerance.relative:
        tolerance = abs(value) * tolerance
    block = f"#{format_number(value)}"
    if tolerance:
        block += f":{format_number(tolerance)}"
    message = feedback.get(format_number(value))
    if message:
        block += f"#{_escape(message)}"
    return block


_BLOCKS: dict[str, Callable[[Any, dict[str, str]], Rows | str]] = {
    "choice": _choice_rows,
    "multi": _multi_rows,
    "text": _text_rows,
    "match": _match_rows,
    "order": _order_rows,
    "truefalse": _truefalse_block,
    "number": _number_block,
}


def _render(question: Question) -> list[str]:
    """The closest GIFT form of a question (without its `// quiz:` line)."""
    feedback = dict(question.feedback)
    general = f"####{_escape(question.explanation)}" if question.explanation else ""
    head, tail = _escape(question.prompt), ""
    if question.prompt.lower().startswith(_FORMATS):
        head = "[plain]" + head  # so that the prompt's own bracket is not taken for a format
    if question.prompt.count(BLANK) == 1:
        before, after = question.prompt.split(BLANK)
        if after.strip():
            head, tail = _escape(before), _escape(after)
    # In the missing-word form the text around the blank is kept as it is, spaces included.
    title = f"::{question.id}:: {head}" + ("" if tail else " ")
    render = _BLOCKS.get(question.kind)
    if render is None:  # a date, and any kind GIFT lacks: a short answer with the expected text
        rows = [(f"={_escape_option(kind_of(question).expected_text(question))}", "")]
    else:
        block = render(question, feedback)
        if isinstance(block, str):  # an answer block without options: on the title's line
            return [f"{title}{{{block}{general}}}{tail}"]
        rows = block
    lines = [f"{title}{{"]
    lines += _options_block(rows, feedback) if rows else []
    if general:
        lines.append(f"  {general}")
    lines.append("}" + tail)
    return lines


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
    """What `_Reader` will make of a question's lines (`_GiftError` when it cannot)."""
    # Split at line feeds, a trailing CR dropped, as `_Reader.read` does.
    read_lines = [line.removesuffix("\r") for line in "\n".join(lines).split("\n")]
    parsed, _ = _question(_Text([(n, 1, line) for n, line in enumerate(read_lines, 1)]))
    category = _category_tags("/".join(tags))
    if category:
        parsed["tags"] = category
    return parsed


def _exported(question: Question, tags: list[str]) -> tuple[list[str], dict[str, Any]]:
    """A question's GIFT lines, and the keys its `// quiz:` line must add to give it back."""
    from quiz.bank.dump import question_to_dict
    from quiz.sanitize import without_controls

    wanted = _canonical(question_to_dict(question))
    candidates = [
        _render(question),
        # Should the closest form not read back, a bare one that always does: the
        # `// quiz:` line then carries the rest.
        [f"::{question.id}:: [plain]{_escape(question.prompt)} {{=?}}"],
        [f"::{question.id}:: ? {{=?}}"],
    ]
    keys: dict[str, Any] = {}
    for candidate in candidates:
        # GIFT has no escape for a control or bidi character: the text goes without, and
        # reads back different, so the `// quiz:` line (JSON, escaped) keeps the exact text.
        lines = [without_controls(line) for line in candidate]
        try:
            parsed = _read_back(lines, tags)
            if parsed["kind"] != question.kind:
                parsed = _convert_kind(parsed, question.kind, 0)
                keys["kind"] = question.kind
            break
        except _GiftError:
            continue
    else:  # pragma: no cover - the last candidate always reads back
        raise AssertionError("no GIFT form of the question reads back")
    parsed["id"] = slug(question.id)
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
    from quiz.bank.dump import bank_to_dict
    from quiz.sanitize import clean_line

    meta = bank_to_dict(bank)
    meta.pop("questions", None)
    out = [
        f"// {clean_line(bank.title)}",  # a comment: the exact title is in the line below
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
        lines, keys = _exported(question, tags)
        if keys:
            out.append(f"{QUIZ_COMMENT} {_json(keys)}")
        out += [*lines, ""]
    return "\n".join(out)
