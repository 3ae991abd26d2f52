"""The README's two Quickstart commands are what CI runs: keep them in step."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quickstart_has_two_commands() -> None:
    commands = quickstart_commands()
    assert len(commands) == 2
    assert commands[0] == "pip install . && quiz take"
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    test_command = quickstart_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in [line.strip() for line in ci.splitlines()]


def test_readme_answer_sheet_grades(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from quiz.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sheet = re.search(r"```yaml\n(bank: rason-figures\n.+?)```", readme, re.S)
    assert sheet is not None
    path = tmp_path / "sheet.yaml"
    path.write_text(sheet.group(1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["grade", "rason-figures", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["user"] == "alice"
    answered = [q for q in data["questions"] if q["response"] is not None]
    assert len(answered) == 3 and all(q["correct"] for q in answered)
