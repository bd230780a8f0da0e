"""One exception hierarchy: every message says the problem AND the fix (CONVENTIONS.md)."""


class InstallerError(Exception):
    """Base of every error the installer reports to the user."""


class AnswerFileError(InstallerError):
    """The answer file cannot be read or does not match the schema."""

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)


class CmdlineError(InstallerError):
    """A kernel command line option has an unusable value."""


class LayoutError(InstallerError):
    """The disk cannot hold the partition layout."""


class PreflightError(InstallerError):
    """One or more checks failed before touching any disk."""

    def __init__(self, failures):
        self.failures = list(failures)
        super().__init__("preflight failed: " + "; ".join(self.failures))


class CommandError(InstallerError):
    """An external command failed; carries its stderr."""

    def __init__(self, argv, returncode, stderr):
        self.argv, self.returncode, self.stderr = list(argv), returncode, stderr
        tail = (stderr or "").strip().splitlines()[-5:]
        super().__init__(
            "command failed (exit %s): %s%s\n  fix: see the stderr above and %s"
            % (returncode, " ".join(argv), "".join("\n  " + l for l in tail), "/tmp/xenhost-installer.log"))
