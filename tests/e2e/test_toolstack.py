"""The toolstack on an installed host (qemu TCG): local SR listed, vdi-create, vm-install from
Minimal PVH, vif-create on xenbr0, vm-start, the guest's banner on its console, vm-list and
`xl list` agree, vm-param-set, vm-shutdown, then a host reboot: state intact and the
auto_poweron VM running again.

The installed disk is kept (out/e2e/toolstack-disk/) and reused while it is newer than the ISO:
the install is the slow part and not what this test proves. Phases go to
out/e2e/<test>/toolstack-phases.json for ci/bench_toolstack.py.
"""
import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path

import pexpect
import pytest

from build_outputs import OUT
from ci import isoboot
from ci.qemu import VM, VMSpec, create_disk

pytestmark = pytest.mark.e2e
ANSWERS = Path(__file__).with_name("answers-bios.yaml")
PASSWORD = "xenhost-e2e"
PROMPT = r"root@xh-e2e:~# "
BANNER = r"xenhost-minimal-guest: booted \(kernel [^,]+, 1 vCPU"


@pytest.fixture(scope="module")
def installed_disk(iso_path):
    """A disk the ISO was installed on (first boot not yet run on it), kept between runs."""
    folder = OUT / "e2e" / "toolstack-disk"
    pristine = folder / "installed.qcow2"
    if pristine.exists() and pristine.stat().st_mtime > iso_path.stat().st_mtime:
        return pristine
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy2(ANSWERS, folder / "answers.yaml")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    disk = create_disk(folder / "installing.qcow2", "24G")
    boot = isoboot.direct_boot(iso_path, folder, f"answerfile=http://10.0.2.2:{server.server_address[1]}/answers.yaml")
    spec = VMSpec(name="installer", workdir=folder, disks=[disk], cdrom=iso_path, memory_mb=3072, no_reboot=True,
                  **boot)
    with VM(spec) as vm:
        vm.expect_phase("boot to installer", r"\[ ?1/\d+\]", 900)
        assert vm.expect_phase("install", ["xenhost-installer: installation complete",
                                           "xenhost-installer: INSTALLATION FAILED"], 1800) == 0, vm.tail(60)
        vm.expect_phase("installer reboots", pexpect.EOF, 300)
    server.shutdown()
    disk.rename(pristine)
    return pristine


def sh(vm, command, timeout=120, phase=None):
    """Run a shell command on the host's serial console; return (exit code, its output)."""
    vm.send_line(f"{command}; echo __RC=$?__", delay=0.02)
    vm.expect_phase(phase or command[:40], r"__RC=(\d+)__", timeout)
    output = vm.child.before.decode(errors="replace")
    code = int(vm.child.match.group(1))
    vm.expect_phase("prompt", PROMPT, 60)
    # the echoed command line comes first; the output is what follows it
    return code, output.split("\n", 1)[1] if "\n" in output else ""


def ok(vm, command, timeout=120, phase=None):
    code, output = sh(vm, command, timeout, phase)
    assert code == 0, f"`{command}` failed ({code}):\n{output}\n{vm.tail(30)}"
    return output.replace("\r", "").strip()


def boot_and_login(vm, firstboot):
    vm.expect_phase("reboot to Xen", r"Xen version 4\.17\.\d+-xenhost", 600)
    if firstboot:
        vm.expect_phase("first boot", "xenhost-firstboot: done", 900)
    vm.expect_phase("dom0 ready", "login:", 900)
    vm.login(PASSWORD, PROMPT)
    ok(vm, "stty cols 200; export TERM=dumb")


def test_toolstack_runs_vms_and_keeps_state_across_reboots(installed_disk, e2e_dir):
    disk = e2e_dir / "host.qcow2"
    shutil.copy2(installed_disk, disk)
    phases = {}
    with VM(VMSpec(name="host", workdir=e2e_dir, disks=[disk], memory_mb=3072, boot_order="c")) as vm:
        boot_and_login(vm, firstboot=True)
        assert "Local storage" in ok(vm, "xe sr-list params=name-label,type")
        sr = ok(vm, "SR=$(xe sr-list other-config:i18n-key=local-storage --minimal); echo SR=$SR").split("SR=")[-1]
        assert re.fullmatch(r"[0-9a-f-]{36}", sr), sr
        ok(vm, "VDI=$(xe vdi-create sr-uuid=$SR name-label=e2e-data virtual-size=64MiB); echo $VDI")
        ok(vm, "lvs xenhost-sr | grep LV-$VDI")
        ok(vm, "VM=$(xe vm-install template='Minimal PVH' new-name-label=tiny); echo $VM")
        ok(vm, "NET=$(xe network-list bridge=xenbr0 --minimal); echo $NET")
        ok(vm, "xe vif-create vm-uuid=$VM network-uuid=$NET device=0 mac=random")
        ok(vm, "xe vbd-create vm-uuid=$VM vdi-uuid=$VDI device=1")
        ok(vm, "xe vm-param-set uuid=$VM other-config:auto_poweron=true")
        vm.send_line("xe vm-start uuid=$VM && xl console tiny", delay=0.02)
        vm.expect_phase("vm-start -> guest banner", BANNER, 600)
        phases["vm-start -> guest banner (s)"] = vm.phases["vm-start -> guest banner"]
        vm.child.send("\x1d")                       # leave xl console
        vm.expect_phase("console detached", PROMPT, 60)
        assert ok(vm, "xe vm-list uuid=$VM params=power-state --minimal").endswith("running")
        assert "tiny" in ok(vm, "xl list tiny")       # xl agrees
        ok(vm, "xl list -v | grep -q $VM")
        ok(vm, "xe vm-param-set uuid=$VM name-description=from-e2e")
        assert ok(vm, "xe vm-param-get uuid=$VM param-name=name-description").endswith("from-e2e")
        timing = ok(vm, "time xe vm-list >/dev/null")
        phases["xe vm-list on the host, real (s)"] = _seconds(timing)
        ok(vm, "xe vm-shutdown uuid=$VM", timeout=300, phase="vm-shutdown")
        phases["vm-shutdown (s)"] = vm.phases["vm-shutdown"]
        assert ok(vm, "xe vm-list uuid=$VM params=power-state --minimal").endswith("halted")
        assert sh(vm, "xl list tiny")[0] != 0
        vm.send_line("reboot")
        boot_and_login(vm, firstboot=False)
        # The login prompt does not wait for the toolstack's boot job (a hung VM start must not
        # keep the console from an admin): wait for the boot to finish, then the job must have worked.
        ok(vm, "systemctl is-system-running --wait; systemctl is-active xenhost-autostart.service", timeout=300)
        ok(vm, "VM=$(xe vm-list name-label=tiny --minimal); echo $VM")
        assert ok(vm, "xe vm-list uuid=$VM params=power-state --minimal").endswith("running")  # auto_poweron
        assert "tiny" in ok(vm, "xl list tiny")
        assert ok(vm, "xe vm-param-get uuid=$VM param-name=name-description").endswith("from-e2e")
        assert "e2e-data" in ok(vm, "xe vdi-list params=name-label")
        assert "Local storage" in ok(vm, "xe sr-list params=name-label")
        ok(vm, "systemctl is-active xenhost-autostart.service")
        vm.send_line("poweroff")
        vm.expect_phase("power off", pexpect.EOF, 300)
    (e2e_dir / "toolstack-phases.json").write_text(json.dumps(phases, indent=2) + "\n")


def _seconds(time_output):
    match = re.search(r"real\s+(\d+)m([\d.]+)s", time_output)
    return round(int(match.group(1)) * 60 + float(match.group(2)), 2) if match else None
