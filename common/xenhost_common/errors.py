"""The one error base of every runtime component: a problem and its fix, printed one way.

Components derive their own classes (InstallerError, FirstbootError, XeError) from XenhostError,
so a console, a log and a test read every failure in the same two-part form.
"""


class XenhostError(Exception):
    """problem: what went wrong, in the user's terms. fix: what to do about it."""

    def __init__(self, problem, fix=""):
        self.problem = str(problem)
        self.fix = str(fix or "")
        super().__init__(format_error(self.problem, self.fix))


def format_error(problem, fix=""):
    return f"{problem}\n  fix: {fix}" if fix else problem


class ProgramMissing(XenhostError):
    """A program a step runs is not installed: names the Debian package that provides it."""

    def __init__(self, program, package=None):
        from .programs import package_of
        self.program = program
        self.package = package or package_of(program)
        super().__init__(f"{program}: program not installed",
                         f"install the Debian package {self.package} (apt-get install {self.package})")


class CommandFailed(XenhostError):
    """A command exited non-zero (or timed out); carries its result."""

    def __init__(self, result, fix=""):
        self.result = result
        self.argv, self.returncode, self.stderr = result.argv, result.returncode, result.stderr
        tail = (result.stderr or result.stdout or "").strip().splitlines()[-5:]
        what = "timed out" if result.timed_out else f"failed (exit {result.returncode})"
        super().__init__(f"command {what}: {' '.join(result.argv)}" + "".join("\n  " + ln for ln in tail),
                         fix or "read the command's output above; the full log has the rest")
