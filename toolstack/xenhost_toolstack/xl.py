"""Talk to Xen through `xl` and parse its text output.

`xl info`  prints `key<spaces>: value` lines (tools/xl/xl_info.c).
`xl list -v` prints a header then `%-40s %5d %5lu %5d     %6s  %8.1f` rows
(name, id, MiB, vcpus, state flags, cpu seconds) followed by the UUID.
"""
import re
from dataclasses import dataclass
from typing import Optional

from xenhost_common.errors import ProgramMissing

from .errors import XenUnavailable

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


class Xl:
    def __init__(self, runner):
        self.runner = runner

    def _run(self, *args):
        try:
            result = self.runner.run(["xl", *args], check=False)
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
