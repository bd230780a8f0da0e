"""Existing-install detection: release files read inside the root tree, partitions mounted ro,noload."""
import contextlib
import os
import shutil

import pytest

from xenhost_installer import existing, mounts
from xenhost_installer.disks import Disk, DiskAccess, Part

from installer_fixtures import FakeCommands, GiB, tree

OS_RELEASE = 'NAME="xenhost"\nID=xenhost\nVERSION="0.1"\nVERSION_ID="0.1"\n'


def test_os_release_through_a_relative_link(tmp_path):
    root = tree(tmp_path, {"usr/lib/xenhost/os-release": OS_RELEASE,
                           "etc/os-release": "->../usr/lib/xenhost/os-release", "etc/hostname": "xh1\n"})
    assert existing.read_root(root) == ("0.1", "xh1")


def test_absolute_link_stays_inside_the_tree(tmp_path):
    root = tree(tmp_path, {"usr/lib/os-release": OS_RELEASE.replace("0.1", "0.2"),
                           "etc/os-release": "->/usr/lib/os-release"})
    assert existing.xenhost_version(root) == "0.2"
    escape = tree(tmp_path / "x", {"etc/os-release": "->../../../../../../etc/os-release"})
    assert existing.read_in_root(escape, "etc/os-release") is None


def test_xenhost_release_wins_and_other_systems_are_not_xenhost(tmp_path):
    assert existing.xenhost_version(tree(tmp_path / "a", {"etc/xenhost-release": "0.3\n",
                                                          "etc/os-release": OS_RELEASE})) == "0.3"
    assert existing.xenhost_version(tree(tmp_path / "b", {"etc/xenhost-release": 'VERSION_ID="0.4"\n'})) == "0.4"
    assert existing.xenhost_version(tree(tmp_path / "c", {"etc/os-release": "ID=debian\nVERSION_ID=12\n"})) is None
    assert existing.read_root(str(tmp_path / "empty")) is None


def test_backup_version_from_its_marker(tmp_path):
    root = tree(tmp_path, {".xenhost-backup": "version: '0.1'\nhostname: xh1\nroot-uuid: U1\ndate: x\n",
                           "etc/os-release": OS_RELEASE.replace("0.1", "0.0.1")})
    assert existing.read_backup(root) == existing.Backup("0.1", "xh1", "U1", None)
    broken_marker = tree(tmp_path / "m", {".xenhost-backup": ": bad yaml [", "etc/os-release": OS_RELEASE})
    assert existing.read_backup(broken_marker).version == "0.1"


def test_unfinished_upgrade_marker_counts_even_unreadable(tmp_path):
    root = tree(tmp_path, {".xenhost-backup": "version: '0.1'\n",
                           ".xenhost-upgrade-unfinished": "from-version: '0.1'\nstarted: '2024-05-01T10:00:00Z'\n"})
    assert existing.read_backup(root).unfinished_upgrade == "from 0.1, started 2024-05-01T10:00:00Z"
    broken = tree(tmp_path / "b", {".xenhost-backup": "version: '0.1'\n", ".xenhost-upgrade-unfinished": ""})
    assert existing.read_backup(broken).unfinished_upgrade == "marker unreadable"


class TreeProbe(DiskAccess):
    """Mounting device D shows the files of trees[D] at the mountpoint (and records the options)."""

    def __init__(self, trees):
        self.trees, self.mounts = trees, []

    @contextlib.contextmanager
    def mounted(self, commands, device, mountpoint, options=()):
        self.mounts.append((device, list(options)))
        if device not in self.trees:
            from xenhost_common.errors import CommandFailed
            from xenhost_common.runner import Result
            raise CommandFailed(Result(["mount", device], 32, "", "wrong fs type"))
        tree(mountpoint, self.trees[device])
        try:
            yield mountpoint
        finally:
            for name in os.listdir(mountpoint):
                path = os.path.join(mountpoint, name)
                shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.unlink(path)


@pytest.fixture(autouse=True)
def probe_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(mounts, "PROBE_DIR", str(tmp_path / "probe"))


def xenhost_disk(path="/dev/vda"):
    return Disk(path, "disk", 20 * GiB, partitions=[
        Part(3, path + "3", 4 * GiB, "xenhost-root", "ext4", "xenhost-root"),
        Part(4, path + "4", 4 * GiB, "xenhost-backup", "", "")])


def test_inspect_reads_root_and_backup_read_only(tmp_path):
    probe = TreeProbe({"/dev/vda3": {"etc/os-release": OS_RELEASE, "etc/hostname": "xh1\n"},
                       "/dev/vda4": {".xenhost-backup": "version: '0.0.9'\n"}})
    commands = FakeCommands()
    [found] = existing.find(probe, commands, [xenhost_disk(), Disk("/dev/vdb", "disk", GiB)])
    assert (found.disk, found.version, found.hostname, found.backup_version) == ("/dev/vda", "0.1", "xh1", "0.0.9")
    assert found.root_uuid == "uuid-vda3" and found.backup_size == 4 * GiB and found.root_used > 0
    assert probe.mounts == [("/dev/vda3", ["-o", "ro,noload"]), ("/dev/vda4", ["-o", "ro,noload"])]
    assert [c[0] for c in commands.calls] == ["blkid"]       # reading never runs anything that writes
    assert os.listdir(mounts.PROBE_DIR) == []                 # scratch mountpoints removed


def test_unreadable_or_foreign_roots_are_not_installs():
    empty_backup = TreeProbe({"/dev/vda3": {"etc/os-release": OS_RELEASE}})
    [found] = existing.find(empty_backup, FakeCommands(), [xenhost_disk()])
    assert found.backup_version is None and found.hostname == ""
    assert existing.find(TreeProbe({}), FakeCommands(), [xenhost_disk()]) == []
    debian = TreeProbe({"/dev/vda3": {"etc/os-release": "ID=debian\n"}})
    assert existing.find(debian, FakeCommands(), [xenhost_disk()]) == []


class NoUuid(FakeCommands):
    """blkid finds no filesystem on the root (it was being re-made)."""

    def reply(self, argv):
        return "" if argv[0] == "blkid" and argv[-1].endswith("3") else super().reply(argv)


BACKUP = {".xenhost-backup": "version: '0.1'\nhostname: xh1\nroot-uuid: U-old\n",
          ".xenhost-upgrade-unfinished": "from-version: '0.1'\nstarted: T\n",
          "etc/os-release": OS_RELEASE, "etc/hostname": "xh1\n"}


def test_backup_alone_is_an_install_so_restore_is_offered():
    """An upgrade stopped after re-making the root: the root is unreadable or empty, the backup is whole."""
    for root in ({}, None):                 # {}: an empty filesystem; None: no filesystem at all
        trees = {"/dev/vda4": BACKUP} if root is None else {"/dev/vda3": root, "/dev/vda4": BACKUP}
        [found] = existing.find(TreeProbe(trees), NoUuid(), [xenhost_disk()])
        assert (found.version, found.hostname, found.backup_version) == (None, "xh1", "0.1")
        assert found.root_uuid == "U-old" and found.unfinished_upgrade == "from 0.1, started T"
        assert found.describe() == ("no readable xenhost root (xh1) on /dev/vda, backup: xenhost 0.1, unfinished "
                                    "upgrade (from 0.1, started T)")


def test_half_written_root_with_a_release_file_still_shows_the_unfinished_upgrade():
    probe = TreeProbe({"/dev/vda3": {"etc/xenhost-release": "0.2\n"}, "/dev/vda4": BACKUP})
    [found] = existing.find(probe, FakeCommands(), [xenhost_disk()])
    assert (found.version, found.backup_version, found.unfinished_upgrade) == ("0.2", "0.1", "from 0.1, started T")
    assert found.root_uuid == "uuid-vda3"
