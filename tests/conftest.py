"""Shared test setup: every test gets its own store, and hypothesis never times out on CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile("dev", deadline=None, max_examples=50)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

os.environ["PROMPT_TOOLKIT_NO_CPR"] = "1"
os.environ.setdefault("NO_COLOR", "1")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def quiz_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private QUIZ_HOME for each test, and no stray QUIZ_USER/QUIZ_BANKS from the shell."""
    home = tmp_path_factory.mktemp("quiz-home")
    monkeypatch.setenv("QUIZ_HOME", str(home))
    monkeypatch.setenv("QUIZ_USER", "tester")
    monkeypatch.delenv("QUIZ_BANKS", raising=False)
    monkeypatch.delenv("QUIZ_TEST_SIGINT_AT", raising=False)
    return home
