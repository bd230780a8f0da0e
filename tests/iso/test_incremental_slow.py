"""Slow tier: a dom0 root updated by iso/incremental.py is the root kiwi prepared, package for package
and file for file. The clean root of this checkout's inputs (made by kiwi in `./build.py iso`) is
copied and updated the incremental way with xenhost-toolstack's .deb (as after a change to it:
dpkg -i, overlay, config.sh); package manifests and file lists (path, type, mode, owner, size,
link target) are compared. Needs root (chroot, mounts) and about a minute."""
import os
import stat
import subprocess
from pathlib import Path

import pytest

from buildlib.config import BuildConfig
from iso import incremental, kiwi, media

pytestmark = pytest.mark.slow
BUILD = "flock /tmp/xenhost-build.lock ./build.py iso"
# Written on every package operation, not part of what the image is.
VOLATILE = ("var/log/", "var/cache/", "var/lib/dpkg/status-old", "var/lib/dpkg/available-old",
            "var/lib/dpkg/diversions-old", "var/lib/dpkg/statoverride-old", "var/lib/dpkg/triggers/",
            "var/lib/dpkg/lock", "var/lib/apt/", "image/", "etc/ld.so.cache", "var/lib/dpkg/info/format",
            "var/lib/dpkg/status", "var/lib/dpkg/available")


def file_list(root: Path) -> dict:
    entries = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(root))
            if rel.startswith(VOLATILE):
                continue
            st = path.lstat()
            link = os.readlink(path) if stat.S_ISLNK(st.st_mode) else ""
            size = st.st_size if stat.S_ISREG(st.st_mode) else 0
            entries[rel] = (stat.filemode(st.st_mode), st.st_uid, st.st_gid, size, link)
    return entries


def manifest(root: Path) -> str:
    return subprocess.run(["dpkg-query", f"--admindir={root}/var/lib/dpkg", "-W", "-f=${Package} ${Version}\n"],
                          capture_output=True, text=True, check=True).stdout


def test_updated_root_equals_the_clean_one(tmp_path):
    assert os.geteuid() == 0, "needs root (chroot, mounts): run the slow tier as root"
    config = BuildConfig()
    index = config.repo_dir / "deb" / "dists" / "xenhost" / "main" / "binary-amd64" / "Packages"
    assert index.exists(), f"no repositories in {config.repo_dir}: run {BUILD}"
    description = media.describe(config, kiwi.image_settings(), "dom0")
    inputs = kiwi.image_inputs(description, config)
    clean = config.cache_dir / "roots" / f"dom0-{kiwi.image_key(description, config)}"
    assert (clean / "complete").exists(), f"no dom0 root for this checkout's inputs: run {BUILD}"
    made_by = (clean / incremental.MADE_BY).read_text().strip()
    assert made_by == "kiwi", f"{clean} was made by {made_by!r}, not kiwi: delete it and run {BUILD}"
    store = tmp_path / "dom0-updated"
    log = tmp_path / "update.log"
    assert incremental.apply(config, "dom0", description, inputs, store, log, clean, ["xenhost-toolstack"],
                             progress=lambda line: None), log.read_text()
    assert "Unpacking xenhost-toolstack" in log.read_text()
    assert manifest(store / "root") == manifest(clean / "root")
    theirs, ours = file_list(clean / "root"), file_list(store / "root")
    differing = sorted(k for k in theirs.keys() | ours.keys() if theirs.get(k) != ours.get(k))
    assert differing == [], [(k, theirs.get(k), ours.get(k)) for k in differing[:20]]
