"""Step: the local storage repository (SR) on the devices the installer chose, made by the
toolstack (`xe sr-create`), which records it in its database and owns it from then on.

Both SR types are the LVM volume group `xenhost-sr` over every device present (the SR partition
of the system disk, then whole guest disks), like XenServer's:
  lvm: VM disks are logical volumes of that group.
  ext: one logical volume `sr` fills the group and holds ext4, mounted at /run/sr-mount/<uuid>
       (<uuid> is both the SR's and the filesystem's); the toolstack's boot unit
       (xenhost-autostart.service) mounts it at every boot, so no /etc/fstab line.
The toolstack refuses what belongs to someone else (a device in another volume group, a group of
our name on other devices: an old install on a disk not chosen); first boot reports that as a
WARNING and goes on, so the host still comes up to where it can be repaired. Run again, the same
command returns the SR already made (and extends a half-made group).
"""
import os

from xenhost_common import names

from .errors import FirstbootError

VG_NAME = names.LOCAL_SR_VG
LV_NAME = "sr"
# The toolstack's refusals of devices it must not touch: reported, not fatal.
REFUSALS = ("is in use", "already exists on", "not ext4")


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
    # A missing xe raises ProgramMissing ("install the Debian package xenhost-toolstack").
    result = ctx.runner.run(["xe", "sr-create", "name-label=Local storage", f"type={sr.type}",
                             f"device-config:device={','.join(present)}", f"device-config:vg={VG_NAME}",
                             "other-config:i18n-key=local-storage", "content-type=user"], check=False)
    message = (result.stderr or result.stdout).strip()
    if result.returncode != 0:
        if any(words in message for words in REFUSALS):
            return "; ".join([f"WARNING: {message.splitlines()[0]}; local SR not created"] + notes)
        raise FirstbootError(f"xe sr-create failed: {message}",
                             "see the message above; after fixing it run `xenhost-firstboot` again")
    notes.insert(0, f"local {sr.type} SR {result.stdout.strip()} on {', '.join(present)} "
                    f"(volume group {VG_NAME})")
    return "; ".join(notes)


def _add_later(sr_type, device):
    """The commands that add a device to the SR by hand."""
    grow = f" && lvextend -r -l +100%FREE {VG_NAME}/{LV_NAME}" if sr_type == "ext" else ""
    return f"vgextend {VG_NAME} {device}{grow}"


def _present_devices(ctx, devices):
    if not all(os.path.exists(ctx.path(d)) for d in devices) and ctx.runner.which("udevadm"):
        # /dev/disk/by-* links come from udev; give pending events a chance first.
        ctx.runner.run(["udevadm", "settle", "--timeout=30"], check=False)
    return [d for d in devices if os.path.exists(ctx.path(d))]
