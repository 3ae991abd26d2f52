"""Sealed exam handouts: a bank without anything from which an answer can be recovered.

`quiz banks export BANK --handout` writes prompts and options only (each kind's
`Kind.redact`: no answers, accepted alternatives, tolerances, feedback or explanations; options
and items shuffled with a fresh seed), under an id of its own that names its source bank. Each
question carries a token: HMAC-SHA256, keyed by a secret kept in the instructor's home
(`handout.key`, created owner-only), over the full question as it decides a grade
(`quiz.kinds.grading_text`). A plain hash would not do: anyone could hash each candidate answer
and compare. The instructor's import recomputes the token over the source bank's question and
grades the response only when they agree (`quiz.app.regrade`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import random
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.errors import QuizError

if TYPE_CHECKING:
    from quiz.bank.model import Bank, Question

SECRET_NAME = "handout.key"
PREFIX = "hmac-sha256:"
_SECRET_BYTES = 32


def secret_path(home: Path) -> Path:
    return Path(home) / SECRET_NAME


def read_secret(home: Path) -> bytes | None:
    """The instructor's secret, or None when this home has never made a handout."""
    path = secret_path(home)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise QuizError(f"cannot read the handout secret {path}: {error.strerror}") from None
    if len(data) < _SECRET_BYTES:
        raise QuizError(f"the handout secret {path} is damaged (too short)")
    return data


def ensure_secret(home: Path) -> bytes:
    """The instructor's secret, created (owner-only, 0600) on first use."""
    found = read_secret(home)
    if found is not None:
        return found
    home = Path(home)
    from quiz.store.store import check_home

    check_home(home)
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = secret_path(home)
    data = secrets.token_bytes(_SECRET_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        again = read_secret(home)
        assert again is not None
        return again
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(path, 0o600)
    return data


def _mac(secret: bytes, source: str, question: Question, points: float) -> str:
    from quiz.kinds import grading_text

    message = f"{source}\n{question.id}\n{grading_text(question, points)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def make_token(secret: bytes, bank: Bank, question: Question) -> str:
    """`hmac-sha256:SOURCE:HEX`: the source bank's id, and the MAC of its question."""
    return f"{PREFIX}{bank.id}:{_mac(secret, bank.id, question, bank.points(question))}"


def opaque_id(secret: bytes, source: str, question_id: str) -> str:
    """The id a question has in a handout: keyed by the secret, so that an id such as
    `name-jeong` gives nothing away, and stable across versions of the question, so that a fixed
    answer key still finds it (`source_question`)."""
    message = f"id\n{source}\n{question_id}".encode()
    return "q-" + hmac.new(secret, message, hashlib.sha256).hexdigest()[:12]


def source_question(secret: bytes, bank: Bank, handout_id: str) -> Question | None:
    """The question of the instructor's `bank` that has `handout_id` in its handouts."""
    for question in bank.questions:
        if hmac.compare_digest(opaque_id(secret, bank.id, question.id), handout_id):
            return question
    return bank.question(handout_id)  # a handout that kept the bank's own ids


def token_source(token: str) -> str | None:
    """The source bank id a token names, or None when it is not a handout token."""
    if not token.startswith(PREFIX):
        return None
    source, _, digest = token[len(PREFIX) :].rpartition(":")
    return source if source and len(digest) == 64 else None


def check_token(secret: bytes, bank: Bank, question: Question, token: str) -> bool:
    """True when `token` was made by this secret over this very question of `bank`."""
    return hmac.compare_digest(make_token(secret, bank, question), token)


def refuse_handout(bank: Bank, what: str) -> None:
    """QuizError when `bank` is a handout: its answer fields are placeholders, so nothing that
    shows, exports or grades answers may use it."""
    if bank.handout is not None:
        raise QuizError(
            f"{bank.id} is a sealed handout: it holds no answers, so it cannot be {what}"
            f" (the instructor's bank is {bank.handout.source})"
        )


def handout_data(bank: Bank, secret: bytes, rng: random.Random | None = None) -> dict[str, object]:
    """The handout of `bank` as plain data (what `handout_text` writes as YAML)."""
    from quiz.bank.model import format_number
    from quiz.kinds import kind_of

    refuse_handout(bank, "made into a handout")
    rng = rng or random.Random(secrets.randbits(64))
    questions = []
    for question in bank.questions:
        item: dict[str, object] = {
            "id": opaque_id(secret, bank.id, question.id),
            "kind": question.kind,
            "prompt": question.prompt,
            "points": format_number(bank.points(question)),
        }
        if question.format is not None:
            item["format"] = question.format
        item.update(_with_formats(kind_of(question).redact(question, rng), question))
        item["token"] = make_token(secret, bank, question)
        questions.append(item)
    data: dict[str, object] = {
        "id": f"{bank.id}-handout-{secrets.token_hex(4)}",
        "title": f"{bank.title} (handout)",
        "handout": {"source": bank.id},
        "questions": questions,
    }
    if bank.description:
        data["description"] = bank.description
    return data


def _with_formats(redacted: dict[str, object], question: Question) -> dict[str, object]:
    """The redacted options and left items, each with a format of its own (from Moodle)
    written {text, format}, so the handout shows them as the bank does."""
    own = dict(question.formats)
    for key in ("options", "lefts"):
        texts = redacted.get(key)
        if own and isinstance(texts, list):
            redacted[key] = [
                {"text": text, "format": own[text]} if text in own else text for text in texts
            ]
    return redacted


def handout_text(bank: Bank, home: Path) -> str:
    """The handout of `bank` as YAML, with the instructor's secret (made on first use)."""
    import yaml

    data = handout_data(bank, ensure_secret(home))
    header = (
        f"# A sealed handout of {bank.id}: prompts and options only. Take it with"
        " `quiz take FILE`;\n# answers are graded when the instructor imports your results.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
