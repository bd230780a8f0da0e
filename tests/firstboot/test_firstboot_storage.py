"""The local SR step: first boot asks the toolstack (`xe sr-create`) for the SR over every
device present; refusals are reported, other failures stop the step with a fix. What the
toolstack does with LVM and ext is tested in tests/toolstack/test_xe_local_sr.py."""
import os

import pytest

from firstboot_helpers import DHCP_YAML, GUEST, SR_PART, answer, commands, make_runner, write
from xenhost_common.errors import XenhostError
from xenhost_firstboot.config import load_config
from xenhost_firstboot.context import Context
from xenhost_firstboot.errors import FirstbootError
from xenhost_firstboot.storage import create_local_sr

SR_UUID = "7d3c8a5e-1f2b-4c6d-8e9f-0a1b2c3d4e5f"


def ctx_for(root, runner, sr_type="lvm", devices=(SR_PART,), live=True):
    text = DHCP_YAML.replace(f"type: lvm, devices: [{SR_PART}]",
                             f"type: {sr_type}, devices: [{', '.join(devices)}]")
    write(root, "etc/xenhost/firstboot.yaml", text)
    for device in devices:
        if device != "/dev/missing":
            write(root, device.lstrip("/"), "")
    cfg = load_config(os.path.join(str(root), "etc/xenhost/firstboot.yaml"))
    return Context(config=cfg, root=str(root), runner=runner, live=live)


def xe_sr_create(sr_type, *devices):
    return ("xe", "sr-create", "name-label=Local storage", f"type={sr_type}",
            f"device-config:device={','.join(devices)}", "device-config:vg=xenhost-sr",
            "other-config:i18n-key=local-storage", "content-type=user")


@pytest.mark.parametrize("sr_type", ["lvm", "ext"])
def test_the_toolstack_makes_the_sr_over_every_device(root, runner, sr_type):
    ctx = ctx_for(root, runner, sr_type=sr_type, devices=(SR_PART, GUEST))
    runner.respond(xe_sr_create(sr_type, SR_PART, GUEST), answer(0, SR_UUID + "\n"))
    detail = create_local_sr(ctx)
    assert detail == f"local {sr_type} SR {SR_UUID} on {SR_PART}, {GUEST} (volume group xenhost-sr)"
    assert runner.calls == [list(xe_sr_create(sr_type, SR_PART, GUEST))]   # no LVM of its own


def test_a_refusal_is_reported_and_first_boot_goes_on(root, runner):
    ctx = ctx_for(root, runner, devices=(SR_PART, GUEST))
    runner.respond(xe_sr_create("lvm", SR_PART, GUEST), answer(
        1, "", f"Error: device {GUEST} is in use: it belongs to volume group data\n  fix: remove it ...\n"))
    detail = create_local_sr(ctx)
    assert detail == (f"WARNING: Error: device {GUEST} is in use: it belongs to volume group data; "
                      "local SR not created")


def test_another_failure_stops_the_step_with_the_toolstacks_message(root, runner):
    ctx = ctx_for(root, runner)
    runner.respond(xe_sr_create("lvm", SR_PART), answer(
        1, "", "command failed (exit 5): vgcreate xenhost-sr /dev/x\n  Device /dev/x excluded by a filter.\n"))
    with pytest.raises(FirstbootError, match="(?s)xe sr-create failed: command failed .*excluded by a filter"):
        create_local_sr(ctx)


def test_missing_guest_disk_is_left_out_with_the_command_to_add_it(root, runner):
    ctx = ctx_for(root, runner, devices=(SR_PART, "/dev/missing"))
    runner.respond(xe_sr_create("lvm", SR_PART), answer(0, SR_UUID + "\n"))
    detail = create_local_sr(ctx)
    assert ["udevadm", "settle", "--timeout=30"] in runner.calls
    assert list(xe_sr_create("lvm", SR_PART)) in runner.calls
    assert "WARNING: /dev/missing not found, left out (later: vgextend xenhost-sr /dev/missing)" in detail


def test_no_device_present_creates_nothing(root, runner):
    os.remove(root / SR_PART.lstrip("/"))
    detail = create_local_sr(ctx_for(root, runner, devices=("/dev/missing",)))
    assert detail.endswith("local SR not created") and commands(runner, "xe") == []


def test_offline_root_runs_nothing(root, runner):
    assert "left alone" in create_local_sr(ctx_for(root, runner, live=False))
    assert runner.calls == []


def test_without_the_toolstack_fails_with_fix(root):
    ctx = ctx_for(root, make_runner(missing=("xe",)))
    with pytest.raises(XenhostError, match="apt-get install xenhost-toolstack"):
        create_local_sr(ctx)
