"""A program on a real pseudo-terminal, as on a serial console: keys sent as a vt220 sends them,
output read until expected text arrives (with time limits, so a bug cannot hang a test)."""
import fcntl
import os
import pty
import re
import select
import struct
import sys
import termios
import time

COLOUR = re.compile(rb"\x1b\[[0-9;]*;(3[0-7]|4[0-7])[;m]")       # SGR setting a fore- or background colour
KEYS = {"enter": b"\r", "f1": b"\x1bOP", "ctrl b": b"\x02", "esc": b"\x1b", "f10": b"\x1b[21~", "down": b"\x1b[B"}


class Terminal:
    """child: Python source run on the pty's terminal side; size: (rows, columns), or None to leave
    the pty at 0x0 like a serial console that nobody sized."""

    def __init__(self, child, term="vt220", size=(24, 80)):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            if size:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
            env = dict(os.environ, TERM=term, LANG="C", LC_ALL="C")
            os.execve(sys.executable, [sys.executable, "-c", child], env)
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
