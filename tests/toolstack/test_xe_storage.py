"""SRs and VDIs: LVM through the (fake) LVM commands, ext with real files under a temporary root;
bad input refused before anything is written."""
import os

from toolstack_helpers import xen_host


def ext_host(tmp_path):
    runner, xen, xe = xen_host(tmp_path)
    runner.respond(("lsblk",), 'NAME="sdc" MOUNTPOINT="" TYPE="disk"\n')
    runner.respond(("pvs",), (5, "", "Failed to find physical volume"))
    runner.respond(("vgs",), (5, "", "Volume group not found"))
    runner.respond(("lvs",), (5, "", "not found"))
    runner.respond(("findmnt",), (1, "", ""))
    sr = xe("sr-create", "name-label=Local ext", "type=ext", "device-config:device=/dev/sdc").strip()
    return runner, xe, sr


def test_ext_sr_one_sparse_file_per_vdi(tmp_path):
    runner, xe, sr = ext_host(tmp_path)
    assert runner.ran("vgcreate", f"XSLocalEXT-{sr}", "/dev/sdc")
    assert runner.ran("mkfs.ext4", "-q", "-L", f"XSLocalEXT-{sr}"[:16], "-U", sr, f"/dev/XSLocalEXT-{sr}/sr")
    assert runner.ran("mount", "-t", "ext4", f"/dev/XSLocalEXT-{sr}/sr", f"/run/sr-mount/{sr}")
    assert xe("pbd-list", f"sr-uuid={sr}", "params=device-config", "--minimal") == "device: /dev/sdc\n"
    vdi = xe("vdi-create", f"sr-uuid={sr}", "name-label=disk0", "virtual-size=64MiB").strip()
    path = tmp_path / f"run/sr-mount/{sr}/{vdi}.img"
    assert path.stat().st_size == 64 * 1024 ** 2 and path.stat().st_blocks == 0      # raw, sparse
    assert xe("vdi-param-get", f"uuid={vdi}", "param-name=location") == f"/run/sr-mount/{sr}/{vdi}.img\n"
    xe("vdi-resize", f"uuid={vdi}", "disk-size=128MiB")
    assert path.stat().st_size == 128 * 1024 ** 2
    assert xe("vdi-resize", f"uuid={vdi}", "disk-size=1MiB", ok=False).startswith("Error: VDIs cannot be shrunk")
    free = os.statvfs(tmp_path).f_bavail * os.statvfs(tmp_path).f_frsize
    err = xe("vdi-create", f"sr-uuid={sr}", "name-label=huge", f"virtual-size={free + 2 ** 30}", ok=False)
    assert err.startswith("Error: there is insufficient space in SR Local ext")
    assert xe("vdi-list", f"sr-uuid={sr}", "--minimal") == vdi + "\n"              # nothing half-made
    # sr-scan: a file appearing on disk becomes a VDI, a vanished one is forgotten
    (tmp_path / f"run/sr-mount/{sr}/0f2a0e3c-5d4b-4e6f-8a9b-1c2d3e4f5a6b.img").write_bytes(b"x" * 4096)
    path.unlink()
    xe("sr-scan", f"uuid={sr}")
    assert xe("vdi-list", f"sr-uuid={sr}", "--minimal") == "0f2a0e3c-5d4b-4e6f-8a9b-1c2d3e4f5a6b\n"
    xe("vdi-destroy", "uuid=0f2a0e3c-5d4b-4e6f-8a9b-1c2d3e4f5a6b")
    assert os.listdir(tmp_path / f"run/sr-mount/{sr}") == []


def test_sr_on_a_disk_in_use_is_refused(tmp_path):
    runner, _, xe = xen_host(tmp_path)
    runner.respond(("lsblk",), 'NAME="sda" MOUNTPOINT="" TYPE="disk"\nNAME="sda2" MOUNTPOINT="/" TYPE="part"\n')
    err = xe("sr-create", "name-label=x", "type=lvm", "device-config:device=/dev/sda", ok=False)
    assert err.startswith("Error: device /dev/sda is in use: /dev/sda2 is mounted at /\n")
    runner.respond(("lsblk",), 'NAME="sdb" MOUNTPOINT="" TYPE="disk"\n')
    runner.respond(("pvs",), "  vg_data\n")
    err = xe("sr-create", "name-label=x", "type=lvm", "device-config:device=/dev/sdb", ok=False)
    assert err.startswith("Error: device /dev/sdb is in use: it belongs to volume group vg_data")
    runner.respond(("pvs",), (5, "", "Failed to find physical volume"))
    runner.respond(("lsblk",), (32, "", "lsblk: /dev/sdz: not a block device"))
    assert xe("sr-create", "name-label=x", "type=lvm", "device-config:device=/dev/sdz", ok=False).startswith(
        "Error: device /dev/sdz not found")
    assert xe("sr-create", "name-label=x", "type=nfs", "device-config:device=/dev/sdb", ok=False).startswith(
        "Error: SR type 'nfs' is not supported")
    assert not runner.ran("vgcreate") and xe("sr-list") == ""


def test_lvm_sr_rolled_back_when_sizes_cannot_be_read(tmp_path):
    runner, _, xe = xen_host(tmp_path)
    runner.respond(("lsblk",), 'NAME="sdb" MOUNTPOINT="" TYPE="disk"\n')
    runner.respond(("pvs",), (5, "", ""))
    state = {"made": False}
    runner.respond(("vgcreate",), lambda argv: state.update(made=True) or (0, "", ""))
    runner.respond(("vgs",), lambda argv: (0, "", "") if state["made"] else (5, "", "not found"))
    err = xe("sr-create", "name-label=x", "type=lvm", "device-config:device=/dev/sdb", ok=False)
    assert "is not available" in err
    assert runner.ran("vgremove", "-f") and xe("sr-list") == "" and xe("pbd-list") == ""


def test_lvm_vdi_lifecycle_and_sr_destroy(tmp_path):
    runner, _, xe = xen_host(tmp_path)
    runner.respond(("lsblk",), 'NAME="sdb" MOUNTPOINT="" TYPE="disk"\n')
    runner.respond(("pvs",), (5, "", ""))
    runner.respond(("vgs", "--noheadings", "--units"), "  10737418240 10737418240\n")
    runner.respond(("vgs", "--noheadings", "-o", "pv_name"), (5, "", "Volume group not found"))
    sr = xe("sr-create", "name-label=Local storage", "type=lvm", "device-config:device=/dev/sdb").strip()
    assert xe("sr-param-get", f"uuid={sr}", "param-name=physical-size") == "10737418240\n"
    vdi = xe("vdi-create", f"sr-uuid={sr}", "name-label=d", "virtual-size=2GiB").strip()
    assert runner.ran("lvcreate", "--yes", "--wipesignatures", "y", "-n", f"LV-{vdi}", "-L", f"{2 * 1024 ** 3}b",
                      f"VG_XenStorage-{sr}")
    assert xe("sr-param-get", f"uuid={sr}", "param-name=virtual-allocation") == f"{2 * 1024 ** 3}\n"
    assert xe("vdi-create", f"sr-uuid={sr}", "name-label=big", "virtual-size=11GiB", ok=False).startswith(
        "Error: there is insufficient space")
    xe("sr-destroy", f"uuid={sr}")
    assert runner.ran("vgremove", "-f", f"VG_XenStorage-{sr}")
    assert xe("vdi-list") == "" and xe("sr-list") == "" and xe("pbd-list") == ""
