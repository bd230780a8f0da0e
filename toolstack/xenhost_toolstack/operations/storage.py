"""SR and VDI operations: every check first, then the disk work, then the records, and the disk
work undone when a later step fails (no LV without a record, no record without its LV)."""
import uuid as uuidlib

from xenhost_common.errors import XenhostError

from ..drivers.storage import check_devices_free, driver, vg_devices, vg_exists, vg_name
from ..errors import XeError
from ..lookup import by_uuid

SR_TYPES = ("lvm", "ext")


def sr_create(ctx, name_label, sr_type, device_config, name_description="", content_type="user",
              other_config=None):
    """A new SR. With device-config:vg=NAME it is "make sure it exists" (first boot, run again
    after a failure): the SR of that group is returned if recorded, a group of that name on
    exactly these devices is taken over (and extended by new ones), one elsewhere is refused."""
    if sr_type not in SR_TYPES:
        raise XeError(f"Error: SR type '{sr_type}' is not supported", f"use type={' or type='.join(SR_TYPES)}")
    devices = [d for d in device_config.get("device", "").split(",") if d]
    if not devices:
        raise XeError("Required parameter not found: device-config:device", "e.g. device-config:device=/dev/sdb")
    sr_uuid = str(uuidlib.uuid4())
    vg = vg_name(sr_type, sr_uuid, device_config)
    recorded = [s for s in ctx.db.find("sr") if s["sm-config"].get("vg") == vg]
    if recorded:
        return recorded[0]
    fresh = check_devices_free(ctx, devices, vg)
    existing = vg_devices(ctx, vg)
    if existing is not None and not set(existing) <= set(devices):
        raise XeError(f"Error: volume group {vg} already exists on {', '.join(existing)}; not creating a second one",
                      f"choose another name (device-config:vg=), or vgremove {vg} if its data is not needed")
    sr = {"uuid": sr_uuid, "name-label": name_label, "name-description": name_description, "type": sr_type,
          "content-type": content_type, "sm-config": {"vg": vg}, "other-config": dict(other_config or {})}
    backend = driver(ctx, sr)
    if sr_type == "ext" and existing is not None and backend.blkid("UUID"):
        sr["uuid"] = backend.blkid("UUID")    # the filesystem made before is the SR: same uuid, same mountpoint
    try:
        backend.make(fresh, extend=existing is not None)
        sr["physical-size"], sr["physical-utilisation"], _ = backend.sizes()
        with ctx.db.write():
            ctx.db.insert("sr", sr)
            ctx.db.insert("pbd", {"host-uuid": ctx.db.host()["uuid"], "sr-uuid": sr["uuid"],
                                  "device-config": dict(device_config), "currently-attached": True})
    except XenhostError:
        if existing is None and vg_exists(ctx, vg):
            backend.destroy()   # roll back: no group of ours without its SR record
        raise
    return sr


def _sr(ctx, sr_uuid):
    return by_uuid(ctx, "sr", sr_uuid)


def _running_users(ctx, vdi_uuid):
    vms = [ctx.db.get("vm", b["vm-uuid"]) for b in ctx.db.find("vbd", {"vdi-uuid": vdi_uuid})]
    return [vm for vm in vms if vm and vm["power-state"] != "halted"]


def vdi_create(ctx, sr_uuid, name_label, size, vdi_type="user", sharable=False, sm_config=None,
               name_description=""):
    with ctx.lock(sr_uuid):   # two vdi-creates must not both count the same free space
        sr = _sr(ctx, sr_uuid)
        backend = driver(ctx, sr)
        _, _, free = backend.sizes()
        if size <= 0:
            raise XeError("Error: virtual-size must be more than 0", "e.g. virtual-size=10GiB")
        if size > free:
            raise XeError(f"Error: there is insufficient space in SR {sr['name-label']}: {size} bytes asked, "
                          f"{free} free", "free space (vdi-destroy) or ask for a smaller virtual-size",
                          sr=sr_uuid)
        vdi_uuid = str(uuidlib.uuid4())
        location = backend.create_vdi(vdi_uuid, size)
        try:
            with ctx.db.write():
                record = ctx.db.insert("vdi", {"uuid": vdi_uuid, "name-label": name_label, "sr-uuid": sr_uuid,
                                               "name-description": name_description, "virtual-size": size,
                                               "type": vdi_type, "sharable": sharable, "location": location,
                                               "sm-config": {"type": "raw", **(sm_config or {})}})
                _refresh(ctx, sr, backend)
        except BaseException:
            backend.destroy_vdi(location)
            raise
    return record


def _refresh(ctx, sr, backend):
    size, used, _ = backend.sizes()
    ctx.db.update("sr", sr["uuid"], {"physical-size": size, "physical-utilisation": used})


def vdi_destroy(ctx, vdi):
    with ctx.lock(vdi["uuid"]):
        users = _running_users(ctx, vdi["uuid"])
        if users:
            raise XeError(f"Error: VDI {vdi['uuid']} is in use by running VM {users[0]['name-label']}",
                          "shut the VM down first (xe vm-shutdown)")
        sr = _sr(ctx, vdi["sr-uuid"])
        backend = driver(ctx, sr)
        backend.destroy_vdi(vdi["location"])
        with ctx.db.write():
            for vbd in ctx.db.find("vbd", {"vdi-uuid": vdi["uuid"]}):
                ctx.db.delete("vbd", vbd["uuid"])
            ctx.db.delete("vdi", vdi["uuid"])
            _refresh(ctx, sr, backend)


def vdi_resize(ctx, vdi, size):
    if size < vdi["virtual-size"]:
        raise XeError("Error: VDIs cannot be shrunk", f"give virtual-size of at least {vdi['virtual-size']}")
    with ctx.lock(vdi["uuid"]):
        if _running_users(ctx, vdi["uuid"]):
            raise XeError("Error: the VDI is attached to a running VM", "shut the VM down, then resize")
        sr = _sr(ctx, vdi["sr-uuid"])
        backend = driver(ctx, sr)
        backend.resize_vdi(vdi["location"], size)
        with ctx.db.write():
            ctx.db.update("vdi", vdi["uuid"], {"virtual-size": size})
            _refresh(ctx, sr, backend)


def sr_forget(ctx, sr):
    """Drop the records (SR, PBDs, VDIs and their VBDs); the disks keep their data."""
    with ctx.db.write():
        for vdi in ctx.db.find("vdi", {"sr-uuid": sr["uuid"]}):
            for vbd in ctx.db.find("vbd", {"vdi-uuid": vdi["uuid"]}):
                ctx.db.delete("vbd", vbd["uuid"])
            ctx.db.delete("vdi", vdi["uuid"])
        for pbd in ctx.db.find("pbd", {"sr-uuid": sr["uuid"]}):
            ctx.db.delete("pbd", pbd["uuid"])
        ctx.db.delete("sr", sr["uuid"])


def sr_destroy(ctx, sr):
    busy = [vdi for vdi in ctx.db.find("vdi", {"sr-uuid": sr["uuid"]}) if _running_users(ctx, vdi["uuid"])]
    if busy:
        raise XeError(f"Error: SR {sr['name-label']} has VDIs in use by running VMs", "shut those VMs down first")
    driver(ctx, sr).destroy()
    sr_forget(ctx, sr)


def sr_scan(ctx, sr):
    """Records follow the disks: new LVs/files become VDIs, vanished ones are forgotten."""
    backend = driver(ctx, sr)
    found = backend.volumes()
    with ctx.db.write():
        known = {v["uuid"]: v for v in ctx.db.find("vdi", {"sr-uuid": sr["uuid"]})}
        for vdi_uuid, size in found.items():
            if vdi_uuid not in known:
                ctx.db.insert("vdi", {"uuid": vdi_uuid, "name-label": "", "sr-uuid": sr["uuid"], "virtual-size": size,
                                      "location": backend.location(vdi_uuid), "sm-config": {"type": "raw"}})
            elif known[vdi_uuid]["virtual-size"] != size:
                ctx.db.update("vdi", vdi_uuid, {"virtual-size": size})
        for vdi_uuid in set(known) - set(found):
            ctx.db.delete("vdi", vdi_uuid)
        _refresh(ctx, sr, backend)


def plug_all(ctx):
    """At boot: activate every SR's volume group and mount ext SRs."""
    for sr in ctx.db.find("sr"):
        try:
            driver(ctx, sr).attach()
            attached = True
        except XenhostError:
            attached = False
        for pbd in ctx.db.find("pbd", {"sr-uuid": sr["uuid"]}):
            ctx.db.update("pbd", pbd["uuid"], {"currently-attached": attached})
