"""The whole sequence through main(): progress lines, marker, errors."""
import io
import os

import pytest

from firstboot_helpers import DHCP_YAML, IP_ADDR, SR_PART, answer, read, write
from xenhost_firstboot.cli import main
from xenhost_firstboot.steps import step

MARKER = "var/lib/xenhost/firstboot.done"
UNITS = os.path.join(os.path.dirname(__file__), "..", "..", "firstboot", "systemd")


def run_main(root, runner, live=True, stage=None):
    out, err = io.StringIO(), io.StringIO()
    argv = ["--root", str(root)] + (["--stage", stage] if stage else [])
    code = main(argv, runner=runner, live=live, out=out, err=err, lease_wait=0)
    return code, out.getvalue(), err.getvalue()


def blank_sr(runner):
    runner.responses[("pvs", "--noheadings", "-o", "vg_name", SR_PART)] = answer(5)
    runner.responses[("vgs", "--noheadings", "-o", "pv_name", "xenhost-sr")] = answer(5)


def step_names(out):
    return [line.split(":")[1].strip() for line in out.splitlines() if line.split(":")[1].strip()[:1] == "["]


def test_full_run_prints_progress_and_writes_marker(root, runner):
    blank_sr(runner)
    code, out, err = run_main(root, runner)
    assert code == 0, err
    assert step_names(out) == ["[1/8] hostname", "[2/8] network", "[3/8] ssh", "[4/8] storage",
                               "[5/8] root-password", "[6/8] hooks", "[7/8] wizard", "[8/8] marker"]
    assert "xenhost-firstboot: [7/8] wizard: nothing undecided" in out.splitlines()
    assert not (root / "var/lib/xenhost/setup-pending").exists()
    assert out.splitlines()[-1] == "xenhost-firstboot: done"
    assert read(root, MARKER).startswith("completed 20")
    assert any(c[:2] == ["xe", "sr-create"] and f"device-config:device={SR_PART}" in c for c in runner.calls)


def test_stages_split_the_sequence_and_only_finish_marks_done(root, runner):
    blank_sr(runner)
    code, out, err = run_main(root, runner, stage="configure")
    assert code == 0, err
    # configure holds only what networkd needs before it starts
    assert step_names(out) == ["[1/8] hostname", "[2/8] network"]
    assert not any(c[:2] == ["xe", "sr-create"] for c in runner.calls)
    assert "done" not in out.splitlines()[-1] and not (root / MARKER).exists()
    code, out, err = run_main(root, runner, stage="keys")
    assert code == 0, err
    assert step_names(out) == ["[3/8] ssh"] and not (root / MARKER).exists()
    assert "xenhost-firstboot: done" not in out          # only the last stage says it
    code, out, err = run_main(root, runner, stage="finish")
    assert code == 0, err
    assert step_names(out) == ["[4/8] storage", "[5/8] root-password", "[6/8] hooks", "[7/8] wizard",
                               "[8/8] marker"]
    assert out.splitlines()[-1] == "xenhost-firstboot: done" and (root / MARKER).exists()


def test_unattended_run_leaves_nothing_to_the_wizard(root, runner):
    """An install with complete answers: no wizard, hooks log clearly."""
    blank_sr(runner)
    hook = "/etc/xenhost/firstboot.d/10-site.sh"
    write(root, "etc/xenhost/firstboot.yaml", DHCP_YAML + f"hooks: [{hook}]\n")
    write(root, hook.lstrip("/"), "#!/bin/sh\n", mode=0o755)
    runner.respond((str(root) + hook,), (0, "registered\n"))
    code, out, err = run_main(root, runner)
    assert code == 0, err
    assert "xenhost-firstboot:   10-site.sh| registered" in out.splitlines()
    assert "xenhost-firstboot: [5/8] root-password: set by the installer" in out.splitlines()
    assert not (root / "var/lib/xenhost/setup-pending").exists()
    # the SR is made before the network is waited for; the hook and the lease check after, once
    online = ["systemctl", "start", "network-online.target"]
    assert runner.calls.count(online) == 1
    where = {c[0] if c[0] != "xe" else "xe": i for i, c in reversed(list(enumerate(runner.calls)))}
    assert where["xe"] < runner.calls.index(online) < where[str(root) + hook]


def test_password_ask_and_no_lease_leave_it_to_the_wizard_without_waiting(root, runner):
    """root-password: ask and a bridge without a DHCP lease: boot goes on, the wizard is told."""
    blank_sr(runner)
    write(root, "etc/xenhost/firstboot.yaml", DHCP_YAML + "root-password: ask\n")
    write(root, "etc/shadow", "root:!:19000:0:99999:7:::\n")
    runner.respond(IP_ADDR, "")
    code, out, err = run_main(root, runner)
    assert code == 0, err
    assert "[5/8] root-password: left to the setup wizard" in out
    assert "[7/8] wizard: the setup wizard waits on the console for: root-password, network" in out
    assert read(root, "var/lib/xenhost/setup-pending") == "- root-password\n- network\n"
    assert out.splitlines()[-1] == "xenhost-firstboot: done" and (root / MARKER).exists()
    assert not any(c[0] == "chpasswd" for c in runner.calls)


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
    assert "etc/xenhost/firstboot.yaml: file not found" in err and "\n  fix: write a valid /etc/xenhost/firstboot.yaml" in err
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
    runner.respond(("xe", "sr-create"), answer(1, "", "command failed (exit 5): vgcreate xenhost-sr"))
    code, out, err = run_main(root, runner)
    assert code == 1 and "FAILED" in err
    assert "[2/8] network" in out and "done" not in out
    assert not (root / MARKER).exists()


def test_unexpected_error_is_problem_and_fix_and_the_traceback_is_kept(root, runner, monkeypatch):
    def broken(ctx):
        raise KeyError("surprise")
    task = step("hostname", broken, 1)
    monkeypatch.setattr("xenhost_firstboot.steps.STAGES", {"configure": [task]})
    monkeypatch.setattr("xenhost_firstboot.steps.STEPS", [task])
    code, out, err = run_main(root, runner, stage="configure")
    assert code == 1
    assert err.splitlines() == [
        "xenhost-firstboot: FAILED: unexpected KeyError: 'surprise'",
        "  fix: this is a bug in xenhost-firstboot; report it with /var/log/xenhost-firstboot.traceback"]
    assert "Traceback" in read(root, "var/log/xenhost-firstboot.traceback")


def unit_lines(name):
    with open(os.path.join(UNITS, name), encoding="utf-8") as f:
        return f.read().splitlines()


def test_configure_unit_runs_before_the_network():
    unit = unit_lines("xenhost-firstboot.service")
    for line in ("ConditionPathExists=!/var/lib/xenhost/firstboot.done", "Type=oneshot",
                 "Before=systemd-networkd.service network-pre.target",
                 # early: not after all of sysinit.target, but after the mounts and udev's coldplug
                 "DefaultDependencies=no", "After=local-fs.target systemd-udev-trigger.service",
                 "Conflicts=shutdown.target", "Before=shutdown.target",
                 "StandardOutput=journal+console", "WantedBy=multi-user.target",
                 "ExecStart=/usr/sbin/xenhost-firstboot --stage configure",
                 "Also=xenhost-firstboot-keys.service xenhost-firstboot-finish.service xenhost-setup-pending.service "
                 "xenhost-ssh-rsa-key.service"):
        assert line in unit


def test_keys_unit_runs_beside_configure_and_before_sshd():
    unit = unit_lines("xenhost-firstboot-keys.service")
    for line in ("ConditionPathExists=!/var/lib/xenhost/firstboot.done", "Type=oneshot", "DefaultDependencies=no",
                 "After=systemd-remount-fs.service", "Before=ssh.service", "WantedBy=multi-user.target",
                 "ExecStart=/usr/sbin/xenhost-firstboot --stage keys"):
        assert line in unit
    # as soon as the root is writable: not after the configure stage, nor after the other mounts
    assert not any(line.startswith("After=") and ("xenhost-firstboot.service" in line or "local-fs" in line)
                   for line in unit)


def test_the_rsa_host_key_comes_after_the_login_prompt_at_the_lowest_priority():
    unit = unit_lines("xenhost-ssh-rsa-key.service")
    for line in ("ConditionPathExists=!/etc/ssh/ssh_host_rsa_key", "After=getty.target ssh.service "
                 "xenhost-firstboot-finish.service", "Nice=19", "IOSchedulingClass=idle",
                 "ExecStart=/usr/bin/ssh-keygen -A", "WantedBy=multi-user.target"):
        assert line in unit
    assert not any(line.startswith("Before=") for line in unit)     # nothing waits for it


def test_finish_unit_runs_before_the_login_prompts_and_never_reads_the_console():
    unit = unit_lines("xenhost-firstboot-finish.service")
    for line in ("ConditionPathExists=!/var/lib/xenhost/firstboot.done", "Type=oneshot",
                 "Requires=xenhost-firstboot.service xenhost-firstboot-keys.service",
                 # not after network-online: the SR is made meanwhile; online.py waits where needed
                 "After=xenhost-firstboot.service xenhost-firstboot-keys.service",
                 "Wants=network-online.target", "Before=getty-pre.target", "Wants=getty-pre.target",
                 "ExecStart=/usr/sbin/xenhost-firstboot --stage finish",
                 "StandardOutput=journal+console", "WantedBy=multi-user.target"):
        assert line in unit
    assert not any(line.startswith(("StandardInput=tty", "TimeoutStartSec=infinity")) for line in unit)


def test_login_prompts_do_not_wait_for_the_boots_last_jobs():
    """Debian's gettys are Type=idle (up to 5 s after the last job); ours start when first boot is done."""
    with open(os.path.join(UNITS, "getty-no-idle.conf"), encoding="utf-8") as f:
        assert [line for line in f.read().splitlines() if line and not line.startswith("#")] == [
            "[Service]", "Type=simple"]
    with open(os.path.join(UNITS, "..", "..", "specs", "xenhost-firstboot.spec"), encoding="utf-8") as f:
        spec = f.read().splitlines()
    for getty in ("getty", "serial-getty"):
        assert "%{_unitdir}/" + getty + "@.service.d/xenhost-no-idle.conf" in spec


@pytest.mark.parametrize("name", ["xenhost-firstboot.service", "xenhost-firstboot-finish.service",
                                  "xenhost-setup-pending.service", "xenhost-setup-wizard.service"])
def test_units_are_packaged(name):
    with open(os.path.join(UNITS, "..", "..", "specs", "xenhost-firstboot.spec"), encoding="utf-8") as f:
        assert "%{_unitdir}/" + name in f.read().splitlines()


def test_undecided_network_and_hostname_are_left_to_the_wizard(root, runner):
    """management mode none, no host name: first boot still runs (the host comes up), those steps wait."""
    blank_sr(runner)
    write(root, "etc/xenhost/firstboot.yaml",
          DHCP_YAML.replace("hostname: xh1\n", "").replace("mode: dhcp", "mode: none"))
    code, out, err = run_main(root, runner)
    assert code == 0, err
    assert "xenhost-firstboot: [1/8] hostname: undecided: left to the first-boot wizard (xenhost-setup)" in out
    assert "xenhost-firstboot: [2/8] network: undecided: left to the first-boot wizard (xenhost-setup)" in out
    assert "[7/8] wizard: the setup wizard waits on the console for: network, hostname" in out
    assert read(root, "var/lib/xenhost/setup-pending") == "- network\n- hostname\n"
    assert not (root / "etc/systemd/network").exists() and not (root / "etc/hostname").exists()
    assert out.splitlines()[-1] == "xenhost-firstboot: done"


def test_every_program_a_step_runs_names_its_debian_package():
    """The tasks declare the programs they run (preflight-style checks, ProgramMissing's fix)."""
    from xenhost_common.programs import PROGRAM_PACKAGES
    from xenhost_common.tasks import programs_of
    from xenhost_firstboot.steps import STEPS
    assert sorted(set(programs_of(STEPS)) - set(PROGRAM_PACKAGES)) == []
    assert sum(t.weight for t in STEPS) > len(STEPS)            # weighted, not all equal
