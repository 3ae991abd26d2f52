"""Command modules stay glue: no function in `quiz/commands/` is longer than 60 lines.

Counted from the `def` line to the end of the body (decorators excluded): a command that needs
more is doing application work that belongs in `quiz/app/` (issue #11).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

COMMANDS = Path(__file__).resolve().parent.parent / "quiz" / "commands"
LIMIT = 60


def long_functions(source: str, name: str) -> list[str]:
    """Every function (nested ones too) over LIMIT lines, as `file:line name (N lines)`."""
    found = []
    for node in ast.walk(ast.parse(source, filename=name)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            if length > LIMIT:
                found.append(f"{name}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_the_command_modules_are_found() -> None:
    names = {path.name for path in COMMANDS.glob("*.py")}
    assert {"take.py", "study.py", "grade.py", "banks.py", "scores.py", "common.py"} <= names


@pytest.mark.parametrize("path", sorted(COMMANDS.glob("*.py")), ids=lambda p: p.name)
def test_no_command_function_is_over_60_lines(path: Path) -> None:
    too_long = long_functions(path.read_text(encoding="utf-8"), path.name)
    assert not too_long, "split these (application work goes to quiz/app/): " + ", ".join(too_long)


def test_the_check_counts_from_def_to_the_end_of_the_body() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(LIMIT - 1))
    exact = "@decorator\n@another\ndef f():\n" + body
    assert long_functions(exact, "m.py") == []  # 60 lines, decorators not counted
    over = "def g():\n" + body + "    return 1\n"
    assert long_functions(over, "m.py") == ["m.py:1 g (61 lines)"]
    method_body = "".join(f"        x{i} = {i}\n" for i in range(LIMIT))
    nested = "class C:\n    def h(self):\n" + method_body
    assert long_functions(nested, "m.py") == ["m.py:2 h (61 lines)"]
