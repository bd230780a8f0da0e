"""The toolstack's errors: all derive from the shared core's one base (problem + fix).

XAPI prints its errors as a first line and then `name: value` lines (`The uuid you supplied
was invalid.` / `type: VM` / `uuid: ...`); XeError keeps those as the problem so `xe` prints them
verbatim, with the fix (when there is one) on the core's `  fix:` line.
"""
from xenhost_common.errors import XenhostError


class XeError(XenhostError):
    def __init__(self, problem, fix="", **details):
        lines = [str(problem)] + [f"{k.replace('_', '-')}: {v}" for k, v in details.items()]
        super().__init__("\n".join(lines), fix)


class XenUnavailable(XeError):
    """xl is missing or failed: almost always "not booted under Xen"."""

    def __init__(self, detail):
        super().__init__(f"cannot talk to Xen: {detail}",
                         "is this host booted with the Xen hypervisor? check `xl info`")
