"""What every command shares: the global options' values, passed down as `ctx.obj`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem


class Config:
    """`--home` and `--user` from the root group (None: fall back as `quiz.paths` says).

    A plain class, not a dataclass: `quiz --help` loads this module and should stay cheap."""

    def __init__(self, home_option: str | None = None, user_option: str | None = None) -> None:
        self.home_option = home_option
        self.user_option = user_option

    @property
    def home(self) -> Path:
        from quiz.paths import home_dir

        return home_dir(self.home_option)

    def user(self, explicit: str | None = None, sheet: str | None = None) -> str:
        from quiz.paths import current_user

        return current_user(explicit or self.user_option, sheet)


def config(ctx: click.Context | None = None) -> Config:
    ctx = ctx or click.get_current_context()
    obj = ctx.find_object(Config)
    return obj if obj is not None else Config()


def echo_json(data: object) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def print_table(
    headers: list[str],
    rows: list[list[str]],
    title: str | None = None,
) -> None:
    """A terminal table (rich, imported here); every cell is cleaned and escaped for rich."""
    from rich.table import Table

    from quiz.sanitize import for_rich

    table = Table(title=for_rich(title) if title else None, show_lines=False)
    for number, header in enumerate(headers):
        # The first column is the key (an id, a name): never cut or wrapped.
        table.add_column(for_rich(header), no_wrap=number == 0, overflow="fold")
    for row in rows:
        table.add_row(*(for_rich(cell) for cell in row))
    make_console().print(table)


PIPE_WIDTH = 160  # rich's 80 columns would break ids mid-word when output goes to a file


def make_console(file: Any = None, color: bool | None = None) -> Any:
    """The rich console every table is printed on: the terminal's width, or PIPE_WIDTH when
    the output is not a terminal; colour only on a terminal without NO_COLOR."""
    import sys

    from rich.console import Console

    stream = file if file is not None else sys.stdout
    is_tty = bool(getattr(stream, "isatty", lambda: False)())
    return Console(
        file=stream,
        width=None if is_tty else PIPE_WIDTH,
        no_color=color is False or None,
        highlight=False,
        soft_wrap=False,
    )


def complete_bank_ids(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion for a BANK argument: the known bank ids, then matching file paths."""
    from click.shell_completion import CompletionItem

    items: list[CompletionItem] = []
    if "/" not in incomplete and not incomplete.startswith((".", "~")):
        try:
            from quiz.bank.catalog import Catalog

            banks = Catalog().banks()
        except Exception:  # completion must never print a traceback into the shell
            banks = []
        items = [
            CompletionItem(bank.id, help=bank.title)
            for bank in sorted(banks, key=lambda b: b.id)
            if bank.id.startswith(incomplete)
        ]
    # Let the shell offer files too: a bank may be named by its path.
    items.append(CompletionItem(incomplete, type="file"))
    return items
