import os

import pytest
import yaml

from xenhost_installer import plan as planmod
from xenhost_installer.disks import Disk
from xenhost_installer.errors import PreflightError
from xenhost_installer.install import install

from installer_fixtures import E2E_ANSWERS, FakeCommands, FakeProbe, GiB, tar_image


def make_plan(image, **answers_patch):
    data = yaml.safe_load(E2E_ANSWERS)
    data.update(answers_patch)
    return planmod.from_answers(data, image=image)


def run_failing(plan, probe, host, target):
    commands = FakeCommands()
    with pytest.raises(PreflightError) as exc:
        install(plan, commands=commands, probe=probe, host=host, target=target)
    assert commands.calls == []            # preflight failed: not a single command was run
    return str(exc.value)


def test_nonexistent_disk(image, host, target):
    msg = run_failing(make_plan(image, disk={"primary": "/dev/vdz"}), FakeProbe(), host, target)
    assert "disk /dev/vdz does not exist; fix: set disk.primary to one of: /dev/vda" in msg


def test_boot_medium_refused(image, host, target):
    usb = Disk("/dev/sdb", "disk", 32 * GiB, "USB stick")
    probe = FakeProbe([usb], boot_media={"/dev/sdb"})
    msg = run_failing(make_plan(image, disk={"primary": "/dev/sdb"}), probe, host, target)
    assert "holds the installer's boot medium; fix: choose another disk" in msg


def test_partition_small_mounted_disk_all_reported(image, host, target):
    probe = FakeProbe([Disk("/dev/vda1", "part", 4 * GiB, mounted=["/mnt"])])
    msg = run_failing(make_plan(image, disk={"primary": "/dev/vda1"}), probe, host, target)
    assert "not a whole disk" in msg and "mounted filesystems (/mnt)" in msg and "choose a larger disk" in msg


def test_bad_checksum(image, host, target):
    with open(image + ".sha256", "w") as f:
        f.write("0" * 64 + "  dom0.tar.xz\n")
    msg = run_failing(make_plan(image), FakeProbe(), host, target)
    assert "is corrupt" in msg and "fix: re-download or rebuild the ISO" in msg


def test_image_hashed_once_while_unchanged(image):
    from xenhost_installer.preflight import check_image
    assert check_image(image) == []
    st = os.stat(image)
    with open(image, "r+b") as f:          # same size and time: the first check's digest stands
        f.write(b"X")
    os.utime(image, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert check_image(image) == []
    os.utime(image, ns=(st.st_atime_ns, st.st_mtime_ns + 1))      # changed: read again
    assert "is corrupt" in check_image(image)[0]


def test_missing_image_and_nic(tmp_path, host, target):
    host.nics = []
    msg = run_failing(make_plan(str(tmp_path / "nope.tar.xz")), FakeProbe(), host, target)
    assert "does not exist; fix: boot the xenhost ISO, or pass --image PATH" in msg
    assert "network interface 'auto' not found" in msg


def test_by_id_path_resolves(image, host):
    from xenhost_installer import preflight
    plan = make_plan(image, disk={"primary": "/dev/disk/by-id/virtio-abc"})
    preflight.run(plan, FakeProbe(), host)
    assert plan.disk_path == "/dev/vda" and plan.nic.name == "enp0s3" and len(plan.layout) == 7


def guest_probe(**kw):
    disks = [Disk("/dev/vda", "disk", 20 * GiB, "QEMU HARDDISK"), Disk("/dev/vdb", "disk", 8 * GiB),
             Disk("/dev/vdc", "disk", 8 * GiB, mounted=["/srv"]), Disk("/dev/vdd1", "part", 8 * GiB),
             Disk("/dev/sdu", "disk", 8 * GiB, "USB stick")]
    probe = FakeProbe(disks, boot_media={"/dev/sdu"}, **kw)
    probe.aliases["/dev/disk/by-id/virtio-b"] = "/dev/vdb"
    return probe


def test_guest_disk_problems_all_reported(image, host, target):
    guests = ["/dev/vdz", "/dev/vdb", "/dev/disk/by-id/virtio-b", "/dev/vdc", "/dev/vdd1", "/dev/sdu",
              "/dev/disk/by-id/virtio-abc"]
    plan = make_plan(image, disk={"primary": "/dev/vda", "guest": guests})
    msg = run_failing(plan, guest_probe(), host, target)
    for expected in ("guest disk /dev/vdz does not exist; fix: remove it from disk.guest or use one of: /dev/vda",
                     "guest disk /dev/disk/by-id/virtio-b (/dev/vdb) is listed twice; fix: list each disk once",
                     "disk /dev/vdc (guest) has mounted filesystems (/srv)",
                     "disk /dev/vdd1 (guest) is a part, not a whole disk",
                     "disk /dev/sdu (guest) holds the installer's boot medium",
                     "guest disk /dev/disk/by-id/virtio-abc (/dev/vda) is the primary disk"):
        assert expected in msg


def test_guest_disks_resolved_to_kernel_names(image, host):
    from xenhost_installer import preflight
    plan = make_plan(image, disk={"primary": "/dev/vda", "guest": ["/dev/disk/by-id/virtio-b"]})
    preflight.run(plan, guest_probe(), host)
    assert plan.guest_disk_paths == ["/dev/vdb"] and plan.existing is None


def test_volume_group_reaching_an_unchosen_disk_refused(image, host, target):
    probe = guest_probe(volume_groups={"data": {"/dev/vdb", "/dev/vdc"}, "mine": {"/dev/vda", "/dev/vdb"}})
    msg = run_failing(make_plan(image, disk={"primary": "/dev/vda", "guest": ["/dev/vdb"]}), probe, host, target)
    assert ("volume group data spans /dev/vdb (to be erased) and /dev/vdc (not chosen); erasing would break it; "
            "fix: add /dev/vdc to disk.guest, or remove the volume group first (vgremove data)") in msg
    assert "volume group mine" not in msg


def test_raid_array_reaching_an_unchosen_disk_refused(image, host, target):
    probe = guest_probe()
    probe.disks["/dev/vda"].stacked = [("raid1", "/dev/md127"), ("raid0", "/dev/md126")]
    probe.disks["/dev/vdb"].stacked = [("raid0", "/dev/md126")]        # both members chosen: wiped together
    probe.disks["/dev/vdc"].stacked = [("raid1", "/dev/md127")]
    msg = run_failing(make_plan(image, disk={"primary": "/dev/vda", "guest": ["/dev/vdb"]}), probe, host, target)
    assert ("RAID array /dev/md127 has members on /dev/vda (to be erased) and /dev/vdc (not chosen); erasing would "
            "break it; fix: add /dev/vdc to disk.guest, or stop the array and remove it first (mdadm --stop "
            "/dev/md127, then mdadm --zero-superblock on each member)") in msg
    assert "md126" not in msg


# --- what the keymap, time zone and NTP servers need from the image: checked before any write ----------

MERGED_USR = ["bin -> usr/bin", "lib -> usr/lib", "usr/bin/setupcon", "usr/lib/systemd/systemd-timesyncd",
              "usr/share/zoneinfo/Europe/Berlin"]


def test_image_lacking_what_the_settings_need_refused_before_any_write(tmp_path, host, target):
    bare = tar_image(tmp_path, ["bin -> usr/bin", "usr/bin/sh"])
    plan = make_plan(bare, keymap="de", timezone="Asia/Tokyo", **{"ntp-servers": ["ntp1.example.net"]})
    msg = run_failing(plan, FakeProbe(), host, target)
    for expected in ("no /bin/setupcon, so the keymap de cannot be set; fix: rebuild the dom0 image with console-setup",
                     "no /usr/share/zoneinfo/Asia/Tokyo, so the time zone Asia/Tokyo cannot be set; fix: rebuild the "
                     "dom0 image with tzdata",
                     "no /lib/systemd/systemd-timesyncd, so the NTP servers cannot be set; fix: rebuild the dom0 image "
                     "with systemd-timesyncd"):
        assert expected in msg


def test_merged_usr_image_with_the_packages_passes(tmp_path, host):
    from xenhost_installer import preflight
    plan = make_plan(tar_image(tmp_path, MERGED_USR), keymap="de", timezone="Europe/Berlin",
                     **{"ntp-servers": ["ntp1.example.net"]})
    preflight.run(plan, FakeProbe(), host)
    assert plan.disk_path == "/dev/vda"


def test_defaults_never_list_the_image(image, host, monkeypatch):
    from xenhost_installer import preflight
    monkeypatch.setattr(preflight, "image_members", lambda *a: pytest.fail("listed the image"))
    preflight.run(make_plan(image), FakeProbe(), host)        # us, UTC, Debian's pool: nothing needed


def test_unlistable_image_reported(image, host, target):
    msg = run_failing(make_plan(image, timezone="Europe/Berlin"), FakeProbe(), host, target)
    assert "cannot list the files in dom0 image %s (tar: " % image in msg
    assert "fix: re-download or rebuild the ISO" in msg


def test_image_listed_once(tmp_path):
    from xenhost_installer import preflight
    from xenhost_common.runner import Runner

    class Counting(Runner):
        calls = 0

        def run(self, argv, **kw):
            Counting.calls += 1
            return super().run(argv, **kw)

    path = tar_image(tmp_path, MERGED_USR)
    first = preflight.image_members(path, Counting())
    assert preflight.image_members(path, Counting()) is first and Counting.calls == 1
    assert "usr/bin/setupcon" in first and "bin" in first
    assert preflight.in_image(first, "bin/setupcon") and not preflight.in_image(first, "etc/setupcon")


def test_a_program_missing_from_the_installer_is_found_before_any_write():
    from xenhost_common.tasks import Task
    from xenhost_installer.preflight import check_programs
    tasks = [Task("Wiping", None, 1, ("wipefs", "mdadm")), Task("Writing first-boot data", None, 1, ("sfdisk",))]
    found = check_programs(tasks, lambda name: name not in ("sfdisk", "mdadm"))
    assert found == [
        "mdadm is not installed in the installer environment (task: Wiping); fix: add the Debian package mdadm "
        "to the installer image (iso/images.yaml) or the xenhost-installer spec's Requires",
        "sfdisk is not installed in the installer environment (task: Writing first-boot data); fix: add the "
        "Debian package fdisk to the installer image (iso/images.yaml) or the xenhost-installer spec's Requires"]
    assert check_programs(tasks, lambda name: True) == []


def test_preflight_checks_the_programs_of_the_tasks_that_will_run():
    """The wipe task runs vgchange and mdadm on disks with old LVM/RAID: preflight finds them missing."""
    from xenhost_installer.preflight import tasks_to_run
    from xenhost_common.tasks import programs_of
    plan = planmod.from_answers(yaml.safe_load(E2E_ANSWERS))
    disk = FakeProbe().get("/dev/vda")
    programs = programs_of(tasks_to_run(plan, disk, [], None))
    assert {"vgchange", "mdadm", "wipefs", "sgdisk", "mkfs.ext4", "tar", "zstd", "sfdisk"} <= set(programs)
    assert programs["mdadm"].startswith("Wiping old signatures on /dev/vda")
