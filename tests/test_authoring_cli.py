"""The authoring commands of `quiz banks`: lint, schema, new, import, export, draft."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from quiz.bank.loader import load_bank
from quiz.cli import cli
from quiz.commands.common import complete_bank_ids
from quiz.formats.gift import read_gift
from quiz.formats.schema import bank_schema

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


# -- new -------------------------------------------------------------------------------------


def test_new_prints_a_bank_that_validates_and_lints_clean(tmp_path: Path) -> None:
    code, out, _ = run("banks", "new", "demo")
    assert code == 0
    path = tmp_path / "demo.yaml"
    path.write_text(out, encoding="utf-8")
    bank = load_bank(path)
    assert bank.id == "demo"
    assert set(bank.kinds) == {
        "choice",
        "multi",
        "truefalse",
        "text",
        "number",
        "date",
        "match",
        "order",
    }
    assert run("banks", "validate", str(path))[0] == 0
    code, _, err = run("banks", "lint", "--strict", str(path))
    assert code == 0, err


def test_new_writes_a_file_and_refuses_to_replace_it(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    code, _, err = run("banks", "new", "mine", "-o", str(path))
    assert code == 0
    assert f"Wrote {path}" in err
    assert "quiz banks validate mine.yaml" in path.read_text(encoding="utf-8")
    path.write_text("keep me", encoding="utf-8")
    code, _, err = run("banks", "new", "mine", "-o", str(path))
    assert code == 1
    assert "--force" in err
    assert path.read_text(encoding="utf-8") == "keep me"
    assert run("banks", "new", "mine", "-o", str(path), "--force")[0] == 0
    assert load_bank(path).id == "mine"


def test_new_refuses_a_bad_id() -> None:
    code, _, err = run("banks", "new", "My Bank")
    assert code == 2
    assert "not a bank id" in err


# -- lint ------------------------------------------------------------------------------------

WEAK = """\
id: weak
title: Weak
questions:
  - id: a
    kind: choice
    prompt: Which river?
    answer: Amnok
    distractors: [Han]
    explanation: The Amnok.
"""


def test_lint_warns_and_strict_fails(tmp_path: Path) -> None:
    path = tmp_path / "weak.yaml"
    path.write_text(WEAK, encoding="utf-8")
    code, out, err = run("banks", "lint", str(path))
    assert code == 0
    assert f"{path}:8:5: warning: [a] only 2 options" in out
    assert "(few-options)" in out
    assert "1 warning(s) in 1 file(s)." in err
    assert run("banks", "lint", "--strict", str(path))[0] == 1


def test_lint_json(tmp_path: Path) -> None:
    path = tmp_path / "weak.yaml"
    path.write_text(WEAK, encoding="utf-8")
    code, out, _ = run("banks", "lint", "--json", str(tmp_path))
    assert code == 0
    rows = json.loads(out)
    assert [(r["rule"], r["line"], r["column"], r["question"]) for r in rows] == [
        ("few-options", 8, 5, "a")
    ]


def test_lint_of_an_invalid_bank_gives_its_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(WEAK.replace("distractors: [Han]", "distractors: [Amnok]"), encoding="utf-8")
    code, _, err = run("banks", "lint", str(path))
    assert code == 1
    assert f"{path}:8:" in err
    assert "among the distractors" in err


def test_lint_of_a_missing_path() -> None:
    code, _, err = run("banks", "lint", "no/such/folder")
    assert code == 1
    assert "no such file" in err


def test_lint_of_the_bundled_banks_has_no_errors() -> None:
    code, _, err = run("banks", "lint", str(ROOT / "banks"))
    assert code == 0, err


# -- schema ----------------------------------------------------------------------------------


def test_schema_prints_and_writes(tmp_path: Path) -> None:
    code, out, _ = run("banks", "schema")
    assert code == 0
    assert json.loads(out) == bank_schema()
    path = tmp_path / "quiz-bank.schema.json"
    assert run("banks", "schema", "-o", str(path))[0] == 0
    assert json.loads(path.read_text(encoding="utf-8")) == bank_schema()
    assert run("banks", "schema", "-o", str(path))[0] == 1  # no --force


# -- import and export -----------------------------------------------------------------------


def test_import_prints_a_valid_bank(tmp_path: Path) -> None:
    code, out, _ = run("banks", "import", str(DATA / "gift" / "constructs.gift"), "--id", "geo")
    assert code == 0
    assert out.startswith("# Imported from constructs.gift")
    path = tmp_path / "geo.yaml"
    path.write_text(out, encoding="utf-8")
    assert load_bank(path).id == "geo"


def test_import_errors_are_located(tmp_path: Path) -> None:
    gift = DATA / "gift" / "errors.gift"
    out_file = tmp_path / "out.yaml"
    code, _, err = run("banks", "import", str(gift), "-o", str(out_file))
    assert code == 1
    assert f"{gift}:9:27: the answer block {{ is not closed" in err
    assert "Error: 7 problems found." in err
    assert not out_file.exists()
    assert "Traceback" not in err


def test_import_of_a_missing_file() -> None:
    code, _, err = run("banks", "import", "nowhere.gift")
    assert code == 1
    assert "no such file" in err


def test_export_then_import_gives_the_bank_back(tmp_path: Path) -> None:
    bank_file = tmp_path / "demo.yaml"
    run("banks", "new", "demo", "-o", str(bank_file))
    gift = tmp_path / "demo.gift"
    assert run("banks", "export", str(bank_file), "--to", "gift", "-o", str(gift))[0] == 0
    text = gift.read_text(encoding="utf-8")
    assert "::largest-ocean::" in text
    back = tmp_path / "back.yaml"
    assert run("banks", "import", str(gift), "-o", str(back))[0] == 0
    assert load_bank(back) == load_bank(bank_file)


def test_export_a_bundled_bank_by_id() -> None:
    code, out, _ = run("banks", "export", "rason-figures")
    assert code == 0
    assert read_gift(out).id == "rason-figures"


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_to_yaml_and_json(fmt: str) -> None:
    code, out, _ = run("banks", "export", "rason-figures", "--to", fmt)
    assert code == 0
    assert "rason-figures" in out
    if fmt == "json":
        assert json.loads(out)["id"] == "rason-figures"


def test_export_of_an_unknown_bank() -> None:
    code, _, err = run("banks", "export", "no-such-bank")
    assert code == 1
    assert "no bank with id 'no-such-bank'" in err


# -- draft -----------------------------------------------------------------------------------


def test_draft_writes_a_bank_that_validates(tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    code, _, err = run(
        "banks", "draft", str(DATA / "draft" / "harbour.txt"), "--skip", "2", "-o", str(out)
    )
    assert code == 0, err
    assert "draft question(s)" in err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Drafted from harbour.txt")
    bank = load_bank(out)
    assert all(q.draft for q in bank.questions)
    code, _, err = run("banks", "validate", str(out))
    assert code == 0
    code, lint_out, _ = run("banks", "lint", str(out))
    assert "draft question" in lint_out


def test_draft_of_a_text_with_nothing_to_ask(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("Nothing here at all.\n", encoding="utf-8")
    code, _, err = run("banks", "draft", str(path))
    assert code == 1
    assert "no figures, dates or attributed statements" in err


# -- completion ------------------------------------------------------------------------------


def test_bank_ids_complete() -> None:
    ctx = click.Context(cli)
    param = click.Argument(["bank"])
    items = complete_bank_ids(ctx, param, "rason-f")
    assert [i.value for i in items if i.type == "plain"] == ["rason-figures"]
    # No "file" item beside ids: click's bash script would drop the ids (#13)
    assert [i.type for i in items] == ["plain"]
    assert [i.type for i in complete_bank_ids(ctx, param, "zz")] == ["file"]
    assert [i.type for i in complete_bank_ids(ctx, param, "./b")] == ["file"]


def test_completion_through_click(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.shell_completion import ShellComplete

    complete = ShellComplete(cli, {}, "quiz", "_QUIZ_COMPLETE")
    items = complete.get_completions(["banks", "export"], "rason-w")
    assert "rason-who-said-what" in [i.value for i in items]
