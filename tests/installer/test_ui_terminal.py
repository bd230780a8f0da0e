"""The screens on a real terminal: a pseudo-terminal set up like a serial console (TERM=vt220,
80x24, C locale), keys sent as a vt220 sends them. Checks that titles arrive readable, F1 (ESC O P),
?, Ctrl-B, Esc and F10 work through urwid's real input decoding, not only through keypress()."""
import json
import os

import pytest

from tests.pty_terminal import COLOUR, Terminal as PtyTerminal

HERE = os.path.dirname(os.path.abspath(__file__))
INSTALLER = os.path.join(os.path.dirname(os.path.dirname(HERE)), "installer")
COMMON = os.path.join(os.path.dirname(os.path.dirname(HERE)), "common")

CHILD = """
import json, sys
sys.path[:0] = [%r, %r, %r, %r]
import urwid
from ui_harness import make
from xenhost_installer.ui.app import InstallerUI, _main_loop
d = make(on_finished=InstallerUI._exit_loop)
_main_loop(d.ui).run()
print("ANSWERS=" + json.dumps(d.ui.flow.final_answers()))
""" % (INSTALLER, COMMON, HERE, os.path.dirname(COMMON))

def Terminal(term="vt220"):
    return PtyTerminal(CHILD, term)


@pytest.fixture
def term():
    t = Terminal()
    yield t
    t.close()


def test_serial_console_keys_and_titles(term):
    term.expect("F1 or ? help")                            # the header, then the title
    term.expect("Keyboard layout")
    assert not COLOUR.search(term.log)                      # vt220: no colours, the mono palette
    term.send("f1")
    term.expect("Help: Keyboard layout")
    term.send("enter")                                      # closes help
    term.expect("Keyboard layout")
    term.send("enter")                                      # us
    term.expect("Welcome to xenhost")
    term.send("?")
    term.expect("Help: Welcome to xenhost")
    term.send("ctrl b")                                     # closes help
    term.expect("Welcome to xenhost")
    term.send("ctrl b")                                     # back
    term.expect("Keyboard layout")
    term.send("down", "enter", "enter")                     # uk, Next
    term.expect("Primary disk")
    term.send("esc")
    term.expect("Welcome to xenhost")
    term.send("f10")
    term.expect("ANSWERS=")
    rest = term.seen
    term.expect("\n")
    answers = json.loads(rest.split(b"\n")[0].decode().strip())
    assert answers["keymap"] == "uk" and "disk" not in answers          # quit before the disk was chosen


def test_a_colour_terminal_gets_colours():
    """The other half of the mono check above: the same screens on TERM=linux (the VGA console)."""
    t = Terminal("linux")
    try:
        t.expect("Keyboard layout")
        assert COLOUR.search(t.log)
    finally:
        t.close()
