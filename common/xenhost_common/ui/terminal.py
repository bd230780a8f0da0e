"""The terminal the screens run on: its size as urwid sees it, its colours, the main loop.

A serial console has no size: the kernel reports 0 rows x 0 columns for ttyS0 until someone sets
one (`stty rows 24 cols 80`), and urwid 2.1 then draws an empty 0x0 screen, so the installer looked
hung on serial consoles. A terminal with no size gets the VT100 default, 80x24, which every serial
terminal can show; a real size (VGA console, a pty) is left alone."""
import curses
import fcntl
import logging
import os
import struct
import sys
import termios

import urwid

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


# (name, foreground, background, mono): the mono column is what a vt220 serial console shows.
PALETTE = [("focus", "black", "light gray", "standout"),
           ("header", "white,bold", "dark blue", "bold"),
           ("pg normal", "light gray", "dark gray", ""),
           ("pg complete", "black", "light gray", "standout"),
           ("error", "light red,bold", "default", "bold"),
           ("label", "default", "default", "")]


def terminal_colors(fd=1):
    """16, or 1 (the palette's mono column) on a terminal without colour: systemd gives a serial
    /dev/console TERM=vt220, whose terminfo has none. curses reads terminfo once per process."""
    try:
        curses.setupterm(os.environ.get("TERM") or "dumb", fd)
        return 16 if curses.tigetnum("colors") >= 8 else 1
    except Exception:                   # unknown terminal or no terminfo: mono is always readable
        return 1


def main_loop(widget, unhandled_input=None):
    """The urwid loop on this process's terminal: a serial console given 80x24, mono where the
    terminal has no colours."""
    ensure_size(sys.stdout.fileno())
    screen = urwid.raw_display.Screen()
    screen.set_terminal_properties(colors=terminal_colors())
    return urwid.MainLoop(widget, PALETTE, screen=screen, unhandled_input=unhandled_input)
