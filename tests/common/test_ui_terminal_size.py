import os
import pty

from xenhost_common.ui import terminal


def test_a_terminal_without_size_gets_80x24():
    controller, tty = pty.openpty()         # a fresh pty reports 0x0, like ttyS0
    try:
        assert terminal.size(tty) == (0, 0)
        assert terminal.ensure_size(tty) == (24, 80)
        assert terminal.size(tty) == (24, 80)
    finally:
        os.close(controller)
        os.close(tty)


def test_a_real_size_is_left_alone():
    controller, tty = pty.openpty()
    try:
        import fcntl
        import struct
        import termios
        fcntl.ioctl(tty, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 132, 0, 0))
        assert terminal.ensure_size(tty) == (50, 132) and terminal.size(tty) == (50, 132)
    finally:
        os.close(controller)
        os.close(tty)


def test_not_a_terminal_is_left_to_urwid(tmp_path):
    with open(tmp_path / "file", "w") as f:
        assert terminal.ensure_size(f.fileno()) is None
