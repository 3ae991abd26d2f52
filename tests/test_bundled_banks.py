"""The bundled Rason banks and their source record: structure, facts, accuracy hooks, wording.

These tests read the YAML with `yaml.safe_load`, so they hold even while the loader is being
written; when `quiz.bank.loader` exists they also load every bank through it.
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

from quiz.bank.model import (
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


# --- the fact-check corrections (issue 15) ------------------------------------------------------


def _bank_question(banks: dict, stem: str, qid: str) -> dict:
    return next(q for q in banks[stem]["questions"] if q["id"] == qid)


def _fact(seed: dict, fact_id: str) -> dict:
    return next(fact for fact in seed["facts"] if fact["id"] == fact_id)


def _shown_texts(question: dict) -> list[str]:
    """What a learner sees of a question: prompt, options, explanation, feedback."""
    return [text for _, texts in _shown_fields(question) for text in texts]


COAL_SENTENCE = "russia-coal-oil-grain"
JEONG_WORDS = ("jeong", "eunlee", "korea institute for national unification")


def test_coal_oil_grain_sentence_has_no_speaker(seed: dict) -> None:
    """Paragraph 6's sentence on what Russia can sell has no attribution of its own."""
    fact = _fact(seed, COAL_SENTENCE)
    assert fact["paragraph"] == 6
    assert "coal" in fact["statement"] and "grain" in fact["statement"]
    assert "speaker" not in fact and "source" not in fact
    assert fact.get("attribution") == "uncertain"
    others = [f["id"] for f in seed["facts"] if f["id"] != COAL_SENTENCE]
    assert not [i for i in others if re.search(r"coal.*oil.*grain", _fact(seed, i)["statement"])]


def test_no_question_credits_the_coal_oil_grain_sentence(banks: dict) -> None:
    for stem, q in _questions(banks):
        where = f"{stem}:{q['id']}"
        texts = [_normalised(text) for text in _shown_texts(q)]
        if COAL_SENTENCE in q["facts"]:
            # a question on the sentence names no speaker for it
            assert not any(word in text for text in texts for word in JEONG_WORDS), where
        for text in texts:
            if "coal" in text.split():
                # nor does any question give it to Jeong (or anyone) as a view
                assert not re.search(r"\b(jeong|eunlee)\b", text), (where, text)
    jeong = _bank_question(banks, "rason-who-said-what", "jeong-views")
    assert COAL_SENTENCE not in jeong["facts"]
    assert not any("coal" in _normalised(a).split() for a in jeong["answers"])
    assert set(jeong["facts"]) >= {"jeong-russian-tourists", "jeong-labourers-goods"}
    lee = _bank_question(banks, "rason-who-said-what", "lee-views")
    assert "coal" not in _normalised(lee["explanation"]).split()


def test_kozlov_channel_asks_about_the_november_talks(banks: dict) -> None:
    """Kozlov reports two sets of talks; the Telegram channel belongs to the November ones."""
    q = _bank_question(banks, "rason-people-places", "kozlov-channel")
    assert "november" in _normalised(q["prompt"]).split()
    assert q["answer"] == "Telegram"


def test_choi_year_is_the_year_he_saw_the_tourists(seed: dict, banks: dict) -> None:
    q = _bank_question(banks, "rason-timeline", "choi-tourists-year")
    prompt = _normalised(q["prompt"])
    assert re.search(r"\bwhich year did (pastor )?(abraham )?choi see\b", prompt), prompt
    assert not re.search(r"\b(say|said)\b", prompt), prompt
    statement = _normalised(_fact(seed, "choi-tourists-2015")["statement"])
    assert "saw" in statement.split() and not statement.startswith("in 2015 choi reported")
    story = _normalised(_bank_question(banks, "rason-timeline", "rason-story-order")["explanation"])
    assert "sighting" in story.split() and "choi s report" not in story


def test_ships_question_tests_the_direction_of_travel(banks: dict) -> None:
    q = _bank_question(banks, "rason-exam", "ships-thought-to-carry")
    options = [q["answer"], *q["distractors"]]
    assert all("military supplies" in _normalised(o) for o in options), options
    assert "military linked" not in _normalised(q["prompt"])
    assert _normalised(q["answer"]).endswith("from north korea to russia")
    assert "Military supplies going from Russia to North Korea" in q["distractors"]


def test_visiting_leader_attributes_the_satellite_observation(banks: dict) -> None:
    q = _bank_question(banks, "rason-exam", "visiting-leader")
    prompt = _normalised(q["prompt"])
    assert "researcher citing satellite data says" in prompt, prompt
    assert not prompt.startswith("satellite data showed")
    assert "chung-train-carriages" in q["facts"]


def test_barrels_source_explanation_leaves_out_the_customs_statistics(banks: dict) -> None:
    q = _bank_question(banks, "rason-figures", "barrels-source")
    explanation = _normalised(q["explanation"])
    assert "customs" not in explanation and "statistics" not in explanation
    assert q["answer"] == "United Nations data"


def _accepted(q: dict) -> list[str]:
    return [q["answer"], *q.get("accept", [])]


def test_short_name_question_accepts_only_the_short_name(banks: dict) -> None:
    q = _bank_question(banks, "rason-people-places", "kotra-abbreviation")
    assert [_normalised(a) for a in _accepted(q)] == ["kotra"]


@pytest.mark.parametrize(
    ("qid", "name", "abbreviation"),
    [
        ("jeong-institute", "Korea Institute for National Unification", "kinu"),
        ("chung-institute", "Korea Institute for Security Strategy", "kiss"),
    ],
)
def test_institute_names_accept_only_the_articles_name(
    banks: dict, qid: str, name: str, abbreviation: str
) -> None:
    """The article never abbreviates these institutes: accept its name, with or without "the"."""
    q = _bank_question(banks, "rason-people-places", qid)
    article = ARTICLE.read_text(encoding="utf-8") if ARTICLE.is_file() else name
    assert name in article
    for accepted in _accepted(q):
        assert _normalised(accepted) in {_normalised(name), "the " + _normalised(name)}, accepted
        assert abbreviation not in _normalised(accepted).split()


def test_population_fact_names_its_source(seed: dict) -> None:
    fact = _fact(seed, "rason-population")
    assert "Lee Chan-woo" in (fact.get("source") or "")
    assert _fact(seed, "lee-timber-hub")["paragraph"] == fact["paragraph"]


def test_mobile_network_fact_says_what_the_article_says(seed: dict) -> None:
    fact = _fact(seed, "rason-first-mobile-network")
    assert "mobile network" in fact["statement"] and "phone" not in fact["statement"].lower()


def test_questions_cite_their_first_facts_paragraph(seed: dict, banks: dict) -> None:
    """A question drawing on several paragraphs cites the one of its first fact (first item)."""
    paragraphs = {fact["id"]: fact["paragraph"] for fact in seed["facts"]}
    wrong = [
        f"{stem}:{q['id']} cites {q['paragraph']}, its first fact is in {paragraphs[q['facts'][0]]}"
        for stem, q in _questions(banks)
        if q["paragraph"] != paragraphs[q["facts"][0]]
    ]
    assert wrong == []
    assert _bank_question(banks, "rason-figures", "figures-size-order")["paragraph"] == 21
    assert _bank_question(banks, "rason-exam", "organisations-roles")["paragraph"] == 9


@pytest.mark.parametrize(
    ("fact_id", "paragraph"),
    [("rason-rebirth-signs", 3), ("lee-years-of-limits", 26), ("lee-businesses-collapsed", 27)],
)
def test_the_last_coverage_gaps_are_tested(
    seed: dict, banks: dict, fact_id: str, paragraph: int
) -> None:
    """The "rebirth" claim, the years of limits before the hope, the businesses that collapsed."""
    assert _fact(seed, fact_id)["paragraph"] == paragraph
    testing = [q for _, q in _questions(banks) if fact_id in q["facts"]]
    assert testing, fact_id
    assert any(q["paragraph"] == paragraph for q in testing), fact_id


# --- no question gives away another's answer -----------------------------------------------------
#
# Within one bank, no question's prompt, options, explanation or feedback may contain another
# question's answer. The comparison is the library's (`quiz.bank.giveaways`, lint's `gives-away`
# rule): a text answer (or an accepted alias) as whole normalised words (NFKD, no accents,
# case-folded, letters and digits only, so "Kim Jong-un" is "Kim Jong Un"), a choice answer
# likewise (a leading "the"/"a"/"an" dropped), each answer of a multi question likewise, a number
# by value (67,300 = 67 300 = 67.3k = 67.3 thousand; 97% = 97; "two" = 2), a date at its
# precision (a year as a whole number, 1991 but not 1990s; a month as "December 2022", "Dec.
# 2022" or "2022-12"). A choice or multi answer does not count as given away where the same
# field also names one of that question's distractors ("Was it X or Y?", a list of names): the
# text then does not single it out. True/false, match and order answers have no words to find.
# A pair the author keeps on purpose is listed under `reveals:` and is not reported here.


def _as_bank(bank: dict):  # type: ignore[no-untyped-def]
    """A bank given as plain data (made-up questions may leave out title and the rest), loaded."""
    from quiz.bank.loader import load_bank_text

    data = {"title": "Made up", **bank}
    data["questions"] = [{"prompt": "?", **q} for q in bank["questions"]]
    data.pop("source", None)  # the checks need no facts
    return load_bank_text(yaml.safe_dump(data, sort_keys=False), f"<{bank['id']}>")


def given_away(texts: list[str], q: dict) -> str | None:
    """The part of q's answer that the texts (one field of another question) give away, if any."""
    from quiz.bank import giveaways as library

    (question,) = _as_bank({"id": "one", "questions": [q]}).questions
    return library.given_away(texts, question)


def _shown_fields(q: dict):
    yield "prompt", [q["prompt"]]
    kind = q["kind"]
    if kind == "choice":
        yield "options", [q["answer"], *q["distractors"]]
    elif kind == "multi":
        yield "options", [*q["answers"], *q.get("distractors", [])]
    elif kind == "match":
        yield "options", [side for pair in q["pairs"] for side in pair]
    elif kind == "order":
        yield "options", list(q["items"])
    if q.get("explanation"):
        yield "explanation", [q["explanation"]]
    if q.get("feedback"):
        yield "feedback", [str(message) for message in q["feedback"].values()]


def giveaways(bank: dict) -> list[str]:
    """Every pair of questions of the bank where one shows the other's answer (bar `reveals:`)."""
    from quiz.bank.giveaways import find_giveaways

    return [
        f"{g.shown.id} ({g.field}) gives away {g.asked.id}: {g.part!r}"
        for g in find_giveaways(_as_bank(bank))
        if not g.declared
    ]


@pytest.mark.parametrize("stem", BANK_IDS)
def test_no_question_gives_away_another(banks: dict, stem: str) -> None:
    assert giveaways(banks[stem]) == []


def _made_up_bank(*questions: dict) -> dict:
    return {"id": "made-up", "questions": list(questions)}


def test_giveaway_check_catches_the_pairs_issue_15_found() -> None:
    """Questions as the bundled banks had them before the rewrite: each pair is caught."""
    china_share = {
        "id": "china-share",
        "kind": "number",
        "prompt": "What share of North Korea's total trade in 2022 came from China, "
        "according to KOTRA?",
        "answer": 97,
        "unit": "%",
    }
    china_share_source = {
        "id": "china-share-source",
        "kind": "choice",
        "prompt": "Which body reported that 97% of North Korea's 2022 trade came from China?",
        "answer": "KOTRA",
        "distractors": ["United Nations data", "The Russian Federal Customs Service"],
    }
    barrels_source = {
        "id": "barrels-source",
        "kind": "choice",
        "prompt": "To what source does the article attribute the 67,300-barrel figure?",
        "answer": "United Nations data",
        "distractors": ["South Korean military officials", "The Russian Federal Customs Service"],
    }
    petroleum_barrels = {
        "id": "petroleum-barrels",
        "kind": "number",
        "prompt": "How many barrels had Russia shipped to North Korea by April?",
        "answer": 67300,
        "unit": "barrels",
        "explanation": "Some 67.3k barrels, by April.",
    }
    found = giveaways(_made_up_bank(china_share, china_share_source, barrels_source))
    assert "china-share (prompt) gives away china-share-source: 'KOTRA'" in found
    assert "china-share-source (prompt) gives away china-share: '97'" in found
    found = giveaways(_made_up_bank(barrels_source, petroleum_barrels))
    assert "barrels-source (prompt) gives away petroleum-barrels: '67300'" in found
    assert "petroleum-barrels (explanation) gives away barrels-source: '67300'" not in found

    declared = {"id": "zone-declared-year", "kind": "date", "prompt": "When?", "answer": "1991"}
    followed = {
        "id": "declaration-followed",
        "kind": "choice",
        "prompt": "Which event does the article say Rason's 1991 declaration followed?",
        "answer": "The fall of the Soviet Union",
        "distractors": ["The pandemic-era border closures"],
    }
    assert giveaways(_made_up_bank(declared, followed)) == [
        "declaration-followed (prompt) gives away zone-declared-year: '1991'"
    ]
    month = {
        "id": "kozlov-meeting-month",
        "kind": "choice",
        "prompt": "In which month did Kozlov meet North Korean officials?",
        "answer": "November",
        "distractors": ["October", "June"],
    }
    meat = {
        "id": "meat-deliveries-when",
        "kind": "choice",
        "prompt": "By Kozlov's account of his November talks, when were the meat deliveries?",
        "answer": "In the year after the talks",
        "distractors": ["Two years after the talks"],
    }
    assert giveaways(_made_up_bank(month, meat)) == [
        "meat-deliveries-when (prompt) gives away kozlov-meeting-month: 'November'"
    ]
    university = {
        "id": "lee-university",
        "kind": "text",
        "prompt": "At which university does Lee Chan-woo work?",
        "answer": "Teikyo University",
        "accept": ["Teikyo"],
    }
    city = {
        "id": "teikyo-city",
        "kind": "text",
        "prompt": "In which city is Teikyo University, where Lee Chan-woo works?",
        "answer": "Tokyo",
    }
    assert giveaways(_made_up_bank(university, city)) == [
        "teikyo-city (prompt) gives away lee-university: 'Teikyo University'"
    ]


def test_giveaway_check_compares_whole_words_and_values() -> None:
    number = {
        "id": "n",
        "kind": "number",
        "prompt": "How many?",
        "answer": 200000,
        "unit": "people",
    }
    for text in ("roughly 200,000", "200 000 people", "200k", "0.2 million", "200 thousand"):
        assert given_away([text], number) == "200000", text
    for text in ("1,200,000 people", "2,000 containers", "200,0001", "a 200000th time"):
        assert given_away([text], number) is None, text
    two = {"id": "two", "kind": "number", "prompt": "How many?", "answer": 2, "unit": "experts"}
    assert given_away(["two experts"], two) == "2"
    assert given_away(["about 2,000 containers", "in 2022"], two) is None
    share = {"id": "s", "kind": "number", "prompt": "What share?", "answer": 97, "unit": "%"}
    assert given_away(["a 97% share"], share) == "97"
    assert given_away(["1997", "9.7", "970"], share) is None
    year = {"id": "y", "kind": "date", "prompt": "When?", "answer": "1991"}
    assert given_away(["declared in 1991."], year) == "1991"
    assert given_away(["in the 1990s", "19910", "1,991"], year) is None
    month = {"id": "m", "kind": "date", "prompt": "When?", "answer": "2022-12"}
    for text in ("in December 2022", "Dec. 2022", "December, 2022", "2022-12", "12/2022"):
        assert given_away([text], month) == "2022-12", text
    assert given_away(["late 2022", "December 2023", "in December"], month) is None
    name = {"id": "t", "kind": "text", "prompt": "Who?", "answer": "Jeong Eunlee"}
    for text in ("Jeong Eun-lee said", "JEONG EUNLEE", "jeong eun lee", "Jéong Eunlee"):
        assert given_away([text], name) == "Jeong Eunlee", text
    assert given_away(["Jeong said", "Jeong Eunlees"], name) is None
    city = {"id": "c", "kind": "text", "prompt": "Where?", "answer": "Tokyo"}
    assert given_away(["Tokyoites"], city) is None
    assert given_away(["in Tokyo, Japan"], city) == "Tokyo"
    choice = {
        "id": "who",
        "kind": "choice",
        "prompt": "Who?",
        "answer": "Lee Chan-woo",
        "distractors": ["Abraham Choi", "Jeong Eunlee"],
    }
    assert given_away(["Lee Chan-woo said so"], choice) == "Lee Chan-woo"
    assert given_away(["Lee Chan-woo", "Jeong Eunlee", "Cho Sung-chan"], choice) is None
    multi = {
        "id": "areas",
        "kind": "multi",
        "prompt": "Which?",
        "answers": ["Food", "Energy"],
        "distractors": ["Tourism"],
    }
    assert given_away(["help with food and energy"], multi) == "Food"
    assert given_away(["food, energy or tourism?"], multi) is None
    month_word = {
        "id": "w",
        "kind": "choice",
        "prompt": "Which month?",
        "answer": "May",
        "distractors": ["June"],
    }
    assert given_away(["what may be new"], month_word) == "May"  # whole words, whatever they mean


# --- loading through the project's own loader ---------------------------------------------------


@pytest.mark.parametrize("stem", BANK_IDS)
def test_loader_accepts_bank(stem: str) -> None:
    try:
        from quiz.bank.loader import load_bank
    except ImportError:
        pytest.skip("quiz.bank.loader.load_bank is not written yet")
    bank = load_bank(BANKS_DIR / f"{stem}.yaml")
    assert bank.id == stem
    assert bank.source == "rason-sez"
    assert len(bank.questions) == len(_load(BANKS_DIR / f"{stem}.yaml")["questions"])


def test_loader_accepts_seed() -> None:
    try:
        from quiz.bank.loader import load_source
    except ImportError:
        pytest.skip("quiz.bank.loader.load_source is not written yet")
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
