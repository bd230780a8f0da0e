"""A publish killed with SIGKILL at several points (a real subprocess: python -m publish)
leaves every earlier snapshot and `latest` intact, and never a partial snapshot under a final
name; the next publish clears what the killed one left and succeeds."""
import argparse
import json
import os
import signal
import subprocess
import sys

import pytest

from publish import fetch_snapshot, layout
from conftest import REPO, make_outputs, record

KILL_POINTS = ["copy iso/xenhost-0.1-x86_64.iso", "copy repo/", "checksums and signature",
               "published ", "latest -> "]


def _verified(folder, signer, keyring) -> list[str]:
    args = argparse.Namespace(verify=str(folder), keyring=str(keyring), fingerprint=signer.fingerprint())
    return fetch_snapshot.verify(args)


def _publish_until(marker, out, record_file, tree, cache_dir) -> tuple[int, list[str]]:
    env = {**os.environ, "XENHOST_CACHE": str(cache_dir), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "publish", "--out", str(out), "--record", str(record_file),
                             "--to", str(tree)], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    seen = []
    for line in proc.stdout:
        seen.append(line.strip())
        if marker and line.startswith(marker):
            proc.send_signal(signal.SIGKILL)
            break
    proc.stdout.close()
    return proc.wait(timeout=60), seen


@pytest.fixture
def keyring(tmp_path, signer):
    signer.export_public(tmp_path)
    return tmp_path / layout.KEY


def _check_tree(tree, signer, keyring, latest_before):
    """Every snapshot under a final name complete; latest where it was, or moved whole to a
    complete FINISHED snapshot (the kill can land just after the move). Returns latest."""
    snapshots = tree / layout.SNAPSHOTS
    complete = [p for p in snapshots.iterdir() if layout.parse_id(p.name) and not p.is_symlink()]
    for folder in complete:                       # nothing half-written under a final name
        assert _verified(folder, signer, keyring) == [], folder.name
    latest = os.readlink(snapshots / layout.LATEST)
    assert latest == latest_before or (
        latest in {p.name for p in complete} and (snapshots / latest / layout.STATUS).read_text() == "FINISHED\n")
    index = json.loads((tree / layout.INDEX_JSON).read_text())
    assert {s["id"] for s in index["snapshots"]} <= {p.name for p in complete}
    return latest


def test_a_publish_killed_at_any_point_leaves_the_tree_intact(tmp_path, signer, cache_dir, keyring):
    tree = tmp_path / "tree"
    out = make_outputs(tmp_path / "b", iso_bytes=16 << 20)   # big enough to be killed mid-copy
    record_file = tmp_path / "record.json"
    record_file.write_text(record("1" * 40).to_json())
    code, _ = _publish_until(None, out, record_file, tree, cache_dir)
    assert code == 0
    first = os.readlink(tree / layout.SNAPSHOTS / layout.LATEST)
    latest = first
    record_file.write_text(record("2" * 40).to_json())
    snapshots = tree / layout.SNAPSHOTS
    left_over = set()
    for marker in KILL_POINTS:
        code, seen = _publish_until(marker, out, record_file, tree, cache_dir)
        # the run cleared what the run killed before it left behind (then may reuse the id)
        assert all(f"removing {name} (left by an interrupted publish)" in seen for name in left_over)
        # (.latest.<pid>, a kill between making the new link and renaming it, goes silently)
        left_over = {p.name for p in snapshots.iterdir() if p.name.startswith((layout.INCOMING, layout.TRASH))}
        assert code == -signal.SIGKILL and seen[-1].startswith(marker), seen
        latest = _check_tree(tree, signer, keyring, latest)
        if marker == "latest -> ":                 # killed after latest moved: it moved whole
            assert latest == seen[-1].split(" -> ", 1)[1]
        assert _verified(tree / layout.SNAPSHOTS / first, signer, keyring) == []
    code, seen = _publish_until(None, out, record_file, tree, cache_dir)
    assert code == 0, seen
    assert not [p.name for p in snapshots.iterdir() if p.name.startswith(".")]
    newest = _check_tree(tree, signer, keyring, latest)
    assert f"latest -> {newest}" in seen
    index = json.loads((tree / layout.INDEX_JSON).read_text())
    assert index["latest"] == newest
    assert [s["id"] for s in index["snapshots"]] == sorted(
        (p.name for p in snapshots.iterdir() if layout.parse_id(p.name)), key=layout.sort_key, reverse=True)
