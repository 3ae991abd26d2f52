"""The installed `quiz` script finds the bundled banks and seeds from any working directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

QUIZ = shutil.which("quiz")
BUNDLED = {
    "rason-exam",
    "rason-figures",
    "rason-people-places",
    "rason-timeline",
    "rason-who-said-what",
}


@pytest.mark.skipif(QUIZ is None, reason="the quiz script is not installed (pip install .)")
def test_bundled_banks_found_from_any_directory(tmp_path: Path) -> None:
    env = {**os.environ, "QUIZ_HOME": str(tmp_path / "home")}
    out = subprocess.run(
        [QUIZ, "banks", "list", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    rows = {row["id"]: row for row in json.loads(out.stdout) if row["origin"] == "bundled"}
    assert BUNDLED <= set(rows)
    assert all(rows[b]["valid"] for b in BUNDLED)
    # Facts resolve against the bundled seeds wherever the banks were installed.
    shown = subprocess.run(
        [QUIZ, "banks", "show", "rason-figures", "--facts"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "(paragraph " in shown.stdout
