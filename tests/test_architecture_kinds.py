"""One place per question kind: no module tests a question's class outside the kind code and the
model, the list of kinds is written once, and a ninth kind registered at run time is accepted
everywhere a kind is named (loading, `quiz take --kind`, results import, the JSON Schema)."""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from quiz.bank.loader import load_bank
from quiz.bank.model import KeySpec, Question
from quiz.cli import cli
from quiz.errors import BankError, ResultsFileError
from quiz.formats.results import parse_results_text
from quiz.formats.schema import bank_schema
from quiz.grading.hints import Hint
from quiz.kinds import find_kind, kind_names, register, unregister
from quiz.kinds.base import RIGHT, WRONG, Kind, Outcome
from tests.strategies import BUILDERS

PACKAGE = Path(__file__).resolve().parent.parent / "quiz"
KIND_CODE = PACKAGE / "kinds"
MODEL = PACKAGE / "bank" / "model.py"
BUILTIN_KINDS = ("choice", "multi", "truefalse", "text", "number", "date", "match", "order")


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _class_names(node: ast.expr) -> list[str]:
    """The names a class argument of isinstance mentions (a name, an attribute, a tuple, a |)."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.Tuple):
        return [name for element in node.elts for name in _class_names(element)]
    if isinstance(node, ast.BinOp):
        return _class_names(node.left) + _class_names(node.right)
    return []


def isinstance_question_sites(path: Path, tree: ast.Module) -> list[str]:
    sites = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("isinstance", "issubclass")
            and len(node.args) == 2
        ):
            names = [n for n in _class_names(node.args[1]) if n.endswith("Question")]
            if names:
                sites.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {names}")
    return sites


def test_no_isinstance_on_a_question_class_outside_the_kinds_and_the_model() -> None:
    found = []
    for path, tree in _modules():
        if path.is_relative_to(KIND_CODE) or path == MODEL:
            continue
        found.extend(isinstance_question_sites(path, tree))
    assert not found, "dispatch through quiz.kinds.kind_of(question) instead:\n" + "\n".join(found)


def test_the_check_finds_a_site() -> None:
    tree = ast.parse("isinstance(q, (ChoiceQuestion, model.MatchQuestion))\nisinstance(q, str)\n")
    assert isinstance_question_sites(PACKAGE / "x.py", tree) == [
        "quiz/x.py:1: ['ChoiceQuestion', 'MatchQuestion']"
    ]


def test_the_list_of_kinds_is_written_once() -> None:
    """No tuple, list or set of kind names outside quiz/kinds: everything reads the registry."""
    copies = []
    for path, tree in _modules():
        if path.is_relative_to(KIND_CODE):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                texts = [e.value for e in node.elts if isinstance(e, ast.Constant)]
                if sum(1 for t in texts if t in BUILTIN_KINDS) >= 3:
                    copies.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert not copies, "read quiz.kinds.kind_names() instead:\n" + "\n".join(copies)
    assert kind_names() == BUILTIN_KINDS


def test_every_kind_has_a_strategy_for_the_property_tests() -> None:
    assert set(kind_names()) == set(BUILDERS), "add the kind to tests/strategies.py BUILDERS"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_grading_is_standard_library_only() -> None:
    for path in sorted((PACKAGE / "grading").glob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or name.startswith("quiz.grading"), (path, name)


def test_the_kinds_import_only_the_model_and_grading() -> None:
    for path in sorted(KIND_CODE.glob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            assert (
                top in sys.stdlib_module_names
                or name == "quiz.bank.model"
                or name.startswith(("quiz.grading", "quiz.kinds"))
            ), (path, name)


# -- a ninth kind ----------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class NinthQuestion(Question):
    kind: ClassVar[str] = "ninth"
    word: str


class NinthKind(Kind[NinthQuestion]):
    """A throwaway kind: type the word."""

    name = "ninth"
    question_class = NinthQuestion
    fields = (KeySpec("word", "answer-text", True, "The word to type."),)

    def grade(self, question: NinthQuestion, response: object) -> Outcome:
        if not isinstance(response, str):
            return Outcome(WRONG, Hint("response.wrong_type", {"expected": "text", "got": "?"}))
        return Outcome(RIGHT if response.strip() == question.word else WRONG)

    def expected_text(self, question: NinthQuestion) -> str:
        return question.word


@pytest.fixture
def ninth() -> Iterator[NinthKind]:
    kind = NinthKind()
    register(kind)
    try:
        yield kind
    finally:
        unregister(kind.name)
    assert find_kind("ninth") is None


BANK = {
    "id": "nine",
    "title": "Nine",
    "questions": [
        {"id": "w", "kind": "ninth", "prompt": "Type 'ninth'.", "word": "ninth"},
        {"id": "t", "kind": "text", "prompt": "Who?", "answer": "Kim"},
    ],
}


def test_a_ninth_kind_is_accepted_everywhere(
    ninth: NinthKind, tmp_path: Path, quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nine.yaml"
    path.write_text(yaml.safe_dump(BANK, sort_keys=False), encoding="utf-8")

    # the loader
    try:
        bank = load_bank(path)
    except BankError as error:
        pytest.fail(f"the loader refused it: {error}")
    assert [q.kind for q in bank.questions] == ["ninth", "text"], "the loader refused it"
    assert bank.kinds == ("text", "ninth"), "Bank.kinds (the registry's order) left it out"

    # the JSON Schema
    schema = bank_schema()
    question = schema["$defs"]["question"]
    assert "ninth" in question["properties"]["kind"]["enum"], "the JSON Schema's kinds refused it"
    try:
        jsonschema.validate(BANK, schema)
    except jsonschema.ValidationError as error:
        pytest.fail(f"the JSON Schema refused its fields: {error.message}")

    # quiz take --kind (plain mode, piped input)
    runner = CliRunner()
    taken = runner.invoke(cli, ["take", str(path), "--kind", "ninth"], input="ninth\n")
    assert taken.exit_code == 0, f"`quiz take --kind ninth` refused it:\n{taken.output}"
    assert "Score: 1/1 (100%)" in taken.output, f"`quiz take` did not grade it:\n{taken.output}"

    # results export, then import into another store
    results = tmp_path / "results.jsonl"
    exported = runner.invoke(cli, ["scores", "export", "-o", str(results)])
    assert exported.exit_code == 0, f"`quiz scores export` refused it:\n{exported.output}"
    snapshot = json.loads(results.read_text(encoding="utf-8").splitlines()[1])
    assert [q["kind"] for q in snapshot["questions"]] == ["ninth", "text"]
    try:
        parsed = parse_results_text(results.read_text(encoding="utf-8"))
    except ResultsFileError as error:
        pytest.fail(f"the results file reader refused it: {error}")
    assert parsed.attempts, "the results file reader dropped it"
    monkeypatch.setenv("QUIZ_HOME", str(tmp_path / "instructor"))
    imported = runner.invoke(cli, ["scores", "import", str(results)])
    assert imported.exit_code == 0, f"`quiz scores import` refused it:\n{imported.output}"


def test_without_registering_it_the_ninth_kind_is_refused(tmp_path: Path) -> None:
    """The other half: the test above passes because the registry is read, not by accident."""
    path = tmp_path / "nine.yaml"
    path.write_text(yaml.safe_dump(BANK, sort_keys=False), encoding="utf-8")
    loaded = CliRunner().invoke(cli, ["banks", "validate", str(path)])
    assert loaded.exit_code == 1 and "unknown kind 'ninth'" in loaded.output
    taken = CliRunner().invoke(cli, ["take", str(path), "--kind", "ninth"], input="ninth\n")
    assert taken.exit_code == 2 and "'ninth' is not one of" in taken.output
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(BANK, bank_schema())
