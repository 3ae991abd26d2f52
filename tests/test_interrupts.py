"""Ctrl-C at any instant: a SIGINT while an answer is stored waits for it; the test hook."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from quiz.ui import interrupts


@pytest.fixture(autouse=True)
def sigint_as_in_a_foreground_job():
    """SIGINT raises KeyboardInterrupt, as in a shell's foreground job: pytest started as a
    background job of a non-interactive shell inherits SIGINT ignored, and Python then keeps
    it ignored (these tests failed so when CI was started in the background)."""
    was = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, was)


def test_a_sigint_inside_the_block_is_raised_after_it() -> None:
    done = []
    with pytest.raises(KeyboardInterrupt), interrupts.deferred_sigint():
        os.kill(os.getpid(), signal.SIGINT)
        done.append("stored")  # still runs: the signal waits for the block
    assert done == ["stored"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_no_sigint_no_exception() -> None:
    with interrupts.deferred_sigint():
        pass
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_checkpoint_interrupts_only_where_and_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interrupts, "_reached", {})
    interrupts.checkpoint("keys")  # no hook set: nothing
    monkeypatch.setenv(interrupts.TEST_HOOK, "keys:2")
    interrupts.checkpoint("start")
    interrupts.checkpoint("keys")  # the first time: not yet
    with pytest.raises(KeyboardInterrupt):
        interrupts.checkpoint("keys")
    interrupts.checkpoint("keys")  # only once


def test_an_interrupt_outside_the_questions_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from quiz.cli import cli

    monkeypatch.setenv(interrupts.TEST_HOOK, "load")
    monkeypatch.setattr(interrupts, "_reached", {})
    result = CliRunner().invoke(cli, ["take", "rason-figures", "--plain"], input="")
    assert result.exit_code == 130, result.output
    assert "Interrupted." in result.output
    assert "Aborted" not in result.output


def test_keys_not_signals_turns_isig_off_and_back_on() -> None:
    import termios

    leader, follower = os.openpty()
    try:
        before = termios.tcgetattr(follower)
        assert before[3] & termios.ISIG
        with open(follower, "rb", buffering=0, closefd=False) as stream:
            with interrupts.keys_not_signals(stream):
                inside = termios.tcgetattr(follower)
                assert not inside[3] & (termios.ISIG | termios.ICANON | termios.ECHO)
                # a Ctrl-C typed now is a byte to read, not a signal
                os.write(leader, b"\x03")
                assert os.read(follower, 1) == b"\x03"
            assert termios.tcgetattr(follower) == before
    finally:
        os.close(leader)
        os.close(follower)


def test_keys_not_signals_is_a_no_op_off_a_terminal(tmp_path: Path) -> None:
    with (tmp_path / "f").open("w") as stream, interrupts.keys_not_signals(stream):
        pass
    with interrupts.keys_not_signals(object()):
        pass
