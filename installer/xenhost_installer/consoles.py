"""Messages that must reach every console: a failed unattended install is read wherever the
operator looks (the screen, the serial line, a BMC's serial-over-LAN), not only on /dev/console,
which is just the last console= of the kernel command line."""
import logging
import os

log = logging.getLogger(__name__)

ACTIVE = "/sys/class/tty/console/active"


def other_consoles(active_path=ACTIVE):
    """Device paths of the kernel's consoles except the last one (that one is /dev/console, where
    stdout already goes). tty0 means "the visible virtual terminal" and is written as such."""
    try:
        with open(active_path) as f:
            names = f.read().split()
    except OSError:
        return []
    return ["/dev/" + name for name in names[:-1]]


def announce(text, out_print, active_path=ACTIVE):
    """Print on /dev/console (via out_print) and write the same line to every other console."""
    out_print(text)
    for device in other_consoles(active_path):
        try:
            fd = os.open(device, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError as exc:
            log.warning("could not open console %s: %s", device, exc)
            continue
        try:
            os.write(fd, ("\r\n%s\r\n" % text).encode())
        except OSError as exc:
            log.warning("could not write to console %s: %s", device, exc)
        finally:
            os.close(fd)
