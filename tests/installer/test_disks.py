"""Disk probing: lsblk parsing, what counts as an install target, the contents line, test mode parsing."""
import json

from xenhost_common.testing import FakeRunner
import pytest

from xenhost_installer import cli
from xenhost_installer.disks import (Disk, DiskProbe, Part, disk_from_lsblk, contents_text, is_install_candidate,
                                     partition_number, partition_path)
from xenhost_installer.imagedisks import blkid_fields, gpt_partitions

from installer_fixtures import GiB

LSBLK = {"blockdevices": [
    {"name": "fd0", "path": "/dev/fd0", "type": "disk", "size": 4096, "ro": False, "rm": True},
    {"name": "sdz", "path": "/dev/sdz", "type": "disk", "size": 0, "ro": False, "rm": True, "model": "Card Reader"},
    {"name": "zram0", "path": "/dev/zram0", "type": "disk", "size": GiB},
    {"name": "sda", "path": "/dev/sda", "type": "disk", "size": 100 * GiB, "model": "  OLD RAID ", "ro": False,
     "rm": False, "children": [
         {"name": "sda1", "path": "/dev/sda1", "type": "part", "size": 50 * GiB, "fstype": "linux_raid_member",
          "label": "host:0", "partlabel": None, "children": [
              {"name": "md127", "path": "/dev/md127", "type": "raid1", "size": 50 * GiB, "fstype": "LVM2_member",
               "children": [{"name": "vg-data", "path": "/dev/mapper/vg-data", "type": "lvm", "size": GiB,
                             "fstype": "ext4", "mountpoint": "/mnt/data"}]}]},
         {"name": "sda2", "path": "/dev/sda2", "type": "part", "size": 50 * GiB, "fstype": "ext4", "label": None}]},
    {"name": "nvme0n1", "path": "/dev/nvme0n1", "type": "disk", "size": 500 * GiB, "children": [
        {"name": "nvme0n1p3", "path": "/dev/nvme0n1p3", "type": "part", "size": 4 * GiB, "fstype": "ext4",
         "label": "xenhost-root", "partlabel": "xenhost-root"}]},
    {"name": "vdb", "path": "/dev/vdb", "type": "disk", "size": 20 * GiB, "fstype": "LVM2_member"},
    {"name": "vdc", "path": "/dev/vdc", "type": "disk", "size": 20 * GiB},
]}


class LsblkCommands(FakeRunner):
    def __init__(self, tree=LSBLK):
        super().__init__()
        self.tree = tree

    def reply(self, argv):
        return json.dumps(self.tree) if argv[0] == "lsblk" else None


def test_floppies_zero_size_and_zram_are_not_install_targets():
    names = [n["name"] for n in LSBLK["blockdevices"] if is_install_candidate(n)]
    assert names == ["sda", "nvme0n1", "vdb", "vdc"]


def test_lsblk_tree_gives_partitions_stacked_devices_and_mounts():
    sda = disk_from_lsblk(LSBLK["blockdevices"][3])
    assert sda.model == "OLD RAID" and sda.mounted == ["/mnt/data"]
    assert [(p.number, p.path, p.fstype, p.label) for p in sda.partitions] == [
        (1, "/dev/sda1", "linux_raid_member", "host:0"), (2, "/dev/sda2", "ext4", "")]
    assert sda.stacked == [("raid1", "/dev/md127"), ("lvm", "/dev/mapper/vg-data")]
    assert sda.contents == "linux_raid_member (host:0), ext4"


def test_raid_arrays_name_the_disks_holding_their_members():
    mirrored = json.loads(json.dumps(LSBLK))         # lsblk repeats an array under each member partition
    mirrored["blockdevices"][6]["children"] = [dict(LSBLK["blockdevices"][3]["children"][0], name="vdc1",
                                                    path="/dev/vdc1")]
    assert DiskProbe(LsblkCommands(mirrored)).raid_arrays() == {"/dev/md127": {"/dev/sda", "/dev/vdc"}}


def test_contents_lines():
    assert contents_text(Disk("/dev/vdc", "disk", GiB)) == "empty"
    assert contents_text(Disk("/dev/vdb", "disk", GiB, fstype="LVM2_member")) == "LVM2_member"
    xh = Disk("/dev/vda", "disk", GiB, partitions=[Part(3, "/dev/vda3", GiB, "xenhost-root", "ext4", "xenhost-root")])
    assert contents_text(xh) == "xenhost" and contents_text(xh, "0.1") == "xenhost 0.1"
    bare = Disk("/dev/vdd", "disk", GiB, partitions=[Part(1, "/dev/vdd1"), Part(2, "/dev/vdd2")])
    assert contents_text(bare) == "2 partitions, no filesystem"


def test_list_disks_fills_contents_with_the_version_found(monkeypatch):
    probe = DiskProbe(LsblkCommands())
    found = []
    monkeypatch.setattr("xenhost_installer.existing.find", lambda p, c, disks: found.append(disks) or [
        type("E", (), {"disk": "/dev/nvme0n1", "version": "0.1"})()])
    disks = {d.path: d.contents for d in probe.list_disks()}
    assert disks == {"/dev/sda": "linux_raid_member (host:0), ext4", "/dev/nvme0n1": "xenhost 0.1",
                     "/dev/vdb": "LVM2_member", "/dev/vdc": "empty"}
    assert ["lsblk", "-e", "1,7,11"] == [probe.commands.calls[0][0]] + probe.commands.calls[0][-2:]


@pytest.mark.parametrize("disk,number,path", [("/dev/vda", 3, "/dev/vda3"), ("/dev/nvme0n1", 3, "/dev/nvme0n1p3"),
                                              ("/dev/xh-image0", 7, "/dev/xh-image0p7")])
def test_partition_names_both_ways(disk, number, path):
    assert partition_path(disk, number) == path and partition_number(disk, path) == number
    assert partition_number(disk, disk + "x1") is None


SFDISK = {"partitiontable": {"label": "gpt", "device": "/img/disk2", "unit": "sectors", "sectorsize": 512,
                             "partitions": [
                                 {"node": "/img/disk2p1", "start": 2048, "size": 2048, "name": "bios-boot"},
                                 {"node": "/img/disk2p12", "start": 4096, "size": 8192}]}}


def test_gpt_read_from_sfdisk_json():
    assert gpt_partitions(json.dumps(SFDISK), "/img/disk2") == [(1, 1048576, 1048576, "bios-boot"),
                                                                (12, 2097152, 4194304, "")]
    assert gpt_partitions("", "/img/blank.img") == []


def test_blkid_export_fields():
    assert blkid_fields("DEVNAME=/dev/x\nUUID=ab-cd\nTYPE=ext4\nLABEL=a=b\n") == {
        "DEVNAME": "/dev/x", "UUID": "ab-cd", "TYPE": "ext4", "LABEL": "a=b"}


def test_target_images_option_uses_images_and_never_runs_atexit(monkeypatch, tmp_path):
    seen = {}

    class FakeImages:
        def __init__(self, images, commands):
            seen["images"] = images

        def __enter__(self):
            return "image-disks"

        def __exit__(self, *exc):
            seen["closed"] = True

    monkeypatch.setattr(cli.logmod, "setup", lambda: None)
    monkeypatch.setattr(cli, "ImageDisks", FakeImages)
    monkeypatch.setattr(cli.hostmod, "gather", lambda raw: None)
    monkeypatch.setattr(cli.planmod, "from_answers", lambda *a, **kw: type("P", (), {"atexit": "reboot"})())
    monkeypatch.setattr(cli.answers, "load", lambda *a, **kw: {})
    monkeypatch.setattr(cli, "install", lambda plan, **kw: seen.update(probe=kw["probe"]))
    monkeypatch.setattr(cli, "do_atexit", lambda *a: pytest.fail("test mode must never reboot the build host"))
    cmdline = tmp_path / "cmdline"
    cmdline.write_text("quiet\n")
    rc = cli.main(["install", "--answerfile", str(tmp_path / "a.yaml"), "--cmdline", str(cmdline),
                   "--target-images", "a.img,b.img"])
    assert rc == 0 and seen == {"images": ["a.img", "b.img"], "probe": "image-disks", "closed": True}
