"""Disks: read-only probing (lsblk/findmnt/blkid) and how the install reaches partitions.

DiskAccess is the interface the tasks use for partitions (partition/reread/settle/mounted); DiskProbe
is the real one (kernel partition nodes, udev links); imagedisks.ImageDisks serves image files in test
mode. Tests substitute a fake probe with the same methods."""
import json
import shutil
import logging
import os
import re
from dataclasses import dataclass, field

from . import existing, mounts
from xenhost_common.runner import Runner
from .errors import XenhostError
from .layout import LABELS

log = logging.getLogger(__name__)

LIVE_MOUNT = "/run/initramfs/live"      # where dracut's dmsquash-live (and kiwi's live module) mount the medium


@dataclass
class Part:
    number: int
    path: str
    size: int = 0                   # bytes
    partlabel: str = ""             # GPT partition name
    fstype: str = ""                # signature found on it: ext4, swap, LVM2_member, linux_raid_member, ...
    label: str = ""                 # filesystem label


@dataclass
class Disk:
    path: str                  # kernel path, e.g. /dev/vda (symlinks such as by-id resolved)
    type: str                  # lsblk TYPE: disk, part, rom, loop, ...
    size: int                  # bytes
    model: str = ""
    read_only: bool = False
    removable: bool = False
    mounted: list = field(default_factory=list)   # mountpoints of the disk, its partitions and what sits on them
    partitions: list = field(default_factory=list)  # Part
    fstype: str = ""           # a signature on the whole disk (no partition table): LVM2_member, ...
    stacked: list = field(default_factory=list)   # (type, path) of RAID arrays / LVs / crypt devices on it
    contents: str = ""         # one line for the disk screen: "xenhost 0.1", "ext4, LVM2_member", "empty"

    def describe(self):
        return "%s  %.1f GiB  %s" % (self.path, self.size / 1024 ** 3, self.model or "")


def partition_path(disk, number):
    """/dev/vda + 3 -> /dev/vda3; /dev/nvme0n1 + 3 -> /dev/nvme0n1p3 (kernel names ending in a digit)."""
    return "%s%s%d" % (disk, "p" if disk[-1].isdigit() else "", number)


def partition_number(disk, path):
    """Inverse of partition_path: /dev/nvme0n1p3 -> 3 (None when path is not a partition of disk)."""
    m = re.fullmatch(re.escape(disk) + r"p?(\d+)", path)
    return int(m.group(1)) if m else None


def contents_text(disk, version=None):
    """What is on the disk now, from its signatures (lsblk FSTYPE/LABEL/PARTLABEL)."""
    if any(LABELS["root"] in (p.partlabel, p.label) for p in disk.partitions):
        return "xenhost %s" % version if version else "xenhost"
    kinds = []
    for fstype, label in [(disk.fstype, "")] + [(p.fstype, p.label or p.partlabel) for p in disk.partitions]:
        text = "%s (%s)" % (fstype, label) if fstype and label else fstype
        if text and text not in kinds:
            kinds.append(text)
    if kinds:
        return ", ".join(kinds)
    if disk.partitions:
        return "%d partition%s, no filesystem" % (len(disk.partitions), "" if len(disk.partitions) == 1 else "s")
    return "empty"


def is_raid(kind):
    """lsblk TYPE of a RAID array: raid0, raid1, raid10, ..., or md (a container)."""
    return kind.startswith("raid") or kind == "md"


def _text(node, key):
    return (node.get(key) or "").strip()


def disk_from_lsblk(node):
    mounted, parts, stacked = [], [], []

    def walk(n):
        for mp in [n.get("mountpoint")] + list(n.get("mountpoints") or []):
            if mp and mp not in mounted:
                mounted.append(mp)
        for child in n.get("children") or []:
            if child.get("type") == "part":
                parts.append(Part(partition_number(node["path"], child["path"]) or 0, child["path"],
                                  int(child.get("size") or 0), _text(child, "partlabel"), _text(child, "fstype"),
                                  _text(child, "label")))
            else:
                stacked.append((child.get("type"), child["path"]))
            walk(child)
    walk(node)
    disk = Disk(path=node["path"], type=node["type"], size=int(node["size"]), model=_text(node, "model"),
                read_only=node.get("ro") in (True, "1", 1), removable=node.get("rm") in (True, "1", 1),
                mounted=mounted, partitions=parts, fstype=_text(node, "fstype"), stacked=stacked)
    disk.contents = contents_text(disk)
    return disk


def is_install_candidate(node):
    """Whole disks only: no zram swap, no floppy drives, nothing of size 0 (empty card readers)."""
    name = node.get("name") or ""
    return (node.get("type") == "disk" and not name.startswith(("zram", "fd"))
            and int(node.get("size") or 0) > 0)


class DiskAccess:
    """How tasks reach partitions. Real disks: the kernel makes /dev/vda3, udev the /dev/disk links."""

    def partition(self, disk, number):
        return partition_path(disk, number)

    def has_program(self, program):
        """Whether the environment that runs the tasks has this program (preflight asks)."""
        return shutil.which(program) is not None

    def reread(self, commands, disk):
        """After partitioning: make the new partitions reachable."""
        commands.run(["partprobe", disk])
        commands.run(["udevadm", "settle"])

    def settle(self, commands):
        """After mkfs: wait until /dev/disk/by-uuid names the new filesystems (update-grub checks them)."""
        commands.run(["udevadm", "settle"])

    def mounted(self, commands, device, mountpoint, options=()):
        return mounts.mounted(commands, device, mountpoint, options)

    def raid_arrays(self):
        """{RAID array: whole disks holding its members}, from the arrays lsblk shows on each disk
        (running arrays only: an array that is not assembled stacks nothing)."""
        arrays = {}
        for disk in self.scan():
            for kind, device in disk.stacked:
                if is_raid(kind):
                    arrays.setdefault(device, set()).add(disk.path)
        return arrays

    def existing_installs(self):
        """[existing.ExistingInstall] on the disks there are (reads partitions mounted ro,noload)."""
        return existing.find(self, self.commands, self.scan())

    def list_disks(self):
        """Install candidates, contents filled in (with the version of any xenhost found)."""
        disks = self.scan()
        versions = {e.disk: e.version for e in existing.find(self, self.commands, disks)}
        for disk in disks:
            disk.contents = contents_text(disk, versions.get(disk.path))
        return disks


class DiskProbe(DiskAccess):
    """Real probe: lsblk/findmnt/blkid through the command wrapper, never writing anything."""

    LSBLK = ["lsblk", "-J", "-b", "-o", "NAME,PATH,TYPE,SIZE,MODEL,RO,RM,MOUNTPOINT,PKNAME,FSTYPE,LABEL,PARTLABEL"]

    def __init__(self, commands=None, cmdline_raw=None):
        self.commands = commands or Runner()
        self.cmdline_raw = cmdline_raw or {}

    def resolve(self, path):
        return os.path.realpath(path)

    def _lsblk(self, argv):
        try:
            return json.loads(self.commands.run(self.LSBLK + argv, check=False).stdout or "{}").get("blockdevices") or []
        except ValueError:
            return []

    def get(self, path):
        """Disk at path (symlinks resolved), or None when there is no such block device."""
        real = self.resolve(path)
        if not os.path.exists(real):
            return None
        nodes = self._lsblk([real])
        return disk_from_lsblk(nodes[0]) if nodes else None

    def scan(self):
        nodes = self._lsblk(["-e", "1,7,11"])            # no ram, loop, CD-ROM
        return [disk_from_lsblk(n) for n in nodes if is_install_candidate(n)]

    def whole_disk_of(self, device):
        """The disk holding a partition (itself if already a disk)."""
        parent = self.commands.run(["lsblk", "-n", "-d", "-o", "PKNAME", device], check=False).stdout.strip()
        return "/dev/" + parent if parent else self.resolve(device)

    def volume_groups(self):
        """{volume group: whole disks holding its physical volumes}; {} without LVM tools."""
        try:
            out = self.commands.run(["pvs", "--noheadings", "-o", "pv_name,vg_name", "--separator", ":"],
                                    check=False).stdout
        except XenhostError:
            return {}
        groups = {}
        for line in out.splitlines():
            pv, _, vg = line.strip().partition(":")
            if vg:
                groups.setdefault(vg, set()).add(self.whole_disk_of(pv))
        return groups

    def boot_media(self):
        """Whole disks the installer booted from: the mount of the live medium and the device
        carrying the live label from root=live:CDLABEL=... / LABEL=... on the kernel command line."""
        devices = set()
        src = self.commands.run(["findmnt", "-n", "-o", "SOURCE", LIVE_MOUNT], check=False).stdout.strip()
        if src.startswith("/dev/"):
            devices.add(src)
        for root in self.cmdline_raw.get("root", []):
            m = re.match(r"live:(?:CD)?LABEL=(.+)", root)
            if m:
                dev = self.commands.run(["blkid", "-L", m.group(1).replace("\\x20", " ")], check=False).stdout.strip()
                if dev.startswith("/dev/"):
                    devices.add(dev)
        whole = {self.whole_disk_of(d) for d in devices}
        log.info("boot media: %s", sorted(whole) or "none found")
        return whole
