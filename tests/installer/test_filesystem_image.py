"""The dom0 image as a filesystem (dom0.img.zst): the install and upgrade write it whole, and
preflight reads what it needs from its header. The last test writes a real image the way the
install task does, onto a file standing in for the root partition."""
import io
import os
import subprocess

import pytest
import yaml

from xenhost_common.errors import CommandFailed
from xenhost_common.dom0image import ImageHeaderError, encode_header, has_header, read_header
from xenhost_common.runner import Runner
from xenhost_common.tasks import TaskSequence
from xenhost_installer import plan as planmod
from xenhost_installer import imagedigest, preflight
from xenhost_installer.install import install
from xenhost_installer.tasks import storage
from xenhost_installer.tasks.context import InstallContext

from xenhost_installer.layout import compute_layout

from installer_fixtures import E2E_ANSWERS, FakeCommands, FakeProbe, GiB
from iso import dom0image


def install_with(image, host, target, commands=None):
    commands, out = commands or FakeCommands(), io.StringIO()
    plan = planmod.from_answers(yaml.safe_load(E2E_ANSWERS), image=image)
    install(plan, commands=commands, probe=FakeProbe(), host=host, target=target,
            runner=TaskSequence(out=out, clock=lambda: 0.0))
    return [" ".join(c) for c in commands.calls], out.getvalue()


def test_the_image_is_written_to_the_root_partition_then_mounted_with_its_logs_moved(fs_image, host, target):
    os.makedirs(os.path.join(target, "var/log/journal"))            # what the written image brings
    calls, out = install_with(fs_image, host, target)
    assert not any(c.startswith("mkfs.ext4") and "xenhost-root" in c for c in calls)
    assert "mkfs.ext4 -F -q -L xenhost-logs /dev/vda5" in calls
    write = "bash -c %s bash %s /dev/vda3" % (storage.WRITE_IMAGE, fs_image)
    order = [write, "tune2fs -U random /dev/vda3", "resize2fs /dev/vda3", "mount /dev/vda3 %s" % target,
             "mount /dev/vda5 %s/var/log" % target, "cp -a %s/var/.log-of-image/. %s/var/log" % (target, target),
             "blkid -s UUID -o value /dev/vda3"]
    assert [calls.index(c) for c in order] == sorted(calls.index(c) for c in order)
    assert not any(c.startswith("tar ") for c in calls)
    assert not os.path.exists(os.path.join(target, "var/.log-of-image"))
    assert "[ 4/19] Writing dom0 image to the root partition ... done" in out


def test_a_tarball_is_still_unpacked_onto_a_fresh_root(image, host, target):
    calls, _ = install_with(image, host, target)
    assert "mkfs.ext4 -F -q -L xenhost-root /dev/vda3" in calls and any(c.startswith("tar ") for c in calls)
    assert not any(c.startswith(("tune2fs", "resize2fs")) or "dd of=" in c for c in calls)


def test_the_header_is_the_file_list_and_a_tarball_has_none(fs_image, image, tmp_path):
    assert has_header(fs_image) and not has_header(image)
    assert preflight.image_members(fs_image) == {"usr/bin/ls", "usr/share/zoneinfo/Europe/Berlin"}
    assert read_header(image) is None
    damaged = tmp_path / "damaged.img.zst"
    damaged.write_bytes(encode_header(1, ["x"])[:20] + b"\0" * 40)
    with pytest.raises(ImageHeaderError, match="damaged"):
        read_header(str(damaged))


def test_a_damaged_header_is_a_preflight_failure_naming_the_fix(tmp_path):
    image = tmp_path / "dom0.img.zst"
    image.write_bytes(encode_header(1, ["x"])[:30])
    (tmp_path / "dom0.img.zst.sha256").write_text(
        "%s  dom0.img.zst\n" % imagedigest.sha256_file(str(image)))
    [failure] = preflight.check_image(str(image))
    assert "cannot be installed" in failure and "damaged" in failure and "./build.py iso" in failure


def test_an_image_larger_than_the_root_partition_is_refused_before_any_write(tmp_path):
    image = tmp_path / "big.img.zst"
    image.write_bytes(encode_header(64 * GiB, []))
    plan = planmod.from_answers(yaml.safe_load(E2E_ANSWERS), image=str(image))
    disk = FakeProbe().get("/dev/vda")
    [failure] = preflight.check_image_fits(plan, disk)
    assert "65536 MiB filesystem" in failure and "root partition on /dev/vda" in failure
    image.write_bytes(encode_header(800 << 20, []))
    assert preflight.check_image_fits(plan, disk) == []


def test_a_packed_image_written_the_install_way_has_its_own_uuid_and_the_whole_partition(host, tmp_path):
    """iso/dom0image.py packs a small tree; storage.write_image's real commands write it onto a file
    standing in for the root partition, holding old data that must not show through."""
    tree = tmp_path / "root"
    (tree / "etc").mkdir(parents=True)
    (tree / "etc/hostname").write_text("image\n")
    (tree / "var/log/journal").mkdir(parents=True)
    (tree / "var/log/dpkg.log").write_text("the build's log\n")
    (tree / "dev").mkdir()
    image = str(dom0image.pack(tree, tmp_path / "out"))
    header = read_header(image)
    assert header.files == {"etc", "etc/hostname", "var", "var/log", "var/log/journal", "dev"}  # dpkg.log left out
    partition = tmp_path / "vda3"
    partition.write_bytes(b"\xff" * (4 << 20))
    os.truncate(partition, header.filesystem_bytes + (256 << 20))

    class OnePartition(FakeProbe):
        def partition(self, disk, number):
            return str(partition)

        def settle(self, commands):
            pass

    medium = tmp_path / "medium.img.zst"         # the ISO's image is a link to the live medium
    medium.symlink_to(image)
    plan = planmod.from_answers(yaml.safe_load(E2E_ANSWERS), image=str(medium))
    plan.disk_path, plan.layout = "/dev/vda", compute_layout(20 * GiB)
    ctx = InstallContext(plan, Runner(), host, OnePartition(), str(tmp_path / "target"))
    storage.write_image(ctx)
    info = subprocess.run(["dumpe2fs", "-h", str(partition)], capture_output=True, text=True, check=True).stdout
    fields = {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in info.splitlines())}
    assert fields["Filesystem UUID"] != dom0image.IMAGE_UUID and fields["Filesystem volume name"] == "xenhost-root"
    assert int(fields["Block count"]) * int(fields["Block size"]) == os.path.getsize(partition)
    assert "metadata_csum_seed" in fields["Filesystem features"].split()    # a new UUID rewrites no checksums
    assert subprocess.run(["e2fsck", "-fn", str(partition)], capture_output=True).returncode == 0
    cat = subprocess.run(["debugfs", "-R", "cat /etc/hostname", str(partition)], capture_output=True, text=True)
    assert cat.stdout == "image\n"
    # GRUB reads /boot from this filesystem: its own ext2 driver (grub-common's grub-fstest) must
    # accept every feature the image has
    grub = subprocess.run(["grub-fstest", str(partition), "cat", "/etc/hostname"], capture_output=True, text=True)
    assert grub.stdout == "image\n", grub.stderr


def test_an_image_that_fails_to_decompress_fails_the_task(host, tmp_path):
    """dd's exit status alone would hide it: the pipeline fails with zstd's."""
    image = tmp_path / "cut.img.zst"
    image.write_bytes(encode_header(1 << 20, []) + b"\x28\xb5\x2f\xfd" + b"not a zstd frame")
    partition = tmp_path / "vda3"
    partition.write_bytes(b"\0" * (1 << 20))
    plan = planmod.from_answers(yaml.safe_load(E2E_ANSWERS), image=str(image))
    plan.disk_path, plan.layout = "/dev/vda", compute_layout(20 * GiB)

    class OnePartition(FakeProbe):
        def partition(self, disk, number):
            return str(partition)

    with pytest.raises(CommandFailed, match="bash -c"):
        storage.write_image(InstallContext(plan, Runner(), host, OnePartition(), str(tmp_path / "target")))
