"""Disk tasks: wipe, partition, mkfs, mount, extract image, unmount."""
import json
import os

from ..layout import MiB
from ..mounts import mounted


def wipe(ctx):
    """Stale RAID/LVM/filesystem signatures on reused disks break installs: wipe every old
    partition's signatures first, then the disk's own (partition tables included)."""
    disk = ctx.plan.disk_path
    out = ctx.commands.run(["lsblk", "-J", "-n", "-o", "PATH,TYPE", disk], check=False)
    try:
        nodes = json.loads(out or "{}").get("blockdevices") or []
    except ValueError:
        nodes = []
    for node in nodes:
        for child in node.get("children") or []:
            if child.get("type") == "part":
                ctx.commands.run(["wipefs", "-a", child["path"]])
    ctx.commands.run(["wipefs", "-a", disk])


def sgdisk_args(layout):
    args = []
    for p in layout:
        end = "+%dM" % p.size_mib if p.size_mib else "0"
        args += ["-n", "%d:0:%s" % (p.number, end), "-t", "%d:%s" % (p.number, p.type_code),
                 "-c", "%d:%s" % (p.number, p.label)]
    return args


def partition(ctx):
    disk = ctx.plan.disk_path
    ctx.commands.run(["sgdisk", "--zap-all", disk])
    ctx.commands.run(["sgdisk", "-a", "2048"] + sgdisk_args(ctx.plan.layout) + [disk])
    ctx.commands.run(["partprobe", disk])
    ctx.commands.run(["udevadm", "settle"])


MKFS = {
    "vfat": lambda dev, label: ["mkfs.vfat", "-F", "32", "-n", "ESP", dev],
    "ext4": lambda dev, label: ["mkfs.ext4", "-F", "-q", "-L", label, dev],
    "swap": lambda dev, label: ["mkswap", "-L", label, dev],
}


def make_filesystems(ctx):
    for p in ctx.plan.layout:
        if p.fs:
            ctx.commands.run(MKFS[p.fs](ctx.part(p.role), p.label))


def mount_target(ctx):
    # logs go on their own partition: mount it before extracting so the image's /var/log lands there
    ctx.stack.enter_context(mounted(ctx.commands, ctx.part("root"), ctx.target))
    ctx.root_mounted = True
    ctx.stack.enter_context(mounted(ctx.commands, ctx.part("logs"), ctx.path("var/log")))


def extract_image(ctx):
    ctx.commands.run(["tar", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-xf", ctx.plan.image,
                      "-C", ctx.target])


def mount_esp(ctx):
    # after extraction: tar cannot chown/chmod the mountpoint of a vfat filesystem
    ctx.stack.enter_context(mounted(ctx.commands, ctx.part("esp"), ctx.path("boot/efi")))


def unmount_all(ctx):
    ctx.stack.close()
    ctx.root_mounted = False
    ctx.commands.run(["sync"])
