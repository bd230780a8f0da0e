"""Asking the operator on the console (the root password, when the installer was told to leave it
to first boot).

The finish unit runs with /dev/console as its terminal (StandardInput=tty, TTYPath=/dev/console),
so /dev/tty is the console: the screen and keyboard of a VGA host, the serial line of a serial host
(under Xen dom0's console is hvc0, which Xen carries to both). Run by hand, it is the admin's own
terminal. Plain lines only, never a full-screen dialog: it must read well on any serial terminal.
"""
import os
import termios

from .errors import FirstbootError

NO_TERMINAL_FIX = ("run `xenhost-firstboot` on the host's console, or set the password there with "
                   "`passwd root`; to avoid the question, give root-password in the answer file")


class TtyConsole:
    def __init__(self, path="/dev/tty"):
        self.path = path

    def _open(self):
        try:
            return open(self.path, "r+b", buffering=0)
        except OSError as e:
            raise FirstbootError(f"no terminal to ask on ({self.path}: {e.strerror})",
                                 NO_TERMINAL_FIX) from None

    def tell(self, text):
        with self._open() as tty:
            tty.write(text.encode() + b"\n")

    def ask_secret(self, prompt):
        """The line typed, echo off; None at end of input (Ctrl-D, console gone)."""
        with self._open() as tty:
            fd = tty.fileno()
            saved = termios.tcgetattr(fd)
            quiet = list(saved)
            quiet[3] &= ~termios.ECHO          # lflag; TCSAFLUSH also drops keys typed before the prompt
            termios.tcsetattr(fd, termios.TCSAFLUSH, quiet)
            try:
                tty.write(prompt.encode())
                line = _read_line(fd)
            finally:
                termios.tcsetattr(fd, termios.TCSAFLUSH, saved)
                tty.write(b"\n")               # the Enter the operator typed was not echoed
        if line is None:
            return None
        # surrogateescape: bytes that are not UTF-8 survive as unprintable characters,
        # which the password rules refuse instead of silently changing the password
        return line.decode("utf-8", "surrogateescape").rstrip("\r")


def _read_line(fd):
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(fd, 1024)       # canonical mode: at most one line per read
        if not chunk:
            return data or None
        data += chunk
    return data[:-1]
