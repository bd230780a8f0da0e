"""Test mode: image files served as disks, so the whole backend runs on a build host.

`xenhost-installer install --target-images a.img,b.img` names the images /dev/xh-image0,
/dev/xh-image1, ... (the answer file uses these names). Each name is a device node of a loop device
over the whole image; partition N is /dev/xh-imageNpM, a node of a loop device over that partition's
byte range, read from the image's GPT (`losetup -P` makes no partition nodes on these hosts and there
is no device-mapper). The nodes carry the answer-file names, not /dev/loopN, because grub-mkconfig
writes no boot entries for a root on a file-backed /dev/loopN. With no udev here, settle() makes the
/dev/disk/by-uuid links update-grub looks for; a kernel without FAT gets the ESP staged (stage_fat).
Everything is undone on exit: links and nodes removed, loop devices detached."""
import contextlib
import json
import logging
import os
import stat

from . import mounts
from .disks import Disk, DiskAccess, Part, contents_text, partition_number, partition_path
from .errors import InstallerError, XenhostError

log = logging.getLogger(__name__)

NAME = "/dev/xh-image%d"
BY_UUID = "/dev/disk/by-uuid"


class ImageError(InstallerError):
    """A test-mode image cannot be used."""


def gpt_partitions(sfdisk_json, image):
    """[(number, start byte, size bytes, GPT name)] from `sfdisk --json IMAGE` output."""
    table = json.loads(sfdisk_json or "{}").get("partitiontable") or {}
    sector = int(table.get("sectorsize", 512))
    return [(partition_number(image, p["node"]), p["start"] * sector, p["size"] * sector, p.get("name", ""))
            for p in table.get("partitions", [])]


def blkid_fields(text):
    """`blkid -o export` output -> {TYPE: ..., LABEL: ..., UUID: ...}."""
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


@contextlib.contextmanager
def owned_path(path, make):
    """path created by make(path), replacing one a killed run left behind; removed on exit."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    make(path)
    try:
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def device_node(path, device):
    """A block device node at path for the same device as `device` (major:minor), removed on exit."""
    rdev = os.stat(device).st_rdev
    return owned_path(path, lambda p: os.mknod(p, stat.S_IFBLK | 0o600, rdev))


@contextlib.contextmanager
def stage_fat(commands, device, mountpoint):
    """This kernel cannot mount FAT: the mountpoint becomes a tmpfs whose mount source names the ESP
    device (grub-install finds the device from /proc/self/mountinfo and checks the FAT itself), filled
    from the FAT with mtools and copied back into it, replacing its files, on exit."""
    with mounts.mounted(commands, device, mountpoint, ["-t", "tmpfs", "-o", "mode=0700"]):
        for entry in _fat_entries(commands, device):
            commands.run(["mcopy", "-s", "-p", "-n", "-i", device, entry, mountpoint + "/"])
        try:
            yield mountpoint
        finally:
            for entry in _fat_entries(commands, device):
                commands.run(["mdeltree", "-i", device, entry], check=False)
            names = sorted(os.listdir(mountpoint))
            if names:
                commands.run(["mcopy", "-s", "-p", "-o", "-i", device,
                              *[os.path.join(mountpoint, n) for n in names], "::/"])


def _fat_entries(commands, device):
    return [line.strip() for line in commands.run(["mdir", "-b", "-i", device, "::/"], check=False).stdout.splitlines()
            if line.strip().startswith("::/")]


class ImageDisks(DiskAccess):
    """The probe and partition access of test mode; use as a context manager."""

    def __init__(self, images, commands):
        self.commands = commands
        self.images = {NAME % i: os.path.abspath(path) for i, path in enumerate(images)}
        self._stack = contextlib.ExitStack()
        self._parts = {}            # disk name -> (ExitStack of its partition loops, {number: node})
        self._links = contextlib.ExitStack()

    # -- lifetime --
    def __enter__(self):
        for name, image in self.images.items():
            if not os.path.isfile(image):
                raise ImageError("image %s does not exist; fix: create it first, e.g. `truncate -s 12G %s`"
                                 % (image, image))
        with contextlib.ExitStack() as stack:
            for name, image in self.images.items():
                loop = stack.enter_context(mounts.loop_device(self.commands, image))
                stack.enter_context(device_node(name, loop))
                log.info("test mode: %s is %s (%s)", name, image, loop)
            self._stack = stack.pop_all()
        return self

    def __exit__(self, *exc):
        self._links.close()
        for disk in list(self._parts):
            self._drop_partitions(disk)
        self._stack.close()

    # -- probe --
    def get(self, path):
        image = self.images.get(path)
        if image is None:
            return None
        parts = [Part(number, partition_path(path, number), size, name, *self._signature(image, start, size))
                 for number, start, size, name in self._gpt(image)]
        disk = Disk(path=path, type="disk", size=os.path.getsize(image), model="image %s" % os.path.basename(image),
                    partitions=parts, fstype="" if parts else self._signature(image, 0, 0)[0])
        disk.contents = contents_text(disk)
        return disk

    def scan(self):
        return [self.get(name) for name in self.images]

    def boot_media(self):
        return set()

    def volume_groups(self):
        return {}                   # images are not scanned by LVM (there is no device-mapper here)

    def _gpt(self, image):
        return gpt_partitions(self.commands.run(["sfdisk", "--json", image], check=False).stdout, image)

    def _signature(self, image, start, size):
        window = ["-O", str(start), "-S", str(size)] if size else []
        fields = blkid_fields(self.commands.run(["blkid", "-p", *window, "-o", "export", image], check=False).stdout)
        return fields.get("TYPE", ""), fields.get("LABEL", "")

    # -- partition access --
    def partition(self, disk, number):
        stack, nodes = self._parts.setdefault(disk, (contextlib.ExitStack(), {}))
        if number not in nodes:
            image = self.images[disk]
            found = [(start, size) for n, start, size, _ in self._gpt(image) if n == number]
            if not found:
                raise ImageError("%s (%s) has no partition %d; fix: partition it first" % (disk, image, number))
            loop = stack.enter_context(mounts.loop_device(self.commands, image, *found[0]))
            nodes[number] = stack.enter_context(device_node(partition_path(disk, number), loop))
        return nodes[number]

    def _drop_partitions(self, disk):
        stack, _ = self._parts.pop(disk, (contextlib.ExitStack(), {}))
        stack.close()

    def reread(self, commands, disk):
        self._drop_partitions(disk)     # their byte ranges may have moved: attach again on demand

    def settle(self, commands):
        """What udev would do for the filesystems on the attached partitions: /dev/disk/by-uuid links."""
        self._links.close()
        self._make_dirs(BY_UUID)
        for _, nodes in self._parts.values():
            for node in nodes.values():
                uuid = blkid_fields(commands.run(["blkid", "-p", "-o", "export", node], check=False).stdout).get("UUID")
                if uuid:
                    link = os.path.join(BY_UUID, uuid)
                    self._links.enter_context(owned_path(link, lambda p, n=node: os.symlink(n, p)))

    def _make_dirs(self, path):
        """makedirs, removing what it made (when empty again) on exit: /dev is the build host's."""
        if not os.path.isdir(path):
            self._make_dirs(os.path.dirname(path))
            os.mkdir(path)
            self._stack.callback(lambda: _rmdir_if_empty(path))

    def mounted(self, commands, device, mountpoint, options=()):
        return _mount_or_stage(commands, device, mountpoint, options)


def _rmdir_if_empty(path):
    with contextlib.suppress(OSError):
        os.rmdir(path)


@contextlib.contextmanager
def _mount_or_stage(commands, device, mountpoint, options):
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(mounts.mounted(commands, device, mountpoint, options))
        except XenhostError:
            if blkid_fields(commands.run(["blkid", "-p", "-o", "export", device], check=False).stdout).get("TYPE") != "vfat":
                raise
            log.info("test mode: this kernel cannot mount FAT; staging %s in a tmpfs (mtools)", device)
            stack.enter_context(stage_fat(commands, device, mountpoint))
        yield mountpoint
