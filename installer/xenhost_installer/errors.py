"""The installer's errors, on the runtime core's one error base (xenhost_common.errors):
every message is a problem and its fix, printed one way.

Errors that collect several findings (an answer file's problems, preflight's failures) keep them
as a list of "where: problem; fix: ..." lines, each naming its own fix, for screens that show
them one by one.
"""
from xenhost_common.errors import CommandFailed, ProgramMissing, XenhostError  # noqa: F401 (re-exported)


class InstallerError(XenhostError):
    """Base of every error the installer reports to the user."""


class AnswerFileError(InstallerError):
    """The answer file cannot be read or does not match the schema."""

    def __init__(self, problem, fix="", problems=()):
        super().__init__(problem, fix)
        self.problems = list(problems)


class CmdlineError(InstallerError):
    """A kernel command line option has an unusable value."""


class LayoutError(InstallerError):
    """The disk cannot hold the partition layout."""


class ListedFailures(InstallerError):
    """Several findings, each with its own fix, found before anything was written."""
    what = "checks failed"

    def __init__(self, failures):
        self.failures = list(failures)
        super().__init__("%s: %s" % (self.what, "; ".join(self.failures)),
                         "nothing was written to any disk; mend what each line says, then install again")


class PreflightError(ListedFailures):
    """One or more checks failed before touching any disk."""
    what = "preflight failed"
