"""`quiz banks new`: a commented bank with one example of each kind, valid and lint-clean."""

from __future__ import annotations

from quiz.bank.model import ID_RE
from quiz.errors import UsageProblem

TEMPLATE = """\
# A quiz question bank. Check it with:  quiz banks validate {filename}
#                       and improve it:  quiz banks lint {filename}
# Editors that read JSON Schemas (VS Code with the YAML extension, and others built on
# yaml-language-server) complete and check the keys: write the schema once with
#   quiz banks schema -o quiz-bank.schema.json
# and put this line at the top of the file (the path is relative to this file):
#   # yaml-language-server: $schema=quiz-bank.schema.json
id: {bank_id}                  # a-z, 0-9 and hyphens; unique among your banks
title: {title}
description: One example question of each kind; replace them with your own.
# source: my-article          # optional: a seeds/ record; then every question lists its `facts`
defaults:
  points: 1                    # what a question is worth unless it says `points:`
  shuffle_choices: true        # options appear in a new order at each attempt
questions:
  # choice: one right option among distractors (three or more options in all).
  - id: largest-ocean          # unique in this bank and stable: scores refer to it
    kind: choice
    prompt: Which is the largest ocean on Earth?
    answer: Pacific
    distractors: [Atlantic, Indian, Arctic]
    explanation: The Pacific covers about a third of the planet's surface.
    feedback:                  # optional: a message for a wrong option
      Atlantic: The Atlantic is the second largest.
    tags: [geography]
    difficulty: easy           # easy, medium or hard

  # multi: every right option must be picked; wrong picks cost as much as right ones earn.
  - id: noble-gases
    kind: multi
    prompt: Which of these elements are noble gases?
    answers: [Neon, Argon]
    distractors: [Nitrogen, Oxygen]
    explanation: Neon and argon sit in group 18 of the periodic table; the other two do not.
    tags: [chemistry]

  # truefalse: a statement that is true or false.
  - id: boiling-point
    kind: truefalse
    prompt: At sea level, pure water boils at 100 degrees Celsius.
    answer: true
    explanation: At standard pressure the boiling point of water is 100 degrees Celsius.
    tags: [physics]

  # text: typed answers; case, accents, spaces and punctuation do not matter.
  - id: red-planet
    kind: text
    prompt: Which planet is called the Red Planet?
    answer: Mars
    accept: [planet Mars]      # other answers counted as right
    fuzzy: true                # forgive one typo in answers of six letters or more
    explanation: Iron oxide dust gives the surface of Mars its colour.
    tags: [astronomy]

  # number: a figure, with its unit and a tolerance: absolute (2) or relative ("5%").
  - id: marathon-length
    kind: number
    prompt: How long is a marathon, in kilometres?
    answer: 42.195
    unit: km
    tolerance: 0.2
    explanation: The distance was fixed at 42.195 km in 1921.
    tags: [sport]
    difficulty: medium

  # date: YYYY, YYYY-MM or YYYY-MM-DD; the answer's precision is the precision asked for.
  - id: moon-landing
    kind: date
    prompt: In which month and year did people first walk on the Moon?
    answer: "1969-07"
    explanation: Apollo 11 landed in July 1969.
    tags: [history]

  # match: pairs of [left, right]; the learner matches each left to a right.
  - id: capitals
    kind: match
    prompt: Match each country with its capital.
    pairs:
      - [Japan, Tokyo]
      - [Kenya, Nairobi]
      - [Peru, Lima]
    explanation: Tokyo, Nairobi and Lima are the seats of government of those countries.
    tags: [geography]

  # order: items in the right order; partial credit for those in the right relative order.
  - id: planets-by-distance
    kind: order
    prompt: Put these planets in order of distance from the Sun, nearest first.
    items: [Mercury, Venus, Earth, Mars]
    explanation: Mercury orbits nearest the Sun, then Venus, Earth and Mars.
    tags: [astronomy]
    difficulty: hard
    points: 2                  # this one is worth more
    reveals: [red-planet]      # its items show Mars: a quiz asks red-planet first
"""


def new_bank_text(bank_id: str, filename: str | None = None) -> str:
    """The template for a new bank with this id (`UsageProblem` if the id is not valid)."""
    if not ID_RE.match(bank_id):
        raise UsageProblem(
            f"'{bank_id}' is not a bank id: use a-z, 0-9 and single hyphens, such as my-bank"
        )
    title = bank_id.replace("-", " ").capitalize()
    # The file name goes in a comment, as a shell word: one line, no control character,
    # whatever the name holds (a newline in it would start a YAML line of its own).
    import shlex

    from quiz.sanitize import clean_line

    shown = shlex.quote(clean_line(filename or f"{bank_id}.yaml"))
    return TEMPLATE.format(bank_id=_scalar(bank_id), title=_scalar(title), filename=shown)


def _scalar(text: str) -> str:
    """The text as a YAML scalar: plain where YAML reads it back as that text, else quoted."""
    import json

    import yaml

    try:
        plain = yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text)
