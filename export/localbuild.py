"""Build one exported OBS package here with obs-build's own `build` script (what an OBS worker
runs), against a local folder of Debian 12 .debs, in a chroot. Needs root.

A real OBS instance takes its base configuration (Preinstall/Required) from the Debian:12
project it builds against; here it is made from Debian's own index: the Essential packages
and their dependencies are the Preinstall set, build-essential + fakeroot the Required set.
"""
import os
import subprocess
from pathlib import Path

from buildlib import hosttools
from buildlib.config import BuildConfig
from buildlib.errors import XenhostBuildError
from buildlib.run import run

OBS_BUILD = "obs-build"
OBS_BUILD_LIB = "/usr/lib/obs-build"      # Debian's obs-build keeps its perl modules here
REQUIRED = ("build-essential", "fakeroot", "dpkg-dev")


def _apt_options(config: BuildConfig, state: Path, archives: Path) -> list[str]:
    # A private, empty dpkg status: apt resolves the whole closure (as for an empty root)
    # and only downloads; the host's package lists name the mirror.
    (archives / "partial").mkdir(parents=True, exist_ok=True)
    status = state / "status"
    status.parent.mkdir(parents=True, exist_ok=True)
    status.touch()
    return ["-o", f"Dir::State::status={status}", "-o", f"Dir::Cache::archives={archives}",
            "-o", "APT::Install-Recommends=false", "-o", "Debug::NoLocking=1"]


def essential_packages(config: BuildConfig) -> list[str]:
    """Debian's Essential: yes packages, from the host's apt lists."""
    out = run(["apt-cache", "dumpavail"], capture=True,
              fix="run `apt-get update` (the host's package lists are missing)")
    names, current = set(), None
    for line in out.splitlines():
        if line.startswith("Package: "):
            current = line.split(": ", 1)[1]
        elif line == "Essential: yes" and current:
            names.add(current)
    return sorted(names)


def download_debs(config: BuildConfig, packages: list[str], dest: Path) -> list[str]:
    """The .debs of packages and everything they depend on, into dest; their package names."""
    options = _apt_options(config, dest.parent / "apt-state", dest)
    run(["apt-get", *options, "install", "--download-only", "-y", "-q", *packages], capture=True,
        fix="check the mirror (apt-get update); a 404 means the mirror lacks a file: try later")
    return sorted({p.name.split("_", 1)[0] for p in dest.glob("*.deb")})


def base_config(preinstall: list[str]) -> str:
    # Order: base-files chowns to root, whom base-passwd creates (as obs-build's own Debian configs say).
    return ("Repotype: debian\nType: dsc\nOrder: base-passwd:base-files\n"
            f"Preinstall: {' '.join(preinstall)}\nRequired: {' '.join(REQUIRED)}\n")


def build_package(config: BuildConfig, package_dir: Path, prjconf: str, work: Path,
                  log: Path) -> list[Path]:
    """obs-build builds package_dir's .dsc in work/root; returns the .debs it made."""
    if os.geteuid() != 0:
        raise XenhostBuildError("obs-build's chroot build needs root", "run it as root")
    hosttools.require(OBS_BUILD)
    dsc = sorted(package_dir.glob("*.dsc"))
    if len(dsc) != 1:
        raise XenhostBuildError(f"{package_dir} has {len(dsc)} .dsc files, not one",
                                "export the package again (./build.py export-obs)")
    debs = config.cache("obs-local", "debs")
    depends = _field(dsc[0], "Build-Depends")
    essential = essential_packages(config)
    download_debs(config, [*essential, *REQUIRED, *depends], debs)
    preinstall = download_debs(config, essential, config.cache("obs-local", "essential"))
    work.mkdir(parents=True, exist_ok=True)
    dist = work / "dist.conf"
    dist.write_text(base_config(preinstall) + "\n" + prjconf)
    root = work / "root"
    with open(log, "w") as out:
        proc = subprocess.run([OBS_BUILD, "--root", str(root), "--dist", str(dist),
                               "--repo", str(debs), "--arch", "x86_64", "--vm-type", "chroot",
                               "--nochecks", str(dsc[0])], stdout=out, stderr=subprocess.STDOUT,
                              cwd=package_dir)
    if proc.returncode != 0:
        tail = "".join(log.read_text(errors="replace").splitlines(True)[-25:])
        raise XenhostBuildError(f"obs-build failed (exit {proc.returncode}); last lines of {log}:\n{tail}",
                                f"read {log}")
    return sorted((root / "usr" / "src" / "packages" / "DEBS").glob("*.deb"))


def _field(dsc: Path, name: str) -> list[str]:
    for line in dsc.read_text().splitlines():
        if line.startswith(f"{name}: "):
            return [c.split()[0] for c in line.split(": ", 1)[1].split(",") if c.strip()]
    return []
