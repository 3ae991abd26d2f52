"""`quiz banks lint`: warnings about banks that are valid but could be better questions.

Each rule looks at the model (a `Bank`), and each warning is located in the bank's file at the
key it is about (the YAML is composed again for the positions). Rules:

- `few-options`: a choice question with fewer than three options: guessing is too easy.
- `long-answer`: the right option is much longer than every distractor (more than 1.5 times
  the longest one and more than 20 characters longer): length gives it away.
- `answer-in-prompt`: the words of a text or choice answer appear in the prompt (unless a
  distractor's do too, as in "Was it X or Y?").
- `gives-away`: a question's prompt, options, explanation or feedback contain the answer of
  another question of the bank (see `quiz.bank.giveaways`: whole words as the grader compares
  them, numbers and dates by value). Located at both questions: the text that shows it, and the
  answer shown. Silenced for one pair by listing the other question under `reveals:`.
- `similar-prompts`: two prompts of one bank read almost the same (difflib ratio >= 0.9 after
  normalising case, accents and punctuation).
- `pick-all`: a question where every option may be picked (multi) and picking them all earns
  full marks: its distractors' credits (Moodle's default 0) cost nothing.
- `no-explanation`: the learner is told nothing after answering.
- `no-facts`: the bank has a source, but the question names no facts.
- `unused-fact`: a fact of the source that no question of the linted banks tests (and that the
  source record does not list under `unused`), located in the seed file.
- `draft` and other warnings of the loader are passed on as they are.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from quiz.bank.giveaways import find_giveaways
from quiz.bank.model import Bank, Question, Source
from quiz.errors import Problem
from quiz.kinds import kind_of, shown_option, shown_text

SIMILARITY = 0.9
LONG_RATIO = 1.5
LONG_EXTRA = 20

RULES: dict[str, str] = {
    "few-options": "a choice question with fewer than three options",
    "long-answer": "the right option much longer than the distractors",
    "answer-in-prompt": "the answer's words appear in the prompt",
    "gives-away": "a question shows another question's answer (silence with `reveals:`)",
    "similar-prompts": "two prompts of a bank alike",
    "pick-all": "picking every option earns full marks",
    "no-explanation": "a question with no explanation",
    "no-facts": "a question of a sourced bank that names no facts",
    "unused-fact": "a fact of the source that no question tests",
    "loader": "a warning of the loader (such as a draft question)",
}


@dataclass(frozen=True)
class Finding:
    """One lint warning: the rule that found it and where."""

    rule: str
    problem: Problem

    def __str__(self) -> str:
        return f"{self.problem} ({self.rule})"

    def as_dict(self) -> dict[str, object]:
        return {**self.problem.as_dict(), "rule": self.rule}


Position = tuple[int, int]


@dataclass
class Locations:
    """Line and column of each question's keys in a bank file, by question id."""

    questions: dict[str, dict[str, Position]]

    def of(self, question: Question, key: str | None = None) -> Position | None:
        keys = self.questions.get(question.id, {})
        if key is not None and key in keys:
            return keys[key]
        if "-" in keys:
            return keys["-"]
        return (question.line, 1) if question.line is not None else None


def _count_word(n: int) -> str:
    words = ("no", "one", "two", "three", "four", "five", "six")
    return words[n] if 0 <= n < len(words) else str(n)


def locate(path: str | Path) -> Locations:
    """Where each question and each of its keys start in a bank file (empty when unreadable)."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from quiz.bank.yamlnodes import compose

    found: dict[str, dict[str, Position]] = {}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return Locations(found)
    root = compose(text, str(path), [])
    if not isinstance(root, MappingNode):
        return Locations(found)
    for key, value in root.value:
        if not (isinstance(key, ScalarNode) and key.value == "questions"):
            continue
        if not isinstance(value, SequenceNode):
            break
        for item in value.value:
            if not isinstance(item, MappingNode):
                continue
            keys: dict[str, Position] = {"-": _position(item)}
            qid = None
            for key_node, value_node in item.value:
                if isinstance(key_node, ScalarNode):
                    keys[key_node.value] = _position(key_node)
                    if key_node.value == "id" and isinstance(value_node, ScalarNode):
                        qid = value_node.value
            if qid is not None and qid not in found:
                found[qid] = keys
    return Locations(found)


def _position(node: object) -> Position:
    mark = node.start_mark  # type: ignore[attr-defined]
    return mark.line + 1, mark.column + 1


def words(text: str) -> list[str]:
    """Casefolded words without accents or punctuation: `Kim Jong-un!` -> kim, jong, un."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", plain.casefold())


def _contains(haystack: list[str], needle: list[str]) -> bool:
    if not needle or len(needle) > len(haystack):
        return False
    size = len(needle)
    return any(haystack[i : i + size] == needle for i in range(len(haystack) - size + 1))


class _Linter:
    def __init__(self, bank: Bank, path: str, locations: Locations) -> None:
        self.bank = bank
        self.path = path
        self.locations = locations
        self.findings: list[Finding] = []

    def warn(self, rule: str, question: Question, key: str | None, message: str) -> None:
        where = self.locations.of(question, key)
        line, column = where if where else (None, None)
        self.findings.append(
            Finding(rule, Problem(self.path, line, column, message, question.id, "warning"))
        )

    def run(self) -> list[Finding]:
        for question in self.bank.questions:
            self.options(question)
            self.answer_in_prompt(question)
            if not question.explanation:
                self.warn(
                    "no-explanation",
                    question,
                    None,
                    "no explanation: say why the answer is right, and where it comes from",
                )
            if self.bank.source and not question.facts:
                self.warn(
                    "no-facts",
                    question,
                    None,
                    f"the bank's source is '{self.bank.source}', but this question names no facts",
                )
        self.similar_prompts()
        self.gives_away()
        return self.findings

    def gives_away(self) -> None:
        for found in find_giveaways(self.bank):
            if found.declared:
                continue
            shown, asked = found.shown, found.asked
            shown_at = self._at(shown, found.key)
            asked_at = self._at(asked, found.answer_key)
            self.warn(
                "gives-away",
                shown,
                found.key,
                f"the {found.field} {'give' if found.field == 'options' else 'gives'} away"
                f" the answer '{found.part}' of '{asked.id}'"
                f"{asked_at}: reword it, or list '{asked.id}' under `reveals:`",
            )
            self.warn(
                "gives-away",
                asked,
                found.answer_key,
                f"the answer '{found.part}' is given away by the {found.field} of"
                f" '{shown.id}'{shown_at}",
            )

    def _at(self, question: Question, key: str) -> str:
        where = self.locations.of(question, key)
        return f" (line {where[0]})" if where else ""

    def options(self, question: Question) -> None:
        kind = kind_of(question)
        sets = kind.option_sets(question)
        if sets is None:
            return
        count = len(sets.answers) + len(sets.distractors)
        if count < kind.few_options_below:
            self.warn(
                "few-options",
                question,
                "distractors",
                f"only {count} options: give at least {_count_word(kind.few_options_below - 1)}"
                " distractors",
            )
        # lengths as the learner sees the options (one in HTML from Moodle, as its plain text)
        answers = [shown_option(question, a) for a in sets.answers]
        shown = [shown_option(question, d) for d in sets.distractors]
        self.long_answers(question, answers, shown, sets.answers_key)
        credits = kind.credits(question) or ()
        everything = sum(credit for _, credit in credits)
        if kind.widget == "checkbox" and sets.distractors and everything >= 1 - 1e-9:
            self.warn(
                "pick-all",
                question,
                "distractors",
                "picking every option earns full marks: give the distractors a penalty"
                " (a credit below 0)",
            )

    def long_answers(
        self, question: Question, answers: list[str], distractors: Iterable[str], key: str
    ) -> None:
        longest = max((len(d) for d in distractors), default=0)
        if not longest:
            return
        for answer in answers:
            if len(answer) > LONG_RATIO * longest and len(answer) - longest > LONG_EXTRA:
                self.warn(
                    "long-answer",
                    question,
                    key,
                    f"the right option '{answer}' is much longer ({len(answer)} characters)"
                    f" than any distractor ({longest}): length gives it away",
                )

    def answer_in_prompt(self, question: Question) -> None:
        prompt = words(shown_text(question, question.prompt))
        answers, distractors = kind_of(question).giveaways(question)
        answers = tuple(shown_option(question, a) for a in answers)
        distractors = tuple(shown_option(question, d) for d in distractors)
        if any(_contains(prompt, words(d)) for d in distractors):
            return  # "Was it X or Y?" names the answer and a distractor alike
        for answer in answers:
            if _contains(prompt, words(answer)):
                self.warn(
                    "answer-in-prompt",
                    question,
                    "prompt",
                    f"the prompt contains the answer '{answer}'",
                )
                break

    def similar_prompts(self) -> None:
        seen: list[tuple[Question, str]] = []
        for question in self.bank.questions:
            text = " ".join(words(question.prompt))
            for other, other_text in seen:
                matcher = difflib.SequenceMatcher(None, other_text, text, autojunk=False)
                if (
                    matcher.real_quick_ratio() >= SIMILARITY
                    and matcher.quick_ratio() >= SIMILARITY
                    and matcher.ratio() >= SIMILARITY
                ):
                    where = f" (line {other.line})" if other.line else ""
                    self.warn(
                        "similar-prompts",
                        question,
                        "prompt",
                        f"the prompt is much like that of '{other.id}'{where}",
                    )
                    break
            seen.append((question, text))


def lint_bank(
    bank: Bank, path: str | None = None, locations: Locations | None = None
) -> list[Finding]:
    """The warnings about one valid bank (located in `path`, else `bank.path`)."""
    where = path or bank.path or bank.id
    if locations is None:
        locations = locate(where) if Path(where).is_file() else Locations({})
    return _Linter(bank, where, locations).run()


def fact_lines(source: Source) -> dict[str, Position]:
    """Where each fact's `id:` is in the seed file, by fact id."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from quiz.bank.yamlnodes import compose

    found: dict[str, Position] = {}
    if not source.path:
        return found
    try:
        text = Path(source.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return found
    root = compose(text, source.path, [])
    if not isinstance(root, MappingNode):
        return found
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == "facts" and isinstance(value, SequenceNode):
            for item in value.value:
                if not isinstance(item, MappingNode):
                    continue
                for key_node, value_node in item.value:
                    if key_node.value == "id" and isinstance(value_node, ScalarNode):
                        found.setdefault(value_node.value, _position(key_node))
    return found


def unused_facts(source: Source, banks: Iterable[Bank]) -> list[Finding]:
    """Facts of `source` that no question of `banks` tests (bar those the record calls unused)."""
    used = {fact for bank in banks for q in bank.questions for fact in q.facts}
    excused = {fact_id for fact_id, _ in source.unused}
    lines = fact_lines(source)
    findings = []
    path = source.path or source.id
    for fact in source.facts:
        if fact.id in used or fact.id in excused:
            continue
        line, column = lines.get(fact.id, (None, None))
        findings.append(
            Finding(
                "unused-fact",
                Problem(
                    path,
                    line,
                    column,
                    f"no question of the linted banks tests the fact '{fact.id}' (paragraph"
                    f" {fact.paragraph}): add one, or list it under `unused` with the reason",
                    None,
                    "warning",
                ),
            )
        )
    return findings


@dataclass
class Report:
    """What `lint_paths` found: the files, their errors (invalid banks) and the warnings."""

    files: list[Path]
    errors: list[Problem]
    findings: list[Finding]

    @property
    def invalid(self) -> bool:
        return bool(self.errors)


def lint_paths(paths: list[str | Path]) -> Report:
    """Lint bank files and folders of them; invalid banks give their errors instead."""
    from quiz.bank.catalog import Catalog, expand_paths
    from quiz.bank.loader import check_bank
    from quiz.errors import QuizError

    files = expand_paths(list(paths))
    errors: list[Problem] = []
    findings: list[Finding] = []
    by_source: dict[str, list[Bank]] = {}
    for file in files:
        bank, problems = check_bank(file)
        errors += [p for p in problems if p.severity == "error"]
        findings += [Finding("loader", p) for p in problems if p.severity != "error"]
        if bank is None:
            continue
        findings += lint_bank(bank, str(file))
        if bank.source:
            by_source.setdefault(bank.source, []).append(bank)
    catalog = Catalog()
    for source_id, banks in by_source.items():
        try:
            source = catalog.source(source_id, banks[0])
        except QuizError:
            continue  # the loader has reported it
        findings += unused_facts(source, banks)
    findings.sort(key=lambda f: (f.problem.path, f.problem.line or 0, f.problem.column or 0))
    return Report(files, errors, findings)
