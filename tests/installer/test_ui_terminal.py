"""The screens on a real terminal: a pseudo-terminal set up like a serial console (TERM=vt220,
80x24, C locale), keys sent as a vt220 sends them. Checks that titles arrive readable, F1 (ESC O P),
?, Ctrl-B, Esc and F10 work through urwid's real input decoding, not only through keypress()."""
import fcntl
import json
import os
import pty
import re
import select
import struct
import sys
import termios
import time

import pytest

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

COLOUR = re.compile(rb"\x1b\[[0-9;]*;(3[0-7]|4[0-7])[;m]")       # SGR setting a fore- or background colour
KEYS = {"enter": b"\r", "f1": b"\x1bOP", "ctrl b": b"\x02", "esc": b"\x1b", "f10": b"\x1b[21~", "down": b"\x1b[B"}


class Terminal:
    def __init__(self, term="vt220"):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:                                   # child: an 80x24 terminal on the pty
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            env = dict(os.environ, TERM=term, LANG="C", LC_ALL="C")
            os.execve(sys.executable, [sys.executable, "-c", CHILD], env)
        self.seen = b""
        self.log = b""                                      # everything the screens sent

    def expect(self, text, timeout=10):
        """Wait until text appears in the output after what earlier expects consumed."""
        deadline = time.monotonic() + timeout
        needle = text.encode()
        while needle not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("%r not seen; got %r" % (text, self.seen[-600:]))
            if select.select([self.fd], [], [], left)[0]:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:                             # child gone
                    chunk = b""
                if not chunk:
                    raise AssertionError("terminal closed before %r; got %r" % (text, self.seen[-600:]))
                self.seen += chunk
                self.log += chunk
        self.seen = self.seen[self.seen.index(needle) + len(needle):]

    def send(self, *keys):
        for key in keys:
            os.write(self.fd, KEYS.get(key, key.encode()))
            time.sleep(0.3 if key == "esc" else 0.05)      # a lone Esc needs urwid's escape timeout

    def close(self):
        try:
            os.kill(self.pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


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
