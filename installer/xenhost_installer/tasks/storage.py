"""Disk tasks: wipe, partition, mkfs, write or extract the image, mount, unmount. Partitions are
reached through ctx.probe (disks.DiskAccess), so the same tasks run on real disks and on test-mode
images.

The dom0 image is a filesystem (dom0.img.zst, xenhost_common/dom0image.py): written to the root
partition whole, given the host's own UUID and grown to the partition; or, from other tools, a
tarball unpacked onto a fresh filesystem."""
import logging
import os
import shutil

from xenhost_common.dom0image import has_header

from ..disks import is_raid

log = logging.getLogger(__name__)

RAID_MEMBER = "linux_raid_member"


def deactivate_stale_storage(ctx, disk):
    """Stale RAID/LVM on a reused disk keeps its devices busy and its metadata alive: deactivate the
    volume groups with a physical volume on it (vgchange -an) and stop RAID arrays built on it."""
    for vg, disks in sorted(ctx.probe.volume_groups().items()):
        if disk.path in disks:
            ctx.commands.run(["vgchange", "-an", vg])
    for kind, device in disk.stacked:
        if is_raid(kind):
            ctx.commands.run(["mdadm", "--stop", device])


def wipe_disk(ctx, path):
    """Every old partition's signatures first (RAID superblocks zeroed with mdadm where it is
    installed; wipefs erases them too), then the disk's own, partition tables included."""
    disk = ctx.probe.get(path)
    deactivate_stale_storage(ctx, disk)
    for part in disk.partitions:
        device = ctx.probe.partition(path, part.number)
        if part.fstype == RAID_MEMBER and shutil.which("mdadm"):
            ctx.commands.run(["mdadm", "--zero-superblock", device])
        ctx.commands.run(["wipefs", "-a", device])
    ctx.commands.run(["wipefs", "-a", path])
    ctx.probe.reread(ctx.commands, path)


def wipe(ctx):
    wipe_disk(ctx, ctx.plan.disk_path)


def wipe_guest_disks(ctx):
    """Guest disks are left blank: first boot makes them part of the local storage repository."""
    for path in ctx.plan.guest_disk_paths:
        wipe_disk(ctx, path)


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
    ctx.probe.reread(ctx.commands, disk)


def mkfs_ext4(device, label, uuid=None):
    """uuid: keep a filesystem's identity when re-making it (upgrade, restore: fstab and GRUB name it)."""
    return ["mkfs.ext4", "-F", "-q", "-L", label, *(["-U", uuid] if uuid else []), device]


MKFS = {
    "vfat": lambda dev, label: ["mkfs.vfat", "-F", "32", "-n", "ESP", dev],
    "ext4": mkfs_ext4,
    "swap": lambda dev, label: ["mkswap", "-L", label, dev],
}


def image_is_filesystem(plan):
    """The image is a filesystem to write whole (else a tarball to unpack); a missing image is
    preflight's to report."""
    return os.path.isfile(plan.image) and has_header(plan.image)


def make_filesystems(ctx, skip=()):
    for p in ctx.plan.layout:
        if p.fs and p.role not in skip:
            ctx.commands.run(MKFS[p.fs](ctx.part(p.role), p.label))
    ctx.probe.settle(ctx.commands)


def make_filesystems_but_root(ctx):
    """The root comes whole with the image."""
    make_filesystems(ctx, skip=("root",))


# dd writes every block, zeros too: the old contents of the partition must not show through as
# inode tables the image says are zeroed. oflag=direct: 4 MiB writes go to the disk as they are;
# through the block device's page cache the same 782 MiB took 50-53 s of the PXE install under TCG
# (the kernel's per-page work is what emulation makes slow). The image comes on stdin:
# zstd skips a file name that is a symbolic link (the medium's image is one) with a warning only.
# pipefail: a decompression that fails half way must fail the task, not leave dd's exit status.
WRITE_IMAGE = 'set -o pipefail; zstd -dc -q < "$1" | dd of="$2" bs=4M iflag=fullblock oflag=direct status=none'
WRITE_PROGRAMS = ("bash", "zstd", "dd", "tune2fs", "resize2fs", "udevadm")


def write_image(ctx, uuid="random"):
    """The image's filesystem onto the root partition, with its own UUID (or, upgrading, the old
    root's: fstab and GRUB name it), grown to the whole partition."""
    device = ctx.part("root")
    ctx.commands.run(["bash", "-c", WRITE_IMAGE, "bash", ctx.plan.image, device])
    # the image's filesystem has never been mounted, so tune2fs and resize2fs need no fsck first;
    # its metadata checksums are seeded apart from the UUID (iso/dom0image.py FEATURES): one field
    ctx.commands.run(["tune2fs", "-U", uuid, device])
    ctx.commands.run(["resize2fs", device])
    if uuid != "random":
        ctx.uuids["root"] = uuid
    ctx.probe.settle(ctx.commands)      # blkid (fstab, grub.cfg) must see the new UUID


def mount(ctx, device, mountpoint, options=()):
    """Mount for the rest of the install (undone by unmount_all or on failure)."""
    return ctx.stack.enter_context(ctx.probe.mounted(ctx.commands, device, mountpoint, options))


def mount_root(ctx):
    mount(ctx, ctx.part("root"), ctx.target)
    ctx.root_mounted = True


def mount_target(ctx):
    # logs go on their own partition: mount it before extracting so the image's /var/log lands there
    mount_root(ctx)
    mount(ctx, ctx.part("logs"), ctx.path("var/log"))


IMAGE_LOGS_ASIDE = "var/.log-of-image"


def mount_written_target(ctx):
    """The root the image wrote, with the logs partition on /var/log holding the image's /var/log
    (journald keeps a persistent journal only where /var/log/journal exists, for one)."""
    mount_root(ctx)
    logs, aside = ctx.path("var/log"), ctx.path(IMAGE_LOGS_ASIDE)
    os.rename(logs, aside)
    os.mkdir(logs)
    shutil.copystat(aside, logs)
    mount(ctx, ctx.part("logs"), logs)
    ctx.commands.run(["cp", "-a", aside + "/.", logs])
    shutil.rmtree(aside)


def extract_image(ctx):
    ctx.commands.run(["tar", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-xf", ctx.plan.image,
                      "-C", ctx.target])


def mount_esp(ctx):
    # after extraction: tar cannot chown/chmod the mountpoint of a vfat filesystem
    mount(ctx, ctx.part("esp"), ctx.path("boot/efi"))


def unmount_all(ctx):
    ctx.stack.close()
    ctx.root_mounted = False
    ctx.commands.run(["sync"])
