"""The whole sequence through main(): progress lines, marker, errors."""
import io
import os

from firstboot_helpers import read, write
from xenhost_firstboot.cli import main
from xenhost_firstboot.runner import Result

MARKER = "var/lib/xenhost/firstboot.done"


def run_main(root, runner, live=True):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--root", str(root)], runner=runner, live=live, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_full_run_prints_progress_and_writes_marker(root, runner):
    runner.responses[("pvs", "--noheadings", "-o", "vg_name",
                      "/dev/disk/by-partlabel/xenhost-sr")] = Result(5)
    runner.responses[("vgs", "--noheadings", "-o", "pv_name", "xenhost-sr")] = Result(5)
    code, out, err = run_main(root, runner)
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split(":")[1].strip() for line in lines[:-1]] == [
        "[1/5] hostname", "[2/5] network", "[3/5] storage", "[4/5] ssh", "[5/5] marker"]
    assert lines[-1] == "xenhost-firstboot: done"
    assert read(root, MARKER).startswith("completed 20")
    assert ["vgcreate", "xenhost-sr", "/dev/disk/by-partlabel/xenhost-sr"] in runner.calls


def test_second_run_with_marker_does_nothing(root, runner):
    run_main(root, runner)
    runner.calls.clear()
    code, out, _ = run_main(root, runner)
    assert code == 0
    assert "already done" in out and runner.calls == []


def test_rerun_after_marker_removed_changes_nothing(root, runner):
    run_main(root, runner, live=False)
    os.remove(root / MARKER)
    snapshot = {p: read(root, p) for p in ("etc/hostname", "etc/hosts",
                                           "etc/systemd/network/30-xenbr0.network")}
    code, out, _ = run_main(root, runner, live=False)
    assert code == 0
    assert "network: xenbr0 on 52:54:00:12:34:56 (dhcp): already configured" in out
    assert "hostname: already xh1" in out
    assert snapshot == {p: read(root, p) for p in snapshot}


def test_missing_config_fails_without_marker(tmp_path, runner):
    code, out, err = run_main(tmp_path, runner)
    assert code == 1
    assert "xenhost-firstboot: FAILED:" in err
    assert "etc/xenhost/firstboot.yaml: file not found" in err and "Fix:" in err
    assert "done" not in out
    assert not (tmp_path / MARKER).exists()


def test_invalid_config_fails_without_touching_anything(root, runner):
    write(root, "etc/xenhost/firstboot.yaml", "version: 1\nhostname: [oops\n")
    code, out, err = run_main(root, runner)
    assert code == 1 and "not valid YAML" in err
    assert out == "" and runner.calls == []
    assert not (root / MARKER).exists() and not (root / "etc/hostname").exists()


def test_failing_step_stops_before_marker(root, runner):
    runner.responses[("pvs", "--noheadings", "-o", "vg_name",
                      "/dev/disk/by-partlabel/xenhost-sr")] = Result(5)
    runner.responses[("vgs", "--noheadings", "-o", "pv_name", "xenhost-sr")] = Result(5)
    runner.responses[("vgcreate", "xenhost-sr", "/dev/disk/by-partlabel/xenhost-sr")] = Result(5)
    code, out, err = run_main(root, runner)
    assert code == 1 and "FAILED" in err
    assert "[2/5] network" in out and "done" not in out
    assert not (root / MARKER).exists()


def test_unit_file_contract():
    unit_path = os.path.join(os.path.dirname(__file__), "..", "..", "firstboot",
                             "systemd", "xenhost-firstboot.service")
    unit = open(unit_path, encoding="utf-8").read()
    for line in ("ConditionPathExists=!/var/lib/xenhost/firstboot.done", "Type=oneshot",
                 "Before=systemd-networkd.service network-pre.target", "After=local-fs.target",
                 "StandardOutput=journal+console", "WantedBy=multi-user.target",
                 "ExecStart=/usr/sbin/xenhost-firstboot"):
        assert line in unit.splitlines()
