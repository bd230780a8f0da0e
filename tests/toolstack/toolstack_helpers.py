"""Helpers for toolstack tests: fixture files and the shared fake runner set up as a dom0."""
import io
import os

from xenhost_common.testing import FakeRunner
from xenhost_toolstack.cli import main

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def fixture(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
        return f.read()


IP_ADDR = ("4: xenbr0    inet 192.0.2.10/24 brd 192.0.2.255 scope global dynamic xenbr0\\"
           "       valid_lft 86000sec preferred_lft 86000sec\n"
           "4: xenbr0    inet6 2001:db8::10/64 scope global dynamic mngtmpaddr \\"
           "       valid_lft 86000sec preferred_lft 14000sec\n")


def dom0_runner(info="xl-info-4.17.txt", listing="xl-list-v.txt", **kwargs):
    """A dom0 running Xen 4.17: answers xl info/list, hostname and ip."""
    return FakeRunner({
        ("xl", "info"): fixture(info),
        ("xl", "list", "-v"): fixture(listing),
        ("hostname",): "xh1\n",
        ("ip", "-o", "addr", "show", "dev", "xenbr0", "scope", "global"): IP_ADDR,
    }, **kwargs)


def run_xe(args, runner=None, root="/nonexistent"):
    out, err = io.StringIO(), io.StringIO()
    code = main(args, runner=runner or dom0_runner(), root=str(root), out=out, err=err)
    return code, out.getvalue(), err.getvalue()
