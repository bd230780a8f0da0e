"""VBDs, VIFs and networks: the records that tie a VM to its disks and bridges."""
import random
import re

from ..errors import XeError

MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
XEN_OUI = "00:16:3e"   # Xen's own prefix, what xl picks too


def random_mac(rng=random):
    return XEN_OUI + "".join(f":{rng.randrange(256):02x}" for _ in range(3))


def _halted(vm, what):
    if vm["power-state"] != "halted":
        raise XeError(f"Error: {what} of a running VM is not supported", "shut the VM down first (xe vm-shutdown)",
                      vm=vm["uuid"])


def _slot(ctx, cls, vm, field, device):
    if not str(device).isdigit():
        raise XeError(f"Error: device must be a slot number, not '{device}'", "e.g. device=0")
    if any(str(r[field]) == str(device) for r in ctx.db.find(cls, {"vm-uuid": vm["uuid"]})):
        raise XeError(f"Error: device {device} is already in use on VM {vm['name-label']}",
                      f"choose another device number (xe {cls}-list vm-uuid={vm['uuid']})")


def vbd_create(ctx, vm, vdi, device, bootable=False, vbd_type="Disk", mode="RW", owner=False):
    with ctx.lock(vm["uuid"]):
        _halted(vm, "vbd-create")
        _slot(ctx, "vbd", vm, "userdevice", device)
        if vdi and not vdi["sharable"] and ctx.db.find("vbd", {"vdi-uuid": vdi["uuid"]}):
            raise XeError(f"Error: VDI {vdi['uuid']} is already attached to a VM and is not sharable",
                          "clone it, or make another VDI")
        return ctx.db.insert("vbd", {"vm-uuid": vm["uuid"], "vdi-uuid": vdi["uuid"] if vdi else "",
                                     "empty": vdi is None, "userdevice": str(device), "bootable": bootable,
                                     "type": vbd_type, "mode": mode,
                                     "other-config": {"owner": "true"} if owner else {}})


def vif_create(ctx, vm, network, device, mac=None):
    mac = (mac or "random").lower()
    mac = random_mac() if mac == "random" else mac
    if not MAC.match(mac):
        raise XeError(f"Error: MAC address '{mac}' is invalid", "give aa:bb:cc:dd:ee:ff or mac=random")
    with ctx.lock(vm["uuid"]):
        _halted(vm, "vif-create")
        _slot(ctx, "vif", vm, "device", device)
        return ctx.db.insert("vif", {"vm-uuid": vm["uuid"], "network-uuid": network["uuid"],
                                     "device": str(device), "MAC": mac, "MTU": network["MTU"]})


def device_destroy(ctx, cls, record):
    vm = ctx.db.get("vm", record["vm-uuid"])
    with ctx.lock(record["vm-uuid"]):
        if vm:
            _halted(vm, f"{cls}-destroy")
        ctx.db.delete(cls, record["uuid"])


def network_create(ctx, name_label, name_description="", bridge=None, mtu=1500):
    with ctx.db.write():
        used = {n["bridge"] for n in ctx.db.find("network")}
        if bridge is None:
            bridge = next(f"xapi{n}" for n in range(len(used) + 1) if f"xapi{n}" not in used)
        elif bridge in used:
            raise XeError(f"Error: a network already uses bridge {bridge}", "list them with `xe network-list`")
        return ctx.db.insert("network", {"name-label": name_label, "name-description": name_description,
                                         "bridge": bridge, "MTU": mtu})


def pif_introduce(ctx, device, mac, bridge, vlan=-1, management=False, mode="None"):
    """A dom0 NIC and its bridge's network, recorded once (run again: the same records, updated)."""
    mac = mac.lower()
    if not MAC.match(mac):
        raise XeError(f"Error: MAC address '{mac}' is invalid", "give aa:bb:cc:dd:ee:ff")
    with ctx.db.write():
        networks = ctx.db.find("network", {"bridge": bridge})
        network = networks[0] if networks else ctx.db.insert("network", {
            "name-label": f"Pool-wide network associated with {device}", "bridge": bridge})
        values = {"device": device, "MAC": mac, "VLAN": vlan, "network-uuid": network["uuid"],
                  "host-uuid": ctx.db.host()["uuid"], "management": management, "IP-configuration-mode": mode}
        found = ctx.db.find("pif", {"MAC": mac, "VLAN": vlan})
        if found:
            ctx.db.update("pif", found[0]["uuid"], values)
            return {**found[0], **values}
        return ctx.db.insert("pif", values)
