"""The first-boot wizard over the serial console: an install whose answers leave the root password
to the first boot, then the host booted with a replaced NIC (another MAC), so the bridge gets no
DHCP lease. Boot goes on to "xenhost-firstboot: done"; the wizard appears on the console, is
answered by keys (read off an emulated VT100), and the host is then reachable over the network
(its SSH port answers through qemu's forward) and `xe host-param-list` works after a login with
the password typed into the wizard."""
import json
import re
import shutil
from pathlib import Path

import pexpect
import pytest

from ci import isoboot
from ci.qemu import VM, VMSpec, create_disk, free_port, ssh_banner
from ci.serialscreen import SerialScreen

pytestmark = pytest.mark.e2e
ANSWERS = Path(__file__).with_name("answers-wizard.yaml")
PASSWORD = "Wizard-e2e-1"
PROMPT = r"root@xh-wiz:~# "
INSTALL_MAC, HOST_MAC = "52:54:00:00:00:01", "52:54:00:00:00:02"


def step(screen, title, body=None, timeout=120):
    """The screen titled title, once its body (a regex only that screen shows) is drawn too."""
    screen.wait_for(re.escape(title), timeout, phase=title)
    # urwid redraws only the lines that change, and under TCG a redraw can stall for seconds
    # mid-screen: the title alone said nothing (two runs read the old screen's body under it)
    if body:
        screen.wait_for(body, 120)
    screen.settle(quiet=3, limit=60)


def test_first_boot_wizard_on_the_serial_console(iso_path, e2e_dir, answer_server):
    shutil.copy2(ANSWERS, e2e_dir / "answers.yaml")
    disk = create_disk(e2e_dir / "disk.qcow2", "24G")
    boot = isoboot.direct_boot(iso_path, e2e_dir, f"answerfile={answer_server}/answers.yaml")
    installer = VMSpec(name="installer", workdir=e2e_dir, disks=[disk], cdrom=iso_path, memory_mb=3072,
                       no_reboot=True, mac=INSTALL_MAC, **boot)
    with VM(installer) as vm:
        outcome = vm.expect_phase("install", ["xenhost-installer: installation complete",
                                              "xenhost-installer: INSTALLATION FAILED"], 2700)
        assert outcome == 0, f"the installer failed:\n{vm.tail(60)}"
        vm.expect_phase("installer reboots", pexpect.EOF, 300)
    phases = dict(vm.phases)
    port = free_port()
    host = VMSpec(name="host", workdir=e2e_dir, disks=[disk], memory_mb=3072, boot_order="c", mac=HOST_MAC,
                  hostfwd=(f"tcp:127.0.0.1:{port}-:22",))
    with VM(host) as vm:
        vm.expect_phase("reboot to Xen", r"Xen version 4\.17\.\d+-xenhost", 600)
        vm.expect_phase("left to the wizard",
                        "the setup wizard waits on the console for: root-password, network", 900)
        vm.expect_phase("first boot", "xenhost-firstboot: done", 300)    # boot did not wait
        screen = SerialScreen(vm)
        # what pexpect read past the marker may hold the wizard's first full draw already
        screen.stream.feed(vm.child.buffer)
        step(screen, "Root password", None, 600)
        screen.type(PASSWORD)
        screen.press("enter")
        screen.type(PASSWORD)
        screen.press("enter")
        step(screen, "Management network interface", re.escape(HOST_MAC))  # down, unmanaged: "no link"
        screen.press("enter")                           # the one NIC there is (the new one)
        step(screen, "IPv4 configuration", r"DHCP \(automatic\)")
        screen.press("enter", "enter")                  # DHCP, no VLAN
        step(screen, "Host name and DNS", "xh-wiz")
        screen.press("enter", "enter")
        step(screen, "Apply the setup", r"set \(not shown\)")
        summary = screen.text()
        assert "set (not shown)" in summary and PASSWORD not in summary, summary
        screen.press("enter")
        screen.wait_for(r"xenhost-setup: done|xenhost-setup: FAILED", 300, phase="apply")
        assert "FAILED" not in screen.text(), screen.text()
        assert re.search(r"xenbr0: 10\.0\.2\.\d+/24", screen.text()), screen.text()
        banner = ssh_banner(port)
        assert banner and banner.startswith("SSH-2.0-OpenSSH"), banner
        screen.wait_for("login:", 300, phase="login prompt back")
        phases.update(vm.phases)
        vm.login(PASSWORD, PROMPT)
        checks = [("toolstack", "xe host-param-list", r"xen: 4\.17\.\d+-xenhost"),
                  ("new NIC in the bridge", "cat /sys/class/net/xenbr0/address", HOST_MAC),
                  ("wizard done", "ls /var/lib/xenhost/setup-pending; systemctl is-active xenhost-setup-wizard",
                   r"No such file or directory")]
        for name, command, expected in checks:
            vm.check(name, command, expected, PROMPT, timeout=180)
        vm.send_line("poweroff")
        vm.expect_phase("power off", pexpect.EOF, 300)
    phases.update(vm.phases)
    phases["ssh banner"] = banner
    (e2e_dir / "phases.json").write_text(json.dumps(phases, indent=2) + "\n")
