"""The whole sequence through main(): progress lines, marker, errors."""
import io
import os

import pytest

from firstboot_helpers import DHCP_YAML, SR_PART, FakeConsole, read, write
from xenhost_firstboot.cli import main
from xenhost_firstboot.runner import Result

MARKER = "var/lib/xenhost/firstboot.done"
UNITS = os.path.join(os.path.dirname(__file__), "..", "..", "firstboot", "systemd")


def run_main(root, runner, live=True, stage=None, console=None):
    out, err = io.StringIO(), io.StringIO()
    argv = ["--root", str(root)] + (["--stage", stage] if stage else [])
    code = main(argv, runner=runner, live=live, out=out, err=err, console=console)
    return code, out.getvalue(), err.getvalue()


def blank_sr(runner):
    runner.responses[("pvs", "--noheadings", "-o", "vg_name", SR_PART)] = Result(5)
    runner.responses[("vgs", "--noheadings", "-o", "pv_name", "xenhost-sr")] = Result(5)


def step_names(out):
    return [line.split(":")[1].strip() for line in out.splitlines() if line.split(":")[1].strip()[:1] == "["]


def test_full_run_prints_progress_and_writes_marker(root, runner):
    blank_sr(runner)
    code, out, err = run_main(root, runner)
    assert code == 0, err
    assert step_names(out) == ["[1/7] hostname", "[2/7] network", "[3/7] storage", "[4/7] ssh",
                               "[5/7] root-password", "[6/7] hooks", "[7/7] marker"]
    assert out.splitlines()[-1] == "xenhost-firstboot: done"
    assert read(root, MARKER).startswith("completed 20")
    assert any(c[:2] == ["xe", "sr-create"] and f"device-config:device={SR_PART}" in c for c in runner.calls)


def test_stages_split_the_sequence_and_only_finish_marks_done(root, runner):
    blank_sr(runner)
    code, out, err = run_main(root, runner, stage="configure")
    assert code == 0, err
    assert step_names(out) == ["[1/7] hostname", "[2/7] network", "[3/7] storage", "[4/7] ssh"]
    assert "done" not in out.splitlines()[-1] and not (root / MARKER).exists()
    code, out, err = run_main(root, runner, stage="finish")
    assert code == 0, err
    assert step_names(out) == ["[5/7] root-password", "[6/7] hooks", "[7/7] marker"]
    assert out.splitlines()[-1] == "xenhost-firstboot: done" and (root / MARKER).exists()


def test_unattended_run_never_touches_the_console(root, runner):
    """An install with the password in the answer file: nothing is asked, hooks log clearly."""
    blank_sr(runner)
    hook = "/etc/xenhost/firstboot.d/10-site.sh"
    write(root, "etc/xenhost/firstboot.yaml", DHCP_YAML + f"hooks: [{hook}]\n")
    write(root, hook.lstrip("/"), "#!/bin/sh\n", mode=0o755)
    runner.scripts[str(root) + hook] = (0, ["registered"])
    console = FakeConsole([])
    code, out, err = run_main(root, runner, console=console)
    assert code == 0, err
    assert console.shown == []
    assert "xenhost-firstboot:   10-site.sh| registered" in out.splitlines()
    assert "xenhost-firstboot: [5/7] root-password: set by the installer" in out.splitlines()


def test_password_asked_at_first_boot_reaches_chpasswd_only(root, runner):
    blank_sr(runner)
    write(root, "etc/xenhost/firstboot.yaml", DHCP_YAML + "root-password: ask\n")
    write(root, "etc/shadow", "root:!:19000:0:99999:7:::\n")
    console = FakeConsole(["Sekr1t-pw", "Sekr1t-pw"])
    code, out, err = run_main(root, runner, console=console)
    assert code == 0, err
    assert runner.commands("chpasswd") == [["chpasswd"]]
    assert "root:Sekr1t-pw\n" in runner.inputs
    assert "Sekr1t-pw" not in out + err + repr(runner.calls) + " ".join(console.shown)
    assert "xenhost-firstboot: [5/7] root-password: set on the console" in out.splitlines()


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
    blank_sr(runner)
    runner.responses[("xe", "sr-create", "name-label=Local storage", "type=lvm", f"device-config:device={SR_PART}",
                      "device-config:vg=xenhost-sr", "other-config:i18n-key=local-storage",
                      "content-type=user")] = Result(1, "", "command failed (exit 5): vgcreate xenhost-sr")
    code, out, err = run_main(root, runner)
    assert code == 1 and "FAILED" in err
    assert "[2/7] network" in out and "done" not in out
    assert not (root / MARKER).exists()


def test_unexpected_error_is_one_line_and_the_traceback_is_kept(root, runner, monkeypatch):
    def broken(ctx):
        raise KeyError("surprise")
    monkeypatch.setattr("xenhost_firstboot.steps.STAGES", {"configure": [("hostname", broken)]})
    monkeypatch.setattr("xenhost_firstboot.steps.STEPS", [("hostname", broken)])
    code, out, err = run_main(root, runner, stage="configure")
    assert code == 1
    assert err.splitlines() == [
        "xenhost-firstboot: FAILED: unexpected KeyError: 'surprise'. Fix: this is a bug in "
        "xenhost-firstboot; report it with /var/log/xenhost-firstboot.traceback"]
    assert "Traceback" in read(root, "var/log/xenhost-firstboot.traceback")


def unit_lines(name):
    with open(os.path.join(UNITS, name), encoding="utf-8") as f:
        return f.read().splitlines()


def test_configure_unit_runs_before_the_network():
    unit = unit_lines("xenhost-firstboot.service")
    for line in ("ConditionPathExists=!/var/lib/xenhost/firstboot.done", "Type=oneshot",
                 "Before=systemd-networkd.service network-pre.target", "After=local-fs.target",
                 "StandardOutput=journal+console", "WantedBy=multi-user.target",
                 "ExecStart=/usr/sbin/xenhost-firstboot --stage configure",
                 "Also=xenhost-firstboot-finish.service"):
        assert line in unit


def test_finish_unit_owns_the_console_before_the_login_prompts():
    unit = unit_lines("xenhost-firstboot-finish.service")
    for line in ("ConditionPathExists=!/var/lib/xenhost/firstboot.done", "Type=oneshot",
                 "Requires=xenhost-firstboot.service",
                 "After=xenhost-firstboot.service network-online.target",
                 "Before=getty-pre.target", "Wants=getty-pre.target",
                 "ExecStart=/usr/sbin/xenhost-firstboot --stage finish",
                 "StandardInput=tty", "TTYPath=/dev/console", "StandardOutput=journal+console",
                 "TimeoutStartSec=infinity", "WantedBy=multi-user.target"):
        assert line in unit


@pytest.mark.parametrize("name", ["xenhost-firstboot.service", "xenhost-firstboot-finish.service"])
def test_units_are_packaged(name):
    with open(os.path.join(UNITS, "..", "..", "specs", "xenhost-firstboot.spec"), encoding="utf-8") as f:
        assert "%{_unitdir}/" + name in f.read().splitlines()
