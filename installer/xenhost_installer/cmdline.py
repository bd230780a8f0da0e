"""Kernel command line options the installer reads (answerfile=, atexit=)."""
import shlex
from dataclasses import dataclass, field

from .errors import CmdlineError

ATEXIT_CHOICES = ("reboot", "poweroff", "shell")
ANSWERFILE_SCHEMES = ("http://", "https://", "file://")


@dataclass
class BootOptions:
    answerfile: str = None
    atexit: str = None
    raw: dict = field(default_factory=dict)   # every key=value, for later options (console=, root=)


def parse(text):
    """Parse a kernel command line string; later duplicates win, like the kernel does for most keys."""
    try:
        words = shlex.split(text)
    except ValueError:          # an unbalanced quote must not stop the install
        words = text.split()
    raw = {}
    for word in words:
        key, sep, value = word.partition("=")
        if sep:
            raw.setdefault(key, [])
            raw[key].append(value)
    opts = BootOptions(raw=raw)
    if "answerfile" in raw:
        url = raw["answerfile"][-1]
        if not url.startswith(ANSWERFILE_SCHEMES):
            raise CmdlineError("answerfile=%s: unsupported location; fix: use http://, https:// or file:// URL" % url)
        opts.answerfile = url
    if "atexit" in raw:
        value = raw["atexit"][-1]
        if value not in ATEXIT_CHOICES:
            raise CmdlineError("atexit=%s: unknown action; fix: use one of %s" % (value, ", ".join(ATEXIT_CHOICES)))
        opts.atexit = value
    return opts


def read(path="/proc/cmdline"):
    with open(path) as f:
        return parse(f.read())
