"""Slow tier: the real backend in test mode (`install --target-images`) on sparse image files with the
real dom0 image, as root, no qemu: fresh install onto a.img + guest b.img, then an upgrade, then a
restore. What test mode does not cover (firmware booting the result, udev, a kernel FAT mount, real
partition nodes) is in installer/DESIGN.md and covered by the qemu e2e test."""
import contextlib
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from xenhost_common.runner import Runner
from xenhost_installer.existing import UNFINISHED_MARKER as UNFINISHED
from xenhost_installer.imagedisks import ImageDisks
from xenhost_installer.mounts import scratch_mount

from build_outputs import built, require_root

pytestmark = pytest.mark.slow

INSTALLER = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "installer")
COMMON = os.path.join(os.path.dirname(INSTALLER), "common")
TOOLS = ("losetup", "sgdisk", "sfdisk", "wipefs", "blkid", "mkfs.ext4", "mkfs.vfat", "mkswap", "mcopy", "mdir",
         "zstd", "tar", "vgchange", "mdadm")
MiB = 1024 ** 2
DISK_MiB = 11520            # just above the minimum: floor sizes, ~1.2 GiB of storage repository
PASSWORD = "Slow-tier-pw1"


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    require_root("installer test mode")
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.fail("missing tools: %s (./setup-host.sh installs them)" % ", ".join(missing))
    image = str(built("dom0_image"))
    d = tmp_path_factory.mktemp("images")
    a, b = str(d / "a.img"), str(d / "b.img")
    for path, mib in ((a, DISK_MiB), (b, 1024)):
        with open(path, "wb") as f:
            f.truncate(mib * MiB)
    # stale contents the install must wipe: an old partition table on a, a filesystem on b
    subprocess.run(["sgdisk", "-n", "1:0:+64M", "-c", "1:old-data", a], check=True, capture_output=True)
    subprocess.run(["mkfs.ext4", "-q", "-F", "-L", "old-guest", b], check=True, capture_output=True)
    return {"dir": d, "a": a, "b": b, "image": image}


def run_installer(work, answers):
    path = os.path.join(work["dir"], "answers-%s.yaml" % answers.get("mode", "install"))
    with open(path, "w") as f:
        yaml.safe_dump(answers, f)
    proc = subprocess.run([sys.executable, "-m", "xenhost_installer.cli", "install", "--answerfile", path,
                           "--target-images", "%s,%s" % (work["a"], work["b"]), "--image", work["image"]],
                          capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=os.pathsep.join((INSTALLER, COMMON))), timeout=900)
    return proc.returncode, proc.stdout + proc.stderr


@contextlib.contextmanager
def opened(work):
    """The images as test mode sees them: partitions reachable, everything detached on exit."""
    with ImageDisks([work["a"], work["b"]], Runner()) as disks:
        yield disks


@contextlib.contextmanager
def mounted_part(disks, number, options=("-o", "ro")):
    with scratch_mount(Runner(), disks.mounted, disks.partition("/dev/xh-image0", number), list(options)) as path:
        yield path


def gpt(image):
    out = subprocess.run(["sfdisk", "--json", image], check=True, capture_output=True, text=True).stdout
    return {p["name"]: p for p in json.loads(out)["partitiontable"]["partitions"]}


def region_digest(image, part):
    """Digest of a byte range of a sparse image: its data extents (SEEK_DATA/SEEK_HOLE) with their
    offsets, so any write in the range, even of zeros, changes it and the holes cost nothing to read."""
    h = hashlib.sha256()
    start, end = part["start"] * 512, (part["start"] + part["size"]) * 512
    with open(image, "rb") as f:
        pos = start
        while pos < end:
            try:
                data = os.lseek(f.fileno(), pos, os.SEEK_DATA)
            except OSError:             # no data after pos
                break
            if data >= end:
                break
            hole = min(os.lseek(f.fileno(), data, os.SEEK_HOLE), end)
            f.seek(data)
            h.update(b"%d:" % (data - start))
            for _ in range(data, hole, 8 * MiB):
                h.update(f.read(min(8 * MiB, hole - f.tell())))
            pos = hole
    return h.hexdigest()


def untouched_digests(work):
    """Logs, swap and storage repository partitions, and the whole guest disk."""
    parts = gpt(work["a"])
    digests = {label: region_digest(work["a"], parts[label]) for label in ("xenhost-logs", "xenhost-swap",
                                                                          "xenhost-sr")}
    digests["b.img"] = region_digest(work["b"], {"start": 0, "size": os.path.getsize(work["b"]) // 512})
    return digests


def read(root, rel, mode="r"):
    with open(os.path.join(root, rel), mode) as f:
        return f.read()


def no_leftovers(work):
    attached = subprocess.run(["losetup", "-j", work["a"]], capture_output=True, text=True).stdout + \
        subprocess.run(["losetup", "-j", work["b"]], capture_output=True, text=True).stdout
    ours = [p for p in glob.glob("/dev/disk/by-uuid/*") if "xh-image" in os.readlink(p)]
    assert attached == "" and glob.glob("/dev/xh-image*") == [] and ours == []


@pytest.fixture(scope="module")
def installed(work):
    rc, out = run_installer(work, {"version": 1, "disk": {"primary": "/dev/xh-image0", "guest": ["/dev/xh-image1"]},
                                   "root-password": {"plaintext": PASSWORD}, "hostname": "xh-img",
                                   "network": {"interface": "auto", "mode": "dhcp"}})
    assert rc == 0 and "installation complete" in out, out
    no_leftovers(work)
    return out


def test_fresh_install_partitions_and_filesystems(work, installed):
    parts = gpt(work["a"])
    assert sorted(parts) == sorted(["bios-boot", "xenhost-esp", "xenhost-root", "xenhost-backup", "xenhost-logs",
                                    "xenhost-swap", "xenhost-sr"])
    with opened(work) as disks:
        disk = disks.get("/dev/xh-image0")
        kinds = {p.partlabel: p.fstype for p in disk.partitions}
        assert kinds == {"bios-boot": "", "xenhost-esp": "vfat", "xenhost-root": "ext4", "xenhost-backup": "",
                         "xenhost-logs": "ext4", "xenhost-swap": "swap", "xenhost-sr": ""}
        assert disks.get("/dev/xh-image1").contents == "empty"      # the old guest filesystem is wiped
        assert disk.contents == "xenhost"
        [found] = disks.existing_installs()
        assert (found.disk, found.version, found.hostname, found.backup_version) == ("/dev/xh-image0", "0.1",
                                                                                    "xh-img", None)
        esp = subprocess.run(["mdir", "-b", "-i", disks.partition("/dev/xh-image0", 2), "::/EFI/BOOT"],
                             capture_output=True, text=True).stdout
        assert "BOOTX64.EFI" in esp
    no_leftovers(work)


def test_fresh_install_root_contents(work, installed):
    with opened(work) as disks, mounted_part(disks, 3) as root, mounted_part(disks, 5) as logs:
        uuid = disks.commands.run(["blkid", "-p", "-s", "UUID", "-o", "value", disks.partition("/dev/xh-image0", 3)]).stdout
        uuid = uuid.strip()
        assert "UUID=%s / ext4" % uuid in read(root, "etc/fstab")
        grub = read(root, "boot/grub/grub.cfg")
        assert "multiboot2\t/boot/xen-" in grub and "root=UUID=%s" % uuid in grub and "xh-image" not in grub
        assert read(root, "etc/default/grub.d/50-xenhost-install.cfg").startswith("# Written by xenhost-installer")
        assert os.path.getsize(os.path.join(root, "boot/grub/i386-pc/core.img")) > 0
        assert yaml.safe_load(read(root, "etc/xenhost/firstboot.yaml"))["hostname"] == "xh-img"
        assert read(root, "etc/hostname") == "xh-img\n"
        assert read(root, "etc/shadow").startswith("root:$6$")
        assert "task 1/" in read(logs, "installer/install.log")
    with open(work["a"], "rb") as f:
        mbr = f.read(512)
        f.seek(gpt(work["a"])["bios-boot"]["start"] * 512)
        core = f.read(512)
    assert b"GRUB" in mbr and mbr[510:] == b"\x55\xaa" and core.strip(b"\0")   # boot code + core image


@pytest.fixture(scope="module")
def upgraded(work, installed):
    with opened(work) as disks, mounted_part(disks, 3, ()) as root:
        with open(os.path.join(root, "marker"), "w") as f:
            f.write("old root\n")
        os.makedirs(os.path.join(root, "etc/ssh"), exist_ok=True)
        for name in ("ssh_host_ed25519_key", "ssh_host_ed25519_key.pub"):
            with open(os.path.join(root, "etc/ssh", name), "w") as f:
                f.write("key %s\n" % name)
        with open(os.path.join(root, "etc/machine-id"), "w") as f:
            f.write("0123456789abcdef0123456789abcdef\n")
        before = {rel: read(root, rel) for rel in ("etc/hostname", "etc/ssh/ssh_host_ed25519_key", "etc/machine-id",
                                                   "etc/xenhost/firstboot.yaml", "etc/fstab")}
        before["root-shadow"] = read(root, "etc/shadow").splitlines()[0]
    with open(work["a"], "r+b") as f:       # data in the storage repository that must survive
        f.seek(gpt(work["a"])["xenhost-sr"]["start"] * 512)
        f.write(os.urandom(4 * MiB))
    digests = untouched_digests(work)
    rc, out = run_installer(work, {"version": 1, "mode": "upgrade", "disk": {"primary": "/dev/xh-image0"}})
    assert rc == 0 and "installation complete" in out, out
    no_leftovers(work)
    return {"out": out, "before": before, "digests": digests}


def test_upgrade_backs_up_and_keeps_identity(work, upgraded):
    with opened(work) as disks:
        with mounted_part(disks, 3) as root:
            assert not os.path.exists(os.path.join(root, "marker"))
            after = {rel: read(root, rel) for rel in upgraded["before"] if rel != "root-shadow"}
            after["root-shadow"] = read(root, "etc/shadow").splitlines()[0]
            assert os.path.exists(os.path.join(root, "var/lib/xenhost/installer/upgrade.log"))
        assert after == upgraded["before"]
        with mounted_part(disks, 4) as backup:
            assert read(backup, "marker") == "old root\n"
            assert yaml.safe_load(read(backup, ".xenhost-backup"))["version"] == "0.1"
            assert not os.path.exists(os.path.join(backup, UNFINISHED))      # the upgrade finished
        [found] = disks.existing_installs()
        assert found.backup_version == "0.1" and found.hostname == "xh-img"
    assert untouched_digests(work) == upgraded["digests"]


@pytest.fixture(scope="module")
def restored(work, upgraded):
    """As if an upgrade had stopped after backing up: a second upgrade is refused, restore clears it."""
    with opened(work) as disks, mounted_part(disks, 4, ()) as backup:
        with open(os.path.join(backup, UNFINISHED), "w") as f:
            f.write("from-version: '0.1'\nstarted: '2024-01-01T00:00:00Z'\n")
    digests = untouched_digests(work)
    rc, out = run_installer(work, {"version": 1, "mode": "upgrade", "disk": {"primary": "/dev/xh-image0"}})
    assert rc == 1 and "did not finish (from 0.1, started 2024-01-01T00:00:00Z)" in out, out
    assert "fix: use mode: restore first" in out
    rc, out = run_installer(work, {"version": 1, "mode": "restore", "disk": {"primary": "/dev/xh-image0"}})
    assert rc == 0 and "installation complete" in out, out
    no_leftovers(work)
    return digests


def test_restore_brings_the_backup_back(work, restored):
    with opened(work) as disks, mounted_part(disks, 3) as root:
        assert read(root, "marker") == "old root\n"
        assert not os.path.exists(os.path.join(root, ".xenhost-backup"))
        assert not os.path.exists(os.path.join(root, UNFINISHED))
        assert "multiboot2\t/boot/xen-" in read(root, "boot/grub/grub.cfg")
    with opened(work) as disks:
        [found] = disks.existing_installs()
        assert found.unfinished_upgrade is None and found.version == "0.1"     # upgrading is allowed again
    assert untouched_digests(work) == restored


def test_upgrade_without_install_refused_before_any_write(work, restored):
    before = untouched_digests(work)
    rc, out = run_installer(work, {"version": 1, "mode": "upgrade", "disk": {"primary": "/dev/xh-image1"}})
    assert rc == 1 and "no xenhost installation found on disk /dev/xh-image1" in out
    assert "xenhost was found on: /dev/xh-image0" in out and "fix:" in out
    assert untouched_digests(work) == before
    no_leftovers(work)
