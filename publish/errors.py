"""The publisher's errors: the build side's one base, problem + fix."""
from buildlib.errors import XenhostBuildError


class PublishError(XenhostBuildError):
    """A snapshot cannot be published as asked (missing outputs, a bad record, a bad tree)."""
