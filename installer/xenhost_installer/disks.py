"""Disk probing (read-only) and the safety facts preflight needs: whole disk?, size, mounted?,
is it the medium the installer booted from? Tests substitute a fake probe with the same methods."""
import json
import logging
import os
import re
from dataclasses import dataclass, field

from .commands import Commands

log = logging.getLogger(__name__)

LIVE_MOUNT = "/run/initramfs/live"      # where dracut's dmsquash-live (and kiwi's live module) mount the medium


@dataclass
class Disk:
    path: str                  # kernel path, e.g. /dev/vda (symlinks such as by-id resolved)
    type: str                  # lsblk TYPE: disk, part, rom, loop, ...
    size: int                  # bytes
    model: str = ""
    read_only: bool = False
    removable: bool = False
    mounted: list = field(default_factory=list)   # mountpoints of the disk or its partitions
    partitions: list = field(default_factory=list)

    def describe(self):
        return "%s  %.1f GiB  %s" % (self.path, self.size / 1024 ** 3, self.model or "")


def partition_path(disk, number):
    """/dev/vda + 3 -> /dev/vda3; /dev/nvme0n1 + 3 -> /dev/nvme0n1p3 (kernel names ending in a digit)."""
    return "%s%s%d" % (disk, "p" if disk[-1].isdigit() else "", number)


def _disk_from_lsblk(node):
    mounted, parts = [], []

    def walk(n):
        for mp in [n.get("mountpoint")] + list(n.get("mountpoints") or []):
            if mp and mp not in mounted:
                mounted.append(mp)
        for child in n.get("children") or []:
            if child.get("type") == "part":
                parts.append(child["path"])
            walk(child)
    walk(node)
    return Disk(path=node["path"], type=node["type"], size=int(node["size"]), model=(node.get("model") or "").strip(),
                read_only=node.get("ro") in (True, "1", 1), removable=node.get("rm") in (True, "1", 1),
                mounted=mounted, partitions=parts)


class DiskProbe:
    """Real probe: lsblk/findmnt/blkid through the command wrapper, never writing anything."""

    LSBLK = ["lsblk", "-J", "-b", "-o", "NAME,PATH,TYPE,SIZE,MODEL,RO,RM,MOUNTPOINT,PKNAME"]

    def __init__(self, commands=None, cmdline_raw=None):
        self.commands = commands or Commands()
        self.cmdline_raw = cmdline_raw or {}

    def resolve(self, path):
        return os.path.realpath(path)

    def get(self, path):
        """Disk at path (symlinks resolved), or None when there is no such block device."""
        real = self.resolve(path)
        if not os.path.exists(real):
            return None
        out = self.commands.run(self.LSBLK + [real], check=False)
        try:
            nodes = json.loads(out or "{}").get("blockdevices") or []
        except ValueError:
            return None
        return _disk_from_lsblk(nodes[0]) if nodes else None

    def list_disks(self):
        out = self.commands.run(self.LSBLK + ["-e", "1,7,11"], check=False)  # no ram, loop, CD-ROM
        nodes = json.loads(out or "{}").get("blockdevices") or []
        # zram swap devices are "disks" to lsblk but never install targets
        return [_disk_from_lsblk(n) for n in nodes if n.get("type") == "disk" and not n["name"].startswith("zram")]

    def whole_disk_of(self, device):
        """The disk holding a partition (itself if already a disk)."""
        parent = self.commands.run(["lsblk", "-n", "-d", "-o", "PKNAME", device], check=False).strip()
        return "/dev/" + parent if parent else self.resolve(device)

    def boot_media(self):
        """Whole disks the installer booted from: the mount of the live medium and the device
        carrying the live label from root=live:CDLABEL=... / LABEL=... on the kernel command line."""
        devices = set()
        src = self.commands.run(["findmnt", "-n", "-o", "SOURCE", LIVE_MOUNT], check=False).strip()
        if src.startswith("/dev/"):
            devices.add(src)
        for root in self.cmdline_raw.get("root", []):
            m = re.match(r"live:(?:CD)?LABEL=(.+)", root)
            if m:
                dev = self.commands.run(["blkid", "-L", m.group(1).replace("\\x20", " ")], check=False).strip()
                if dev.startswith("/dev/"):
                    devices.add(dev)
        whole = {self.whole_disk_of(d) for d in devices}
        log.info("boot media: %s", sorted(whole) or "none found")
        return whole
