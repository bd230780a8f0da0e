"""Talk to Xen through `xl` and parse its text output.

`xl info`  prints `key<spaces>: value` lines (tools/xl/xl_info.c).
`xl list -v` prints a header then `%-40s %5d %5lu %5d     %6s  %8.1f` rows
(name, id, MiB, vcpus, state flags, cpu seconds) followed by the UUID.
"""
import re
from dataclasses import dataclass
from typing import Optional

from xenhost_common.errors import ProgramMissing

from ..errors import XeError, XenUnavailable

MIB = 1024 * 1024

_INFO_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
# Name may contain anything (and exceed 40 columns): anchor on the numbers.
_LIST_ROW = re.compile(
    r"^(?P<name>.+?)\s+(?P<domid>\d+)\s+(?P<mem>\d+)\s+(?P<vcpus>\d+)\s+"
    r"(?P<state>[-a-zA-Z?]{6})\s+(?P<time>\d+(?:\.\d+)?)"
    r"(?:\s+(?P<uuid>[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}))?")


@dataclass
class Domain:
    name: str
    domid: int
    memory_mib: int
    vcpus: int
    state: str          # xl's six flag letters, e.g. "r-----"
    cpu_time: float
    uuid: Optional[str] = None

    @property
    def power_state(self):
        """xl flags (r b p s <reason> d) -> xe's power-state words."""
        if self.state[2] == "p":
            return "paused"
        if self.state[4] == "c":  # shutdown with reason "crash"
            return "crashed"
        if self.state[5] == "d" or self.state[3] == "s":
            return "shutting-down"
        return "running"  # running or blocked: both are "running" to xe


def parse_xl_info(text):
    info = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        key = key.strip()
        if sep and _INFO_KEY.match(key):  # skips warnings xl may print
            info[key] = value.strip()
    return info


def parse_xl_list(text):
    domains = []
    for line in text.splitlines():
        match = _LIST_ROW.match(line.strip())
        if not match:
            continue  # header ("Name ID Mem ...") and noise
        domains.append(Domain(
            name=match["name"], domid=int(match["domid"]), memory_mib=int(match["mem"]),
            vcpus=int(match["vcpus"]), state=match["state"], cpu_time=float(match["time"]),
            uuid=match["uuid"].lower() if match["uuid"] else None))
    return domains


def xen_version(info):
    """4.17.5-xenhost from xen_major.xen_minor + xen_extra (extra has its dot)."""
    if "xen_major" in info and "xen_minor" in info:
        return f"{info['xen_major']}.{info['xen_minor']}{info.get('xen_extra', '')}"
    return info.get("xen_version", "")


def xe_power_state(domain):
    """xl's states -> xe's power-state: a domain still shutting down is still running."""
    return {"paused": "paused", "crashed": "crashed"}.get(domain.power_state, "running")


class XlFailed(XeError):
    """An xl operation on one domain failed (the domain is there, or should be)."""


class Xl:
    def __init__(self, runner):
        self.runner = runner

    def _run(self, *args, timeout=None):
        try:
            result = self.runner.run(["xl", *args], check=False, timeout=timeout)
        except ProgramMissing:
            raise XenUnavailable("the `xl` command was not found") from None
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise XenUnavailable(f"`xl {' '.join(args)}` failed (exit {result.returncode})"
                                 + (f": {detail[-1]}" if detail else ""))
        return result.stdout

    def info(self):
        info = parse_xl_info(self._run("info"))
        if "xen_major" not in info and "xen_version" not in info:
            raise XenUnavailable("`xl info` printed no Xen version")
        return info

    def domains(self):
        return parse_xl_list(self._run("list", "-v"))

    def _act(self, what, fix, *args, timeout=None):
        try:
            result = self.runner.run(["xl", *args], check=False, timeout=timeout)
        except ProgramMissing:
            raise XenUnavailable("the `xl` command was not found") from None
        if not result.ok:
            detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise XlFailed(f"{what}: `xl {' '.join(args)}` failed (exit {result.returncode})"
                           + "".join("\n  " + line for line in detail), fix)
        return result

    def create(self, config_path):
        self._act("The VM failed to start", "read the xl messages above and /var/log/xen/", "create",
                  config_path, timeout=300)

    def shutdown(self, domid, timeout=120):
        """Clean shutdown, waiting for the domain to go (`-w`)."""
        self._act("The VM did not shut down cleanly", "retry with --force (xl destroy)", "shutdown", "-w",
                  str(domid), timeout=timeout)

    def reboot(self, domid):
        self._act("The VM did not reboot", "retry with --force", "reboot", str(domid), timeout=120)

    def destroy(self, domid):
        self._act("The domain could not be destroyed", "check `xl list`", "destroy", str(domid), timeout=120)
