"""Local SRs, really through LVM and ext4 (commands through the Runner; files under ctx.root).

lvm: a volume group, one logical volume `LV-<vdi-uuid>` per VDI (raw; xl hands it to blkback as
     phy:).
ext: a volume group with one LV `sr` holding ext4, mounted at /run/sr-mount/<sr-uuid>; one raw
     sparse file `<vdi-uuid>.img` per VDI. Raw, not qcow2 or vhd: it needs no qemu-img on the
     host, any tool reads it, sparse files already give thin provisioning, and xl serves a raw
     file through qemu's qdisk backend the same as qcow2 (snapshots are not offered yet).
VG names follow xapi-project/sm (VG_XenStorage-<sr>, XSLocalEXT-<sr>) unless device-config:vg
names one (first boot's local SR is the group `xenhost-sr`, common/xenhost_common/names.py).
"""
import os
import shlex

from xenhost_common.names import SR_MOUNT_DIR

from ..errors import XeError

EXT_LV = "sr"


def vg_name(sr_type, sr_uuid, device_config):
    return device_config.get("vg") or (f"VG_XenStorage-{sr_uuid}" if sr_type == "lvm" else f"XSLocalEXT-{sr_uuid}")


def pv_owner(ctx, device):
    """None: not an LVM PV; "": a PV in no group; else the group's name."""
    result = ctx.runner.run(["pvs", "--noheadings", "-o", "vg_name", device], check=False)
    return result.stdout.strip() if result.ok else None


def check_devices_free(ctx, devices, vg):
    """Refuse a device that is missing, mounted (or holds a mounted partition: the root), swap, or
    in another volume group; devices already in `vg` are ours. Returns the devices to add to vg.
    Nothing is written before every device passed."""
    fresh = []
    for device in devices:
        owner = pv_owner(ctx, device)
        if owner == vg:
            continue
        if owner:
            raise XeError(f"Error: device {device} is in use: it belongs to volume group {owner}",
                          "remove it from that group (vgreduce/vgremove) if its data is not needed")
        result = ctx.runner.run(["lsblk", "-P", "-o", "NAME,MOUNTPOINT,TYPE", device], check=False)
        if not result.ok:
            raise XeError(f"Error: device {device} not found", "give a block device: device-config:device=/dev/sdX")
        for line in result.lines():
            info = dict(word.split("=", 1) for word in shlex.split(line))
            if info.get("MOUNTPOINT"):
                raise XeError(f"Error: device {device} is in use: /dev/{info['NAME']} is mounted at "
                              f"{info['MOUNTPOINT']}", "choose a disk that holds nothing in use")
        fresh.append(device)
    return fresh


def vg_devices(ctx, vg):
    result = ctx.runner.run(["vgs", "--noheadings", "-o", "pv_name", vg], check=False)
    return result.stdout.split() if result.ok else None


def vg_exists(ctx, vg):
    return ctx.runner.run(["vgs", vg], check=False).ok


def vg_sizes(ctx, vg):
    """(size, free) in bytes."""
    result = ctx.runner.run(["vgs", "--noheadings", "--units", "b", "--nosuffix", "-o", "vg_size,vg_free", vg],
                            check=False)
    words = result.stdout.split()
    if not result.ok or len(words) < 2:
        raise XeError(f"Error: volume group {vg} is not available", f"check `vgs {vg}`; `xe sr-scan` after repair")
    return int(words[0]), int(words[1])


class LvmSR:
    def __init__(self, ctx, sr):
        self.ctx, self.sr, self.vg = ctx, sr, sr["sm-config"]["vg"]

    def make(self, devices, extend=False):
        """The volume group over devices (extend: the group exists, add them)."""
        if devices:
            self.ctx.runner.run(["vgextend" if extend else "vgcreate", self.vg, *devices])

    def sizes(self):
        """(physical-size, physical-utilisation, free)."""
        size, free = vg_sizes(self.ctx, self.vg)
        return size, size - free, free

    def location(self, vdi_uuid):
        return f"/dev/{self.vg}/LV-{vdi_uuid}"

    def create_vdi(self, vdi_uuid, size):
        self.ctx.runner.run(["lvcreate", "--yes", "--wipesignatures", "y", "-n", f"LV-{vdi_uuid}",
                             "-L", f"{size}b", self.vg])
        return self.location(vdi_uuid)

    def destroy_vdi(self, location):
        self.ctx.runner.run(["lvremove", "-f", location])

    def resize_vdi(self, location, size):
        self.ctx.runner.run(["lvextend", "-L", f"{size}b", location])

    def volumes(self):
        """{vdi uuid: size} of the LVs in the group."""
        result = self.ctx.runner.run(["lvs", "--noheadings", "--units", "b", "--nosuffix", "-o", "lv_name,lv_size",
                                      self.vg])
        found = {}
        for line in result.lines():
            words = line.split()
            if len(words) == 2 and words[0].startswith("LV-"):
                found[words[0][3:]] = int(words[1])
        return found

    def attach(self):
        self.ctx.runner.run(["vgchange", "-ay", self.vg])

    def destroy(self):
        self.ctx.runner.run(["vgremove", "-f", self.vg])


class ExtSR(LvmSR):
    @property
    def mountpoint(self):
        return f"{SR_MOUNT_DIR}/{self.sr['uuid']}"

    @property
    def device(self):
        return f"/dev/{self.vg}/{EXT_LV}"

    def make(self, devices, extend=False):
        super().make(devices, extend)
        if not self.ctx.runner.run(["lvs", f"{self.vg}/{EXT_LV}"], check=False).ok:
            self.ctx.runner.run(["lvcreate", "--yes", "--wipesignatures", "y", "-l", "100%FREE", "-n", EXT_LV,
                                 self.vg])
        fstype = self.blkid("TYPE")
        if fstype == "":
            self.ctx.runner.run(["mkfs.ext4", "-q", "-L", self.vg[:16], "-U", self.sr["uuid"], self.device])
        elif fstype != "ext4":
            raise XeError(f"Error: {self.device} holds {fstype}, not ext4", "left alone; choose another device")
        self.attach()

    def blkid(self, tag):
        return self.ctx.runner.run(["blkid", "-o", "value", "-s", tag, self.device], check=False).stdout.strip()

    def attach(self):
        """Mount the filesystem (at boot, by the toolstack's start unit: no fstab line needed)."""
        self.ctx.runner.run(["vgchange", "-ay", self.vg])
        os.makedirs(self.ctx.path(self.mountpoint), exist_ok=True)
        if not self.ctx.runner.run(["findmnt", "--mountpoint", self.mountpoint], check=False).ok:
            self.ctx.runner.run(["mount", "-t", "ext4", self.device, self.mountpoint])

    def sizes(self):
        stat = os.statvfs(self.ctx.path(self.mountpoint))
        size, free = stat.f_blocks * stat.f_frsize, stat.f_bavail * stat.f_frsize
        return size, size - stat.f_bfree * stat.f_frsize, free

    def location(self, vdi_uuid):
        return f"{self.mountpoint}/{vdi_uuid}.img"

    def create_vdi(self, vdi_uuid, size):
        path = self.location(vdi_uuid)
        with open(self.ctx.path(path), "xb") as f:   # raw sparse: no block is written
            f.truncate(size)
        return path

    def destroy_vdi(self, location):
        try:
            os.unlink(self.ctx.path(location))
        except FileNotFoundError:
            pass

    def resize_vdi(self, location, size):
        os.truncate(self.ctx.path(location), size)

    def volumes(self):
        folder = self.ctx.path(self.mountpoint)
        return {name[:-4]: os.path.getsize(os.path.join(folder, name))
                for name in sorted(os.listdir(folder)) if name.endswith(".img")}

    def destroy(self):
        self.ctx.runner.run(["umount", self.mountpoint], check=False)
        super().destroy()


def driver(ctx, sr):
    return {"lvm": LvmSR, "ext": ExtSR}[sr["type"]](ctx, sr)
