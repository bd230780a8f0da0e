"""xenhost on a Debian 12 machine that already runs (no installer, no first boot): after
`apt install xenhost-core`, xenhost-setup does what the installer and first boot do on an
appliance, and nothing else:
  - boot: /etc/default/grub.d/50-xenhost-install.cfg with the installer's Xen and dom0 arguments
    (XenServer's dom0 policy: 1 GiB + 5 % of RAM, at most 8 GiB; dom0 vCPUs up to 16), then
    update-grub (xenhost-release's grub.d file makes the Xen entry the default);
  - network: the management bridge takes over the uplink of the default route, keeping its
    address (DHCP stays DHCP with the NIC's MAC on the bridge; a static address is copied); the
    uplink's ifupdown stanza is commented out (marked, so `xenhost-setup --undo` restores it),
    and the change takes effect at the reboot, so an SSH session over the old setup survives;
  - the local SR on the disk chosen, the dom0 sysctls (xenhost-release ships them).
Then it says a reboot is needed. --undo (the package's prerm runs it) puts ifupdown and GRUB
back, so removing the packages leaves the Debian it found.
"""
import os
import re
from dataclasses import dataclass
from types import SimpleNamespace

from xenhost_installer.bootcfg import grub_defaults_text

from ..files import read_text, write_if_changed

IFUPDOWN = "/etc/network/interfaces"
MARK = "#xenhost-setup# "            # prefix of the lines --undo restores
BOOT_FILE = "/etc/default/grub.d/50-xenhost-install.cfg"
MAX_DOM0_VCPUS = 16


@dataclass(frozen=True)
class Machine:
    """What the Xen boot arguments depend on (facts.gather reads it from this machine)."""
    ram_bytes: int
    cpus: int
    serial: tuple | None = None     # (port, baud) of a serial console; None: the screen


def under_xen(root="/"):
    """True on a Xen dom0 (the appliance); False on plain Debian (Xen not booted yet)."""
    caps = read_text(os.path.join(root, "proc/xen/capabilities")) or ""
    return "control_d" in caps


def ifupdown_method(text, nic):
    """The method of nic's `iface NIC inet METHOD` stanza in /etc/network/interfaces text, or None."""
    for line in (text or "").splitlines():
        words = line.split()
        if words[:3] == ["iface", nic, "inet"] and len(words) > 3:
            return words[3]
    return None


def uplink(runner, interfaces_text=None):
    """The network answers that keep the current address: the default route's NIC and mode.
    DHCP is recognised by networkd's `proto dhcp` route, a `dynamic` address (lease lifetime), or
    ifupdown's `inet dhcp` stanza: Debian's installer default, whose dhclient adds a plain route."""
    route = runner.run(["ip", "-4", "route", "show", "default"], check=False).stdout.split()
    if "dev" not in route:
        return {"mode": "dhcp"}
    nic = route[route.index("dev") + 1]
    if "proto" in route and route[route.index("proto") + 1] == "dhcp" or \
            ifupdown_method(interfaces_text, nic) == "dhcp":
        return {"interface": nic, "mode": "dhcp"}
    address = None
    for line in runner.run(["ip", "-4", "-o", "addr", "show", "dev", nic], check=False).lines():
        words = line.split()
        if "inet" in words:
            if "dynamic" in words:
                return {"interface": nic, "mode": "dhcp"}
            address = words[words.index("inet") + 1]
            break
    network = {"interface": nic, "mode": "static" if address else "dhcp"}
    if address:
        network["address"] = address
        if "via" in route:
            network["gateway"] = route[route.index("via") + 1]
    return network


def release_from_ifupdown(ctx, nic):
    """Comment out nic's stanza (and its auto/allow-hotplug line) in /etc/network/interfaces."""
    path = ctx.path(IFUPDOWN)
    text = read_text(path)
    if text is None:
        return False
    out, inside = [], False
    for line in text.splitlines():
        words = line.split()
        if words[:1] == ["iface"]:
            inside = len(words) > 1 and words[1] == nic
        elif words[:1] and not line[:1].isspace():
            inside = False
        mine = inside or (words[:1] and words[0] in ("auto", "allow-hotplug") and nic in words[1:])
        out.append(MARK + line if mine and not line.startswith(MARK) else line)
    return write_if_changed(path, "\n".join(out) + "\n")


def restore_ifupdown(ctx):
    path = ctx.path(IFUPDOWN)
    text = read_text(path)
    if text is None or MARK not in text:
        return False
    return write_if_changed(path, "\n".join(line[len(MARK):] if line.startswith(MARK) else line
                                            for line in text.splitlines()) + "\n")


def boot_text(ram_bytes, cpus, serial=None):
    """The installer's GRUB defaults for this machine, with the dom0 vCPU limit."""
    host = SimpleNamespace(ram_bytes=ram_bytes, serial=serial)
    plan = SimpleNamespace(xen_extra_args="dom0_max_vcpus=1-%d" % min(cpus, MAX_DOM0_VCPUS), dom0_extra_args="")
    return grub_defaults_text(plan, host).replace("xenhost-installer", "xenhost-setup")


def configure_boot(ctx, machine: Machine):
    changed = write_if_changed(ctx.path(BOOT_FILE), boot_text(machine.ram_bytes, machine.cpus, machine.serial))
    if ctx.live:
        ctx.runner.run(["update-grub"])
    mem = re.search(r"dom0_mem=(\d+M)", read_text(ctx.path(BOOT_FILE))).group(1)
    return f"GRUB boots Xen next (dom0 {mem}){'' if changed else ', unchanged'}"


def drop_network_files(ctx, written_by):
    """The bridge's networkd files (ours only): without them the uplink is ifupdown's again."""
    directory = ctx.path("/etc/systemd/network")
    dropped = []
    for name in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
        if (read_text(os.path.join(directory, name)) or "").startswith(written_by):
            os.remove(os.path.join(directory, name))
            dropped.append(name)
    return dropped


def undo(ctx, written_by):
    """What --undo puts back: ifupdown's stanza, GRUB without our Xen arguments, no bridge files."""
    dropped = drop_network_files(ctx, written_by) if read_text(ctx.path(IFUPDOWN)) else []
    restored = restore_ifupdown(ctx)
    boot = ctx.path(BOOT_FILE)
    # only ours: on an appliance the installer wrote this file, and it stays
    removed = (read_text(boot) or "").startswith("# Written by xenhost-setup")
    if removed:
        os.remove(boot)
    if ctx.live and removed:
        ctx.runner.run(["update-grub"])
    return [what for what, done in (("ifupdown stanza restored", restored), ("Xen boot arguments removed", removed),
                                    ("bridge files removed: " + ", ".join(dropped), dropped)) if done]
