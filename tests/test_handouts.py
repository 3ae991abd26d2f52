"""Sealed exam handouts (issue 14): nothing in a handout gives an answer away, its tokens resist
guessing, taking it withholds feedback, and the instructor's import grades it as the full bank
would."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import random
import re
import shutil
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from quiz.app.handouts import (
    SECRET_NAME,
    ensure_secret,
    handout_data,
    make_token,
    opaque_id,
    source_question,
)
from quiz.app.reports import merge_results, read_results
from quiz.bank.catalog import Catalog
from quiz.bank.loader import load_bank, load_bank_text
from quiz.bank.model import Bank, Question, Tolerance
from quiz.cli import cli
from quiz.formats.results import results_lines
from quiz.kinds import grade, grading_text, kind_of
from quiz.store import Store
from quiz.store.records import AttemptRecord, ResponseRecord, option_credits, snapshot_of
from tests.conftest import DATA

MINI = DATA / "banks" / "mini.yaml"
ALLOWED = {
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


def run(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=input)


def bundled(bank_id: str) -> Bank:
    return Catalog().resolve(bank_id)


def all_banks() -> list[Bank]:
    return [load_bank(MINI), bundled("rason-exam"), bundled("rason-figures")]


def answer_words(question: Question) -> list[str]:
    """What would give the answer away if written outside the prompt and the options."""
    words = [question.explanation or ""]
    words += [message for _, message in question.feedback]
    kind = question.kind
    if kind in ("text",):
        words += [question.answer, *question.accept]  # type: ignore[attr-defined]
    if kind == "number":
        words.append(kind_of(question).expected_text(question))
    if kind == "date":
        words.append(str(question.answer))  # type: ignore[attr-defined]
    return [w for w in words if w and len(w) > 3]


# --- what a handout holds ---------------------------------------------------------------------


@pytest.mark.parametrize("bank", all_banks(), ids=lambda b: b.id)
def test_a_handout_of_each_kind_reveals_no_answer(bank: Bank, tmp_path: Path) -> None:
    secret = ensure_secret(tmp_path)
    data = handout_data(bank, secret, random.Random(7))
    assert data["handout"] == {"source": bank.id}
    assert data["id"] != bank.id and str(data["id"]).startswith(f"{bank.id}-handout-")
    items = {q["id"]: q for q in data["questions"]}  # type: ignore[attr-defined]
    # the ids are keyed by the secret: `name-jeong` would give its answer away
    assert set(items) == {opaque_id(secret, bank.id, q.id) for q in bank.questions}
    assert not set(items) & {q.id for q in bank.questions}
    for question in bank.questions:
        item = items[opaque_id(secret, bank.id, question.id)]
        assert source_question(secret, bank, str(item["id"])) == question
        assert set(item) <= ALLOWED, item
        shown = json.dumps({k: v for k, v in item.items() if k not in ("prompt", "token")})
        for word in answer_words(question):
            if word not in question.prompt:
                assert word not in shown, (question.id, word)
        kind = question.kind
        if kind in ("choice", "multi"):
            assert sorted(item["options"]) == sorted(question.options)  # type: ignore[attr-defined]
        if kind == "order":
            assert item["options"] != list(question.items)  # type: ignore[attr-defined]
        if kind == "match":
            rights = [right for _, right in question.pairs]  # type: ignore[attr-defined]
            assert item["options"] != rights and sorted(item["options"]) == sorted(rights)
        if kind in ("truefalse", "text", "number", "date"):
            assert "options" not in item and "lefts" not in item


def test_the_answer_is_not_kept_first() -> None:
    bank = load_bank(MINI)
    firsts = set()
    for seed in range(40):
        data = handout_data(bank, b"k" * 32, random.Random(seed))
        wanted = opaque_id(b"k" * 32, bank.id, "capital")
        capital = next(q for q in data["questions"] if q["id"] == wanted)  # type: ignore[attr-defined]
        firsts.add(capital["options"][0])
    assert firsts == {"Paris", "Lyon", "Marseille"}


def test_export_handout_cli_writes_a_loadable_bank_beside_its_source(
    tmp_path: Path, quiz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "banks"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.yaml")
    out = folder / "mini-handout.yaml"
    result = run("banks", "export", str(MINI), "--handout", "-o", str(out))
    assert result.exit_code == 0, result.output
    secret = quiz_home / SECRET_NAME
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    text = out.read_text(encoding="utf-8")
    assert "Shakespeare" not in text and "explanation" not in text and "67300" not in text
    handout = load_bank(out)
    assert handout.handout is not None and handout.handout.source == "mini"
    monkeypatch.setenv("QUIZ_BANKS", str(folder))
    ids = Catalog().ids()
    assert "mini" in ids and handout.id in ids  # both sit in one folder
    # The secret is made once: a second handout uses the same one.
    before = secret.read_bytes()
    assert run("banks", "export", "mini", "--handout").exit_code == 0
    assert secret.read_bytes() == before


def test_a_handout_keeps_the_texts_formats(tmp_path: Path) -> None:
    # A bank from Moodle: the prompt's format, and options and left items with a format of
    # their own, travel with the handout, so it shows them as the bank does (plain text);
    # feedback and the explanation (and their formats) stay out.
    from quiz.formats.gift import read_gift
    from quiz.kinds import shown_option, shown_text

    bank = read_gift(
        "::c:: [html]<p>Pick <b>one</b></p> {=a ~[html]<i>b</i> &amp; c #[html]<b>No</b>"
        " ~d ####[markdown]*why*}\n\n"
        "::m:: Pair. {=[html]<i>Saw</i> -> cuts =Hammer -> drives}\n",
        "moodle.gift",
    )
    text = yaml.safe_dump(handout_data(bank, b"k" * 32, random.Random(3)))
    assert "<b>No</b>" not in text and "why" not in text
    handout = load_bank_text(text, "h.yaml")
    choice, match = handout.questions
    assert choice.format == "html" and shown_text(choice, choice.prompt) == "Pick one"
    assert dict(choice.formats) == {"<i>b</i> &amp; c": "html"}
    assert sorted(shown_option(choice, o) for o in choice.options) == ["a", "b & c", "d"]
    assert dict(match.formats) == {"<i>Saw</i>": "html"}


def test_a_handout_cannot_be_edited_into_holding_an_answer(tmp_path: Path) -> None:
    text = yaml.safe_dump(handout_data(load_bank(MINI), b"k" * 32))
    broken = text.replace("kind: text\n", "kind: text\n  answer: Shakespeare\n", 1)
    with pytest.raises(Exception, match="a handout holds no answers"):
        load_bank_text(broken, "h.yaml")


# --- tokens resist guessing -------------------------------------------------------------------


def _candidates(question: Question, bank: Bank) -> tuple[list[str], bool]:
    """The grading texts of every question an attacker can build from the handout: each option
    as the answer (and every order of the rest), every subset, ordering and pairing, both
    true/false values, numbers within ±10^4 of the prompt's figures. And whether the search
    is complete (the real question's text is among them)."""
    points = bank.points(question)
    kind = question.kind
    out: list[Question] = []
    if kind == "choice":
        options = question.options  # type: ignore[attr-defined]
        for answer in options:
            rest = [o for o in options if o != answer]
            for order in itertools.permutations(rest):
                out.append(replace(question, answer=answer, distractors=tuple(order)))  # type: ignore[type-var]
    elif kind == "multi":
        options = question.options  # type: ignore[attr-defined]
        for size in range(1, len(options) + 1):
            for picked in itertools.permutations(options, size):
                rest = [o for o in options if o not in picked]
                for order in itertools.permutations(rest):
                    out.append(replace(question, answers=picked, distractors=tuple(order)))  # type: ignore[type-var]
    elif kind == "truefalse":
        out += [replace(question, answer=value) for value in (True, False)]  # type: ignore[type-var]
    elif kind == "order":
        items = question.items  # type: ignore[attr-defined]
        out += [replace(question, items=p) for p in itertools.permutations(items)]  # type: ignore[type-var]
    elif kind == "match":
        lefts = [left for left, _ in question.pairs]  # type: ignore[attr-defined]
        rights = [right for _, right in question.pairs]  # type: ignore[attr-defined]
        for p in itertools.permutations(rights):
            out.append(replace(question, pairs=tuple(zip(lefts, p, strict=True))))  # type: ignore[type-var]
    elif kind == "number":
        figures = [float(f.replace(",", "")) for f in re.findall(r"\d[\d,]*", question.prompt)]
        marker = -123456789.0
        template = grading_text(replace(question, answer=marker, tolerance=Tolerance()), points)  # type: ignore[type-var]
        texts = [
            template.replace(repr(marker), repr(float(value)))
            for figure in figures or [0.0]
            for value in range(int(figure) - 10**4, int(figure) + 10**4 + 1)
        ]
        real = grading_text(question, points)
        return texts, real in texts
    else:  # text, date: the answer itself, as if guessed right
        out.append(question)
    texts = [grading_text(q, points) for q in out]
    return texts, grading_text(question, points) in texts


@pytest.mark.parametrize("bank", all_banks(), ids=lambda b: b.id)
def test_no_guess_reproduces_a_handout_token(bank: Bank, tmp_path: Path) -> None:
    secret = ensure_secret(tmp_path)
    data = handout_data(bank, secret)
    tokens = {q["id"]: q["token"] for q in data["questions"]}  # type: ignore[attr-defined]
    complete = 0
    for question in bank.questions:
        token = tokens[opaque_id(secret, bank.id, question.id)]
        assert token.startswith(f"hmac-sha256:{bank.id}:")
        digest = token.rsplit(":", 1)[1]
        texts, found = _candidates(question, bank)
        complete += found
        prefix = f"{bank.id}\n{question.id}\n"
        for text in texts:
            for message in (text, prefix + text):
                raw = message.encode()
                assert hashlib.sha256(raw).hexdigest() != digest
                assert hmac.new(b"", raw, hashlib.sha256).hexdigest() != digest
        # The instructor's secret, and only it, recomputes the token over the real question.
        assert make_token(secret, bank, question) == token
        assert make_token(b"x" * 32, bank, question) != token
    assert complete >= len(bank.questions) // 2  # the search did reach the real questions


# --- taking a handout, grading it, handing it back --------------------------------------------


@pytest.fixture
def handout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The instructor's home (with mini in QUIZ_BANKS) and a handout of mini made there."""
    teacher = tmp_path / "teacher"
    folder = tmp_path / "banks"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.yaml")
    monkeypatch.setenv("QUIZ_BANKS", str(folder))
    out = tmp_path / "handout.yaml"
    result = run("--home", str(teacher), "banks", "export", "mini", "--handout", "-o", str(out))
    assert result.exit_code == 0, result.output
    return {"teacher": teacher, "learner": tmp_path / "learner", "file": out}


RESPONSES: list[dict[str, Any]] = [
    {
        "capital": "Paris",
        "primes": ["2", "3"],
        "sky": "false",
        "author": "Shakespeare",
        "barrels": "67.3k",
        "moon": "1969",
        "pairs": {"France": "Paris", "Italy": "Rome", "Spain": "Madrid"},
        "sizes": ["mouse", "cat", "horse"],
    },
    {
        "capital": "Lyon",
        "primes": ["2", "4"],
        "sky": "true",
        "author": "Marlowe",
        "barrels": "67000",
        "moon": "1970",
        "pairs": {"France": "Rome", "Italy": "Paris", "Spain": "Madrid"},
        "sizes": ["cat", "mouse", "horse"],
    },
]


@pytest.mark.parametrize("responses", RESPONSES)
def test_a_handout_attempt_graded_on_import_scores_as_the_full_bank(
    handout: dict[str, Path], responses: dict[str, Any]
) -> None:
    sheet = load_bank(handout["file"])
    full = load_bank(MINI)
    secret = (handout["teacher"] / SECRET_NAME).read_bytes()
    on_sheet = {qid: opaque_id(secret, full.id, qid) for qid in responses}
    attempt = AttemptRecord(
        id="0e3c6b1a-58f4-4d5e-9d59-1a2b3c4d5e6f",
        user="alice",
        banks=((sheet.id, sheet.content_hash or ""),),
        mode="exam",
        started_at="2026-01-05T09:00:00.000000+00:00",
        status="finished",
        finished_at="2026-01-05T09:30:00.000000+00:00",
        plan=tuple((sheet.id, q.id) for q in sheet.questions),
        responses=tuple(
            ResponseRecord(sheet.id, on_sheet[qid], value, 0.0, 0.0, False, graded=False)
            for qid, value in responses.items()
        ),
    )
    path = handout["learner"].with_suffix(".jsonl")
    path.write_text(
        "".join(line + "\n" for line in results_lines([attempt], [snapshot_of(sheet)])), "utf-8"
    )
    with Store.open(handout["teacher"]) as store:
        imported = merge_results(store, read_results([str(path)]), home=handout["teacher"])
        [graded] = store.attempts()
        kept = {q.question_id: q for s in store.snapshots() for q in s.questions}
    assert imported.result.added == 1
    # the instructor's copy brings the credits the handout withheld (for item analysis)
    for qid in ("capital", "primes"):
        question = full.question(qid)
        assert question is not None and option_credits(question)
        assert kept[on_sheet[qid]].credits == option_credits(question)
    expected = {
        on_sheet[qid]: grade(q, responses[qid], points=full.points(q)).score
        for qid in responses
        if (q := full.question(qid)) is not None
    }
    assert {r.question_id: r.score for r in graded.responses} == expected
    assert all(r.graded for r in graded.responses)
    # Without the instructor's secret nothing is graded.
    with Store.open(handout["learner"]) as store:
        merge_results(store, read_results([str(path)]), home=handout["learner"])
        assert not any(r.graded for r in store.attempts()[0].responses)


def test_take_a_handout_then_the_instructor_grades_and_hands_it_back(
    handout: dict[str, Path],
) -> None:
    learner, teacher, file = str(handout["learner"]), str(handout["teacher"]), str(handout["file"])
    typed = "Paris\n:skip\nfalse\nShakespeare\n67300\n1969\n:skip\n:skip\n"
    result = run("--home", learner, "take", file, "--plain", "--no-shuffle", input=typed)
    assert result.exit_code == 0, result.output
    assert "your instructor grades it" in result.output
    assert result.output.startswith("A sealed handout: no feedback is given")
    assert "wrong" not in result.output.lower() and "✓" not in result.output  # no verdicts
    assert "Score:" not in result.output and "Paris has been" not in result.output
    out = handout["learner"].parent / "alice.jsonl"
    assert run("--home", learner, "scores", "export", "-o", str(out)).exit_code == 0
    result = run("--home", teacher, "scores", "import", str(out))
    assert result.exit_code == 0, result.output
    assert "graded 5/8" in result.output
    # Handing back: the learner sees scores, right answers and explanations.
    back = handout["learner"].parent / "back.jsonl"
    assert (
        run("--home", teacher, "scores", "export", "--user", "tester", "-o", str(back)).exit_code
        == 0
    )
    result = run("--home", learner, "scores", "import", "--trust-scores", str(back))
    assert result.exit_code == 0 and "1 grown" in result.output
    [row] = json.loads(run("--home", learner, "scores", "list", "--json").output)
    shown = json.loads(run("--home", learner, "scores", "show", "--json", row["id"]).output)
    assert shown["score"] == 5
    secret = (handout["teacher"] / SECRET_NAME).read_bytes()
    wanted = opaque_id(secret, "mini", "capital")
    capital = next(q for q in shown["questions"] if q["question"] == wanted)
    assert capital["expected"] == "Paris" and "centuries" in capital["explanation"]


def test_study_and_wrong_only_refuse_a_handout(handout: dict[str, Path]) -> None:
    learner, file = str(handout["learner"]), str(handout["file"])
    result = run("--home", learner, "study", file, "--plain")
    assert result.exit_code == 1 and "a handout cannot be studied" in result.output
    result = run("--home", learner, "take", file, "--plain", "--wrong-only")
    assert result.exit_code == 1 and "--wrong-only cannot be used with a handout" in result.output
    result = run("--home", learner, "take", file, str(MINI), "--plain")
    assert result.exit_code == 1 and "taken on its own" in result.output


def test_nothing_shows_exports_or_grades_a_handout_s_placeholder_answers(
    handout: dict[str, Path],
) -> None:
    file = str(handout["file"])
    for args in (
        ("banks", "show", file, "--answers"),
        ("banks", "export", file, "--to", "yaml"),
        ("banks", "export", file, "--handout"),
    ):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert "is a sealed handout: it holds no answers" in result.output
    empty = handout["file"].parent / "empty.jsonl"
    empty.write_text('{"format":"quiz-results","version":2,"attempts":0,"snapshots":0}\n')
    result = run("scores", "import", "--bank", file, str(empty))
    assert result.exit_code == 1 and "give --bank the full bank" in result.output
    sheet = handout["file"].parent / "sheet.yaml"
    sheet.write_text("answers:\n  capital: Paris\n", encoding="utf-8")
    result = run("grade", file, str(sheet))
    assert result.exit_code == 1 and "sealed handout" in result.output
    shown = run("banks", "show", file)
    assert shown.exit_code == 0 and "answer:" not in shown.output


def test_handout_refuses_another_format(tmp_path: Path) -> None:
    out = tmp_path / "h.gift"
    result = run("banks", "export", str(MINI), "--handout", "--to", "gift", "-o", str(out))
    assert result.exit_code == 2 and "--handout writes a YAML bank" in result.output
    assert not out.exists()
    result = run("banks", "export", str(MINI), "--handout", "--to", "yaml", "-o", str(out))
    assert result.exit_code == 0, result.output


def test_a_handout_keeps_an_unreadable_answer_as_typed(handout: dict[str, Path]) -> None:
    """Its copy cannot say what is unreadable for the real question: the instructor's can."""
    learner, file = str(handout["learner"]), str(handout["file"])
    typed = "7\n:skip\n:skip\n:skip\n:skip\n:skip\n:skip\n:skip\n"
    result = run("--home", learner, "take", file, "--plain", "--no-shuffle", input=typed)
    assert result.exit_code == 0, result.output
    with Store.open(handout["learner"]) as store:
        [attempt] = store.attempts()
    answered = [r for r in attempt.responses if not r.skipped]
    assert [r.response for r in answered] == ["7"] and not answered[0].graded
