"""Shared helpers for installer tests: a command runner that records argv, a disk probe, the e2e answers.
A module of its own (not conftest.py): tests/firstboot has a conftest too, and `from conftest import`
would get whichever of the two pytest imported last."""
import hashlib
import io
import json
import os
import tarfile

from xenhost_common.testing import FakeRunner
from xenhost_installer.disks import Disk, DiskAccess, Part

GiB = 1024 ** 3
PASSWORD = "s3cret-Pass"

E2E_ANSWERS = """\
version: 1
disk: {primary: /dev/vda}
root-password: {plaintext: "%s"}
hostname: xh-e2e
network: {interface: auto, mode: dhcp}
boot: {xen-extra-args: "bootscrub=0", dom0-extra-args: ""}
atexit: reboot
""" % PASSWORD


class FakeCommands(FakeRunner):
    """The shared fake runner, answering the few read commands tasks need."""

    def __init__(self, fail_on=None):
        super().__init__()
        self.fail_on = fail_on

    def reply(self, argv):
        if self.fail_on and argv[0] == self.fail_on:
            return (1, "", "%s: simulated failure" % argv[0])
        if argv[0] == "blkid":
            return "uuid-%s\n" % argv[-1].rsplit("/", 1)[-1]
        if argv[0] == "lsblk":
            return json.dumps({"blockdevices": [{"path": "/dev/vda", "type": "disk", "children": [
                {"path": "/dev/vda1", "type": "part"}]}]})
        return None

    def programs(self):
        return [c[2] if c[0] == "chroot" else c[0] for c in self.calls]


def default_disks():
    return [Disk("/dev/vda", "disk", 20 * GiB, "QEMU HARDDISK", partitions=[Part(1, "/dev/vda1", 1 * GiB, "", "ext4")]),
            Disk("/dev/sr0", "rom", 1 * GiB, "QEMU DVD-ROM")]


class FakeProbe(DiskAccess):
    """Disks as given; partitions reached the real way (DiskAccess: /dev/vda3, partprobe, udevadm)."""

    def __init__(self, disks=None, boot_media=(), existing=(), volume_groups=None):
        self.disks = {d.path: d for d in (disks or default_disks())}
        self.aliases = {"/dev/disk/by-id/virtio-abc": "/dev/vda"}
        self._boot = set(boot_media)
        self._existing = list(existing)
        self._vgs = dict(volume_groups or {})

    def has_program(self, program):
        return True                     # the installer image's programs: checked in the slow tier

    def existing_installs(self):
        return list(self._existing)

    def volume_groups(self):
        return dict(self._vgs)

    def get(self, path):
        return self.disks.get(self.aliases.get(path, path))

    def list_disks(self):
        return [d for d in self.disks.values() if d.type == "disk"]

    scan = list_disks       # DiskAccess.raid_arrays() reads the disks' stacked arrays from scan()

    def boot_media(self):
        return set(self._boot)


def tree(root, files):
    """Files under root: {relative path: text}; a text "->TARGET" makes a symlink. Returns str(root)."""
    for rel, content in files.items():
        path = os.path.join(str(root), rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if content.startswith("->"):
            os.symlink(content[2:], path)
        else:
            with open(path, "w") as f:
                f.write(content)
    return str(root)


def tar_image(directory, members, name="dom0.tar.gz"):
    """A real (small) dom0 image holding members, named as `tar -C root .` names them ("./usr/bin/x";
    "bin -> usr/bin" makes a symlink), with its .sha256 beside it. Returns its path."""
    path = os.path.join(str(directory), name)
    with tarfile.open(path, "w:gz") as tar:
        for member in members:
            entry, _, link = member.partition(" -> ")
            info = tarfile.TarInfo("./" + entry)
            if link:
                info.type, info.linkname = tarfile.SYMTYPE, link
            tar.addfile(info, io.BytesIO(b""))
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    with open(path + ".sha256", "w") as f:
        f.write("%s  %s\n" % (digest, name))
    return path


KERNEL_VERSION = "6.1.0-57-amd64"
XEN_VERSION = "4.17.5-xenhost"


def boot_files(root):
    """/boot as the dom0 image brings it: a dom0-capable kernel with its initrd and a multiboot2 Xen."""
    import gzip
    import struct
    boot = os.path.join(str(root), "boot")
    tree(boot, {"vmlinuz-" + KERNEL_VERSION: "kernel", "initrd.img-" + KERNEL_VERSION: "initrd",
                "config-" + KERNEL_VERSION: "CONFIG_XEN=y\nCONFIG_XEN_DOM0=y\n",
                "xen-%s.config" % XEN_VERSION: "CONFIG_X86_64=y\n"})
    with gzip.open(os.path.join(boot, "xen-%s.gz" % XEN_VERSION), "wb") as f:
        magic, length = 0xE85250D6, 24     # a valid multiboot2 header (GRUB's grub-file checks it), then the end tag
        f.write(b"\0" * 4096 + struct.pack("<IIII", magic, 0, length, -(magic + length) & 0xFFFFFFFF)
                + struct.pack("<HHI", 0, 0, 8) + b"\0" * 64)
    return boot
