"""What every build backend does, and what it is given."""
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from ..debian import host_shlibdeps
from ..specs import Spec


@dataclass(frozen=True)
class BuildRequest:
    spec: Spec
    srpm: Path
    build_requires: tuple[str, ...]   # in the backend's package namespace (Debian names for chroot)
    result_dir: Path                  # binary RPMs are collected here
    log: Path
    local_repo: Path | None = None    # earlier results (RPMs), visible to this build
    local_debs: tuple[Path, ...] = () # our .debs the build root installs (BuildRequires on our specs)


class Backend(ABC):
    name = "abstract"
    # Which distribution macros the SRPM is made with, and whether BuildRequires must be
    # mapped to Debian names ("debian") or are resolved by the RPM package manager ("rpm").
    flavor = "debian"

    @abstractmethod
    def root_key(self, request: BuildRequest) -> str:
        """Identifies the build root this request needs (part of the package's cache key)."""

    @abstractmethod
    def build(self, request: BuildRequest) -> list[Path]:
        """Build the SRPM; return the binary RPMs placed in request.result_dir."""

    def shared_library_depends(self, request: BuildRequest, workdir: Path, elf_files: list[Path]) -> str:
        """dpkg-shlibdeps over elf_files (inside workdir, which holds debian/control), where
        the libraries they link are installed. Backends whose build root differs from the
        host run it there; this default runs it on the host."""
        return host_shlibdeps(workdir, elf_files)
