"""The root command, the catalog, and `quiz banks list|show`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import quiz
from quiz.bank.catalog import Catalog
from quiz.cli import cli
from quiz.errors import BankError, NotFound

HEAVY = [
    "yaml",
    "questionary",
    "prompt_toolkit",
    "jinja2",
    "rich",
    "fsrs",
    "platformdirs",
    "importlib.metadata",
    "sqlite3",
    "psycopg",
]

MINI = """\
id: {id}
title: Mini {id}
questions:
  - {{id: a, kind: text, prompt: "Who? [/x]", answer: Kim, explanation: Because.}}
  - {{id: b, kind: choice, prompt: Which?, answer: Russia, distractors: [China, Japan]}}
"""


def write_bank(folder: Path, bank_id: str, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or bank_id}.yaml"
    path.write_text(MINI.format(id=bank_id), encoding="utf-8")
    return path


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys; from quiz.cli import cli\ntry:\n cli(['--help'])\nexcept SystemExit: pass\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage: " in out.stdout
    assert "Commands:" in out.stdout
    loaded = out.stdout.strip().splitlines()[-1]
    assert not any(name in loaded.split() for name in HEAVY), loaded


# What `quiz --help` may import beyond the interpreter's own start, as click's own
# tests/test_imports.py checks: click, the root group and the shared click helpers, and the
# standard library modules click itself needs. A new entry here is a deliberate decision.
# What `quiz --help` may load beyond the interpreter's start-up, as click's own
# tests/test_imports.py keeps it: of quiz, the CLI's shell; of third-party code, click alone
# (and colorama, which click uses on Windows). The standard library is allowed, except for
# modules that cost real time to import and that only commands need. Which standard modules
# a given Python or click loads varies by build, so those are checked by this deny list.
HELP_QUIZ_MODULES = {"quiz", "quiz.cli", "quiz.commands", "quiz.commands.common"}
HELP_THIRD_PARTY = {"click", "colorama"}
HELP_HEAVY_STDLIB = {
    "asyncio",
    "concurrent",
    "decimal",
    "email",
    "http",
    "importlib.metadata",
    "json",
    "multiprocessing",
    "sqlite3",
    "ssl",
    "tomllib",
    "xml",
    "zipfile",
}


def test_help_imports_only_what_the_allowlist_names() -> None:
    code = (
        "import sys; before = set(sys.modules)\nfrom quiz.cli import cli\ntry:\n"
        " cli(['--help'])\nexcept SystemExit: pass\n"
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert "Usage: " in out.stdout
    imported = set(out.stdout.strip().splitlines()[-1].split())
    assert "quiz.cli" in imported  # the check sees what --help loads
    unexpected = []
    for name in sorted(imported):
        top = name.split(".")[0]
        if top == "quiz":
            allowed = name in HELP_QUIZ_MODULES
        elif top.lstrip("_") in sys.stdlib_module_names or top in sys.stdlib_module_names:
            allowed = not any(
                name == heavy or name.startswith(heavy + ".") for heavy in HELP_HEAVY_STDLIB
            )
        else:
            allowed = top in HELP_THIRD_PARTY
        if not allowed:
            unexpected.append(name)
    assert not unexpected, f"quiz --help imports modules outside the allowlist: {unexpected}"


def test_version_is_a_plain_string() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"quiz {quiz.__version__}"


def test_python_dash_m_quiz() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "quiz", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"quiz {quiz.__version__}"


def test_unknown_option_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["banks", "list", "--nope"])
    assert result.exit_code == 2


def test_quiz_banks_adds_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    write_bank(one, "alpha")
    write_bank(two, "beta")
    monkeypatch.setenv("QUIZ_BANKS", os.pathsep.join([str(one), str(two)]))
    ids = Catalog().ids()
    assert {"alpha", "beta"} <= set(ids)
    result = CliRunner().invoke(cli, ["banks", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.output)}
    assert rows["alpha"]["questions"] == 2
    assert rows["alpha"]["kinds"] == ["choice", "text"]
    assert rows["beta"]["origin"] == "QUIZ_BANKS"


def test_two_banks_with_one_id_name_both_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = write_bank(tmp_path / "a", "same")
    second = write_bank(tmp_path / "b", "same")
    write_bank(tmp_path / "b", "other")
    monkeypatch.setenv("QUIZ_BANKS", os.pathsep.join([str(first.parent), str(second.parent)]))
    # Listed like invalid banks, each naming the other; nothing else is blocked.
    rows = json.loads(CliRunner().invoke(cli, ["banks", "list", "--json"]).output)
    same = [row for row in rows if row["id"] == "same"]
    assert len(same) == 2 and not any(row["valid"] for row in same)
    assert CliRunner().invoke(cli, ["banks", "show", "other"]).exit_code == 0
    with pytest.raises(BankError) as info:
        Catalog().resolve("same")
    assert str(first) in str(info.value) and str(second) in str(info.value)
    result = CliRunner().invoke(cli, ["banks", "show", "same"])
    assert result.exit_code == 1
    assert str(first) in result.output and str(second) in result.output


def test_resolve_by_path_and_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_bank(tmp_path / "x", "gamma")
    monkeypatch.setenv("QUIZ_BANKS", str(path.parent))
    assert Catalog().resolve(str(path)).id == "gamma"
    assert Catalog().resolve("gamma").path == str(path)
    with pytest.raises(NotFound):
        Catalog().resolve("no-such-bank")
    with pytest.raises(NotFound):
        Catalog().resolve(str(tmp_path / "missing.yaml"))


def test_banks_show_hides_answers_unless_asked(tmp_path: Path) -> None:
    path = write_bank(tmp_path, "delta")
    plain = CliRunner().invoke(cli, ["banks", "show", str(path)])
    assert plain.exit_code == 0, plain.output
    assert "Who? [/x]" in plain.output
    assert "answer:" not in plain.output and "Because." not in plain.output
    full = CliRunner().invoke(cli, ["banks", "show", "--answers", str(path)])
    assert "answer: Kim" in full.output and "why: Because." in full.output


def test_banks_show_json_without_answers(tmp_path: Path) -> None:
    path = write_bank(tmp_path, "eps")
    data = json.loads(CliRunner().invoke(cli, ["banks", "show", "--json", str(path)]).output)
    assert data["id"] == "eps"
    assert all("answer" not in q for q in data["questions"])


def test_unknown_bank_is_exit_1_with_known_ids() -> None:
    result = CliRunner().invoke(cli, ["banks", "show", "no-such-bank"])
    assert result.exit_code == 1
    assert "no bank with id 'no-such-bank'" in result.output


def test_control_sequences_in_errors_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text('id: evil\ntitle: T\n"\\e]0;owned\\a\\e[2Jkey": 1\nquestions: []\n')
    result = CliRunner().invoke(cli, ["banks", "validate", str(path)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "unknown key 'key'" in result.output  # the OSC payload goes with its sequence


def test_non_utf8_argument_is_a_usage_error() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "quiz", "scores", "list", "--user", b"z\xff"],
        capture_output=True,
        timeout=60,
    )
    assert out.returncode == 2
    assert b"not valid UTF-8" in out.stderr
    assert b"Traceback" not in out.stderr


def test_closed_pipe_is_quiet() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "quiz", "banks", "show", "rason-exam", "--answers"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # like `| head -c 10`
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert b"Traceback" not in err and b"Broken pipe" not in err


def test_usage_problem_does_not_show_the_root_usage(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["banks", "show", str(tmp_path) + "/"])
    assert result.exit_code == 2
    assert "is a folder" in result.output
    assert "Usage: quiz [OPTIONS] COMMAND" not in result.output


def test_validate_accepts_ids_and_reports_missing_paths_as_json() -> None:
    assert CliRunner().invoke(cli, ["banks", "validate", "rason-exam"]).exit_code == 0
    result = CliRunner().invoke(cli, ["banks", "validate", "--json", "no-such.yaml"])
    assert result.exit_code == 1
    [problem] = json.loads(result.output)
    assert problem["path"] == "no-such.yaml" and "no such file" in problem["message"]


def test_an_output_encoding_that_cannot_show_the_text_does_not_crash() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    out = subprocess.run(
        [sys.executable, "-m", "quiz", "banks", "show", "rason-who-said-what", "--answers"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert b"Traceback" not in out.stderr
    assert b"?" in out.stdout  # "→" and the like, replaced


# -- finding banks by id (#13) -------------------------------------------------------------------
def test_a_bank_in_the_current_folder_is_found_by_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_bank(tmp_path, "mine")
    write_bank(tmp_path / "banks", "theirs")
    assert Catalog().resolve("mine").id == "mine"
    assert Catalog().resolve("theirs").id == "theirs"
    result = CliRunner().invoke(cli, ["banks", "export", "mine", "--to", "yaml"])
    assert result.exit_code == 0, result.output
    # Only those two names: another YAML file in the folder is not scanned for its id.
    write_bank(tmp_path, "hidden", name="some-file")
    with pytest.raises(NotFound):
        Catalog().resolve("hidden")


def test_precedence_current_folder_then_quiz_banks_then_bundled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = "rason-figures"
    extra = tmp_path / "extra"
    write_bank(extra, bundled)
    monkeypatch.setenv("QUIZ_BANKS", str(extra))
    shown = CliRunner().invoke(cli, ["banks", "show", bundled, "--json"])
    assert json.loads(shown.stdout)["title"] == f"Mini {bundled}"
    assert "instead of the bundled one" in shown.stderr
    here = tmp_path / "here"
    path = here / f"{bundled}.yaml"
    here.mkdir()
    path.write_text(MINI.format(id=bundled).replace("title: Mini", "title: Here"), "utf-8")
    monkeypatch.chdir(here)
    shown = CliRunner().invoke(cli, ["banks", "show", bundled, "--json"])
    assert json.loads(shown.stdout)["title"] == f"Here {bundled}"
    assert "not the bundled bank" in shown.stderr
    # a copy of the bundled bank itself (a checkout's banks/ folder): nothing to note
    from quiz.paths import bundled_dir

    path.write_bytes((bundled_dir("banks") / f"{bundled}.yaml").read_bytes())
    shown = CliRunner().invoke(cli, ["banks", "show", bundled, "--json"])
    assert shown.exit_code == 0 and "note:" not in shown.stderr, shown.stderr
    # An explicit path wins over all.
    other = write_bank(tmp_path / "elsewhere", bundled)
    assert Catalog().resolve(str(other)).path == str(other)


def test_a_misspelt_bank_id_gets_a_suggestion() -> None:
    result = CliRunner().invoke(cli, ["banks", "show", "rason-figure"])
    assert result.exit_code == 1
    assert "did you mean 'rason-figures'?" in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="bash")
def test_bash_completes_bank_ids(tmp_path: Path) -> None:
    import shutil

    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash")
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "QUIZ_HOME": str(tmp_path)}
    script = tmp_path / "quiz"
    script.write_text(f'#!/bin/sh\nexec {sys.executable} -m quiz "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    env["PATH"] = f"{tmp_path}{os.pathsep}{env['PATH']}"
    source = subprocess.run(
        ["quiz"], env={**env, "_QUIZ_COMPLETE": "bash_source"}, capture_output=True, text=True
    )
    assert "_quiz_completion" in source.stdout, source.stderr
    test = (
        source.stdout
        + "\nCOMP_WORDS=(quiz take rason-f); COMP_CWORD=2; _quiz_completion quiz;"
        + ' printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        [bash, "--norc", "-c", test], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert done.stdout.split() == ["rason-figures"], done.stdout + done.stderr


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_get_bank_ids(tmp_path: Path, shell: str) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        "_QUIZ_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": "quiz take rason-f",
        # zsh gives the index of the word being completed, fish the word itself
        "COMP_CWORD": "2" if shell == "zsh" else "rason-f",
    }
    done = subprocess.run(
        [sys.executable, "-m", "quiz"], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert "rason-figures" in done.stdout, done.stdout + done.stderr


def test_integer_options_help_shows_no_storage_bound_but_refuses_past_it() -> None:
    from click.testing import CliRunner

    from quiz.cli import cli

    runner = CliRunner()
    for args in (["take", "--help"], ["study", "--help"], ["scores", "list", "--help"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0
        assert "9223372036854775807" not in result.output
    assert "[x>=1]" in runner.invoke(cli, ["take", "--help"]).output
    too_big = runner.invoke(cli, ["take", "--seed", str(2**63), "rason-exam"])
    assert too_big.exit_code == 2
    assert "out of range" in too_big.output
    zero = runner.invoke(cli, ["take", "-n", "0", "rason-exam"])
    assert zero.exit_code == 2
    assert "0 is smaller than 1" in zero.output
