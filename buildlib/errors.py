"""One exception hierarchy for the build side (packages, images, media).

Every error names the problem and the fix, so a failed build tells the user what to do next
instead of leaving them to read a traceback.
"""


class XenhostBuildError(Exception):
    def __init__(self, problem: str, fix: str = ""):
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem}\n  fix: {fix}" if fix else problem)


class SpecError(XenhostBuildError):
    """A spec file is malformed or inconsistent."""


class SourceError(XenhostBuildError):
    """A source is missing, cannot be fetched, or does not match its pinned checksum."""


class DependencyError(XenhostBuildError):
    """Build order cannot be decided: a cycle, or a dependency nobody provides or maps."""


class HostToolMissing(XenhostBuildError):
    """The build host lacks a program the build needs."""


class CommandFailed(XenhostBuildError):
    """An external command exited non-zero."""


class PackageBuildFailed(XenhostBuildError):
    """One package failed to build; its log says why."""
