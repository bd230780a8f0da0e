"""xenhost-setup on a plain Debian 12 machine (Xen not booted yet): GRUB gets the installer's Xen
arguments with XenServer's dom0 policy, the bridge takes over the default route's uplink at the
next boot (its ifupdown stanza commented out, nothing restarted under SSH), the local SR is made,
a reboot is asked for; --undo puts ifupdown and GRUB back."""
import io
import os

import pytest

from firstboot_helpers import commands, make_runner, read, write
from wizard_helpers import FREE, NICS
from xenhost_firstboot.config import from_data
from xenhost_firstboot.context import Context
from xenhost_firstboot.wizard import debian
from xenhost_firstboot.wizard.apply import Facts
from xenhost_firstboot.wizard.cli import main

GiB = 1024 ** 3
INTERFACES = ("# The loopback network interface\nauto lo\niface lo inet loopback\n\n"
              "# The primary network interface\nallow-hotplug enp0s4\niface enp0s4 inet dhcp\n"
              "    dns-nameservers 10.0.2.3\n\nsource /etc/network/interfaces.d/*\n")
DHCP_ROUTE = "default via 10.0.2.2 dev enp0s4 proto dhcp src 10.0.2.15 metric 1024\n"


@pytest.mark.parametrize("ram_gib, cpus, mem, vcpus", [(8, 4, 1433, 4), (2, 1, 1126, 1), (256, 64, 8192, 16)])
def test_dom0_policy_memory_and_vcpus(ram_gib, cpus, mem, vcpus):
    text = debian.boot_text(ram_gib * GiB, cpus)
    assert f"dom0_mem={mem}M,max:{mem}M" in text and f"dom0_max_vcpus=1-{vcpus}" in text
    assert text.startswith("# Written by xenhost-setup") and "GRUB_CMDLINE_XEN_DEFAULT=" in text


def test_uplink_of_the_default_route_keeps_its_address():
    runner = make_runner()
    runner.respond(("ip", "-4", "route", "show", "default"), DHCP_ROUTE)
    assert debian.uplink(runner) == {"interface": "enp0s4", "mode": "dhcp"}
    runner.respond(("ip", "-4", "route", "show", "default"), "default via 192.0.2.1 dev eno1 onlink\n")
    runner.respond(("ip", "-4", "-o", "addr", "show", "dev", "eno1"),
                   "2: eno1    inet 192.0.2.10/24 brd 192.0.2.255 scope global eno1\n")
    assert debian.uplink(runner) == {"interface": "eno1", "mode": "static", "address": "192.0.2.10/24",
                                     "gateway": "192.0.2.1"}


def test_ifupdown_stanza_out_and_back_exactly(tmp_path):
    write(tmp_path, "etc/network/interfaces", INTERFACES)
    ctx = Context(config=from_data({"version": 1, "management": {"mode": "none"}}), root=str(tmp_path),
                  runner=make_runner(), live=False)
    assert debian.release_from_ifupdown(ctx, "enp0s4")
    text = read(tmp_path, "etc/network/interfaces")
    assert "#xenhost-setup# allow-hotplug enp0s4\n#xenhost-setup# iface enp0s4 inet dhcp\n" \
           "#xenhost-setup#     dns-nameservers 10.0.2.3\n" in text
    assert "auto lo\niface lo inet loopback" in text and "\nsource /etc/network/interfaces.d/*" in text
    assert not debian.release_from_ifupdown(ctx, "enp0s4")          # idempotent
    assert debian.restore_ifupdown(ctx) and read(tmp_path, "etc/network/interfaces") == INTERFACES


def test_plain_debian_setup_then_undo(tmp_path):
    root = tmp_path
    write(root, "etc/network/interfaces", INTERFACES)
    write(root, "etc/systemd/network/99-admin.network", "[Match]\nName=eth9\n")
    write(root, "dev/vdb", "")
    runner = make_runner()
    runner.respond(("ip", "-4", "route", "show", "default"), DHCP_ROUTE)
    runner.respond(("hostname",), "deb12\n")
    runner.respond(("pvs",), (5, "", "not a PV"))
    runner.respond(("vgs",), (5, "", "no VG"))
    facts = Facts(nics=list(NICS), free_disks=list(FREE), debian=debian.Machine(ram_bytes=4 * GiB, cpus=2))
    seen = []

    def ask(facts_, defaults, pending, error):
        seen.append((defaults, pending))
        return dict(defaults, **{"local-sr": {"disk": "/dev/vdb"}, "storage": {"type": "lvm"}})
    out = io.StringIO()
    assert main(["--root", str(root)], runner=runner, facts=facts, ask=ask, out=out, live=True, lease_wait=0) == 0
    text = out.getvalue()
    defaults, pending = seen[0]
    assert pending == ["network", "hostname", "local-sr"]
    assert defaults["network"] == {"interface": "enp0s4", "mode": "dhcp"} and defaults["hostname"] == "deb12"
    assert "#xenhost-setup# iface enp0s4 inet dhcp" in read(root, "etc/network/interfaces")
    uplink = read(root, "etc/systemd/network/20-xenbr0-uplink.network")
    assert "MACAddress=52:54:00:ab:cd:ef" in uplink and "Bridge=xenbr0" in uplink
    assert os.path.islink(root / "etc/systemd/system/multi-user.target.wants/systemd-networkd.service")
    assert not any(c[:2] in (["systemctl", "start"], ["systemctl", "restart"]) for c in runner.calls)
    assert not any(c[:3] == ["ip", "link", "delete"] for c in runner.calls)   # nothing live under SSH
    assert "dom0_mem=1228M,max:1228M" in read(root, "etc/default/grub.d/50-xenhost-install.cfg")
    assert commands(runner, "update-grub") == [["update-grub"]]
    # the local SR is made by the toolstack (xe sr-create), which records it in its database
    assert any(c[:2] == ["xe", "sr-create"] and "device-config:device=/dev/vdb" in c for c in runner.calls)
    assert "a reboot is needed" in text and text.splitlines()[-1] == "xenhost-setup: done"
    assert read(root, "etc/hostname") == "deb12\n"

    out = io.StringIO()
    assert main(["--root", str(root), "--undo"], runner=runner, out=out, live=True) == 0
    assert read(root, "etc/network/interfaces") == INTERFACES
    assert not (root / "etc/default/grub.d/50-xenhost-install.cfg").exists()
    assert sorted(os.listdir(root / "etc/systemd/network")) == ["99-admin.network"]
    assert commands(runner, "update-grub") == [["update-grub"], ["update-grub"]]
    assert "ifupdown stanza restored" in out.getvalue()


def test_undo_on_an_appliance_keeps_the_installers_boot_file(tmp_path):
    write(tmp_path, "etc/default/grub.d/50-xenhost-install.cfg", "# Written by xenhost-installer: ...\n")
    out = io.StringIO()
    assert main(["--root", str(tmp_path), "--undo"], runner=make_runner(), out=out, live=True) == 0
    assert (tmp_path / "etc/default/grub.d/50-xenhost-install.cfg").exists() and "nothing to undo" in out.getvalue()


def test_debian_installer_dhcp_is_kept_as_dhcp():
    """dhclient (ifupdown's `inet dhcp`, Debian's default) adds a plain route, no `proto dhcp`: the
    stanza or the address's lease lifetime say it is DHCP, not a static address to copy."""
    runner = make_runner()
    runner.respond(("ip", "-4", "route", "show", "default"), "default via 10.0.2.2 dev enp0s4\n")
    runner.respond(("ip", "-4", "-o", "addr", "show", "dev", "enp0s4"),
                   "2: enp0s4    inet 10.0.2.15/24 brd 10.0.2.255 scope global enp0s4\n")
    assert debian.uplink(runner, INTERFACES) == {"interface": "enp0s4", "mode": "dhcp"}
    runner.respond(("ip", "-4", "-o", "addr", "show", "dev", "enp0s4"),
                   "2: enp0s4    inet 10.0.2.15/24 brd 10.0.2.255 scope global dynamic enp0s4\n")
    assert debian.uplink(runner, "") == {"interface": "enp0s4", "mode": "dhcp"}
    assert debian.ifupdown_method(INTERFACES, "enp0s4") == "dhcp" and debian.ifupdown_method(INTERFACES, "x") is None


def test_a_serial_console_debian_gets_xen_on_that_port_and_dom0_on_hvc0(tmp_path):
    from xenhost_firstboot.wizard.facts import debian_console
    (tmp_path / "cmdline").write_text("BOOT_IMAGE=/boot/vmlinuz root=UUID=x ro console=ttyS0,115200 quiet\n")
    (tmp_path / "active").write_text("tty0 ttyS0\n")
    serial = debian_console(tmp_path / "cmdline", tmp_path / "active")
    assert serial == (0, 115200)
    text = debian.boot_text(4 * GiB, 2, serial)
    assert "console=com1,vga com1=115200,8n1" in text and "console=hvc0" in text
    (tmp_path / "active").write_text("tty0\n")
    assert debian_console(tmp_path / "cmdline", tmp_path / "active") is None
    assert "console=" not in debian.boot_text(4 * GiB, 2, None)


def test_unattended_on_debian_keeps_what_the_file_leaves_out(tmp_path):
    """An answer file with only a local SR: the bridge still takes over the uplink and the host
    keeps its name, so the boot into Xen finds nothing undecided (no wizard on the console)."""
    root = tmp_path
    write(root, "etc/network/interfaces", INTERFACES)
    write(root, "dev/vdb", "")
    answers = write(root, "answers.yaml", "version: 1\ndisk: {guest: [/dev/vdb]}\nstorage: {type: lvm}\n")
    runner = make_runner()
    runner.respond(("ip", "-4", "route", "show", "default"), "default via 10.0.2.2 dev enp0s4\n")
    runner.respond(("hostname",), "deb12\n")
    runner.respond(("pvs",), (5, "", "not a PV"))
    runner.respond(("vgs",), (5, "", "no VG"))
    facts = Facts(nics=list(NICS), free_disks=list(FREE),
                  debian=debian.Machine(ram_bytes=4 * GiB, cpus=2, serial=(0, 115200)))
    out = io.StringIO()
    assert main(["--root", str(root), "--answers", answers], runner=runner, facts=facts, out=out, live=True,
                lease_wait=0) == 0, out.getvalue()
    data = read(root, "etc/xenhost/firstboot.yaml")
    assert "hostname: deb12" in data and "mode: dhcp" in data and "/dev/vdb" in data
    assert "#xenhost-setup# iface enp0s4 inet dhcp" in read(root, "etc/network/interfaces")
    assert "console=com1,vga" in read(root, "etc/default/grub.d/50-xenhost-install.cfg")
    assert any(c[:2] == ["xe", "sr-create"] for c in runner.calls)
