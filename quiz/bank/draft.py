"""`quiz banks draft`: candidate questions from a plain-text article, for an author to review.

The article is read as lines: every non-empty line is a paragraph, counted from 1, after the
heading: the leading lines that do not end as a sentence ends (an outlet's name, a headline,
the headline again) are not paragraphs and are not read. `skip=N` says instead that the first N
non-empty lines are the heading. Each paragraph is cut into sentences, and each sentence gives:

- a `number` question per figure ("67,300 barrels", "97%", "$1.5 billion", "2.4 million"):
  the figure is blanked out and is the answer, with its unit (%, or the currency);
- a `date` question per date, at the precision the text gives and never more: "5 December
  2022" is 2022-12-05, "December 2022" is 2022-12, "in 1991" is 1991; a day and month with
  no year, or a decade ("the 1990s"), gives nothing;
- a "who said it" question per attributed statement (`X said`, `said X`, `according to X`,
  `X stated`, `X reported`, `X claims`, and a quotation followed by one of those): a `choice`
  whose distractors are the other speakers of the article, or a `text` question when the
  article has no other speaker.

Every question carries `draft: true` and the `paragraph` it comes from; the loader warns about
drafts until an author has rewritten each one in their own words and removed the flag.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from quiz.bank.model import (
    Bank,
    ChoiceQuestion,
    DateQuestion,
    NumberQuestion,
    PartialDate,
    Question,
    TextQuestion,
    format_number,
)
from quiz.grading.dates import MONTH_NAMES, month_number

BLANK = "_____"
MAX_DISTRACTORS = 3


@dataclass(frozen=True)
class Paragraph:
    number: int  # counted from 1, after the skipped header lines
    line: int  # line of the file, from 1
    text: str


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str | None
    start: int
    end: int


@dataclass(frozen=True)
class FoundDate:
    date: PartialDate
    start: int
    end: int


@dataclass(frozen=True)
class Attribution:
    speaker: str
    statement: str
    quoted: bool


_SENTENCE_END = (".", "!", "?", '"', "'", "\u201d", "\u2019", ":", ";", ")")


def heading_lines(text: str) -> int:
    """How many leading non-empty lines are a heading: short, and not ended like a sentence."""
    count = 0
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        if len(words) > 20 or line.rstrip().endswith(_SENTENCE_END):
            break
        count += 1
    return count


def paragraphs(text: str, skip: int | None = None) -> list[Paragraph]:
    """Each non-empty line is a paragraph, counted from 1 after the first `skip` of them
    (None: after the heading lines, as `heading_lines` finds them)."""
    if skip is None:
        skip = heading_lines(text)
    found = []
    seen = 0
    for line_number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        seen += 1
        if seen <= skip:
            continue
        found.append(Paragraph(seen - skip, line_number, " ".join(line.split())))
    return found


# -- sentences ----------------------------------------------------------------------------------

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "jr",
    "sr",
    "no",
    "vs",
    "etc",
    "gen",
    "gov",
    "sen",
    "rep",
    "col",
    "lt",
    "capt",
    "inc",
    "ltd",
    "co",
    "corp",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
_BREAK = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph (a full stop after `Mr`, `Dec` or an initial is no end)."""
    pieces: list[str] = []
    start = 0
    for match in _BREAK.finditer(paragraph):
        before = paragraph[start : match.start()].rstrip('"”’)')
        last = re.search(r"(\S+)\.$", before)
        if last:
            word = last.group(1).lower().strip('("“‘')
            if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]|(?:[a-z]\.)+[a-z]", word):
                continue
        end = match.start() + len(match.group(0).rstrip())
        pieces.append(paragraph[start:end].strip())
        start = match.end()
    pieces.append(paragraph[start:].strip())
    return [p for p in pieces if p]


# -- dates ----------------------------------------------------------------------------------------

# The words `month_number` reads (names, abbreviations, "Sept"), from the one month table:
# English whatever the locale (`calendar.month_name` follows it).
_MONTH_WORDS = sorted(
    {w.lower() for name in MONTH_NAMES for w in (name, name[:3])} | {"sept"}, key=len, reverse=True
)
_MONTH = r"(?P<month>(?:" + "|".join(_MONTH_WORDS) + r")\.?)"
_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d|2100)"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE
    ),
    re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"(?<![\d,.$€£¥-]){_YEAR}(?!\d|,\d|\.\d|%|s\b|'s\b|\s*(?:per\s*cent|percent))"),
]


def dates(sentence: str) -> list[FoundDate]:
    """The dates in a sentence, each at the precision written, in order, not overlapping."""
    found: list[FoundDate] = []
    # Spans already read, as dates or as impossible ones: disjoint, kept in order (starts and
    # ends alike), so one bisection finds the only one a match could overlap. (A scan of them
    # all made a sentence of 8,000 years take 2.8 s, growing with the square.)
    starts: list[int] = []
    ends: list[int] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(sentence):
            before = bisect.bisect_left(starts, match.end())  # spans starting before its end
            if before and ends[before - 1] > match.start():
                continue
            starts.insert(before, match.start())
            ends.insert(before, match.end())
            date = _date_of(match)
            if date is not None and not _is_figure_year(sentence, match):
                found.append(FoundDate(date, match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


def _date_of(match: re.Match[str]) -> PartialDate | None:
    groups = match.groupdict()
    year = int(groups["year"])
    month: int | None = None
    if groups.get("mnum"):
        month = int(groups["mnum"])
    elif groups.get("month"):
        month = month_number(groups["month"])
        if month is None:
            return None
    day = int(groups["day"]) if groups.get("day") else None
    try:
        _dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def _is_figure_year(sentence: str, match: re.Match[str]) -> bool:
    """A bare four-digit number followed by a unit word is a figure ("2000 tonnes"), not a year."""
    if match.re is not _DATE_PATTERNS[-1]:
        return False
    after = sentence[match.end() :]
    unit = re.match(r"\s+([a-z]+)", after)
    return bool(unit and unit.group(1) in _UNIT_WORDS)


# -- figures --------------------------------------------------------------------------------------

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_CURRENCIES = {"$": "US dollars", "us$": "US dollars", "€": "euros", "£": "pounds", "¥": "yen"}
_UNIT_WORDS = {
    "tons",
    "tonnes",
    "barrels",
    "people",
    "workers",
    "kilometres",
    "kilometers",
    "km",
    "miles",
    "metres",
    "meters",
    "dollars",
    "euros",
    "yuan",
    "won",
    "rubles",
    "roubles",
    "vehicles",
    "ships",
    "containers",
    "trains",
    "carriages",
    "visitors",
    "tourists",
    "companies",
    "firms",
    "years",
    "days",
    "months",
    "hours",
    "times",
    "units",
    "cars",
    "trucks",
    "hectares",
}
_FIGURE = re.compile(
    r"(?P<currency>US\$|\$|€|£|¥)?"
    r"(?<![\w.,])(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?(?![\d,]\d)"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion)\b)?"
    r"(?P<percent>\s*%|\s+per\s*cent\b|\s+percent\b)?",
    re.IGNORECASE,
)


def figures(sentence: str, skip: list[FoundDate] | None = None) -> list[Figure]:
    """The figures of a sentence, apart from the spans of `skip` (its dates)."""
    skip = skip if skip is not None else dates(sentence)
    found = []
    for match in _FIGURE.finditer(sentence):
        if any(d.start < match.end() and match.start() < d.end for d in skip):
            continue
        if re.match(
            r"[A-Za-z]", sentence[match.end("number") + len(match.group("fraction") or "") :][:1]
        ) and not match.group("scale"):
            continue  # "5th", "3km", "G20": not a figure to ask about
        value = float(match.group("number").replace(",", "") + (match.group("fraction") or ""))
        if match.group("scale"):
            value *= _SCALES[match.group("scale").lower()]
        unit: str | None = None
        if match.group("percent"):
            unit = "%"
        elif match.group("currency"):
            unit = _CURRENCIES[match.group("currency").lower()]
        else:
            following = re.match(r"\s+(?:of\s+)?([a-z]+)", sentence[match.end() :])
            if following and following.group(1) in _UNIT_WORDS:
                unit = following.group(1)
        found.append(Figure(value, unit, match.start(), match.end()))
    return found


# -- who said it ---------------------------------------------------------------------------------

_VERBS = (
    r"(?:said|says|stated|states|reported|reports|claims|claimed|told|added|noted|"
    r"wrote|argued|warned|explained)"
)
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|[A-Z]{2,})"
_SPEAKER = rf"(?P<speaker>{_NAME_WORD}(?:\s+(?:of\s+|de\s+|van\s+)?{_NAME_WORD}){{0,4}})"
_QUOTE = r"[\"“](?P<quote>[^\"”]{3,}?)[,.!?]?[\"”]"
_ATTRIBUTIONS = [
    # "Trade will grow," said Ana Reyes. / "Trade will grow," Ana Reyes said.
    re.compile(rf"{_QUOTE}\s*,?\s*{_VERBS}\s+{_SPEAKER}"),
    re.compile(rf"{_QUOTE}\s*,?\s*{_SPEAKER}\s+{_VERBS}"),
    # According to the Harbour Office, trade doubled.
    re.compile(rf"^[Aa]ccording to (?:the\s+)?{_SPEAKER}(?:'s?)?(?:\s+[a-z]+)?,\s*(?P<clause>.+)$"),
    # Trade doubled, according to the Harbour Office.
    re.compile(rf"^(?P<clause>.+?),\s*according to (?:the\s+)?{_SPEAKER}"),
    # Ana Reyes, a trader, said (that) trade doubled. / Ana Reyes said: "..."
    re.compile(
        rf"(?:^|(?<=[\s(]))(?:The\s+)?{_SPEAKER}(?:,[^,]{{2,80}},)?\s+{_VERBS}"
        rf"(?:\s+(?:on|in|last|this)\s+\w+)?(?:\s+that|:)?\s+(?P<clause>.+)$"
    ),
    # Trade doubled, Ana Reyes said. / Trade doubled, said Ana Reyes.
    re.compile(rf"^(?P<clause>.+?),\s*(?:the\s+)?{_SPEAKER}\s+{_VERBS}\.?$"),
    re.compile(rf"^(?P<clause>.+?),\s*{_VERBS}\s+(?:the\s+)?{_SPEAKER}\.?$"),
]
_NOT_SPEAKERS = {
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "you",
    "this",
    "that",
    "there",
    "the",
    "a",
    "an",
    "his",
    "her",
    "their",
    "its",
    "who",
    "which",
    "what",
    "experts",
    "officials",
    "analysts",
    "reports",
    "report",
    "data",
    "some",
    "many",
    "others",
    "critics",
    "but",
    "and",
    "also",
}


def attributions(sentence: str) -> list[Attribution]:
    """Statements with their speakers in a sentence (the first pattern that fits)."""
    for pattern in _ATTRIBUTIONS:
        match = pattern.search(sentence)
        if not match:
            continue
        speaker = _speaker(match.group("speaker"))
        if speaker is None:
            continue
        groups = match.groupdict()
        quoted = bool(groups.get("quote"))
        statement = groups.get("quote") or groups.get("clause") or ""
        quote = re.search(_QUOTE, statement)
        if quote and not quoted:
            statement, quoted = quote.group("quote"), True
        statement = statement.strip().strip('"“”').rstrip(".,;: ").strip()
        if len(statement.split()) < 2:
            continue
        return [Attribution(speaker, statement, quoted)]
    return []


_TITLES = {
    "mayor",
    "engineer",
    "president",
    "minister",
    "dr",
    "dr.",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "prof",
    "prof.",
    "professor",
    "senator",
    "governor",
    "director",
    "chairman",
    "chair",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "analyst",
    "expert",
    "official",
    "deputy",
    "ambassador",
    "general",
    "chief",
    "economist",
    "researcher",
    "captain",
    "judge",
    "sir",
    "pastor",
    "reverend",
    "father",
    "rabbi",
    "imam",
}


def _speaker(raw: str | None) -> str | None:
    if not raw:
        return None
    words = raw.replace("’", "'").split()
    while words and words[0].lower() in _NOT_SPEAKERS | _TITLES and len(words) > 1:
        words = words[1:]
    if words and words[0].lower() in _NOT_SPEAKERS:
        words = words[1:]
    while words and words[-1].lower() in _NOT_SPEAKERS:
        words = words[:-1]
    if words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    name = " ".join(words).strip(".,")
    if not name or name.lower() in _NOT_SPEAKERS or month_number(name) is not None:
        return None
    return name


def _canonical_speakers(names: list[str]) -> dict[str, str]:
    """Each name to the fullest form the article uses: `Reyes` -> `Ana Reyes`."""
    # `Reyes` is Ana Reyes; `Kim` is Kim Soo-ah (family name first). Every name is filed under
    # each of its first and last runs of words, keeping the two longest (the earlier on a tie):
    # one look-up a name, where comparing every pair took 42 s for 8,000 speakers.
    best: dict[tuple[bool, tuple[str, ...]], list[tuple[int, int, str]]] = {}
    for index, other in enumerate(names):
        words = other.split()
        for size in range(1, len(words) + 1):
            for key in ((False, tuple(words[:size])), (True, tuple(words[-size:]))):
                kept = best.setdefault(key, [])
                kept.append((-len(other), index, other))
                kept.sort()
                del kept[2:]
    mapping = {}
    for name in names:
        own = tuple(name.split())
        found = [
            entry
            for key in ((False, own), (True, own))
            for entry in best.get(key, ())
            if entry[2] != name
        ]
        mapping[name] = min(found)[2] if found else name
    return mapping


# -- the draft bank ------------------------------------------------------------------------------


def _slug(text: str) -> str:
    from quiz.formats.gift import slug

    return slug(text, 40) or "q"


def _blanked(sentence: str, start: int, end: int) -> str:
    return sentence[:start] + BLANK + sentence[end:]


def _precision_hint(date: PartialDate) -> str:
    return {"year": "a year", "month": "a month and year", "day": "a full date"}[date.precision]


class UniqueIds:
    """Question ids made unique: `base`, then `base-2`, `base-3`... Each base remembers the
    next number to try, so a base drafted n times costs n steps, not n x n (an article
    repeating one figure 8,000 times took 16 s, and grew with the square)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self._next: dict[str, int] = {}

    def new(self, base: str) -> str:
        candidate, n = base, self._next.get(base, 2)
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self._next[base] = n
        self.taken.add(candidate)
        return candidate


def draft_questions(text: str, skip: int | None = None) -> list[Question]:
    """Candidate questions from an article's text (see the module's docstring)."""
    found: list[tuple[Paragraph, str, list[FoundDate], list[Figure], list[Attribution]]] = []
    for paragraph in paragraphs(text, skip):
        for sentence in sentences(paragraph.text):
            in_sentence = dates(sentence)
            found.append(
                (
                    paragraph,
                    sentence,
                    in_sentence,
                    figures(sentence, in_sentence),
                    attributions(sentence),
                )
            )
    speakers = _canonical_speakers(
        list(dict.fromkeys(a.speaker for *_, said in found for a in said))
    )
    all_speakers = list(dict.fromkeys(speakers.values()))
    new_id = UniqueIds().new

    questions: list[Question] = []
    for paragraph, sentence, in_sentence, numbers, said in found:
        where = f"paragraph {paragraph.number}"
        for figure in numbers:
            shown = format_number(figure.value) + (
                "%" if figure.unit == "%" else f" {figure.unit}" if figure.unit else ""
            )
            questions.append(
                NumberQuestion(
                    id=new_id(f"figure-p{paragraph.number}-{_slug(format_number(figure.value))}"),
                    prompt="What figure is missing, according to the article? "
                    + f'"{_blanked(sentence, figure.start, figure.end)}"',
                    answer=figure.value,
                    unit=figure.unit,
                    explanation=f"The article gives {shown} ({where}).",
                    draft=True,
                    paragraph=paragraph.number,
                )
            )
        for found_date in in_sentence:
            questions.append(
                DateQuestion(
                    id=new_id(f"date-p{paragraph.number}-{found_date.date}"),
                    prompt=f"What date is missing ({_precision_hint(found_date.date)}), according"
                    f' to the article? "{_blanked(sentence, found_date.start, found_date.end)}"',
                    answer=found_date.date,
                    explanation=f"The article gives {found_date.date} ({where}).",
                    draft=True,
                    paragraph=paragraph.number,
                )
            )
        for attribution in said:
            speaker = speakers[attribution.speaker]
            statement = f'"{attribution.statement}"'
            prompt = (
                "Who said this, according to the article? "
                if attribution.quoted
                else "Who said or reported this, according to the article? "
            ) + statement
            # the first few others are all a question uses (listing every one, for each of
            # thousands of attributions, grew with the square)
            others = list(
                islice(
                    (s for s in all_speakers if s.casefold() != speaker.casefold()), MAX_DISTRACTORS
                )
            )
            qid = new_id(f"said-p{paragraph.number}-{_slug(speaker)}")
            explanation = f"The article attributes it to {speaker} ({where})."
            if others:
                questions.append(
                    ChoiceQuestion(
                        id=qid,
                        prompt=prompt,
                        answer=speaker,
                        distractors=tuple(others[:MAX_DISTRACTORS]),
                        explanation=explanation,
                        draft=True,
                        paragraph=paragraph.number,
                    )
                )
            else:
                questions.append(
                    TextQuestion(
                        id=qid,
                        prompt=prompt,
                        answer=speaker,
                        explanation=explanation,
                        draft=True,
                        paragraph=paragraph.number,
                    )
                )
    return questions


def draft_bank(text: str, name: str = "article", skip: int | None = None) -> Bank:
    """A bank of draft questions from an article; `name` (the file's) gives its id and title."""
    stem = Path(name).stem or "article"
    questions = draft_questions(text, skip)
    return Bank(
        id=f"{_slug(stem)}-draft",
        title=f"Draft questions from {Path(name).name}",
        description=(
            "Candidate questions drafted by `quiz banks draft`: check each against the article,"
            " rewrite it in your own words, then remove `draft: true`."
        ),
        questions=tuple(questions),
    )
