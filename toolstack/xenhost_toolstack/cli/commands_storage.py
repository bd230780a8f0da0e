"""SR, VDI, VBD, network and VIF commands (create, destroy, resize, forget, scan)."""
from xenhost_common.names import MANAGEMENT_BRIDGE

from ..operations import devices, storage
from ..values import parse_bool, parse_size
from .registry import command
from ..lookup import by_uuid
from .select import required


@command("sr-create", reqd=("name-label", "type"),
         optional=("device-config:", "name-description", "shared", "physical-size", "content-type", "sm-config:",
                   "other-config:"),
         description="a local SR: type=lvm (LV per VDI) or type=ext (file per VDI) on device-config:device=")
def sr_create(ctx, args):
    if args.get("shared") and parse_bool(args.get("shared"), "shared"):
        from ..errors import XeError
        raise XeError("Error: shared SRs are not supported on xenhost", "create a local SR (shared=false)")
    sr = storage.sr_create(ctx, args.get("name-label"), args.get("type"), args.maps().get("device-config", {}),
                           args.get("name-description", ""), args.get("content-type", "user"),
                           args.maps().get("other-config"))
    return sr["uuid"] + "\n"


def _on_sr(fn):
    def run(ctx, args):
        (uuid,) = required(args, "uuid")
        fn(ctx, by_uuid(ctx, "sr", uuid))
        return ""
    return run


command("sr-destroy", reqd=("uuid",), description="destroy an SR: its VDIs and volume group")(_on_sr(storage.sr_destroy))
command("sr-forget", reqd=("uuid",), description="forget an SR's records; the disks keep the data")(
    _on_sr(storage.sr_forget))
command("sr-scan", reqd=("uuid",), description="records follow the disks: sizes, new and vanished VDIs")(
    _on_sr(storage.sr_scan))


@command("vdi-create", reqd=("sr-uuid", "name-label", "virtual-size"),
         optional=("type", "sharable", "sm-config:", "name-description"), description="a new disk on an SR")
def vdi_create(ctx, args):
    vdi = storage.vdi_create(ctx, args.get("sr-uuid"), args.get("name-label"),
                             parse_size(args.get("virtual-size"), "virtual-size"), args.get("type", "user"),
                             parse_bool(args.get("sharable", "false"), "sharable"), args.maps().get("sm-config"),
                             args.get("name-description", ""))
    return vdi["uuid"] + "\n"


@command("vdi-destroy", reqd=("uuid",), description="destroy a disk (not while a running VM uses it)")
def vdi_destroy(ctx, args):
    storage.vdi_destroy(ctx, by_uuid(ctx, "vdi", args.get("uuid")))
    return ""


@command("vdi-resize", reqd=("uuid", "disk-size"), description="grow a disk (of a halted VM)")
def vdi_resize(ctx, args):
    storage.vdi_resize(ctx, by_uuid(ctx, "vdi", args.get("uuid")), parse_size(args.get("disk-size"), "disk-size"))
    return ""


@command("vbd-create", reqd=("vm-uuid", "device"), optional=("vdi-uuid", "bootable", "type", "mode"),
         description="attach a VDI (or an empty CD drive) to a halted VM at slot device=")
def vbd_create(ctx, args):
    vm = by_uuid(ctx, "vm", args.get("vm-uuid"))
    vdi = by_uuid(ctx, "vdi", args.get("vdi-uuid")) if args.get("vdi-uuid") else None
    vbd = devices.vbd_create(ctx, vm, vdi, args.get("device"), parse_bool(args.get("bootable", "false"), "bootable"),
                             args.get("type", "Disk"), args.get("mode", "RW"))
    return vbd["uuid"] + "\n"


@command("vbd-destroy", reqd=("uuid",), description="detach a VBD from a halted VM (the VDI stays)")
def vbd_destroy(ctx, args):
    devices.device_destroy(ctx, "vbd", by_uuid(ctx, "vbd", args.get("uuid")))
    return ""


@command("network-create", reqd=("name-label",), optional=("name-description", "bridge", "MTU"),
         description="a network: a dom0 bridge (made when a VM on it starts)")
def network_create(ctx, args):
    return devices.network_create(ctx, args.get("name-label"), args.get("name-description", ""),
                                  args.get("bridge"), int(args.get("MTU", "1500")))["uuid"] + "\n"


@command("vif-create", reqd=("device", "network-uuid", "vm-uuid"), optional=("mac",),
         description="a guest NIC on a network (mac=random or aa:bb:..)")
def vif_create(ctx, args):
    vif = devices.vif_create(ctx, by_uuid(ctx, "vm", args.get("vm-uuid")),
                             by_uuid(ctx, "network", args.get("network-uuid")), args.get("device"), args.get("mac"))
    return vif["uuid"] + "\n"


@command("vif-destroy", reqd=("uuid",), description="remove a guest NIC of a halted VM")
def vif_destroy(ctx, args):
    devices.device_destroy(ctx, "vif", by_uuid(ctx, "vif", args.get("uuid")))
    return ""


@command("pif-introduce", reqd=("device", "mac"), optional=("bridge", "VLAN", "management", "IP-configuration-mode"),
         description="record a dom0 NIC and the network of its bridge (first boot: the management NIC on xenbr0)")
def pif_introduce(ctx, args):
    pif = devices.pif_introduce(ctx, args.get("device"), args.get("mac"), args.get("bridge", MANAGEMENT_BRIDGE),
                                int(args.get("VLAN", "-1")), parse_bool(args.get("management", "false"), "management"),
                                args.get("IP-configuration-mode", "None"))
    return pif["uuid"] + "\n"
