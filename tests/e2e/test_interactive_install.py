"""An interactive install driven over the serial console, as a person at a serial terminal does it:
the screens read off an emulated 80x24 terminal, keys typed, non-default answers on most screens
(a guest disk, ext storage, static address, host name, DNS, time zone), then the installed host booted
to check that what was chosen on the screens is what the host has.

Key sequences per screen: installer/README.md ("Screens")."""
import json
import re

import pexpect
import pytest

from ci import isoboot
from ci.qemu import VM, VMSpec, create_disk
from ci.serialscreen import SerialScreen

pytestmark = pytest.mark.e2e
PASSWORD = "xenhost-serial"
HOSTNAME = "xh-serial"
PROMPT = rf"root@{HOSTNAME}:~# "


def step(screen, title, timeout=120):
    screen.wait_for(re.escape(title), timeout, phase=title)
    screen.settle()


def answer_screens(screen):
    step(screen, "Keyboard layout", 900)
    screen.press("enter")                               # us
    step(screen, "Welcome to xenhost")
    screen.press("enter")
    step(screen, "Primary disk")
    screen.press("enter")                               # the first usable disk: /dev/vda
    step(screen, "Guest storage disks")
    screen.press("up", "space", "tab", "enter")         # tick /dev/vdb, then Next
    step(screen, "Storage type")
    screen.press("down", "enter")                       # ext
    step(screen, "Confirm disks")
    # its button row is drawn last: a slow guest can pause mid-redraw for longer than settle()'s
    # quiet time (session 8 read the list before /dev/vdb's line was drawn)
    screen.wait_for("Erase and continue", 120)
    for disk in ("/dev/vda", "/dev/vdb"):
        screen.wait_for(re.escape(disk) + r" +\d", 60)     # fails naming the disk, with the screen
    screen.press("right", "enter")                      # Back is the default: move to "Erase and continue"
    step(screen, "Root password")
    screen.type(PASSWORD)
    screen.press("enter")
    screen.type(PASSWORD)
    screen.press("enter")
    step(screen, "Management network interface")
    screen.press("enter")
    step(screen, "IPv4 configuration")
    screen.press("down", "enter")                       # Static
    screen.type("10.0.2.15/24")
    screen.press("enter")
    screen.type("10.0.2.2")
    screen.press("enter", "enter")                      # no VLAN (qemu's user network has none)
    step(screen, "Host name and DNS")
    screen.press(*["backspace"] * 12)
    screen.type(HOSTNAME)
    screen.press("enter")
    screen.type("10.0.2.3")
    screen.press("enter")
    step(screen, "Time zone: region")
    screen.jump_to("E", "Europe")
    screen.press("enter")
    step(screen, "Time zone: city")
    screen.jump_to("B", "Berlin")
    screen.press("enter")
    step(screen, "Time servers (NTP)")
    screen.press("enter")
    step(screen, "Summary")
    for chosen in (HOSTNAME, "10.0.2.15/24", "Europe/Berlin", "/dev/vdb"):
        screen.wait_for(re.escape(chosen), 60)      # drawn by now, or a failure naming it
    screen.wait_for(r"Storage type: +EXT\b", 60)  # ("ext" alone also matched "< Next >")
    assert PASSWORD not in screen.text()
    screen.press("enter")


def test_interactive_install_over_serial_console(iso_path, e2e_dir):
    primary = create_disk(e2e_dir / "disk.qcow2", "24G")
    guest = create_disk(e2e_dir / "guest.qcow2", "4G")
    boot = isoboot.direct_boot(iso_path, e2e_dir, "")   # no answer file: the screens
    installer = VMSpec(name="installer", workdir=e2e_dir, disks=[primary, guest], cdrom=iso_path,
                       memory_mb=3072, no_reboot=True, **boot)
    with VM(installer) as vm:
        screen = SerialScreen(vm)
        answer_screens(screen)
        screen.wait_for(r"Installation complete|Installation FAILED", 1800, phase="install")
        screen.settle(quiet=3, limit=60)            # the title line arrives before the rest of the screen
        assert "FAILED" not in screen.text(), screen.text()
        screen.press("enter")                           # Reboot
        vm.expect_phase("installer reboots", pexpect.EOF, 300)
    phases = dict(vm.phases)
    host = VMSpec(name="host", workdir=e2e_dir, disks=[primary, guest], memory_mb=3072, boot_order="c")
    with VM(host) as vm:
        vm.expect_phase("reboot to Xen", r"Xen version 4\.17\.\d+-xenhost", 600)
        vm.expect_phase("first boot", "xenhost-firstboot: done", 900)
        vm.expect_phase("dom0 ready", "login:", 600)
        vm.login(PASSWORD, PROMPT)
        checks = [("time zone", "cat /etc/timezone", r"Europe/Berlin"),
                  ("static address", "ip -4 -o addr show xenbr0", r"inet 10\.0\.2\.15/24"),
                  ("guest disk in the SR", "pvs --noheadings -o pv_name,vg_name", r"/dev/vdb\s+xenhost-sr"),
                  ("ext SR mounted", "findmnt -rn -o FSTYPE,TARGET | grep sr-mount",
                   r"ext4 /run/sr-mount/[0-9a-f-]{36}")]
        for name, command, expected in checks:
            vm.check(name, command, expected, PROMPT)
        vm.send_line("poweroff")
        vm.expect_phase("power off", pexpect.EOF, 300)
    phases.update(vm.phases)
    (e2e_dir / "phases.json").write_text(json.dumps(phases, indent=2) + "\n")
