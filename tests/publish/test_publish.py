"""One publish over fake build outputs: the snapshot's layout, manifest, STATUS, CHANGES, the
`latest` rule, and the index."""
import json
import subprocess
from datetime import timedelta

import pytest

from publish import fetch_snapshot, layout
from publish.errors import PublishError
from publish.record import BuildRecord, Step
from conftest import REPO, make_outputs, manifest_of, record


def test_a_finished_build_becomes_the_latest_snapshot(publisher, tmp_path, signer):
    out = make_outputs(tmp_path / "b1", pxe=True)
    snap = publisher.publish(out, record())
    assert snap.name == "20261201.1-aaaaaaaaaa"
    assert (snap.parent / "latest").resolve() == snap.resolve()
    assert (snap / "STATUS").read_text() == "FINISHED\n"
    for path in ("iso/xenhost-0.1-x86_64.iso", "pxe/vmlinuz", "repo/deb/pool/main/tiny_1.0-1_all.deb",
                 "repo/rpm/RPMS/repodata/repomd.xml", "logs/nightly-fast-tests.log", "fetch-snapshot.py",
                 "xenhost-archive-keyring.gpg", "SHA256SUMS", "SHA256SUMS.sign", "CHANGES", "manifest.json"):
        assert (snap / path).is_file(), path
    # what a user runs by hand (REFERENCE: Debian's daily builds)
    subprocess.run(["gpgv", "--keyring", str(snap / "xenhost-archive-keyring.gpg"), str(snap / "SHA256SUMS.sign"),
                    str(snap / "SHA256SUMS")], check=True, capture_output=True)
    subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=snap, check=True)
    listed = {line.split("  ", 1)[1] for line in (snap / "SHA256SUMS").read_text().splitlines()}
    on_disk = {str(p.relative_to(snap)) for p in snap.rglob("*") if p.is_file()}
    assert on_disk - listed == {"SHA256SUMS", "SHA256SUMS.sign"}


def test_manifest_lists_artefacts_packages_commit_and_steps(publisher, tmp_path, signer):
    snap = publisher.publish(make_outputs(tmp_path / "b1"), record())
    manifest = manifest_of(snap)
    assert manifest["commit"] == "a" * 40 and manifest["status"] == "FINISHED"
    iso = next(a for a in manifest["artefacts"] if a["path"] == "iso/xenhost-0.1-x86_64.iso")
    assert iso["kind"] == "iso" and iso["size"] == 1 << 20
    assert iso["sha256"] == fetch_snapshot.sha256_of(snap / iso["path"])
    assert {a["kind"] for a in manifest["artefacts"]} >= {"iso", "apt-repo", "rpm-repo", "key", "log", "script"}
    assert manifest["absent"] == {"pxe": f"this build made no PXE tree ({tmp_path / 'b1/out/pxe'} is missing or empty)"}
    [package] = manifest["packages"]
    assert (package["name"], package["version"], package["arch"]) == ("tiny", "1.0-1", "noarch")
    import hashlib
    assert package["sources"] == {"tiny.txt": hashlib.sha256(b"tiny 1.0\n").hexdigest()}
    assert [(s["name"], s["result"], s["seconds"]) for s in manifest["build"]["steps"]] == [
        ("iso", "passed", 600.0), ("fast-tests", "passed", 30.0), ("e2e", "passed", 700.0)]
    assert manifest["signing_key"] == signer.fingerprint()


def test_an_incomplete_or_failed_build_is_recorded_but_never_latest(publisher, tmp_path, clock):
    good = publisher.publish(make_outputs(tmp_path / "b1"), record("1" * 40))
    incomplete = publisher.publish(make_outputs(tmp_path / "b2"), record("2" * 40, e2e="not-run"))
    failed_out = tmp_path / "b3" / "out"
    (failed_out / "logs").mkdir(parents=True)
    (failed_out / "logs" / "nightly-iso.log").write_text("kiwi failed\n")
    failed = publisher.publish(failed_out, record("3" * 40, build="failed"))
    assert (incomplete / "STATUS").read_text() == "FINISHED_INCOMPLETE: e2e not-run (qemu install)\n"
    assert (failed / "STATUS").read_text() == "FAILED: step iso failed\n"
    assert (failed / "logs" / "nightly-iso.log").exists()
    assert [p.name for p in (good, incomplete, failed)] == [
        "20261201.1-1111111111", "20261201.2-2222222222", "20261201.3-3333333333"]
    assert publisher.latest() == good.name
    index = json.loads((publisher.dest / "index.json").read_text())
    assert index["latest"] == good.name
    assert [(s["id"], s["status"]) for s in index["snapshots"]] == [
        (failed.name, "FAILED"), (incomplete.name, "FINISHED_INCOMPLETE"), (good.name, "FINISHED")]


def test_a_finished_record_without_the_iso_is_refused_before_anything_is_written(publisher, tmp_path):
    out = make_outputs(tmp_path / "b1")
    (out / "iso" / "xenhost-0.1-x86_64.iso").unlink()
    with pytest.raises(PublishError) as err:
        publisher.publish(out, record())
    assert "no ISO in" in str(err.value)
    assert not publisher.dest.exists() or not any((publisher.dest / "snapshots").iterdir())


def test_changes_name_commits_and_package_versions_since_the_previous_finished(publisher, tmp_path):
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    parent = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD~2"], capture_output=True,
                            text=True, check=True).stdout.strip()
    first = publisher.publish(make_outputs(tmp_path / "b1", "1.0"), record(parent))
    assert "First snapshot" in (first / "CHANGES").read_text()
    second = publisher.publish(make_outputs(tmp_path / "b2", "1.1"), record(head))
    changes = (second / "CHANGES").read_text()
    subjects = subprocess.run(["git", "-C", str(REPO), "log", "--no-merges", "--format=%h %s",
                               f"{parent}..{head}"], capture_output=True, text=True).stdout.splitlines()
    assert f"Since {first.name}" in changes
    for subject in subjects:
        assert subject in changes
    assert "updated  tiny.noarch 1.0-1 -> 1.1-1" in changes


def test_index_html_lists_snapshots_newest_first_with_links_and_how_to_verify(publisher, tmp_path, signer, clock):
    first = publisher.publish(make_outputs(tmp_path / "b1"), record("1" * 40))
    clock.when += timedelta(days=1)
    second = publisher.publish(make_outputs(tmp_path / "b2"), record("2" * 40, e2e="failed"))
    html = (publisher.dest / "index.html").read_text()
    table = html[html.index("<table"):]
    assert table.index(second.name) < table.index(first.name)
    assert f'href="snapshots/{first.name}/iso/xenhost-0.1-x86_64.iso"' in html
    assert f'href="snapshots/{second.name}/SHA256SUMS.sign"' in html
    assert "FINISHED_INCOMPLETE" in html and "e2e failed (qemu install)" in html
    assert signer.fingerprint() in html and "gpgv --keyring" in html
    assert f"<strong>latest</strong> is <a href=\"snapshots/{first.name}/\">" in html
    # every link in the page resolves to a file or folder of the tree
    import re
    for link in re.findall(r'href="([^"]+)"', html):
        target = publisher.dest / link
        assert target.exists() or link.endswith("pxe/"), link


def test_a_record_with_an_unknown_result_is_refused():
    with pytest.raises(PublishError) as err:
        BuildRecord.from_dict({"commit": "c", "steps": [{"name": "e2e", "result": "skipped"}]})
    assert "e2e" in str(err.value) and "not-run" in err.value.fix


def test_status_lines():
    assert record().status_line() == "FINISHED"
    steps = [Step("iso", "passed", required=True), Step("e2e", "not-run", detail="--skip-e2e"),
             Step("reproducible", "failed", detail="xenhost-release differs")]
    assert BuildRecord("c", steps=steps).status_line() == (
        "FINISHED_INCOMPLETE: e2e not-run (--skip-e2e); reproducible failed (xenhost-release differs)")
    assert BuildRecord("c", steps=[Step("packages", "failed", required=True)]).status == "FAILED"
    assert layout.parse_id("20261201.12-abcdef1234") is not None and layout.parse_id("latest") is None


def test_a_destination_that_is_not_a_snapshot_tree_is_refused(tmp_path):
    from publish.publisher import check_destination
    (tmp_path / "file").write_text("x")
    with pytest.raises(PublishError):
        check_destination(tmp_path / "file")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(PublishError) as err:
        check_destination(tmp_path / "other")
    assert "not a snapshot tree" in str(err.value)
    check_destination(tmp_path / "new")                     # absent: fine, made on publish
