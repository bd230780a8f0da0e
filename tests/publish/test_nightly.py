"""The nightly pipeline over a tiny git repository whose build.py makes fake outputs: a clean
checkout of one commit, each step run there with its log, STATUS from the results, published."""
import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from buildlib.config import BuildConfig
from publish.nightly import STEPS, run_nightly
from conftest import make_outputs

BUILD_PY = """\
import shutil, sys
from pathlib import Path
if sys.argv[1] == "packages":
    shutil.copytree("fake-out/repo", "out/repo")
elif sys.argv[1] == "iso":
    if Path("FAIL-ISO").exists():
        sys.exit("kiwi: the installer image failed")
    shutil.copytree("fake-out/iso", "out/iso")
"""


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def project(tmp_path) -> Path:
    repo = tmp_path / "project"
    make_outputs(tmp_path / "fake")
    shutil_tree = tmp_path / "fake" / "out"
    (repo / "fake-out").mkdir(parents=True)
    for sub in ("repo", "iso"):
        subprocess.run(["cp", "-a", str(shutil_tree / sub), str(repo / "fake-out")], check=True)
    (repo / "build.py").write_text(BUILD_PY)
    (repo / "pytest.ini").write_text("[pytest]\nmarkers =\n    e2e: qemu\naddopts = -m 'not e2e' -p no:cacheprovider\n")
    (repo / "tests" / "e2e").mkdir(parents=True)
    (repo / "tests" / "test_fast.py").write_text("def test_one():\n    assert 1 + 1 == 2\n")
    (repo / "tests" / "e2e" / "test_install.py").write_text(
        "import pytest\n\n@pytest.mark.e2e\ndef test_install():\n    assert True\n")
    _git(tmp_path, "init", "-q", str(repo))
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@invalid", "commit", "-qm", "first")
    return repo


@pytest.fixture
def steps(tmp_path):
    # the machine's shared locks are real and may be held by a real build: use private ones
    return tuple(replace(s, lock=tmp_path / "lock") if s.lock else s for s in STEPS)


@pytest.fixture
def config(tmp_path, cache_dir):
    return BuildConfig(cache_dir=cache_dir, out_dir=tmp_path / "unused-out")


def test_a_clean_commit_is_built_tested_and_published(project, publisher, steps, config):
    (project / "uncommitted.txt").write_text("not part of the commit\n")
    snap = run_nightly(project, "HEAD", publisher, progress=lambda m: None, config=config, steps=steps)
    assert (snap / "STATUS").read_text() == "FINISHED\n"
    assert publisher.latest() == snap.name
    manifest = json.loads((snap / "manifest.json").read_text())
    assert manifest["commit"] == _git(project, "rev-parse", "HEAD").strip()
    results = {s["name"]: (s["result"], s["detail"]) for s in manifest["build"]["steps"]}
    assert results == {"packages": ("passed", ""), "iso": ("passed", ""),
                       "pxe": ("absent", "this commit has no iso/pxe.py"), "fast-tests": ("passed", ""),
                       "reproducible": ("absent", "this commit has no packages/reproduce.py"),
                       "e2e": ("passed", "")}
    assert "1 passed" in (snap / "logs" / "nightly-fast-tests.log").read_text()
    assert "1 passed" in (snap / "logs" / "nightly-e2e.log").read_text()
    assert manifest["reproducible"]["result"] == "not-checked"
    assert not list(config.cache("nightly").iterdir())              # the checkout is removed


def test_a_failed_build_step_is_published_as_failed_and_stops_the_run(project, publisher, steps, config):
    good = run_nightly(project, "HEAD", publisher, progress=lambda m: None, config=config, steps=steps)
    (project / "FAIL-ISO").write_text("")
    _git(project, "add", "-A")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@invalid", "commit", "-qm", "break the ISO")
    bad = run_nightly(project, "HEAD", publisher, progress=lambda m: None, config=config, steps=steps)
    status = (bad / "STATUS").read_text()
    assert status.startswith("FAILED: step iso failed (exit 1: kiwi: the installer image failed)")
    manifest = json.loads((bad / "manifest.json").read_text())
    later = {s["name"]: s["result"] for s in manifest["build"]["steps"]}
    assert later["fast-tests"] == later["e2e"] == "not-run"
    assert "kiwi: the installer image failed" in (bad / "logs" / "nightly-iso.log").read_text()
    assert publisher.latest() == good.name
    assert "break the ISO" in (bad / "CHANGES").read_text()


def test_a_skipped_check_makes_the_snapshot_incomplete(project, publisher, steps, config):
    snap = run_nightly(project, "HEAD", publisher, skip={"e2e"}, progress=lambda m: None, config=config,
                       steps=steps)
    assert (snap / "STATUS").read_text() == "FINISHED_INCOMPLETE: e2e not-run (--skip e2e)\n"
    assert publisher.latest() is None


def test_a_step_whose_lock_stays_busy_is_recorded_as_not_run(project, publisher, steps, config, tmp_path):
    import fcntl
    qemu = tmp_path / "qemu.lock"
    steps = tuple(replace(s, lock=qemu) if s.name == "e2e" else s for s in steps)
    with open(qemu, "a") as other:                   # someone else's VM holds the qemu lock
        fcntl.flock(other, fcntl.LOCK_EX)
        snap = run_nightly(project, "HEAD", publisher, progress=lambda m: None, config=config, steps=steps,
                           lock_wait=3)
    assert (snap / "STATUS").read_text() == (
        f"FINISHED_INCOMPLETE: e2e not-run ({qemu} was held by others for 3 s)\n")
