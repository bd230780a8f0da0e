"""Fakes for installer tests: a command runner that records argv, a disk probe, host facts."""
import hashlib
import json

import pytest

from xenhost_installer.disks import Disk, DiskAccess, Part
from xenhost_installer.host import HostFacts, Nic

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


class FakeCommands:
    """Records every argv; answers the few read commands tasks need."""

    def __init__(self, fail_on=None):
        self.calls = []
        self.fail_on = fail_on

    def run(self, argv, *, input=None, secret_input=False, chroot=None, check=True):
        argv = [str(a) for a in argv]
        if chroot:
            argv = ["chroot", str(chroot)] + argv
        self.calls.append(argv)
        if self.fail_on and argv[0] == self.fail_on:
            from xenhost_installer.errors import CommandError
            raise CommandError(argv, 1, "%s: simulated failure" % argv[0])
        if argv[0] == "blkid":
            return "uuid-%s\n" % argv[-1].rsplit("/", 1)[-1]
        if argv[0] == "lsblk":
            return json.dumps({"blockdevices": [{"path": "/dev/vda", "type": "disk", "children": [
                {"path": "/dev/vda1", "type": "part"}]}]})
        return ""

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

    def existing_installs(self):
        return list(self._existing)

    def volume_groups(self):
        return dict(self._vgs)

    def get(self, path):
        return self.disks.get(self.aliases.get(path, path))

    def list_disks(self):
        return [d for d in self.disks.values() if d.type == "disk"]

    def boot_media(self):
        return set(self._boot)


@pytest.fixture
def host():
    return HostFacts(ram_bytes=4 * GiB, serial=(0, 115200), nics=[Nic("enp0s3", "52:54:00:12:34:56", True)])


@pytest.fixture
def image(tmp_path):
    img = tmp_path / "dom0.tar.xz"
    img.write_bytes(b"not really a tarball")
    (tmp_path / "dom0.tar.xz.sha256").write_text("%s  dom0.tar.xz\n" % hashlib.sha256(img.read_bytes()).hexdigest())
    return str(img)


@pytest.fixture
def target(tmp_path):
    root = tmp_path / "target"
    (root / "etc").mkdir(parents=True)
    (root / "etc/shadow").write_text("root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n")
    return str(root)
