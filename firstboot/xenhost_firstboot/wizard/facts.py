"""What the wizard's screens offer: this host's NICs and the disks nothing uses."""
import json

from xenhost_installer.disks import DiskProbe, disk_from_lsblk, is_install_candidate
from xenhost_installer.host import read_nics

from .apply import Facts


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


def gather(runner, sysfs="/sys/class/net"):
    return Facts(nics=read_nics(sysfs), free_disks=free_disks(runner))
