"""The wizard on a real pseudo-terminal left at 0x0 and TERM=vt220, as /dev/console is on a serial
line (hvc0 under Xen): it draws at 80x24, in the mono palette, and keys typed as a vt220 sends
them answer it through urwid's real input decoding."""
import json
import os

from tests.pty_terminal import COLOUR, Terminal

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CHILD = """
import json, sys
sys.path[:0] = [%r, %r, %r, %r, %r]
from wizard_helpers import FREE, NICS
from xenhost_firstboot.wizard.app import run
from xenhost_firstboot.wizard.apply import Facts
answers = run(Facts(nics=NICS, free_disks=FREE), {"network": {"mode": "dhcp"}}, ["root-password"])
import fcntl, struct, termios
rows, cols = struct.unpack("HHHH", fcntl.ioctl(0, termios.TIOCGWINSZ, b"\\0" * 8))[:2]
print("ANSWERS=" + json.dumps({"answers": answers, "size": [rows, cols]}))
""" % tuple(os.path.join(REPO, p) for p in ("common", "installer", "firstboot", "tests/firstboot", ""))


def test_wizard_on_an_unsized_serial_terminal():
    term = Terminal(CHILD, "vt220", size=None)
    try:
        term.expect("xenhost setup")
        term.expect("Root password")
        assert not COLOUR.search(term.log)                          # vt220: the mono palette
        for _ in range(2):
            term.send(*"Serial-pw1", "enter")
        term.expect("Apply the setup")
        term.send("enter")
        term.expect("ANSWERS=")
        term.expect("\n")
        result = json.loads(term.log.split(b"ANSWERS=")[1].split(b"\n")[0])
        assert result["size"] == [24, 80]
        assert result["answers"]["root-password"]["hash"].startswith("$6$")
    finally:
        term.close()
