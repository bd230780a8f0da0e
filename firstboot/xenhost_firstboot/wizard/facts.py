"""What the wizard's screens offer: this host's NICs and the disks nothing uses."""
import json
import os

from xenhost_installer.disks import DiskProbe, disk_from_lsblk, is_install_candidate
from xenhost_installer import cmdline
from xenhost_installer.host import read_nics, read_ram_bytes, serial_console

from .apply import Facts
from .debian import Machine, under_xen


def unused(disk):
    """No partitions, no signature, nothing mounted or stacked on it: safe to offer for erasing."""
    return disk.contents == "empty" and not disk.mounted and not disk.stacked and not disk.read_only


def free_disks(runner):
    # the installer's own lsblk columns and parser, so both describe a disk the same way
    result = runner.run(DiskProbe.LSBLK + ["-e", "1,7,11"], check=False)
    try:
        nodes = json.loads(result.stdout or "{}").get("blockdevices") or []
    except ValueError:
        nodes = []
    return [d for d in (disk_from_lsblk(n) for n in nodes if is_install_candidate(n)) if unused(d)]


def debian_console(proc="/proc/cmdline", active="/sys/class/tty/console/active"):
    """(port, baud) when this Debian's console is a serial port (console=ttyS0,115200 last), so Xen
    gets that port too (com1) and dom0 its console on hvc0; None for the screen."""
    try:
        with open(active) as f, open(proc) as g:
            names, raw = f.read(), cmdline.parse(g.read()).raw
    except OSError:
        return None
    return serial_console(names, raw)


def gather(runner, root="/", appliance=True, sysfs="/sys/class/net"):
    """appliance: first boot ran here; else, and not under Xen yet, this is a plain Debian machine
    that installed xenhost-core."""
    debian = None if appliance or under_xen(root) else Machine(ram_bytes=read_ram_bytes(), cpus=os.cpu_count() or 1,
                                                              serial=debian_console())
    return Facts(nics=read_nics(sysfs), free_disks=free_disks(runner), debian=debian)
