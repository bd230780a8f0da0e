"""The local SR step: volume group over every device, ext on top, nothing foreign touched."""
import os
import re

import pytest

from firstboot_helpers import DHCP_YAML, GUEST, SR_PART, answer, commands, read, write
from xenhost_firstboot.config import load_config
from xenhost_firstboot.context import Context
from xenhost_firstboot.errors import FirstbootError
from xenhost_firstboot.storage import create_local_sr

LV = "/dev/xenhost-sr/sr"
NOT_A_PV = answer(5, "", "Failed to find physical volume")


def ctx_for(root, runner, sr_type="lvm", devices=(SR_PART,), live=True):
    text = DHCP_YAML.replace(f"type: lvm, devices: [{SR_PART}]",
                             f"type: {sr_type}, devices: [{', '.join(devices)}]")
    write(root, "etc/xenhost/firstboot.yaml", text)
    for device in devices:
        if device != "/dev/missing":
            write(root, device.lstrip("/"), "")
    cfg = load_config(os.path.join(str(root), "etc/xenhost/firstboot.yaml"))
    return Context(config=cfg, root=str(root), runner=runner, live=live)


def blank(runner, *devices, vg_exists=False):
    for device in devices:
        runner.responses[("pvs", "--noheadings", "-o", "vg_name", device)] = NOT_A_PV
    runner.responses[("vgs", "--noheadings", "-o", "pv_name", "xenhost-sr")] = \
        answer(0, "  /dev/sdz1\n") if vg_exists else answer(5)


def test_lvm_group_spans_the_sr_partition_and_guest_disks(root, runner):
    blank(runner, SR_PART, GUEST)
    detail = create_local_sr(ctx_for(root, runner, devices=(SR_PART, GUEST)))
    assert detail == f"created volume group xenhost-sr on {SR_PART}, {GUEST}"
    assert ["vgcreate", "xenhost-sr", SR_PART, GUEST] in runner.calls
    assert commands(runner, "lvcreate") == [] and commands(runner, "mkfs.ext4") == []


def test_idempotent_when_every_device_is_in_the_group(root, runner):
    for device in (SR_PART, GUEST):
        runner.responses[("pvs", "--noheadings", "-o", "vg_name", device)] = answer(0, "  xenhost-sr\n")
    detail = create_local_sr(ctx_for(root, runner, devices=(SR_PART, GUEST)))
    assert detail == f"volume group xenhost-sr already on {SR_PART}, {GUEST}"
    assert commands(runner, "vgcreate") == [] and commands(runner, "vgextend") == []


def test_half_made_group_is_extended(root, runner):
    runner.responses[("pvs", "--noheadings", "-o", "vg_name", SR_PART)] = answer(0, "  xenhost-sr\n")
    blank(runner, GUEST)
    detail = create_local_sr(ctx_for(root, runner, devices=(SR_PART, GUEST)))
    assert detail == f"extended volume group xenhost-sr with {GUEST}"
    assert ["vgextend", "xenhost-sr", GUEST] in runner.calls and commands(runner, "vgcreate") == []


def test_device_of_a_foreign_group_stops_everything(root, runner):
    blank(runner, SR_PART)
    runner.responses[("pvs", "--noheadings", "-o", "vg_name", GUEST)] = answer(0, "  data\n")
    detail = create_local_sr(ctx_for(root, runner, sr_type="ext", devices=(SR_PART, GUEST)))
    assert detail.startswith("WARNING:") and f"{GUEST} (in 'data')" in detail and "not touching" in detail
    assert not any(c[0] in ("vgcreate", "vgextend", "lvcreate", "mkfs.ext4") for c in runner.calls)


def test_group_of_our_name_on_other_disks_is_left_alone(root, runner):
    blank(runner, SR_PART, vg_exists=True)
    detail = create_local_sr(ctx_for(root, runner, sr_type="ext"))
    assert "already exists on /dev/sdz1" in detail and "not creating a second one" in detail
    assert commands(runner, "vgcreate") == [] and commands(runner, "lvcreate") == []


def test_missing_guest_disk_is_left_out_with_the_command_to_add_it(root, runner):
    blank(runner, SR_PART)
    detail = create_local_sr(ctx_for(root, runner, devices=(SR_PART, "/dev/missing")))
    assert ["udevadm", "settle", "--timeout=30"] in runner.calls
    assert ["vgcreate", "xenhost-sr", SR_PART] in runner.calls
    assert "WARNING: /dev/missing not found, left out (later: vgextend xenhost-sr /dev/missing)" in detail


def test_no_device_present_creates_nothing(root, runner):
    os.remove(root / SR_PART.lstrip("/"))
    detail = create_local_sr(ctx_for(root, runner, devices=("/dev/missing",)))
    assert detail.endswith("local SR not created") and commands(runner, "vgcreate") == []


def test_ext_makes_lv_filesystem_fstab_entry_and_mount(root, runner):
    blank(runner, SR_PART)
    runner.responses[("lvs", "xenhost-sr/sr")] = answer(5)
    write(root, "etc/fstab", "UUID=abc / ext4 errors=remount-ro 0 1")   # no final newline
    # findmnt's argv holds the new uuid: answer "not mounted" whatever it asks
    runner.respond(("findmnt",), answer(1))
    detail = create_local_sr(ctx_for(root, runner, sr_type="ext"))
    assert ["lvcreate", "--yes", "--wipesignatures", "y", "-l", "100%FREE", "-n", "sr", "xenhost-sr"] \
        in runner.calls
    mkfs = commands(runner, "mkfs.ext4")[0]
    sr_uuid = mkfs[mkfs.index("-U") + 1]
    assert re.fullmatch(r"[0-9a-f-]{36}", sr_uuid) and mkfs[-1] == LV and "xenhost-sr" in mkfs
    mountpoint = f"/run/sr-mount/{sr_uuid}"
    assert read(root, "etc/fstab") == ("UUID=abc / ext4 errors=remount-ro 0 1\n"
                                       f"UUID={sr_uuid} {mountpoint} ext4 defaults,nofail 0 2\n")
    assert ["mount", mountpoint] in runner.calls and os.path.isdir(root / mountpoint.lstrip("/"))
    assert detail == (f"created volume group xenhost-sr on {SR_PART}; created {LV}; made ext4 (SR {sr_uuid}); "
                      f"added to /etc/fstab; mounted at {mountpoint}")


def test_ext_rerun_keeps_the_filesystem(root, runner):
    runner.responses[("pvs", "--noheadings", "-o", "vg_name", SR_PART)] = answer(0, "xenhost-sr\n")
    runner.responses[("blkid", "-o", "value", "-s", "TYPE", LV)] = answer(0, "ext4\n")
    runner.responses[("blkid", "-o", "value", "-s", "UUID", LV)] = answer(0, "1111-2222\n")
    write(root, "etc/fstab", "UUID=1111-2222 /run/sr-mount/1111-2222 ext4 defaults,nofail 0 2\n")
    detail = create_local_sr(ctx_for(root, runner, sr_type="ext"))
    assert detail.endswith("; ext4 already mounted at /run/sr-mount/1111-2222")
    assert not any(c[0] in ("lvcreate", "mkfs.ext4", "mount") for c in runner.calls)
    assert read(root, "etc/fstab").count("sr-mount") == 1


def test_ext_never_formats_an_lv_holding_something_else(root, runner):
    runner.responses[("pvs", "--noheadings", "-o", "vg_name", SR_PART)] = answer(0, "xenhost-sr\n")
    runner.responses[("blkid", "-o", "value", "-s", "TYPE", LV)] = answer(0, "xfs\n")
    detail = create_local_sr(ctx_for(root, runner, sr_type="ext"))
    assert "WARNING: /dev/xenhost-sr/sr holds xfs, not ext4; left alone" in detail
    assert commands(runner, "mkfs.ext4") == [] and commands(runner, "mount") == []


def test_offline_root_runs_no_lvm(root, runner):
    assert "left alone" in create_local_sr(ctx_for(root, runner, live=False))
    assert runner.calls == []


def test_without_lvm2_fails_with_fix(root, runner):
    runner.missing.add("vgcreate")
    with pytest.raises(FirstbootError, match="apt-get install lvm2"):
        create_local_sr(ctx_for(root, runner))
