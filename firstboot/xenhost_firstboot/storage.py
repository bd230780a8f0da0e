"""Step: the local storage repository = LVM volume group `xenhost-sr`."""
import os

from .errors import FirstbootError

VG_NAME = "xenhost-sr"


def create_local_sr(ctx):
    sr = ctx.config.local_sr
    if sr is None:
        return "no local SR configured, skipped"
    if sr.type != "lvm":
        return f"local SR type {sr.type!r} is not supported (only lvm), skipped"
    if not ctx.live:
        # --root points at an image or a test dir: never run LVM on this machine.
        return f"not the running system (--root), {sr.device} left alone"
    if not _device_present(ctx, sr.device):
        return (f"device {sr.device} not found, local SR not created "
                f"(later: vgcreate {VG_NAME} <device>)")
    if not ctx.runner.which("vgcreate"):
        raise FirstbootError("lvm2 is not installed, cannot create the local SR",
                             "install lvm2 (apt-get install lvm2), then run xenhost-firstboot again")

    owner = _volume_group_of(ctx, sr.device)
    if owner == VG_NAME:
        return f"volume group {VG_NAME} already on {sr.device}"
    if owner:
        # Someone's data: report, never wipe.
        return (f"WARNING: {sr.device} already belongs to volume group {owner!r}; "
                f"not touching it, local SR not created (to use it: vgremove {owner}, "
                f"then run xenhost-firstboot again)")
    elsewhere = ctx.runner.run(["vgs", "--noheadings", "-o", "pv_name", VG_NAME], check=False)
    if elsewhere.returncode == 0:
        pvs = " ".join(elsewhere.stdout.split())
        return (f"WARNING: volume group {VG_NAME} already exists on {pvs}; "
                f"not creating a second one on {sr.device}")
    # No --yes: if the partition carries another signature vgcreate refuses
    # instead of wiping it, and the step fails with LVM's reason.
    ctx.runner.run(["vgcreate", VG_NAME, sr.device])
    return f"created volume group {VG_NAME} on {sr.device}"


def _volume_group_of(ctx, device):
    """None if device is not an LVM PV, "" for a PV in no VG, else the VG name."""
    result = ctx.runner.run(["pvs", "--noheadings", "-o", "vg_name", device], check=False)
    if result.returncode != 0:
        return None
    return result.stdout.strip()


def _device_present(ctx, device):
    if os.path.exists(ctx.path(device)):
        return True
    # by-partlabel links come from udev; give pending events a chance first.
    if ctx.runner.which("udevadm"):
        ctx.runner.run(["udevadm", "settle", "--timeout=30"], check=False)
    return os.path.exists(ctx.path(device))
