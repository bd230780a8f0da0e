"""Debian build hosts: rpmbuild inside a clean Debian root made by mmdebstrap, network off.

A build root holds only the base system, rpm and the spec's BuildRequires (mapped to Debian
names), plus our own earlier .debs when the spec build-depends on our specs. Roots are cached
as tarballs keyed by their Debian package set; each build unpacks a fresh copy and installs
our .debs into it with dpkg (offline: their Debian dependencies are already in the tarball),
so no build sees what another one left behind.
"""
import hashlib
import shutil
import tempfile
from pathlib import Path

from buildlib import hosttools
from buildlib.config import BuildConfig
from buildlib.aptindex import depends_names
from ..debian import shlibdeps_command
from buildlib.run import run
from ..reproducible import rpmbuild_defines
from ..specs import MACRO_FILES
from .base import Backend, BuildRequest

# What rpmbuild itself needs to unpack, patch and package, whatever the spec asks, and
# dpkg-dev for dpkg-shlibdeps (shared-library Depends are computed where the build ran).
ROOT_BASE = ("rpm", "patch", "xz-utils", "gzip", "bzip2", "file", "cpio", "dpkg-dev")


def deb_field(deb: Path, field: str) -> str:
    return run(["dpkg-deb", "-f", deb, field], capture=True).strip()


def external_depends(debs: tuple[Path, ...]) -> set[str]:
    """The Debian packages our .debs depend on (their Depends minus our own packages)."""
    ours = set()
    needed = set()
    for deb in debs:
        ours.add(deb_field(deb, "Package"))
        ours.update(depends_names(deb_field(deb, "Provides")))
        needed.update(depends_names(deb_field(deb, "Depends")))
    return needed - ours


class ChrootBackend(Backend):
    name = "chroot"

    def __init__(self, config: BuildConfig):
        self.config = config

    def _includes(self, request: BuildRequest) -> list[str]:
        return sorted(set(ROOT_BASE) | set(request.build_requires) | external_depends(request.local_debs))

    def root_key(self, request: BuildRequest) -> str:
        # Our .debs are not in the tarball: the package's cache key covers them through the
        # keys of the specs that built them.
        material = "\n".join([self.config.debian_suite, self.config.debian_mirror, "minbase",
                              *self._includes(request)])
        return hashlib.sha256(material.encode()).hexdigest()[:16]

    def _root_tarball(self, request: BuildRequest) -> Path:
        tarball = self.config.cache("buildroots") / f"debian-{self.root_key(request)}.tar"
        if not tarball.exists():
            hosttools.require("mmdebstrap")
            partial = tarball.with_suffix(".partial.tar")
            run(["mmdebstrap", "--variant=minbase", "--mode=root",
                 "--include=" + ",".join(self._includes(request)),
                 self.config.debian_suite, partial, self.config.debian_mirror],
                log_file=request.log,
                fix="check that every BuildRequires maps to a real Debian package "
                    "(packages/debian-names.yaml) and that the mirror is reachable")
            partial.rename(tarball)
        return tarball

    def prepare_root(self, request: BuildRequest, root: Path) -> None:
        """Unpack a clean copy of the build root into root and install our .debs into it."""
        hosttools.require("bwrap")
        run(["tar", "-xf", self._root_tarball(request), "-C", root], log_file=request.log)
        (root / "build").mkdir()
        for name, path in MACRO_FILES.items():
            shutil.copy2(path, _mkparent(root / "etc" / "rpm" / f"macros.{name}"))
        if request.local_debs:
            own = root / "build" / "own"
            own.mkdir()
            for deb in request.local_debs:
                shutil.copy2(deb, own)
            run(_sandbox(root, request, ["dpkg", "-i", *(f"/build/own/{d.name}" for d in request.local_debs)]),
                log_file=request.log,
                fix=f"read {request.log}: one of our own packages does not install into the build root")

    def build(self, request: BuildRequest) -> list[Path]:
        with tempfile.TemporaryDirectory(dir=self.config.cache("work"), prefix="root-") as tmp:
            root = Path(tmp)
            self.prepare_root(request, root)
            shutil.copy2(request.srpm, root / "build")
            # --nodeps: rpm's database is empty on Debian; the BuildRequires were satisfied by
            # installing their Debian names (and our .debs) into this root.
            # `times` after rpmbuild: the build's CPU time (user, system) in its log. The sandbox's
            # own PID namespace keeps it from the caller's rusage (/usr/bin/time sees none of it).
            run(_sandbox(root, request, [
                "sh", "-c", 'rpmbuild "$@"; status=$?; echo "CPU time (user system: the shell, then '
                            'rpmbuild and its children):"; times; exit $status', "rpmbuild",
                "--rebuild", "--nodeps", "--define", "_topdir /build/rpmbuild",
                *rpmbuild_defines(),
                f"/build/{request.srpm.name}"]),
                log_file=request.log,
                fix=f"read {request.log}: the spec's %build or %install failed inside the build root")
            request.result_dir.mkdir(parents=True, exist_ok=True)
            built = []
            for rpm_file in sorted((root / "build" / "rpmbuild" / "RPMS").glob("*/*.rpm")):
                built.append(Path(shutil.copy2(rpm_file, request.result_dir)))
            return built

    def shared_library_depends(self, request: BuildRequest, workdir: Path, elf_files: list[Path]) -> str:
        """dpkg-shlibdeps inside a fresh copy of the build root: the libraries the programs
        were linked against are installed there, not necessarily on the host."""
        name = next(p.name for p in (workdir / "debian").iterdir() if p.is_dir())
        with tempfile.TemporaryDirectory(dir=self.config.cache("work"), prefix="shlibs-") as tmp:
            root = Path(tmp)
            self.prepare_root(request, root)
            (root / "shlibdeps").mkdir()
            return run(_sandbox(root, request, shlibdeps_command(f"debian/{name}", elf_files),
                                binds=(("--bind", workdir, "/shlibdeps"),), chdir="/shlibdeps"),
                       capture=True,
                       fix="add the -dev packages of the libraries named above as BuildRequires")


def _sandbox(root: Path, request: BuildRequest, argv: list, binds=(), chdir: str = "/build") -> list:
    """argv inside root: its own mount, pid and network namespaces. --unshare-net: a build
    that reaches for the network fails here, as it would in mock."""
    return ["bwrap", "--bind", root, "/", "--dev", "/dev", "--proc", "/proc",
            "--tmpfs", "/tmp", *(a for bind in binds for a in bind),
            "--unshare-net", "--unshare-pid", "--die-with-parent",
            "--setenv", "SOURCE_DATE_EPOCH", str(request.spec.changelog_time),
            "--setenv", "HOME", "/build", "--setenv", "LC_ALL", "C.UTF-8",
            "--setenv", "PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "--chdir", chdir, *argv]


def _mkparent(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
