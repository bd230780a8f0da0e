"""The terminal's size as urwid sees it.

A serial console has no size: the kernel reports 0 rows x 0 columns for ttyS0 until someone sets
one (`stty rows 24 cols 80`), and urwid 2.1 then draws an empty 0x0 screen, so the installer looked
hung on serial consoles. A terminal with no size gets the VT100 default, 80x24, which every serial
terminal can show; a real size (VGA console, a pty) is left alone."""
import fcntl
import logging
import struct
import termios

log = logging.getLogger(__name__)

DEFAULT_ROWS, DEFAULT_COLUMNS = 24, 80


def size(fd):
    rows, columns, _x, _y = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
    return rows, columns


def ensure_size(fd):
    """Give a terminal without a size 80x24; return the size the screens will use."""
    try:
        rows, columns = size(fd)
    except OSError:
        return None                 # not a terminal: urwid falls back on its own
    if rows and columns:
        return rows, columns
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", DEFAULT_ROWS, DEFAULT_COLUMNS, 0, 0))
    log.info("terminal reported %dx%d (a serial console): set to %dx%d", columns, rows, DEFAULT_COLUMNS,
             DEFAULT_ROWS)
    return DEFAULT_ROWS, DEFAULT_COLUMNS
