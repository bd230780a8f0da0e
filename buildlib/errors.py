"""One exception hierarchy for the build side (packages, images, media).

Every error names the problem and the fix, so a failed build tells the user what to do next
instead of leaving them to read a traceback.
"""


from xenhost_common.errors import XenhostError


class XenhostBuildError(XenhostError):
    """Base of the build side's errors: the runtime core's problem + fix, one format."""


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
