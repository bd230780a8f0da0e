"""Asking the root password at first boot: rules, the console dialogue, chpasswd, the real tty."""
import os
import pty
import select
import termios
import threading

import pytest

from firstboot_helpers import DHCP_YAML, FakeConsole, answer, commands, write
from xenhost_firstboot.config import load_config
from xenhost_firstboot.console import TtyConsole
from xenhost_firstboot.context import Context
from xenhost_firstboot.errors import FirstbootError
from xenhost_firstboot.password import password_problem, set_root_password

LOCKED = "root:!:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"


def ctx_for(root, runner, console, shadow=LOCKED, ask=True, live=True):
    write(root, "etc/xenhost/firstboot.yaml", DHCP_YAML + ("root-password: ask\n" if ask else ""))
    write(root, "etc/shadow", shadow)
    cfg = load_config(os.path.join(str(root), "etc/xenhost/firstboot.yaml"))
    return Context(config=cfg, root=str(root), runner=runner, live=live, console=console)


@pytest.mark.parametrize("first, second, expected", [
    ("pw", "pw", None),
    ("", "", "empty"),
    ("pw", "wp", "differ"),
    ("pw\x1b[A", "pw\x1b[A", "control characters"),
    ("caf\udce9", "caf\udce9", "not UTF-8"),       # a Latin-1 byte, kept by surrogateescape
    ("café ü", "café ü", None),
])
def test_password_rules(first, second, expected):
    problem = password_problem(first, second)
    assert problem is None if expected is None else expected in problem


def test_asks_twice_refuses_until_valid_then_sets(root, runner):
    console = FakeConsole(["", "", "one", "two", "good-pw", "good-pw"])
    assert set_root_password(ctx_for(root, runner, console)) == "set on the console"
    prompts = [t for t in console.shown if t.endswith(": ")]
    assert prompts == ["New root password: ", "Type it again: "] * 3
    told = [t for t in console.shown if not t.endswith(": ")]
    assert told[1:] == ["An empty password is refused. Please try again.",
                        "The two entries differ. Please try again.", "Root password set."]
    assert commands(runner, "chpasswd") == [["chpasswd"]] and runner.inputs[-1] == "root:good-pw\n"


def test_password_chpasswd_refuses_is_asked_again(root, runner):
    refusals = [answer(1, "", "chpasswd: (user root) pam_chauthtok() failed, error: Authentication token "
                              "manipulation error")]
    runner.respond(("chpasswd",), lambda argv: refusals.pop() if refusals else answer(0))
    console = FakeConsole(["weak", "weak", "better-pw", "better-pw"])
    assert set_root_password(ctx_for(root, runner, console)) == "set on the console"
    assert runner.inputs == ["root:weak\n", "root:better-pw\n"]
    assert any(t.startswith("That password was refused: chpasswd: (user root) pam_chauthtok() failed")
               for t in console.shown)
    assert not any("weak" in t or "better-pw" in t for t in console.shown)


def test_end_of_input_fails_with_a_fix_and_sets_nothing(root, runner):
    console = FakeConsole(["good-pw", None])
    with pytest.raises(FirstbootError, match="(?s)console closed.*fix: run `xenhost-firstboot` on the host's console"):
        set_root_password(ctx_for(root, runner, console))
    assert runner.calls == []


@pytest.mark.parametrize("shadow, ask, expected", [
    ("root:$y$j9T$abc$def:19000:0:99999:7:::\n", True, "already set"),    # a rerun after success
    (LOCKED, False, "set by the installer"),
])
def test_nothing_asked_when_not_needed(root, runner, shadow, ask, expected):
    console = FakeConsole([])
    assert set_root_password(ctx_for(root, runner, console, shadow=shadow, ask=ask)) == expected
    assert console.shown == [] and runner.calls == []


def test_offline_root_asks_nothing(root, runner):
    console = FakeConsole([])
    assert "left locked" in set_root_password(ctx_for(root, runner, console, live=False))
    assert console.shown == [] and runner.calls == []


def converse(controller, terminal, reply):
    """Ask on the pty's terminal side; answer `reply` from the controller once the prompt shows.
    Returns (answer, was echo on while asking); threads with time limits so a bug cannot hang."""
    result, echo = [], []

    def ask():
        result.append(TtyConsole(os.ttyname(terminal)).ask_secret("New root password: "))

    asker = threading.Thread(target=ask, daemon=True)
    asker.start()
    seen = b""
    while not seen.endswith(b"password: "):
        assert select.select([controller], [], [], 5)[0], "no prompt on the terminal"
        seen += os.read(controller, 100)
    echo.append(bool(termios.tcgetattr(terminal)[3] & termios.ECHO))
    os.write(controller, reply)
    asker.join(5)
    assert not asker.is_alive(), "ask_secret did not return"
    return result[0], echo[0]


def test_tty_console_reads_with_echo_off_and_restores_it():
    """The real TtyConsole on a pseudo-terminal, as on /dev/console."""
    controller, terminal = pty.openpty()
    try:
        assert converse(controller, terminal, b"s3cret\n") == ("s3cret", False)
        assert termios.tcgetattr(terminal)[3] & termios.ECHO          # echo back on afterwards
        assert converse(controller, terminal, b"\x04") == (None, False)  # Ctrl-D: end of input
    finally:
        os.close(controller)
        os.close(terminal)


def test_tty_console_without_a_terminal_says_what_to_do(tmp_path):
    with pytest.raises(FirstbootError, match="(?s)no terminal to ask on.*passwd root"):
        TtyConsole(str(tmp_path / "no-tty")).tell("hello")
