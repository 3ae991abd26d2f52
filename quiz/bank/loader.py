"""YAML bank files -> the model, with every problem located as `path:line:col: [id] message`.

The walk follows the key table in `quiz.bank.model`, so what is allowed, what is required and what a
value must look like are said once. Scalars are read field by field as the author wrote them:
`answer: no` in a text question is the word "no", `answer: 2022-12-01` in a date question is that
date, never YAML 1.1's guesses.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from quiz.bank.model import (
    BANK_KEYS,
    DATE_RE,
    DEFAULTS_KEYS,
    DIFFICULTIES,
    FACT_KINDS,
    ID_RE,
    QUESTION_KEYS,
    TEXT_FORMATS,
    Bank,
    Defaults,
    Fact,
    Handout,
    KeySpec,
    NumberAnswer,
    PartialDate,
    Question,
    Source,
    Tolerance,
)
from quiz.bank.yamlnodes import Walker, compose, did_you_mean, is_null, paused_gc, read_text
from quiz.errors import BankError, Problem
from quiz.kinds import find_kind, kind_names, registered
from quiz.kinds.base import norm_option
from quiz.limits import MAX_MAGNITUDE

SourceLookup = Callable[[str, Path | None], "Source | None"]

_NUMBER_RE = re.compile(r"^[+-]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$", re.ASCII)
# The most digits a whole number may have: reading more is refused before `int` sees it (Python
# refuses over 4300 digits with a ValueError, and `"²".isdigit()` is true).
_MAX_DIGITS = 18


def whole_number(value: str) -> int | None:
    """`value` as a whole number written with ASCII digits (at most 18 of them), else None."""
    text = value.strip()
    if not text or len(text) > _MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


_BANK_SPECS = {spec.name: spec for spec in BANK_KEYS}
_DEFAULTS_SPECS = {spec.name: spec for spec in DEFAULTS_KEYS}
_QUESTION_SPECS = {spec.name: spec for spec in QUESTION_KEYS}


# The kinds are read from the registry (quiz.kinds) for each bank, never copied at import: a
# kind registered later is loaded like the others.
def _kind_specs() -> dict[str, dict[str, KeySpec]]:
    return {kind.name: {spec.name: spec for spec in kind.fields} for kind in registered()}


def load_bank(path: str | Path, sources: SourceLookup | None = None) -> Bank:
    """The bank in a file; `BankError` with every problem when it is not valid."""
    bank, problems = check_bank(path, sources)
    if bank is None:
        raise BankError(problems)
    return bank


def check_bank(
    path: str | Path, sources: SourceLookup | None = None
) -> tuple[Bank | None, list[Problem]]:
    """The bank (None when invalid) and every problem found: errors and warnings."""
    from quiz.inputs import InputError, read_input

    try:
        data = read_input(path, "bank")
    except InputError as error:
        return None, [Problem(error.name, None, None, error.reason)]
    return check_bank_bytes(data, str(path), sources)


def load_bank_text(text: str, path: str = "<string>", sources: SourceLookup | None = None) -> Bank:
    bank, problems = check_bank_bytes(text.encode("utf-8"), path, sources)
    if bank is None:
        raise BankError(problems)
    return bank


def check_bank_bytes(
    data: bytes, path: str, sources: SourceLookup | None = None
) -> tuple[Bank | None, list[Problem]]:
    problems: list[Problem] = []
    text = read_text(path, data, problems)
    if text is None:
        return None, problems
    with paused_gc():
        root = compose(text, path, problems)
        if root is None:
            return None, problems
        reader = _BankReader(path, sources or default_sources)
        bank = reader.bank(root)
        del root
    if bank is not None and not reader.failed:
        bank = _with_provenance(bank, path, hashlib.sha256(data).hexdigest())
        return bank, reader.problems
    return None, reader.problems


def _with_provenance(bank: Bank, path: str, digest: str) -> Bank:
    object.__setattr__(bank, "path", path)
    object.__setattr__(bank, "content_hash", digest)
    return bank


def default_sources(source_id: str, bank_dir: Path | None) -> Source | None:
    """A seed record beside the bank (`../seeds`, `seeds/`) or among the bundled seeds."""
    from quiz.paths import bundled_dir

    candidates = []
    if bank_dir is not None:
        candidates += [bank_dir.parent / "seeds", bank_dir / "seeds"]
    candidates.append(bundled_dir("seeds"))
    for folder in candidates:
        file = folder / f"{source_id}.yaml"
        if file.exists():  # a FIFO or a folder there is refused by load_source, not skipped
            return load_source(file)
    return None


class _BankReader(Walker):
    def __init__(self, path: str, sources: SourceLookup) -> None:
        super().__init__(path)
        self.sources = sources
        self.kind_specs = _kind_specs()
        # (question id, the `reveals` node, its ids): checked once every id is known
        self._reveals: list[tuple[str | None, Node, tuple[str, ...]]] = []
        self.all_question_keys = {spec.name for spec in QUESTION_KEYS} | {
            name for specs in self.kind_specs.values() for name in specs
        }
        self._formats: dict[str, str] = {}  # the question being read: text -> own format

    def bank(self, root: Node) -> Bank | None:
        entries = self.mapping(root, "the top level of a bank")
        if entries is None:
            return None
        if "handout" in entries:
            return self._handout(entries, root)
        self._unknown_keys(entries, _BANK_SPECS, "bank", None)
        values: dict[str, Any] = {}
        for name, spec in _BANK_SPECS.items():
            if name not in entries:
                if spec.required:
                    self.error(root, f"missing required key '{name}'")
                continue
            if name in ("questions", "defaults"):
                continue
            value = self._value(entries[name][1], spec, None)
            if value is not None:
                values[name] = value
        defaults = Defaults()
        if "defaults" in entries:
            defaults = self._defaults(entries["defaults"][1]) or defaults
        source: Source | None = None
        if "source" in values:
            source = self._source(values["source"], entries["source"][1])
        questions: list[Question] = []
        if "questions" in entries:
            questions = self._questions(entries["questions"][1], source, "source" in values)
        if self.failed:
            return None
        return Bank(
            id=values["id"],
            title=values["title"],
            questions=tuple(questions),
            description=values.get("description"),
            source=values.get("source"),
            language=values.get("language"),
            defaults=defaults,
        )

    # A sealed handout (`quiz banks export BANK --handout`): prompts, options and tokens only.
    def _handout(self, entries: dict[str, tuple[ScalarNode, Node]], root: Node) -> Bank | None:
        allowed = {"id", "title", "description", "handout", "questions"}
        for key, (key_node, _) in entries.items():
            if key not in allowed:
                self.error(
                    key_node,
                    f"unknown key '{key}' in a handout{did_you_mean(key, sorted(allowed))}",
                )
        for key in ("id", "title", "questions"):
            if key not in entries:
                self.error(root, f"missing required key '{key}'")
        bank_id = title = None
        if "id" in entries:
            bank_id = self._value(entries["id"][1], _BANK_SPECS["id"], None)
        if "title" in entries:
            title = self._value(entries["title"][1], _BANK_SPECS["title"], None)
        description = None
        if "description" in entries:
            description = self.text(entries["description"][1], "description")
        source = None
        meta = self.mapping(entries["handout"][1], "handout")
        if meta is not None:
            for key, (key_node, _) in meta.items():
                if key != "source":
                    self.error(key_node, f"unknown key '{key}' in handout (it takes: source)")
            if "source" not in meta:
                self.error(entries["handout"][1], "a handout names its 'source' bank")
            else:
                source = self._value(meta["source"][1], _BANK_SPECS["id"], None)
        questions: list[Question] = []
        tokens: list[tuple[str, str]] = []
        items = (
            self.sequence(entries["questions"][1], "questions") if "questions" in entries else []
        )
        seen: set[str] = set()
        for item in items or []:
            found = self._handout_question(item)
            if found is None:
                continue
            question, token = found
            if question.id in seen:
                self.error(item, f"duplicate question id '{question.id}'", question.id)
            seen.add(question.id)
            questions.append(question)
            tokens.append((question.id, token))
        if self.failed or bank_id is None or title is None or source is None:
            return None
        if not questions:
            self.error(root, "a handout needs at least one question")
            return None
        return Bank(
            id=bank_id,
            title=title,
            questions=tuple(questions),
            description=description,
            handout=Handout(source, tuple(tokens)),
        )

    def _handout_question(self, node: Node) -> tuple[Question, str] | None:
        entries = self.mapping(node, "a question")
        if entries is None:
            return None
        allowed = {
            "id",
            "kind",
            "prompt",
            "points",
            "options",
            "lefts",
            "unit",
            "precision",
            "token",
            "format",
        }
        qid = None
        if "id" in entries:
            qid = self._value(entries["id"][1], _QUESTION_SPECS["id"], None)
        for key, (key_node, _) in entries.items():
            if key not in allowed:
                self.error(
                    key_node,
                    f"unknown key '{key}' in a handout question (a handout holds no answers)",
                    qid,
                )
        for key in ("id", "kind", "prompt", "token"):
            if key not in entries:
                self.error(node, f"missing required key '{key}' in a handout question", qid)
        if self.failed or qid is None:
            return None
        kind_name = self._value(entries["kind"][1], _QUESTION_SPECS["kind"], qid)
        prompt = self._value(entries["prompt"][1], _QUESTION_SPECS["prompt"], qid)
        token = self.text(entries["token"][1], "token", qid)
        points = None
        if "points" in entries:
            points = self._value(entries["points"][1], _QUESTION_SPECS["points"], qid)
        text_format = None
        if "format" in entries:
            text_format = self._value(entries["format"][1], _QUESTION_SPECS["format"], qid)
        self._formats = {}  # options and left items written {text, format}
        data: dict[str, Any] = {}
        for key in ("options", "lefts"):
            if key in entries:
                items = self.sequence(entries[key][1], key, qid)
                texts = [self._formatted(item, f"each of {key}", qid) for item in items or []]
                data[key] = None if items is None or None in texts else texts
        for key in ("unit", "precision"):
            if key in entries:
                data[key] = self.text(entries[key][1], key, qid)
        if self.failed or kind_name is None or prompt is None or token is None:
            return None
        kind = find_kind(kind_name)
        assert kind is not None
        try:
            question = kind.from_handout(qid, prompt, data)
        except (KeyError, TypeError, ValueError, IndexError, NotImplementedError):
            self.error(node, f"a handout {kind_name} question needs its options", qid)
            return None
        object.__setattr__(question, "points", points)
        object.__setattr__(question, "line", node.start_mark.line + 1)
        object.__setattr__(question, "format", text_format)
        object.__setattr__(question, "formats", tuple(sorted(self._formats.items())))
        return question, token

    def _source(self, source_id: str, node: Node) -> Source | None:
        bank_dir = Path(self.path).resolve().parent if not self.path.startswith("<") else None
        try:
            source = self.sources(source_id, bank_dir)
        except BankError as error:
            self.add_problems(error.problems)
            self.error(node, f"the source record '{source_id}' is invalid (see above)")
            return None
        if source is None:
            self.error(node, f"unknown source '{source_id}': no seeds/{source_id}.yaml found")
        return source

    def _unknown_keys(
        self,
        entries: dict[str, tuple[ScalarNode, Node]],
        allowed: dict[str, KeySpec],
        what: str,
        question: str | None,
        kind: str | None = None,
    ) -> None:
        for key, (key_node, _) in entries.items():
            if key in allowed:
                continue
            all_keys = self.all_question_keys
            if what == "question" and kind is None and key in all_keys:
                continue  # the kind is missing or unknown (reported): its fields are not
            if kind is not None and key in all_keys:
                kind_specs = self.kind_specs
                owners = [k for k, specs in kind_specs.items() if key in specs]
                self.error(
                    key_node,
                    f"'{key}' is not a field of a {kind} question"
                    f" (it belongs to {', '.join(owners)}); {kind} takes: "
                    + ", ".join(kind_specs[kind]),
                    question,
                )
                continue
            self.error(
                key_node,
                f"unknown key '{key}' in a {what}{did_you_mean(key, list(allowed))}",
                question,
            )

    def _defaults(self, node: Node) -> Defaults | None:
        entries = self.mapping(node, "defaults")
        if entries is None:
            return None
        self._unknown_keys(entries, _DEFAULTS_SPECS, "defaults mapping", None)
        values = {}
        for name, (_, value_node) in entries.items():
            if name in _DEFAULTS_SPECS:
                value = self._value(value_node, _DEFAULTS_SPECS[name], None)
                if value is not None:
                    values[name] = value
        return Defaults(**values)

    def _questions(self, node: Node, source: Source | None, wants_facts: bool) -> list[Question]:
        items = self.sequence(node, "questions")
        if items is None:
            return []
        if not items:
            self.error(node, "a bank needs at least one question")
        seen: dict[str, int] = {}
        questions = []
        for item in items:
            qid, question = self._question(item, source, wants_facts)
            if qid is not None and qid in seen:  # reported even when the question has errors
                self.error(item, f"duplicate question id '{qid}' (first on line {seen[qid]})", qid)
                continue
            if qid is not None:
                seen[qid] = item.start_mark.line + 1
            if question is not None:
                questions.append(question)
        self._check_reveals(seen)
        return questions

    def _check_reveals(self, seen: dict[str, int]) -> None:
        """Each id under `reveals:` is another question of this bank."""
        for qid, node, ids in self._reveals:
            for item, other in zip(node.value, ids, strict=True):
                if other == qid:
                    self.error(item, "a question cannot list itself under 'reveals'", qid)
                elif other not in seen:
                    self.error(
                        item,
                        f"'reveals' names '{other}', which is not a question of this bank"
                        + did_you_mean(other, sorted(seen)),
                        qid,
                    )

    def _question(
        self, node: Node, source: Source | None, wants_facts: bool
    ) -> tuple[str | None, Question | None]:
        """The question's id (when readable, for the duplicate check) and the question."""
        entries = self.mapping(node, "a question")
        if entries is None:
            return None, None
        errors_before = self.error_count
        self._formats = {}  # texts of this question written {text, format}
        qid: str | None = None
        if "id" in entries:
            qid = self._value(entries["id"][1], _QUESTION_SPECS["id"], None)
        else:
            self.error(node, "missing required key 'id'")
        kind: str | None = None
        if "kind" in entries:
            kind = self._value(entries["kind"][1], _QUESTION_SPECS["kind"], qid)
        else:
            self.error(
                node, "missing required key 'kind' (one of: " + ", ".join(kind_names()) + ")", qid
            )
        allowed = dict(_QUESTION_SPECS)
        if kind is not None:
            allowed.update(self.kind_specs[kind])
        self._unknown_keys(entries, allowed, "question", qid, kind)
        values: dict[str, Any] = {}
        for name, spec in allowed.items():
            if name not in entries:
                if spec.required and name not in ("id", "kind"):
                    self.error(node, f"missing required key '{name}' for a {kind} question", qid)
                continue
            if name in ("id", "kind"):
                continue
            value = self._value(entries[name][1], spec, qid)
            if value is not None:
                values[name] = value
        if "reveals" in values:
            self._reveals.append((qid, entries["reveals"][1], values["reveals"]))
        if self._formats:
            values["formats"] = tuple(sorted(self._formats.items()))  # one order: equal banks
        _split_credits(values, allowed)
        # Checks across fields run on whatever was readable, so one run reports everything.
        if kind is not None:
            self._check_kind(kind, values, entries, node, qid)
        self._check_facts(values, entries, node, qid, source, wants_facts)
        failed = self.error_count > errors_before
        if kind is None or qid is None or failed:
            return qid, None
        if values.get("draft"):
            self.warning(node, "draft question: review it, then remove `draft: true`", qid)
        found = find_kind(kind)
        assert found is not None  # `kind` was checked against the registry
        return qid, found.build({"id": qid, "line": node.start_mark.line + 1, **values})

    def _check_kind(
        self,
        kind: str,
        values: dict[str, Any],
        entries: dict[str, tuple[ScalarNode, Node]],
        node: Node,
        qid: str | None,
    ) -> None:
        def where(name: str | None) -> Node:
            return entries[name][1] if name is not None and name in entries else node

        found = find_kind(kind)
        assert found is not None  # `kind` was checked against the registry
        for field_name, message in found.check(values):
            self.error(where(field_name), message, qid)
        # what a feedback key may name, when limited
        options = found.feedback_options(values)
        if "feedback" in values:
            feedback = values["feedback"]
            if options is not None:
                known = {norm_option(option) for option in options}
                for key, (key_node, _) in self._feedback_keys(entries).items():
                    if norm_option(key) not in known:
                        self.error(
                            key_node,
                            f"feedback for '{key}', which is not an option of "
                            "this question" + did_you_mean(key, list(options)),
                            qid,
                        )
            values["feedback"] = tuple(feedback.items())

    def _feedback_keys(
        self, entries: dict[str, tuple[ScalarNode, Node]]
    ) -> dict[str, tuple[ScalarNode, Node]]:
        node = entries["feedback"][1]
        # Keys that are not plain text were reported when the mapping was read.
        return {key.value: (key, value) for key, value in node.value if isinstance(key, ScalarNode)}

    def _check_facts(
        self,
        values: dict[str, Any],
        entries: dict[str, tuple[ScalarNode, Node]],
        node: Node,
        qid: str | None,
        source: Source | None,
        wants_facts: bool,
    ) -> None:
        facts = values.get("facts", ())
        if wants_facts and not facts:
            self.error(node, "the bank has a source, so every question needs `facts`", qid)
        if source is None or not facts:
            return
        items = entries["facts"][1].value
        known = {fact.id for fact in source.facts}
        for fact_id, item in zip(facts, items, strict=True):
            if fact_id not in known:
                self.error(
                    item,
                    f"unknown fact '{fact_id}' in source '{source.id}'"
                    + did_you_mean(fact_id, sorted(known)),
                    qid,
                )

    # -- values, by the key table's types ------------------------------------------------------
    def _value(self, node: Node, spec: KeySpec, qid: str | None) -> Any:
        what = f"'{spec.name}'"
        kind = spec.type
        if kind in ("str", "answer-text"):
            return self.text(node, what, qid)
        if kind in ("option-text", "formatted"):
            return self._formatted(node, what, qid)
        if kind == "option-texts":
            items = self.sequence(node, what, qid)
            if items is None:
                return None
            texts = [self._formatted(item, f"each item of {what}", qid) for item in items]
            if any(text is None for text in texts):
                return None
            return tuple(texts)
        if kind == "id":
            value = self.text(node, what, qid)
            if value is not None and not ID_RE.match(value):
                self.error(
                    node, f"{what} must use only a-z, 0-9 and single hyphens, not '{value}'", qid
                )
                return None
            return value
        if kind == "kind":
            value = self.text(node, what, qid)
            names = kind_names()
            if value is not None and value not in names:
                self.error(
                    node,
                    f"unknown kind '{value}'{did_you_mean(value, names)}; kinds are: "
                    + ", ".join(names),
                    qid,
                )
                return None
            return value
        if kind == "difficulty":
            value = self.text(node, what, qid)
            if value is not None and value not in DIFFICULTIES:
                self.error(
                    node, f"difficulty must be one of {', '.join(DIFFICULTIES)}, not '{value}'", qid
                )
                return None
            return value
        if kind == "bool":
            return self.boolean(node, what, qid)
        if kind in ("strs", "ids"):
            values = self.texts(node, what, qid)
            if values is None:
                return None
            if kind == "ids":
                for item, value in zip(node.value, values, strict=True):
                    if not ID_RE.match(value):
                        self.error(
                            item, f"'{value}' in {what} must use only a-z, 0-9 and hyphens", qid
                        )
                        return None
            return tuple(values)
        if kind in ("number", "points"):
            number = self._number(node, what, qid)
            if number is not None and kind == "points" and number <= 0:
                self.error(node, f"{what} must be more than 0", qid)
                return None
            if number is not None and kind == "points" and number > MAX_MAGNITUDE:
                self.error(node, f"{what} must be at most {MAX_MAGNITUDE:,}", qid)
                return None
            return number
        if kind == "int":
            value = self.text(node, what, qid)
            if value is None:
                return None
            number = whole_number(value)
            if number is None or number < 1:
                self.error(node, f"{what} must be a whole number from 1, not '{value}'", qid)
                return None
            return number
        if kind == "tolerance":
            return self._tolerance(node, what, qid)
        if kind == "date":
            return self._date(node, what, qid)
        if kind == "pairs":
            return self._pairs(node, what, qid)
        if kind == "options":
            return self._options(node, what, qid)
        if kind == "number-answers":
            return self._number_answers(node, what, qid)
        if kind == "format":
            value = self.text(node, what, qid)
            if value is not None and value not in TEXT_FORMATS:
                self.error(
                    node, f"{what} must be one of {', '.join(TEXT_FORMATS)}, not '{value}'", qid
                )
                return None
            return value
        if kind == "mapping-str":
            entries = self.mapping(node, what, qid)
            if entries is None:
                return None
            result = {}
            for key, (_, value_node) in entries.items():
                value = self._formatted(value_node, f"the message for '{key}'", qid)
                if value is not None:
                    result[key] = value
            return result
        raise AssertionError(f"no reader for {kind}")  # the key table names an unknown type

    def _formatted(self, node: Node, what: str, qid: str | None) -> str | None:
        """A text, or {text, format} for one in a format of its own (noted for the question's
        `formats`)."""
        if not isinstance(node, MappingNode):
            return self.text(node, what, qid)
        entries = self.mapping(node, what, qid)
        if entries is None:
            return None
        ok = True
        for key, (key_node, _) in entries.items():
            if key not in ("text", "format"):
                self.error(
                    key_node,
                    f"unknown key '{key}' in {what}: a text is written as it is, or as"
                    " {text: ..., format: ...}" + did_you_mean(key, ["text", "format"]),
                    qid,
                )
                ok = False
        if "text" not in entries or "format" not in entries:
            self.error(node, f"{what} written as a mapping needs text and format", qid)
            return None
        text = self.text(entries["text"][1], f"the text of {what}", qid)
        text_format = self._text_format(entries["format"][1], text, qid)
        if text is None or text_format is None or not ok:
            return None
        return text

    def _text_format(self, node: Node, text: str | None, qid: str | None) -> str | None:
        """A text's own format, one of TEXT_FORMATS, noted for the question's `formats`."""
        what = f"the format of '{text}'" if text is not None else "a format"
        value = self.text(node, what, qid)
        if value is None:
            return None
        if value not in TEXT_FORMATS:
            self.error(node, f"{what} must be one of {', '.join(TEXT_FORMATS)}, not '{value}'", qid)
            return None
        if text is not None:
            given = self._formats.setdefault(text, value)
            if given != value:  # (reported: the question is not built)
                self.error(node, f"'{text}' is given two formats, {given} and {value}", qid)
        return value

    def _number(self, node: Node, what: str, qid: str | None) -> float | None:
        value = self.text(node, what, qid)
        if value is None:
            return None
        cleaned = value.strip()
        if not _NUMBER_RE.match(cleaned):
            self.error(node, f"{what} must be a number, not '{value}'", qid)
            return None
        number = float(cleaned.replace("_", ""))
        if not math.isfinite(number):
            self.error(node, f"{what} is too large: it must be at most {MAX_MAGNITUDE:,}", qid)
            return None
        return number

    def _tolerance(self, node: Node, what: str, qid: str | None) -> Tolerance | None:
        value = self.text(node, what, qid)
        if value is None:
            return None
        text = value.strip()
        relative = text.endswith("%")
        number_text = text[:-1].strip() if relative else text
        if not _NUMBER_RE.match(number_text):
            self.error(
                node, f"{what} must be a number (2) or a percentage (\"5%\"), not '{value}'", qid
            )
            return None
        number = float(number_text.replace("_", ""))
        if not math.isfinite(number):
            self.error(node, f"{what} is too large: it must be at most {MAX_MAGNITUDE:,}", qid)
            return None
        if number < 0:
            self.error(node, f"{what} cannot be negative", qid)
            return None
        if not math.isfinite(number) or number > MAX_MAGNITUDE:
            self.error(node, f"{what} must be at most {MAX_MAGNITUDE:,}", qid)
            return None
        return Tolerance(number / 100 if relative else number, relative)

    def _date(self, node: Node, what: str, qid: str | None) -> PartialDate | None:
        value = self.text(node, what, qid)
        if value is None:
            return None
        match = DATE_RE.match(value.strip())
        if not match:
            self.error(
                node, f"{what} must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not '{value}'", qid
            )
            return None
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        try:
            _dt.date(year if year >= 1 else 1, month or 1, day or 1)
        except ValueError:
            self.error(node, f"{what} '{value}' is not a real date", qid)
            return None
        return PartialDate(year, month, day)

    def _credit(self, node: Node, what: str, qid: str | None) -> float | None:
        """A credit: a fraction from -1 to 1, written 0.5 or "50%"."""
        value = self.text(node, what, qid)
        if value is None:
            return None
        text = value.strip()
        percent = text.endswith("%")
        number_text = text[:-1].strip() if percent else text
        if not _NUMBER_RE.match(number_text):
            self.error(node, f'{what} must be a fraction (0.5) or a percentage ("50%")', qid)
            return None
        number = float(number_text.replace("_", ""))
        if percent:
            number /= 100
        if not -1 <= number <= 1:
            self.error(node, f"{what} must be from -1 to 1 (-100% to 100%), not '{value}'", qid)
            return None
        return number

    def _options(
        self, node: Node, what: str, qid: str | None
    ) -> tuple[tuple[str, float | None], ...] | None:
        """Options, each a text or {text, credit}: (text, credit or None) in order."""
        items = self.sequence(node, what, qid)
        if items is None:
            return None
        out: list[tuple[str, float | None]] = []
        ok = True
        for item in items:
            if isinstance(item, ScalarNode):
                text = self.text(item, f"each item of {what}", qid)
                if text is None:
                    ok = False
                else:
                    out.append((text, None))
                continue
            entries = self.mapping(item, f"each item of {what}", qid)
            if entries is None:
                ok = False
                continue
            keys = ("text", "credit", "format")
            for key, (key_node, _) in entries.items():
                if key not in keys:
                    self.error(
                        key_node,
                        f"unknown key '{key}' in an option of {what}: an option is a text or"
                        " {text: ..., credit: ...} (and format: ...)" + did_you_mean(key, keys),
                        qid,
                    )
                    ok = False
            if "text" not in entries or not ("credit" in entries or "format" in entries):
                self.error(
                    item,
                    f"an option of {what} written as a mapping needs text and credit (or format)",
                    qid,
                )
                ok = False
                continue
            text = self.text(entries["text"][1], f"the text of an option of {what}", qid)
            credit = (
                self._credit(entries["credit"][1], f"the credit of '{text}'", qid)
                if "credit" in entries
                else None
            )
            text_format = (
                self._text_format(entries["format"][1], text, qid) if "format" in entries else ""
            )
            if text is None or ("credit" in entries and credit is None) or text_format is None:
                ok = False
                continue
            out.append((text, credit))
        return tuple(out) if ok else None

    def _number_answers(
        self, node: Node, what: str, qid: str | None
    ) -> tuple[NumberAnswer, ...] | None:
        """Further answers of a number question: {value, tolerance, credit, feedback}."""
        items = self.sequence(node, what, qid)
        if items is None:
            return None
        keys = ("value", "tolerance", "credit", "feedback")
        out: list[NumberAnswer] = []
        ok = True
        for item in items:
            entries = self.mapping(item, f"each item of {what}", qid)
            if entries is None:
                ok = False
                continue
            for key, (key_node, _) in entries.items():
                if key not in keys:
                    self.error(
                        key_node,
                        f"unknown key '{key}' in an answer of {what}" + did_you_mean(key, keys),
                        qid,
                    )
                    ok = False
            if "value" not in entries:
                self.error(item, f"an answer of {what} needs a value", qid)
                ok = False
                continue
            value = self._number(entries["value"][1], "'value'", qid)
            tolerance = (
                self._tolerance(entries["tolerance"][1], "'tolerance'", qid)
                if "tolerance" in entries
                else Tolerance()
            )
            credit = (
                self._credit(entries["credit"][1], "'credit'", qid) if "credit" in entries else 1.0
            )
            feedback = (
                self._formatted(entries["feedback"][1], "'feedback'", qid)
                if "feedback" in entries
                else None
            )
            if value is None or tolerance is None or credit is None:
                ok = False
                continue
            if "feedback" in entries and feedback is None:
                ok = False
                continue
            out.append(NumberAnswer(value, tolerance, credit, feedback))
        return tuple(out) if ok else None

    def _pairs(self, node: Node, what: str, qid: str | None) -> tuple[tuple[str, str], ...] | None:
        items = self.sequence(node, what, qid)
        if items is None:
            return None
        pairs = []
        for item in items:
            sides = self.sequence(item, "each pair", qid)
            if sides is None:
                return None
            if len(sides) != 2:
                self.error(item, "each pair must be a list of two: [left, right]", qid)
                return None
            # the left side may have a format of its own, as Moodle's subquestion text
            left = self._formatted(sides[0], "each of each pair", qid)
            right = self.text(sides[1], "each of each pair", qid)
            if left is None or right is None:
                return None
            pairs.append((left, right))
        return tuple(pairs)


def _split_credits(values: dict[str, Any], specs: dict[str, KeySpec]) -> None:
    """Fields of options with credits become texts, and the credits one (text, credit) list."""
    credits: list[tuple[str, float]] = []
    for name, spec in specs.items():
        if spec.type == "options" and name in values:
            items = values[name]
            values[name] = tuple(text for text, _ in items)
            credits += [(text, credit) for text, credit in items if credit is not None]
    if credits:
        values["credits"] = tuple(credits)


# -- source (seed) records -------------------------------------------------------------------------
_FACT_FIELDS = ("id", "kind", "statement", "paragraph")


def load_source(path: str | Path) -> Source:
    """A seeds/ record: citation and facts. `BankError` with every problem when invalid."""
    from quiz.inputs import InputError, read_input

    path = Path(path)
    problems: list[Problem] = []
    try:
        data = read_input(path, "seeds")
    except InputError as error:
        raise BankError([Problem(error.name, None, None, error.reason)]) from None
    text = read_text(str(path), data, problems)
    root = compose(text, str(path), problems) if text is not None else None
    if root is None:
        raise BankError(problems)
    walker = Walker(str(path))
    source = _read_source(walker, root)
    if source is None or walker.failed:
        raise BankError(walker.problems)
    object.__setattr__(source, "path", str(path))
    return source


def _read_source(walker: Walker, root: Node) -> Source | None:
    entries = walker.mapping(root, "a source record")
    if entries is None:
        return None
    head: dict[str, str] = {}
    for name in ("id", "title", "outlet"):
        if name not in entries:
            walker.error(root, f"missing required key '{name}'")
            continue
        value = walker.text(entries[name][1], f"'{name}'")
        if value is not None:
            head[name] = value
    facts: list[Fact] = []
    seen: set[str] = set()
    fact_nodes = walker.sequence(entries["facts"][1], "'facts'") if "facts" in entries else None
    if "facts" not in entries:
        walker.error(root, "missing required key 'facts'")
    for item in fact_nodes or []:
        fact = _read_fact(walker, item)
        if fact is None:
            continue
        if fact.id in seen:
            walker.error(item, f"duplicate fact id '{fact.id}'", fact.id)
        seen.add(fact.id)
        facts.append(fact)
    unused: list[tuple[str, str]] = []
    if "unused" in entries and not is_null(entries["unused"][1]):
        mapping = walker.mapping(entries["unused"][1], "'unused'")
        for key, (key_node, value_node) in (mapping or {}).items():
            reason = walker.text(value_node, f"the reason '{key}' is unused")
            if key not in seen:
                walker.error(key_node, f"'unused' names an unknown fact '{key}'")
            elif reason is not None:
                unused.append((key, reason))
    if walker.failed or len(head) < 3:
        return None
    return Source(head["id"], head["title"], head["outlet"], tuple(facts), tuple(unused))


def _read_fact(walker: Walker, node: Node) -> Fact | None:
    entries = walker.mapping(node, "a fact")
    if entries is None:
        return None
    values: dict[str, str] = {}
    details: list[tuple[str, str]] = []
    for key, (_, value_node) in entries.items():
        if isinstance(value_node, ScalarNode):
            if key in _FACT_FIELDS:
                value = walker.text(value_node, f"'{key}'")
                if value is not None:
                    values[key] = value
            elif not is_null(value_node):
                walker.visit(value_node)
                details.append((key, value_node.value))
        else:
            walker.error(value_node, f"'{key}' of a fact must be a single value")
    fid = values.get("id")
    for name in _FACT_FIELDS:
        if name not in values and name not in entries:
            walker.error(node, f"missing required key '{name}' in a fact", fid)
    if fid is not None and not ID_RE.match(fid):
        walker.error(entries["id"][1], f"fact id '{fid}' must use only a-z, 0-9 and hyphens")
    kind = values.get("kind")
    if kind is not None and kind not in FACT_KINDS:
        walker.error(entries["kind"][1], f"fact kind must be one of {', '.join(FACT_KINDS)}", fid)
    paragraph = whole_number(values["paragraph"]) if "paragraph" in values else None
    if "paragraph" in values and paragraph is None:
        walker.error(
            entries["paragraph"][1],
            f"'paragraph' must be a whole number (at most {_MAX_DIGITS} digits)",
            fid,
        )
    if len(values) < len(_FACT_FIELDS) or paragraph is None:
        return None
    return Fact(values["id"], values["kind"], values["statement"], paragraph, tuple(details))
