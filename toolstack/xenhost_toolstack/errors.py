"""The one exception type of the toolstack; the message says problem and fix."""


class XeError(Exception):
    def __init__(self, problem, fix=None):
        super().__init__(f"{problem} ({fix})" if fix else problem)
        self.problem = problem
        self.fix = fix


class XenUnavailable(XeError):
    """xl is missing or failed: almost always "not booted under Xen"."""

    def __init__(self, detail):
        super().__init__(f"cannot talk to Xen: {detail}",
                         "is this host booted with the Xen hypervisor? check `xl info`")
