"""Gather a spec's sources: fetch and verify pinned upstream files, pack repository folders."""
import gzip
import hashlib
import io
import shutil
import tarfile
from pathlib import Path

import yaml

from buildlib.config import BuildConfig
from buildlib.errors import SourceError
from buildlib.run import run
from .specs import Spec
from buildlib.files import sha256_of


def load_manifest(config: BuildConfig) -> dict:
    path = config.specs_dir / "sources.yaml"
    return yaml.safe_load(path.read_text()) or {}


def entry_for(manifest: dict, spec: Spec) -> dict:
    if spec.name not in manifest:
        raise SourceError(f"specs/sources.yaml has no entry for {spec.name}",
                          f"add `{spec.name}:` to specs/sources.yaml saying where its sources come from")
    return manifest[spec.name] or {}


def check_series(config: BuildConfig, spec: Spec, entry: dict) -> None:
    """The spec applies the patch queue exactly, in order: no patch forgotten or reordered."""
    if "series" not in entry:
        return
    series_path = config.repo_root / entry["series"]
    series = [ln.strip() for ln in series_path.read_text().splitlines()
              if ln.strip() and not ln.startswith("#")]
    if list(spec.patches) != series:
        raise SourceError(f"{spec.path.name}: Patch tags {list(spec.patches)} differ from "
                          f"{entry['series']} {series}",
                          f"list every patch of {entry['series']} as PatchN tags, in series order")


def fetch_debian_source(config: BuildConfig, name: str, origin: dict, dest: Path) -> None:
    """Debian's source archive serves upstream tarballs (as FILE.orig.tar.*); fetch just that."""
    apt_dir = config.cache("apt-src")
    (apt_dir / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    sources_list = apt_dir / "sources.list"
    sources_list.write_text(
        "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
        f"{config.debian_mirror} {config.debian_suite} main\n")
    opts = ["-o", f"Dir::Etc::SourceList={sources_list}", "-o", "Dir::Etc::SourceParts=/dev/null",
            "-o", f"Dir::State::Lists={apt_dir / 'lists'}"]
    work = config.cache("sources", "download")
    fix = ("check the network and the mirror (XENHOST_MIRROR), or place the file by hand at "
           f"{dest}")
    run(["apt-get", *opts, "update"], capture=True, fix=fix)
    run(["apt-get", *opts, "source", "--download-only",
         f"{origin['package']}={origin['version']}"], cwd=work, capture=True, fix=fix)
    fetched = work / name
    if not fetched.exists():
        raise SourceError(f"Debian's source package {origin['package']} {origin['version']} "
                          f"has no file {name}", "correct the file name or version in specs/sources.yaml")
    shutil.move(str(fetched), dest)


def upstream_file(config: BuildConfig, name: str, pin: dict) -> Path:
    store = config.cache("sources", "verified")
    path = store / name
    if not path.exists():
        partial = config.cache("sources", "partial") / name
        if "debian-source" in pin:
            fetch_debian_source(config, name, pin["debian-source"], partial)
        else:
            raise SourceError(f"{name}: no way to fetch it is declared",
                              "add debian-source: {package, version} to its entry in specs/sources.yaml")
        actual = sha256_of(partial)
        if actual != pin["sha256"]:
            quarantine = config.cache("sources", "quarantine") / name
            shutil.move(str(partial), quarantine)
            raise SourceError(f"{name}: sha256 {actual} does not match the pinned {pin['sha256']}; "
                              f"the file was quarantined at {quarantine}",
                              "if the new file is genuinely the right one, update its sha256 in "
                              "specs/sources.yaml after checking its origin; otherwise fix the mirror")
        shutil.move(str(partial), path)
    elif sha256_of(path) != pin["sha256"]:
        raise SourceError(f"{path}: the cached copy no longer matches its pinned sha256",
                          f"delete {path} and build again (it will be fetched anew)")
    return path


def tree_tarball(folder: Path, top: str, dest: Path, mtime: int) -> None:
    """A byte-reproducible tarball of a repository folder: sorted, fixed owner and time."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for path in sorted([folder, *folder.rglob("*")]):
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            arcname = f"{top}/{path.relative_to(folder)}".rstrip("/.")
            if not arcname:         # top "." (an overlay archive): no entry for the root itself
                continue
            info = tar.gettarinfo(str(path), arcname=arcname)
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mtime = mtime
            if info.isfile():
                with open(path, "rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)
    # filename="" and mtime=0: gzip would otherwise stamp both into the header.
    with open(dest, "wb") as out, gzip.GzipFile(filename="", fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())


def gather_sources(config: BuildConfig, spec: Spec, dest: Path) -> list[Path]:
    """Put every Source and Patch of spec into dest; return their paths (for the cache key)."""
    manifest = load_manifest(config)
    entry = entry_for(manifest, spec)
    check_series(config, spec, entry)
    dest.mkdir(parents=True, exist_ok=True)
    upstream = entry.get("upstream", {})
    local_dirs = [config.repo_root / d for d in entry.get("local", [])]
    gathered = []
    for name in (*spec.sources, *spec.patches):
        target = dest / name
        if name in upstream:
            shutil.copy2(upstream_file(config, name, upstream[name]), target)
        elif "tree" in entry and name == f"{spec.name}-{spec.version}.tar.gz":
            tree_tarball(config.repo_root / entry["tree"], f"{spec.name}-{spec.version}", target,
                         spec.changelog_time)
        else:
            found = [d / name for d in local_dirs if (d / name).is_file()]
            if not found:
                raise SourceError(f"{spec.path.name} names {name}, which is nowhere declared",
                                  "pin it under upstream: in specs/sources.yaml, or put it in a "
                                  "folder listed under local:")
            shutil.copy2(found[0], target)
        gathered.append(target)
    return gathered
