"""Build backends: turn an SRPM into binary RPMs inside a clean build root.

`chroot` (Debian build hosts) and `mock` (RPM build hosts) share one interface, `Backend`.
"""
from .base import Backend, BuildRequest  # noqa: F401


def backend_named(name: str, config):
    if name == "chroot":
        from .chroot import ChrootBackend
        return ChrootBackend(config)
    if name == "mock":
        from .mock import MockBackend
        return MockBackend(config)
    from ..errors import XenhostBuildError
    raise XenhostBuildError(f"unknown build backend {name!r}", "use --backend chroot or --backend mock")
