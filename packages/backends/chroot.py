"""Debian build hosts: rpmbuild inside a clean Debian root made by mmdebstrap, network off.

A build root holds only the base system, rpm and the spec's BuildRequires (mapped to Debian
names). Roots are cached as tarballs keyed by that package set, and each build unpacks a fresh
copy, so no build sees what another one left behind.
"""
import hashlib
import shutil
import tempfile
from pathlib import Path

from .. import hosttools
from ..config import BuildConfig
from ..run import run
from ..specs import MACRO_FILES
from .base import Backend, BuildRequest

# What rpmbuild itself needs to unpack, patch and package, whatever the spec asks.
ROOT_BASE = ("rpm", "patch", "xz-utils", "gzip", "bzip2", "file", "cpio")


class ChrootBackend(Backend):
    name = "chroot"

    def __init__(self, config: BuildConfig):
        self.config = config

    def _includes(self, request: BuildRequest) -> list[str]:
        return sorted(set(ROOT_BASE) | set(request.build_requires))

    def root_key(self, request: BuildRequest) -> str:
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

    def build(self, request: BuildRequest) -> list[Path]:
        hosttools.require("bwrap")
        tarball = self._root_tarball(request)
        with tempfile.TemporaryDirectory(dir=self.config.cache("work"), prefix="root-") as tmp:
            root = Path(tmp)
            run(["tar", "-xf", tarball, "-C", root], log_file=request.log)
            (root / "build").mkdir()
            shutil.copy2(request.srpm, root / "build")
            for name, path in MACRO_FILES.items():
                shutil.copy2(path, _mkparent(root / "etc" / "rpm" / f"macros.{name}"))
            epoch = str(request.spec.changelog_time)
            # --unshare-net: a build that reaches for the network fails here, as it would in mock.
            run(["bwrap", "--bind", root, "/", "--dev", "/dev", "--proc", "/proc",
                 "--tmpfs", "/tmp", "--unshare-net", "--unshare-pid", "--die-with-parent",
                 "--setenv", "SOURCE_DATE_EPOCH", epoch, "--setenv", "HOME", "/build",
                 "--setenv", "LC_ALL", "C.UTF-8", "--chdir", "/build",
                 # --nodeps: rpm's database is empty on Debian; the BuildRequires were
                 # satisfied by installing their Debian names into this root.
                 "rpmbuild", "--rebuild", "--nodeps", "--define", "_topdir /build/rpmbuild",
                 "--define", "use_source_date_epoch_as_buildtime 1",
                 "--define", "clamp_mtime_to_source_date_epoch 1",
                 "--define", "_buildhost xenhost-build",
                 f"/build/{request.srpm.name}"],
                log_file=request.log,
                fix=f"read {request.log}: the spec's %build or %install failed inside the build root")
            request.result_dir.mkdir(parents=True, exist_ok=True)
            built = []
            for rpm_file in sorted((root / "build" / "rpmbuild" / "RPMS").glob("*/*.rpm")):
                built.append(Path(shutil.copy2(rpm_file, request.result_dir)))
            return built


def _mkparent(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
