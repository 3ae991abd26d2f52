"""Safe YAML composition with located errors, shared by every reader of untrusted YAML.

We compose (never construct) with the safe loader, the C one where PyYAML has it: no tag is ever
turned into an object, scalars stay the text the author wrote, and every node keeps its line and
column. Readers walk the node tree with `Walker`, which collects every problem instead of
stopping at the first, catches keys given twice, and refuses aliases of lists and mappings (so
a "billion laughs" document is one error, not an explosion). Aliases of single values are read,
up to `ALIAS_LIMIT` characters in all: a long value reused a thousand times is refused at once,
before any reader copies it into a bank or an error message.
"""

from __future__ import annotations

import difflib
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import yaml
import yaml.reader
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz.errors import Problem

try:
    from yaml._yaml import CParser as _Parser  # libyaml: the C scanner, parser and composer
except ImportError:  # PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


_STANDARD = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(
    _STANDARD + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)
NULL_TAG = _STANDARD + "null"
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_DEFAULT_TAGS = {
    ScalarNode: _STANDARD + "str",
    SequenceNode: _STANDARD + "seq",
    MappingNode: _STANDARD + "map",
}


class _Loader(_Parser):
    """Composes only. Untagged nodes get the plain str/seq/map tag: no YAML 1.1 guessing (we
    read scalars as written), and no regex per scalar (the guessing is most of a load's time)."""

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


@contextmanager
def paused_gc() -> Iterator[None]:
    """Parsing allocates many objects and frees none: collecting meanwhile is wasted time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# The most text aliases (*name) of single values may add to a file, in characters.
ALIAS_LIMIT = 1_000_000
# The deepest nesting of lists and mappings read. libyaml's composer recurses in C: a bank of
# 50,000 '[' crashed Python with a segmentation fault (and pure PyYAML would overflow too).
# Newer libyaml builds refuse 1,000 levels themselves: below that, one limit and one message
# whichever PyYAML wheel is installed.
MAX_DEPTH = 500
# The most problems kept for one file; the rest are counted on a last line.
MAX_PROBLEMS = 100


def _may_be_deeper_than(text: str, depth: int) -> bool:
    """False when `text` surely nests no deeper than `depth` (then no parse is spent on it):
    each flow level opens with [ or {, and block levels need indentation or a "- " each, at
    most two a column (a mapping's list may sit at the key's column)."""
    flow = text.count("[") + text.count("{")
    if flow > depth:
        return True
    longest = max((len(line) for line in text.splitlines()), default=0)
    return flow + 2 * (longest + 1) > depth


def _depth_problem(text: str, path: str) -> Problem | None:
    """A problem at the first list or mapping nested deeper than `MAX_DEPTH`, found from the
    parser's events (no recursion); None otherwise, or when the text does not parse (the
    composer reports that, located)."""
    from yaml.events import CollectionEndEvent, CollectionStartEvent

    parser = _Loader(text)
    depth = 0
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return Problem(
                        path,
                        mark.line + 1 if mark is not None else None,
                        mark.column + 1 if mark is not None else None,
                        f"lists and mappings are nested more than {MAX_DEPTH:,} deep here:"
                        " a bank never needs that",
                    )
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return None


def _alias_problem(path: str, root: Node) -> Problem | None:
    """A problem when aliases of single values expand `root` by more than `ALIAS_LIMIT`
    characters (a node reached a second time is an alias). One pass over the nodes, never
    into a list or mapping twice: bounded by the file's size."""
    seen: set[int] = set()
    added = 0
    biggest: ScalarNode | None = None
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        key = id(node)
        if key in seen:
            if isinstance(node, ScalarNode):
                added += len(node.value)
                if biggest is None or len(node.value) > len(biggest.value):
                    biggest = node
            continue
        seen.add(key)
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                stack.append(key_node)
                stack.append(value_node)
    if added <= ALIAS_LIMIT or biggest is None:
        return None
    mark = biggest.start_mark
    return Problem(
        path,
        mark.line + 1,
        mark.column + 1,
        f"aliases (*name) repeat values to more than {ALIAS_LIMIT:,} characters in all"
        f" ({added:,}): write the values out, or reuse less",
    )


TRUE_WORDS = frozenset({"true", "yes", "on"})
FALSE_WORDS = frozenset({"false", "no", "off"})


def read_text(path: str, data: bytes, problems: list[Problem]) -> str | None:
    """Decode a file's bytes as UTF-8, locating the first bad byte if they are not."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        problems.append(Problem(path, line, column, "the file is not UTF-8 text: save it as UTF-8"))
        return None
    return text.removeprefix("\ufeff")


def compose(text: str, path: str, problems: list[Problem]) -> Node | None:
    """Parse YAML text into a node tree, or record the syntax error with its location."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        problems.append(Problem(path, 1, 1, "the file is empty"))
        return None
    if _may_be_deeper_than(text, MAX_DEPTH):
        deep = _depth_problem(text, path)
        if deep is not None:
            problems.append(deep)
            return None
    loader = _Loader(text)
    try:
        with paused_gc():
            node: Node | None = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        problems.append(_syntax_problem(path, error, text))
        return None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, by offset
        problems.append(_reader_problem(path, error, text))
        return None
    except yaml.YAMLError as error:  # unmarked: reader errors and the like
        problems.append(Problem(path, None, None, f"YAML error: {error}"))
        return None
    finally:
        loader.dispose()
    if node is None:
        problems.append(Problem(path, 1, 1, "the file is empty"))
        return None
    amplified = _alias_problem(path, node)
    if amplified is not None:
        problems.append(amplified)
        return None
    return node


def _reader_problem(path: str, error: yaml.reader.ReaderError, text: str) -> Problem:
    """A character YAML refuses (a control character), located as line:col."""
    position = max(error.position, 0)
    code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1])
    if not text.isascii() and (position >= len(text) or ord(text[position]) != code):
        # libyaml counts bytes of UTF-8, the pure-Python reader characters
        position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
    position = min(position, len(text))
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    escape = f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04X}"
    return Problem(
        path,
        line,
        column,
        f"the control character U+{code:04X} is not allowed in YAML text:"
        f' remove it, or write it as an escape in double quotes ("{escape}")',
    )


def _syntax_problem(path: str, error: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    if (
        error.context_mark is not None
        and "quoted scalar" in (error.context or "")
        and "end of stream" in (error.problem or "")
    ):
        # A quote never closed: where it opens is what the author must find.
        quote = error.context_mark
        return Problem(
            path,
            quote.line + 1,
            quote.column + 1,
            "this quote is never closed: add the closing quote (the text runs to the end of"
            " the file)",
        )
    problem = (error.problem or "syntax error").strip()
    lines = text.splitlines()
    at = ""
    if mark is not None and mark.line < len(lines):
        at = lines[mark.line][mark.column : mark.column + 1]
    if at == "\t" or "'\\t'" in problem:
        message = "a tab character: YAML indents with spaces, never tabs"
    elif "expected a single document" in problem or "but found another document" in str(error):
        message = "more than one YAML document (---): a file holds one"
    else:
        context = f"{error.context} " if error.context else ""
        message = f"YAML syntax error: {context}{problem}".replace("  ", " ")
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return Problem(path, line, column, message)


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Walker:
    """Reads a composed tree, recording located problems; every reader's errors look alike."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._kept: list[Problem] = []
        self.omitted = 0
        self.omitted_errors = 0  # of the omitted: errors (the rest are warnings)
        self._kept_warnings = 0
        self.error_count = 0  # every error, kept or not
        self._seen: set[int] = set()
        self._alias_reported = False

    @property
    def problems(self) -> list[Problem]:
        """The problems found, in the order of their place in the file (those of other files it
        names, such as its source record, first), at most `MAX_PROBLEMS` of them, then a line
        counting the rest: a warning when the rest are only warnings (a bank of drafts is valid).
        Errors are kept before warnings: past the cap, an error takes the place of the last
        warning kept, so that what must be fixed is always shown where it is."""
        kept = sorted(self._kept, key=lambda p: (p.path == self.path, p.line or 0, p.column or 0))
        if self.omitted_errors:
            errors = self.omitted_errors
            kept.append(
                Problem(
                    self.path,
                    None,
                    None,
                    f"… {self.omitted} more problem(s) not shown, {errors} of them error(s):"
                    " fix the ones above first",
                    hidden_errors=errors,
                )
            )
        elif self.omitted:
            kept.append(
                Problem(
                    self.path,
                    None,
                    None,
                    f"… {self.omitted} more warning(s) not shown",
                    severity="warning",
                )
            )
        return kept

    def _add(self, node: Node | None, message: str, question: str | None, severity: str) -> None:
        if severity == "error":
            self.error_count += 1
        if len(self._kept) >= MAX_PROBLEMS and not self._make_room(severity):
            self.omitted += 1
            self.omitted_errors += severity == "error"
            return
        self._kept_warnings += severity == "warning"
        mark = node.start_mark if node is not None else None
        self._kept.append(
            Problem(
                self.path,
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
                message,
                question,
                severity,
            )
        )

    def add_problems(self, problems: list[Problem]) -> None:
        """Problems found elsewhere (a source record's), kept like this file's own."""
        for problem in problems:
            if problem.severity == "error":
                self.error_count += 1
            if len(self._kept) >= MAX_PROBLEMS and not self._make_room(problem.severity):
                self.omitted += 1
                self.omitted_errors += problem.severity == "error"
            else:
                self._kept_warnings += problem.severity == "warning"
                self._kept.append(problem)

    def _make_room(self, severity: str) -> bool:
        """Past the cap, an error replaces the last warning kept (counted as not shown)."""
        if severity != "error" or not self._kept_warnings:
            return False
        last = max(i for i, kept in enumerate(self._kept) if kept.severity == "warning")
        del self._kept[last]
        self._kept_warnings -= 1
        self.omitted += 1
        return True

    def error(self, node: Node | None, message: str, question: str | None = None) -> None:
        self._add(node, message, question, "error")

    def warning(self, node: Node | None, message: str, question: str | None = None) -> None:
        self._add(node, message, question, "warning")

    @property
    def failed(self) -> bool:
        return self.error_count > 0

    def visit(self, node: Node, question: str | None = None) -> bool:
        """False (with an error) for a disallowed tag, or a list or mapping reached a second
        time, that is through an alias (an alias of a scalar costs nothing and is let be)."""
        if node.tag not in ALLOWED_TAGS:
            tag = _short_tag(node.tag)
            self.error(
                node, f"the tag {tag} is not allowed: only plain YAML values are read", question
            )
            return False
        if isinstance(node, ScalarNode):
            return True
        key = id(node)
        if key in self._seen:
            if not self._alias_reported:  # one is enough: the rest repeat it
                self._alias_reported = True
                self.error(
                    node,
                    "aliases (*name) of lists and mappings are not supported: write"
                    " the value out (this anchor is reused)",
                    question,
                )
            return False
        self._seen.add(key)
        return True

    def mapping(
        self, node: Node, what: str, question: str | None = None
    ) -> dict[str, tuple[ScalarNode, Node]] | None:
        """A mapping's entries by key, each key given once; None (with an error) otherwise."""
        if not self.visit(node, question):
            return None
        if not isinstance(node, MappingNode):
            self.error(
                node, f"{what} must be a mapping (key: value lines), not {describe(node)}", question
            )
            return None
        entries: dict[str, tuple[ScalarNode, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or not self.visit(key_node, question):
                if isinstance(key_node, ScalarNode):
                    continue
                self.error(key_node, f"a key in {what} must be plain text", question)
                continue
            key = key_node.value
            if key in entries:
                first = entries[key][0].start_mark.line + 1
                self.error(key_node, f"'{key}' is given twice (first on line {first})", question)
                continue
            entries[key] = (key_node, value_node)
        return entries

    def sequence(self, node: Node, what: str, question: str | None = None) -> list[Node] | None:
        if not self.visit(node, question):
            return None
        if not isinstance(node, SequenceNode):
            self.error(node, f"{what} must be a list, not {describe(node)}", question)
            return None
        return list(node.value)

    def scalar(self, node: Node, what: str, question: str | None = None) -> str | None:
        """The text as written; None (with an error) for a list, a mapping or nothing."""
        if not self.visit(node, question):
            return None
        if not isinstance(node, ScalarNode):
            self.error(node, f"{what} must be a single value, not {describe(node)}", question)
            return None
        if is_null(node):
            self.error(node, f"{what} is empty", question)
            return None
        value: str = node.value
        return value

    def text(self, node: Node, what: str, question: str | None = None) -> str | None:
        value = self.scalar(node, what, question)
        if value is not None and not value.strip():
            self.error(node, f"{what} is empty", question)
            return None
        return value

    def boolean(self, node: Node, what: str, question: str | None = None) -> bool | None:
        value = self.scalar(node, what, question)
        if value is None:
            return None
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.error(node, f"{what} must be true or false, not '{value}'", question)
        return None

    def texts(self, node: Node, what: str, question: str | None = None) -> list[str] | None:
        items = self.sequence(node, what, question)
        if items is None:
            return None
        values = [self.text(item, f"each of {what}", question) for item in items]
        if any(v is None for v in values):
            return None
        return [v for v in values if v is not None]


def is_null(node: Node) -> bool:
    """An empty value as YAML spells it (`key:`, `~`, `null`) unquoted, or tagged `!!null`."""
    if not isinstance(node, ScalarNode):
        return False
    # libyaml reports a plain scalar's style as "", the pure-Python parser as None.
    return node.tag == NULL_TAG or (not node.style and node.value in NULL_WORDS)


def describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if is_null(node):
        return "nothing"
    return f"'{node.value}'"


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_STANDARD) :] if tag.startswith(_STANDARD) else tag
