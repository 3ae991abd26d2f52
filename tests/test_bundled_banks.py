"""The bundled Rason banks and their source record: structure, facts, accuracy hooks, wording.

These tests read the YAML with `yaml.safe_load`, so they hold even while the loader is being
written; when `quiz.loader` exists they also load every bank through it.
"""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

from quiz.model import (
    BANK_KEYS,
    DATE_RE,
    DEFAULTS_KEYS,
    DIFFICULTIES,
    FACT_KINDS,
    ID_RE,
    KINDS,
    question_key_names,
)

ROOT = Path(__file__).resolve().parents[1]
BANKS_DIR = ROOT / "banks"
SEED_PATH = ROOT / "seeds" / "rason-sez.yaml"
SHARED = Path(__file__).resolve().parents[2] / "shared"
ARTICLE = SHARED / "article" / "rason-sez-article.txt"
OVERLAP_TOOL = SHARED / "tools" / "article_overlap.py"

BANK_IDS = (
    "rason-timeline",
    "rason-figures",
    "rason-who-said-what",
    "rason-people-places",
    "rason-exam",
)
EXAM_ID = "rason-exam"
EXAM_SIZE = 25
MIN_QUESTIONS = 80
ANSWER_FIELDS = {
    "choice": ("answer", "distractors"),
    "multi": ("answers",),
    "truefalse": ("answer",),
    "text": ("answer",),
    "number": ("answer",),
    "date": ("answer",),
    "match": ("pairs",),
    "order": ("items",),
}


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict), f"{path}: top level is not a mapping"
    return data


@pytest.fixture(scope="module")
def seed() -> dict:
    return _load(SEED_PATH)


@pytest.fixture(scope="module")
def banks() -> dict[str, dict]:
    return {path.stem: _load(path) for path in sorted(BANKS_DIR.glob("rason-*.yaml"))}


@pytest.fixture(scope="module")
def fact_ids(seed: dict) -> set[str]:
    return {fact["id"] for fact in seed["facts"]}


def _questions(banks: dict[str, dict]):
    for stem, bank in banks.items():
        for question in bank["questions"]:
            yield stem, question


def _article_paragraphs() -> list[str]:
    """Paragraphs by the seed's rule: drop the outlet's name and every copy of the headline."""
    lines = [
        line.strip() for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    headline = lines[1]
    return [line for line in lines[2:] if line != headline]


# --- the source record -------------------------------------------------------------------------


def test_seed_header(seed: dict) -> None:
    assert seed["id"] == "rason-sez" == SEED_PATH.stem
    assert seed["outlet"] == "Daily Management Review"
    assert seed["title"].strip()
    assert "paragraph 1" in seed["paragraphs_rule"].lower()
    assert set(seed) <= {"id", "title", "outlet", "paragraphs_rule", "facts", "unused"}


def test_seed_facts_are_well_formed(seed: dict) -> None:
    ids = [fact["id"] for fact in seed["facts"]]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    assert 50 <= len(ids) <= 80
    for fact in seed["facts"]:
        where = fact.get("id")
        assert ID_RE.match(fact["id"]), where
        assert fact["kind"] in FACT_KINDS, where
        assert isinstance(fact["statement"], str) and fact["statement"].strip(), where
        assert isinstance(fact["paragraph"], int) and not isinstance(fact["paragraph"], bool), where
        for key, value in fact.items():
            assert value is None or isinstance(value, (str, int)), (where, key)
        when = fact.get("when")
        if when is not None:
            assert isinstance(when, str) and DATE_RE.match(when), (where, when)
        if fact["kind"] == "date":
            assert "when" in fact, f"{where}: a date fact needs `when` (null when no year is given)"
            if when is None:
                assert fact.get("month") or fact.get("decade"), (
                    f"{where}: say what the article gives"
                )
        if fact["kind"] == "figure":
            assert isinstance(fact.get("value"), int) and fact.get("unit"), where
        if fact["kind"] == "person":
            assert fact.get("who"), where


def test_every_fact_is_tested_or_explained(seed: dict, banks: dict, fact_ids: set[str]) -> None:
    unused = seed.get("unused") or {}
    assert isinstance(unused, dict)
    assert set(unused) <= fact_ids, set(unused) - fact_ids
    for fact_id, reason in unused.items():
        assert isinstance(reason, str) and reason.strip(), fact_id
    tested = {fact for _, q in _questions(banks) for fact in q.get("facts", [])}
    assert not (tested & set(unused)), f"listed as unused but tested: {tested & set(unused)}"
    missing = fact_ids - tested - set(unused)
    assert not missing, f"facts neither tested nor listed in `unused`: {sorted(missing)}"


# --- the banks ---------------------------------------------------------------------------------


def test_the_five_banks_exist(banks: dict) -> None:
    assert sorted(banks) == sorted(BANK_IDS)


@pytest.mark.parametrize("stem", BANK_IDS)
def test_bank_header(banks: dict, stem: str) -> None:
    bank = banks[stem]
    assert bank["id"] == stem
    assert set(bank) <= {spec.name for spec in BANK_KEYS}, set(bank)
    assert bank["title"].strip() and bank["description"].strip()
    assert bank["source"] == "rason-sez"
    assert bank["defaults"] == {"points": 1, "shuffle_choices": True}
    assert set(bank["defaults"]) <= {spec.name for spec in DEFAULTS_KEYS}


def test_question_count_and_kinds(banks: dict) -> None:
    questions = [q for _, q in _questions(banks)]
    assert len(questions) >= MIN_QUESTIONS
    assert {q["kind"] for q in questions} == set(KINDS)
    assert len(banks[EXAM_ID]["questions"]) == EXAM_SIZE


def test_bank_focus(banks: dict) -> None:
    """Each themed bank holds the kinds its brief promises."""

    def kinds(stem: str) -> set[str]:
        return {q["kind"] for q in banks[stem]["questions"]}

    assert {"date", "order"} <= kinds("rason-timeline")
    assert {"number", "choice"} <= kinds("rason-figures")
    assert {"match", "choice", "multi"} <= kinds("rason-who-said-what")
    assert {"text", "truefalse"} <= kinds("rason-people-places")


def test_exam_prompts_are_its_own(banks: dict) -> None:
    exam = {q["prompt"].strip() for q in banks[EXAM_ID]["questions"]}
    others = {q["prompt"].strip() for stem, q in _questions(banks) if stem != EXAM_ID}
    assert not (exam & others), exam & others


NEAR_SAME_WORDING = 0.8  # prompts this alike are one question, whatever they test
SAME_FACTS_WORDING = 0.65  # the same facts asked in words this alike, even as another kind


def _normalised(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def exam_near_duplicates(banks: dict[str, dict]) -> list[str]:
    """Exam questions that restate another bank's question instead of asking something new.

    A pair is flagged when the normalised prompts read almost the same (difflib ratio >= 0.8),
    or when both test exactly the same facts and either are of the same kind or are worded
    much alike (ratio >= 0.65): the same fact from the same angle.
    """
    others = [(stem, q) for stem, q in _questions(banks) if stem != EXAM_ID]
    found = []
    for question in banks[EXAM_ID]["questions"]:
        prompt = _normalised(question["prompt"])
        facts = set(question.get("facts", []))
        for stem, other in others:
            ratio = difflib.SequenceMatcher(
                None, prompt, _normalised(other["prompt"]), autojunk=False
            ).ratio()
            same_facts = bool(facts) and facts == set(other.get("facts", []))
            if ratio >= NEAR_SAME_WORDING or (
                same_facts and (question["kind"] == other["kind"] or ratio >= SAME_FACTS_WORDING)
            ):
                found.append(f"{question['id']} ~ {stem}:{other['id']} (ratio {ratio:.2f})")
    return found


def test_exam_questions_are_not_near_duplicates(banks: dict) -> None:
    assert exam_near_duplicates(banks) == []


def test_near_duplicate_check_catches_a_restated_question(banks: dict) -> None:
    """The check is not vacuous: a reworded copy of a figures question is caught."""
    original = next(q for q in banks["rason-figures"]["questions"] if q["id"] == "china-share")
    copy = {
        **original,
        "id": "copy",
        "prompt": "KOTRA says China had what share of the North's 2022 trade?",
    }
    tweaked = {**banks, EXAM_ID: {**banks[EXAM_ID], "questions": [copy]}}
    found = exam_near_duplicates(tweaked)
    assert any("rason-figures:china-share" in line for line in found), found


@pytest.mark.parametrize("stem", BANK_IDS)
def test_ids_and_prompts_unique_within_bank(banks: dict, stem: str) -> None:
    questions = banks[stem]["questions"]
    ids = Counter(q["id"] for q in questions)
    prompts = Counter(q["prompt"].strip() for q in questions)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [p for p, n in prompts.items() if n > 1] == []


def test_questions_are_complete(banks: dict, fact_ids: set[str]) -> None:
    for stem, q in _questions(banks):
        where = f"{stem}:{q.get('id')}"
        assert ID_RE.match(q["id"]), where
        assert q["kind"] in KINDS, where
        assert set(q) <= set(question_key_names(q["kind"])), (
            where,
            set(q) - set(question_key_names(q["kind"])),
        )
        for field in ANSWER_FIELDS[q["kind"]]:
            assert field in q, (where, field)
        assert isinstance(q["prompt"], str) and q["prompt"].strip(), where
        assert isinstance(q.get("explanation"), str) and q["explanation"].strip(), where
        assert q.get("tags") and all(ID_RE.match(tag) for tag in q["tags"]), where
        assert q.get("difficulty") in DIFFICULTIES, where
        assert q.get("facts"), where
        unknown = set(q["facts"]) - fact_ids
        assert not unknown, (where, unknown)


def test_answer_fields_are_sound(banks: dict) -> None:
    for stem, q in _questions(banks):
        where = f"{stem}:{q['id']}"
        kind = q["kind"]
        if kind == "choice":
            assert isinstance(q["answer"], str) and q["distractors"], where
            assert all(isinstance(d, str) for d in q["distractors"]), where
            assert q["answer"] not in q["distractors"], where
            assert len(set(q["distractors"])) == len(q["distractors"]), where
        elif kind == "multi":
            options = [*q["answers"], *q.get("distractors", [])]
            assert all(isinstance(o, str) for o in options), where
            assert len(set(options)) == len(options), where
        elif kind == "truefalse":
            assert isinstance(q["answer"], bool), where
        elif kind == "text":
            assert isinstance(q["answer"], str), where
            assert all(isinstance(a, str) for a in q.get("accept", [])), where
        elif kind == "number":
            assert isinstance(q["answer"], (int, float)) and not isinstance(q["answer"], bool), (
                where
            )
            tolerance = q.get("tolerance", 0)
            if isinstance(tolerance, str):
                assert re.fullmatch(r"\d+(\.\d+)?%", tolerance), where
            else:
                assert tolerance >= 0, where
            assert isinstance(q.get("unit"), str) and q["unit"], where
        elif kind == "date":
            assert isinstance(q["answer"], str) and DATE_RE.match(q["answer"]), where
        elif kind == "match":
            pairs = q["pairs"]
            assert len(pairs) >= 2, where
            assert all(
                len(pair) == 2 and all(isinstance(s, str) for s in pair) for pair in pairs
            ), where
            lefts = [left for left, _ in pairs]
            assert len(set(lefts)) == len(lefts), where
        elif kind == "order":
            items = q["items"]
            assert len(items) >= 2 and all(isinstance(i, str) for i in items), where
            assert len(set(items)) == len(items), where


def test_answers_agree_with_their_facts(seed: dict, banks: dict) -> None:
    """A date answer is the `when` of one of its facts, a number the `value` of one: no guessing."""
    facts = {fact["id"]: fact for fact in seed["facts"]}
    for stem, q in _questions(banks):
        where = f"{stem}:{q['id']}"
        mine = [facts[f] for f in q["facts"]]
        if q["kind"] == "date":
            assert q["answer"] in {f.get("when") for f in mine}, where
        if q["kind"] == "number":
            assert q["answer"] in {f.get("value") for f in mine}, where


def test_paragraphs(seed: dict, banks: dict) -> None:
    facts = {fact["id"]: fact for fact in seed["facts"]}
    count = len(_article_paragraphs()) if ARTICLE.is_file() else None
    for fact in seed["facts"]:
        assert fact["paragraph"] >= 1, fact["id"]
        if count is not None:
            assert fact["paragraph"] <= count, fact["id"]
    for stem, q in _questions(banks):
        where = f"{stem}:{q['id']}"
        paragraph = q.get("paragraph")
        assert isinstance(paragraph, int) and not isinstance(paragraph, bool), where
        assert paragraph >= 1, where
        if count is not None:
            assert paragraph <= count, where
        assert paragraph in {facts[f]["paragraph"] for f in q["facts"]}, where


def test_article_paragraph_rule() -> None:
    if not ARTICLE.is_file():
        pytest.skip("the source article is not beside this checkout")
    paragraphs = _article_paragraphs()
    assert paragraphs[0].startswith("The Rason Special Economic Zone")
    assert len(paragraphs) == 27


# --- loading through the project's own loader ---------------------------------------------------


@pytest.mark.parametrize("stem", BANK_IDS)
def test_loader_accepts_bank(stem: str) -> None:
    try:
        from quiz.loader import load_bank
    except ImportError:
        pytest.skip("quiz.loader.load_bank is not written yet")
    bank = load_bank(BANKS_DIR / f"{stem}.yaml")
    assert bank.id == stem
    assert bank.source == "rason-sez"
    assert len(bank.questions) == len(_load(BANKS_DIR / f"{stem}.yaml")["questions"])


def test_loader_accepts_seed() -> None:
    try:
        from quiz.loader import load_source
    except ImportError:
        pytest.skip("quiz.loader.load_source is not written yet")
    source = load_source(SEED_PATH)
    assert source.id == "rason-sez"
    assert len(source.facts) == len(_load(SEED_PATH)["facts"])


# --- the article's wording stays out -----------------------------------------------------------

WORD = re.compile(r"[a-z0-9]+")
RUN = 9


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("\u2019", "'"))


def _strings(node, skip_title: bool = False):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if skip_title and key == "title":
                continue  # the seed's title is the headline, which may be cited as it stands
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def test_no_article_sentences_in_yaml_values(seed: dict, banks: dict) -> None:
    """Stricter than the line-based tool: folded YAML strings are checked whole."""
    if not ARTICLE.is_file():
        pytest.skip("the source article is not beside this checkout")
    lines = [line for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    headline = lines[1]
    article = _words(" ".join(line for line in lines if line != headline))
    shingles = {tuple(article[i : i + RUN]) for i in range(len(article) - RUN + 1)}
    found = []
    texts = [("seed", s) for s in _strings(seed, skip_title=True)]
    texts += [(stem, s) for stem, bank in banks.items() for s in _strings(bank)]
    for where, text in texts:
        words = _words(text)
        for i in range(len(words) - RUN + 1):
            if tuple(words[i : i + RUN]) in shingles:
                found.append((where, " ".join(words[i : i + RUN])))
                break
    assert not found, found


def test_article_overlap_tool_is_silent() -> None:
    if not OVERLAP_TOOL.is_file() or not ARTICLE.is_file() or shutil.which("git") is None:
        pytest.skip("article_overlap.py (or git) is not available")
    result = subprocess.run(
        [sys.executable, str(OVERLAP_TOOL), str(ROOT)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout
