"""Helpers for toolstack tests: fixture files and a fake runner for xl & co."""
import io
import os

from xenhost_toolstack.cli import main
from xenhost_toolstack.runner import Result

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
        return f.read()


IP_ADDR = ("4: xenbr0    inet 192.0.2.10/24 brd 192.0.2.255 scope global dynamic xenbr0\\"
           "       valid_lft 86000sec preferred_lft 86000sec\n"
           "4: xenbr0    inet6 2001:db8::10/64 scope global dynamic mngtmpaddr \\"
           "       valid_lft 86000sec preferred_lft 14000sec\n")


class FakeRunner:
    """A dom0 running Xen 4.17: answers xl/hostname/ip; anything else is 'not found'."""

    def __init__(self, info="xl-info-4.17.txt", listing="xl-list-v.txt"):
        self.calls = []
        self.responses = {
            ("xl", "info"): Result(0, fixture(info)),
            ("xl", "list", "-v"): Result(0, fixture(listing)),
            ("hostname",): Result(0, "xh1\n"),
            ("ip", "-o", "addr", "show", "dev", "xenbr0", "scope", "global"): Result(0, IP_ADDR),
        }

    def run(self, argv):
        self.calls.append(list(argv))
        return self.responses.get(tuple(argv), Result(127, "", f"{argv[0]}: not found"))


def run_xe(args, runner=None, root="/nonexistent"):
    out, err = io.StringIO(), io.StringIO()
    code = main(args, runner=runner or FakeRunner(), root=str(root), out=out, err=err)
    return code, out.getvalue(), err.getvalue()
