"""Step: the local storage repository (SR) on the devices the installer chose.

Both SR types start as the LVM volume group `xenhost-sr` over every device (the SR partition
of the system disk, then whole guest disks), like XenServer's:
  lvm: VM disks will be logical volumes of that group.
  ext: one logical volume `sr` fills the group and holds ext4, mounted at
       /run/sr-mount/<uuid> (= /var/run/sr-mount/<uuid>, XenServer's place for file SRs);
       VM disks will be files there. <uuid> is both the SR's and the filesystem's UUID
       (mkfs -U), so blkid finds the SR; /etc/fstab mounts it at every boot (nofail: a
       broken SR must not keep the host from booting to where it can be repaired).
Nothing that belongs to someone else is touched: a device in another volume group, or a
group of our name on other devices (an old install on a disk not chosen), is reported and
left alone.
"""
import os
import uuid

from xenhost_common import names

from .errors import FirstbootError
from .files import read_text, write_if_changed

VG_NAME = names.LOCAL_SR_VG
LV_NAME = "sr"
LV_PATH = f"/dev/{VG_NAME}/{LV_NAME}"
MOUNT_BASE = names.SR_MOUNT_DIR


def create_local_sr(ctx):
    sr = ctx.config.local_sr
    if sr is None:
        return "no local SR configured, skipped"
    if not ctx.live:
        # --root points at an image or a test dir: never run LVM on this machine.
        return f"not the running system (--root), {', '.join(sr.devices)} left alone"
    present = _present_devices(ctx, sr.devices)
    notes = [f"WARNING: {d} not found, left out (later: {_add_later(sr.type, d)})"
             for d in sr.devices if d not in present]
    if not present:
        return "; ".join(notes + ["local SR not created"])
    if not ctx.runner.which("vgcreate"):
        raise FirstbootError("lvm2 is not installed, cannot create the local SR",
                             "install lvm2 (apt-get install lvm2), then run xenhost-firstboot again")
    done, note = _volume_group(ctx, present)
    notes.insert(0, note)
    if done and sr.type == "ext":
        notes += _ext_filesystem(ctx)
    return "; ".join(notes)


def _add_later(sr_type, device):
    """The commands that add a device to the SR by hand."""
    grow = f" && lvextend -r -l +100%FREE {VG_NAME}/{LV_NAME}" if sr_type == "ext" else ""
    return f"vgextend {VG_NAME} {device}{grow}"


def _volume_group(ctx, devices):
    """Make VG_NAME span devices; return (usable, what happened)."""
    owners = {d: _volume_group_of(ctx, d) for d in devices}
    foreign = [f"{d} (in {vg!r})" for d, vg in owners.items() if vg not in (None, "", VG_NAME)]
    if foreign:
        # Someone's data: report, never wipe.
        return False, (f"WARNING: {', '.join(foreign)} already in another volume group; not touching "
                       f"them, local SR not created (to use them: vgremove the group, then run "
                       f"xenhost-firstboot again)")
    ours = [d for d in devices if owners[d] == VG_NAME]
    fresh = [d for d in devices if owners[d] != VG_NAME]
    if not fresh:
        return True, f"volume group {VG_NAME} already on {', '.join(ours)}"
    if ours:    # an earlier run stopped half way
        ctx.runner.run(["vgextend", VG_NAME, *fresh])
        return True, f"extended volume group {VG_NAME} with {', '.join(fresh)}"
    elsewhere = ctx.runner.run(["vgs", "--noheadings", "-o", "pv_name", VG_NAME], check=False)
    if elsewhere.returncode == 0:
        pvs = " ".join(elsewhere.stdout.split())
        return False, (f"WARNING: volume group {VG_NAME} already exists on {pvs}; "
                       f"not creating a second one on {', '.join(fresh)}")
    # No --yes: if a device carries another signature vgcreate refuses
    # instead of wiping it, and the step fails with LVM's reason.
    ctx.runner.run(["vgcreate", VG_NAME, *fresh])
    return True, f"created volume group {VG_NAME} on {', '.join(fresh)}"


def _ext_filesystem(ctx):
    notes = []
    if ctx.runner.run(["lvs", f"{VG_NAME}/{LV_NAME}"], check=False).returncode != 0:
        ctx.runner.run(["lvcreate", "--yes", "--wipesignatures", "y", "-l", "100%FREE",
                        "-n", LV_NAME, VG_NAME])
        notes.append(f"created {LV_PATH}")
    fstype = _blkid(ctx, "TYPE")
    if fstype == "":
        sr_uuid = str(uuid.uuid4())
        ctx.runner.run(["mkfs.ext4", "-q", "-L", VG_NAME, "-U", sr_uuid, LV_PATH])
        notes.append(f"made ext4 (SR {sr_uuid})")
    elif fstype == "ext4":
        sr_uuid = _blkid(ctx, "UUID")
    else:
        return notes + [f"WARNING: {LV_PATH} holds {fstype}, not ext4; left alone, ext SR not mounted"]
    mountpoint = f"{MOUNT_BASE}/{sr_uuid}"
    if _add_to_fstab(ctx, sr_uuid, mountpoint):
        notes.append("added to /etc/fstab")
    if ctx.runner.run(["findmnt", "--mountpoint", mountpoint], check=False).returncode != 0:
        os.makedirs(ctx.path(mountpoint), exist_ok=True)
        ctx.runner.run(["mount", mountpoint])
        notes.append(f"mounted at {mountpoint}")
    return notes or [f"ext4 already mounted at {mountpoint}"]


def _blkid(ctx, tag):
    return ctx.runner.run(["blkid", "-o", "value", "-s", tag, LV_PATH], check=False).stdout.strip()


def _add_to_fstab(ctx, sr_uuid, mountpoint):
    path = ctx.path("/etc/fstab")
    text = read_text(path) or ""
    if any(line.split()[1:2] == [mountpoint] for line in text.splitlines()):
        return False
    if text and not text.endswith("\n"):
        text += "\n"
    return write_if_changed(path, text + f"UUID={sr_uuid} {mountpoint} ext4 defaults,nofail 0 2\n")


def _volume_group_of(ctx, device):
    """None if device is not an LVM PV, "" for a PV in no VG, else the VG name."""
    result = ctx.runner.run(["pvs", "--noheadings", "-o", "vg_name", device], check=False)
    if result.returncode != 0:
        return None
    return result.stdout.strip()


def _present_devices(ctx, devices):
    if not all(os.path.exists(ctx.path(d)) for d in devices) and ctx.runner.which("udevadm"):
        # /dev/disk/by-* links come from udev; give pending events a chance first.
        ctx.runner.run(["udevadm", "settle", "--timeout=30"], check=False)
    return [d for d in devices if os.path.exists(ctx.path(d))]
