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


class FakeXen:
    """xl as a process-boundary fake with state: `xl create` adds the config's domain, `xl list -v`
    lists them in xl's format, shutdown/destroy remove them; `fail_create` makes create fail half-way
    (leaving a paused domain, as a failed device attach does)."""

    def __init__(self, runner):
        self.runner = runner
        self.domains = {}          # uuid -> (name, domid, state)
        self.next_domid = 1
        self.fail_create = None
        self.configs = []
        runner.respond(("xl", "list", "-v"), self._list)
        runner.respond(("xl", "create"), self._create)
        runner.respond(("xl", "destroy"), self._remove)
        runner.respond(("xl", "shutdown"), self._remove)
        runner.respond(("uname", "-r"), "6.1.0-25-amd64\n")

    def _list(self, argv):
        rows = ["Name                                        ID   Mem VCPUs\tState\tTime(s)   UUID",
                "Domain-0                                     0  2048     8     r-----     312.4 "
                "00000000-0000-0000-0000-000000000000"]
        rows += [f"{name:<40} {domid:5d}   128     1     {state}       0.1 {uuid}"
                 for uuid, (name, domid, state) in self.domains.items()]
        return "\n".join(rows) + "\n"

    def _create(self, argv):
        with open(argv[2], encoding="utf-8") as f:
            text = f.read()
        self.configs.append(text)
        values = dict(line.split(" = ", 1) for line in text.splitlines() if " = " in line)
        uuid, name = values["uuid"].strip('"'), values["name"].strip('"')
        self.domains[uuid] = (name, self.next_domid, "-b----")
        self.next_domid += 1
        if self.fail_create:
            self.domains[uuid] = (name, self.next_domid - 1, "--p---")
            return (1, "", self.fail_create)
        return (0, "", "")

    def _remove(self, argv):
        domid = int(argv[-1])
        for uuid, (_, d, _) in list(self.domains.items()):
            if d == domid:
                del self.domains[uuid]
                return (0, "", "")
        return (1, "", f"invalid domain identifier {domid}")

    def vanish(self, uuid):
        """The domain goes behind the toolstack's back (xl destroy by hand, a crash)."""
        del self.domains[uuid]


def xen_host(tmp_path):
    """A dom0 with a stateful xl; returns (runner, xen, xe) where xe(*args) asserts success."""
    runner = dom0_runner()
    xen = FakeXen(runner)

    def xe(*args, ok=True):
        code, out, err = run_xe(list(args), runner=runner, root=tmp_path)
        assert (code == 0) == ok, (args, code, out, err)
        return out if ok else err
    return runner, xen, xe
