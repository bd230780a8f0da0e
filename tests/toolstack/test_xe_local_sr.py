"""What first boot asks of the toolstack: the local SR on the group `xenhost-sr` and the
management PIF on xenbr0, made once and safe to ask again; nothing foreign touched."""
from toolstack_helpers import xen_host

SR_PART, GUEST = "/dev/vda3", "/dev/vdb"
LOCAL = ("sr-create", "name-label=Local storage", "other-config:i18n-key=local-storage",
         "device-config:vg=xenhost-sr")


def blank(runner, *devices, group=None):
    for device in devices:
        runner.respond(("pvs", "--noheadings", "-o", "vg_name", device), (5, "", "Failed to find physical volume"))
    runner.respond(("lsblk",), 'NAME="vdx" MOUNTPOINT="" TYPE="disk"\n')
    runner.respond(("vgs", "--noheadings", "-o", "pv_name", "xenhost-sr"),
                   (0, "  " + "\n  ".join(group) + "\n") if group else (5, "", "not found"))
    runner.respond(("vgs", "--noheadings", "--units"), "  21474836480 21474836480\n")


def test_local_lvm_sr_spans_every_device_and_is_made_once(tmp_path):
    runner, _, xe = xen_host(tmp_path)
    blank(runner, SR_PART, GUEST)
    sr = xe(*LOCAL, "type=lvm", f"device-config:device={SR_PART},{GUEST}").strip()
    assert ["vgcreate", "xenhost-sr", SR_PART, GUEST] in runner.calls
    assert xe("sr-list", "other-config:i18n-key=local-storage", "--minimal") == sr + "\n"
    # asked again (first boot re-run): the same SR, no second group
    calls = len(runner.calls)
    assert xe(*LOCAL, "type=lvm", f"device-config:device={SR_PART},{GUEST}").strip() == sr
    assert not any(c[0] == "vgcreate" for c in runner.calls[calls:])
    # vm-install with no sr-uuid puts disks on the local SR
    vm = xe("vm-install", "template=Debian 12 (PVH)", "new-name-label=d").strip()
    [vdi] = xe("vdi-list", f"sr-uuid={sr}", "--minimal").strip().split(",")
    assert xe("vbd-list", f"vm-uuid={vm}", "params=vdi-uuid", "--minimal") == vdi + "\n"


def test_half_made_group_is_taken_over_and_extended(tmp_path):
    runner, _, xe = xen_host(tmp_path)
    blank(runner, GUEST, group=[SR_PART])
    runner.respond(("pvs", "--noheadings", "-o", "vg_name", SR_PART), "  xenhost-sr\n")
    xe(*LOCAL, "type=lvm", f"device-config:device={SR_PART},{GUEST}")
    assert ["vgextend", "xenhost-sr", GUEST] in runner.calls and not runner.ran("vgcreate")


def test_group_of_our_name_on_other_disks_is_left_alone(tmp_path):
    runner, _, xe = xen_host(tmp_path)
    blank(runner, SR_PART, group=["/dev/sdz1"])
    err = xe(*LOCAL, "type=lvm", f"device-config:device={SR_PART}", ok=False)
    assert err.startswith("Error: volume group xenhost-sr already exists on /dev/sdz1; not creating a second one")
    assert not runner.ran("vgcreate") and not runner.ran("vgextend") and not runner.ran("vgremove")


def test_ext_rerun_keeps_the_filesystem_and_its_uuid(tmp_path):
    runner, _, xe = xen_host(tmp_path)
    fs_uuid = "5b0c6f0e-2f1a-4c8e-9a3d-7e6f5a4b3c2d"
    blank(runner, group=[SR_PART])
    runner.respond(("pvs", "--noheadings", "-o", "vg_name", SR_PART), "  xenhost-sr\n")
    runner.respond(("blkid", "-o", "value", "-s", "TYPE"), "ext4\n")
    runner.respond(("blkid", "-o", "value", "-s", "UUID"), fs_uuid + "\n")
    runner.respond(("findmnt",), (1, "", ""))
    assert xe(*LOCAL, "type=ext", f"device-config:device={SR_PART}").strip() == fs_uuid
    assert not runner.ran("mkfs.ext4") and not runner.ran("vgcreate")
    assert runner.ran("mount", "-t", "ext4", "/dev/xenhost-sr/sr", f"/run/sr-mount/{fs_uuid}")


def test_ext_never_formats_an_lv_holding_something_else(tmp_path):
    runner, _, xe = xen_host(tmp_path)
    blank(runner, group=[SR_PART])
    runner.respond(("pvs", "--noheadings", "-o", "vg_name", SR_PART), "  xenhost-sr\n")
    runner.respond(("blkid", "-o", "value", "-s", "TYPE"), "xfs\n")
    err = xe(*LOCAL, "type=ext", f"device-config:device={SR_PART}", ok=False)
    assert err.startswith("Error: /dev/xenhost-sr/sr holds xfs, not ext4")
    assert not runner.ran("mkfs.ext4") and not runner.ran("vgremove") and xe("sr-list") == ""


def test_management_pif_on_xenbr0_recorded_once(tmp_path):
    _, _, xe = xen_host(tmp_path)
    pif = xe("pif-introduce", "device=enp0s3", "mac=52:54:00:12:34:56", "bridge=xenbr0", "management=true",
             "IP-configuration-mode=DHCP").strip()
    assert xe("pif-introduce", "device=enp0s3", "mac=52:54:00:12:34:56", "management=true").strip() == pif
    [net] = xe("network-list", "bridge=xenbr0", "--minimal").strip().split(",")
    assert xe("pif-list", "params=network-uuid,management", "--json").count(net) == 1
    assert xe("network-param-get", f"uuid={net}", "param-name=PIF-uuids") == pif + "\n"
    assert xe("network-param-get", f"uuid={net}", "param-name=name-label") == (
        "Pool-wide network associated with enp0s3\n")
