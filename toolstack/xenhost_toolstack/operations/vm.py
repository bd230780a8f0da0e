"""VM lifecycle: install, start, shutdown, reboot, uninstall, clone.

Each runs under the VM's lock, checks the power state against `xl list` first, and leaves the
database as Xen is: a failed `xl create` destroys whatever half-made domain is left and keeps the
VM halted; a failed vm-install removes the VDIs and records it made.
"""
import datetime

from xenhost_common.errors import XenhostError
from xenhost_common.files import write_atomic

from ..drivers.bridge import ensure_bridge
from ..drivers.xlconfig import config_text
from ..errors import XeError
from .devices import vbd_create
from .resync import resync
from .storage import vdi_create, vdi_destroy
from .templates import DOM0_KERNEL

CONFIG_DIR = "/run/xenhost/xl"
INSTALL_DIR = "/var/lib/xenhost/install"
# Record fields a copy does not take from its template or source.
NOT_COPIED = ("uuid", "power-state", "dom-id", "resident-on", "start-time", "is-control-domain")


def bad_power_state(vm, expected):
    return XeError("You attempted an operation on a VM that was not in an appropriate power state at the time; "
                   f"for example, you attempted to start a VM that was already running.",
                   f"the VM is {vm['power-state']}; this needs it {expected}",
                   vm=vm["uuid"], expected=expected, actual=vm["power-state"])


def _fresh(ctx, vm):
    resync(ctx)
    return ctx.db.get("vm", vm["uuid"])


def default_sr(ctx):
    srs = ctx.db.find("sr")
    local = [s for s in srs if s["other-config"].get("i18n-key") == "local-storage"]
    return (local or srs or [None])[0]


def provisioned_disks(vm):
    """other-config:disks (XAPI's <provision> XML) -> [(device, size, bootable, type)]."""
    text = vm["other-config"].get("disks", "")
    if not text:
        return []
    # imported here: only vm-install of a template with disks parses XML; every other xe command
    # (first boot's pif-introduce and sr-create among them) is spared ~2 ms natively, 0.05 s under TCG
    import xml.etree.ElementTree as ET
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise XeError(f"Error: other-config:disks is not valid XML ({e})", "fix the template's other-config:disks")
    return [(d.get("device", "0"), int(d.get("size", "0")), d.get("bootable") == "true", d.get("type", "system"))
            for d in root.iter("disk")]


def vm_install(ctx, template, new_name, sr_uuid=None):
    disks = provisioned_disks(template)
    sr = ctx.db.get("sr", sr_uuid) if sr_uuid else default_sr(ctx)
    if disks and sr is None:
        raise XeError("Error: no SR to put the template's disks on", "create one (xe sr-create) or give sr-uuid=")
    copy = {k: v for k, v in template.items() if k not in NOT_COPIED}
    copy.update({"name-label": new_name, "is-a-template": False,
                 "other-config": {k: v for k, v in template["other-config"].items()
                                  if k not in ("disks", "xenhost-template")}})
    made = []
    vm = ctx.db.insert("vm", copy)
    try:
        for device, size, bootable, vdi_type in disks:
            vdi = vdi_create(ctx, sr["uuid"], f"{new_name} {device}", size, vdi_type)
            made.append(vdi)
            vbd_create(ctx, vm, vdi, device, bootable=bootable, owner=True)
    except BaseException:
        for vdi in made:
            vdi_destroy(ctx, vdi)
        ctx.db.delete("vm", vm["uuid"])
        raise
    return vm


def _kernel(ctx, vm):
    kernel = vm["PV-kernel"]
    if kernel == DOM0_KERNEL:
        return f"/boot/vmlinuz-{ctx.runner.run(['uname', '-r']).stdout.strip()}"
    return kernel


def _installer(ctx, vm):
    """Debian-style netboot: fetch the installer kernel and initrd for the first start."""
    repo = vm["other-config"].get("install-repository", "").rstrip("/")
    folder = f"{INSTALL_DIR}/{vm['uuid']}"
    ctx.runner.run(["mkdir", "-p", ctx.path(folder)])
    for name in ("linux", "initrd.gz"):
        ctx.runner.run(["curl", "--fail", "--silent", "--show-error", "--retry", "3", "-o",
                        ctx.path(f"{folder}/{name}"), f"{repo}/{name}"], timeout=600,
                       fix=f"vm-start of a VM with other-config:install-repository downloads {repo}/{name}: "
                           "the host needs internet access (or point install-repository at a mirror)")
    return {**vm, "PV-kernel": f"{folder}/linux", "PV-ramdisk": f"{folder}/initrd.gz", "PV-bootloader": ""}


def _devices(ctx, vm):
    disks = []
    for vbd in sorted(ctx.db.find("vbd", {"vm-uuid": vm["uuid"]}), key=lambda b: int(b["userdevice"] or 0)):
        vdi = ctx.db.get("vdi", vbd["vdi-uuid"]) if vbd["vdi-uuid"] else None
        if vdi:
            vdev = ("hd" if vm["domain-type"] == "hvm" else "xvd") + "abcdefghijklmnop"[int(vbd["userdevice"])]
            disks.append((vdev, vdi["location"], vbd["mode"], vbd["type"] == "CD"))
    vifs = []
    for vif in sorted(ctx.db.find("vif", {"vm-uuid": vm["uuid"]}), key=lambda v: int(v["device"] or 0)):
        network = ctx.db.get("network", vif["network-uuid"])
        ensure_bridge(ctx, network["bridge"])
        vifs.append((vif["MAC"], network["bridge"]))
    return disks, vifs


def _domain_name(ctx, vm):
    """xl needs unique names: the name-label, made unique with the uuid when another domain has it."""
    name = "".join(c if c.isalnum() or c in "._-" else "-" for c in vm["name-label"]) or vm["uuid"]
    taken = {d.name for d in ctx.xl.domains()}
    return name if name not in taken else f"{name}-{vm['uuid'][:8]}"


def vm_start(ctx, vm):
    with ctx.lock(vm["uuid"]):
        vm = _fresh(ctx, vm)
        if vm["power-state"] != "halted":
            raise bad_power_state(vm, "halted")
        installing = bool(vm["other-config"].get("install-repository")) and \
            vm["other-config"].get("install-done") != "true"
        boot = _installer(ctx, vm) if installing else vm
        disks, vifs = _devices(ctx, vm)
        path = ctx.path(f"{CONFIG_DIR}/{vm['uuid']}.cfg")
        write_atomic(path, config_text(boot, disks, vifs, _domain_name(ctx, vm), _kernel(ctx, boot)))
        try:
            ctx.xl.create(path)
        except XenhostError:
            _destroy_leftover(ctx, vm)
            raise
        domain = next((d for d in ctx.xl.domains() if d.uuid == vm["uuid"]), None)
        with ctx.db.write():
            changes = {"power-state": "running", "dom-id": domain.domid if domain else -1,
                       "resident-on": ctx.db.host()["uuid"],
                       "start-time": datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H:%M:%SZ")}
            if installing:   # later starts boot the installed system's GRUB
                changes.update({"PV-bootloader": "pvgrub-pvh",
                                "other-config": {**vm["other-config"], "install-done": "true"}})
            ctx.db.update("vm", vm["uuid"], changes)
            _attached(ctx, vm, True)
    return ctx.db.get("vm", vm["uuid"])


def _destroy_leftover(ctx, vm):
    """xl create failed half-way: a domain it left (paused, no devices) must not stay."""
    try:
        for domain in ctx.xl.domains():
            if domain.uuid == vm["uuid"]:
                ctx.xl.destroy(domain.domid)
    except XenhostError:
        pass


def _attached(ctx, vm, attached):
    for cls in ("vbd", "vif"):
        for record in ctx.db.find(cls, {"vm-uuid": vm["uuid"]}):
            ctx.db.update(cls, record["uuid"], {"currently-attached": attached})


def _halted(ctx, vm):
    with ctx.db.write():
        ctx.db.update("vm", vm["uuid"], {"power-state": "halted", "dom-id": -1})
        _attached(ctx, vm, False)


def vm_shutdown(ctx, vm, force=False):
    with ctx.lock(vm["uuid"]):
        vm = _fresh(ctx, vm)
        if vm["power-state"] == "halted":
            raise bad_power_state(vm, "running")
        if force:
            ctx.xl.destroy(vm["dom-id"])
        else:
            ctx.xl.shutdown(vm["dom-id"])
        _halted(ctx, vm)


def vm_reboot(ctx, vm, force=False):
    with ctx.lock(vm["uuid"]):
        vm = _fresh(ctx, vm)
        if vm["power-state"] != "running":
            raise bad_power_state(vm, "running")
        if not force:
            ctx.xl.reboot(vm["dom-id"])
            return
        ctx.xl.destroy(vm["dom-id"])
        _halted(ctx, vm)
    vm_start(ctx, ctx.db.get("vm", vm["uuid"]))


def vm_uninstall(ctx, vm, force=False):
    with ctx.lock(vm["uuid"]):
        vm = _fresh(ctx, vm)
        if vm["power-state"] != "halted":
            raise XeError(f"Error: VM {vm['name-label']} is {vm['power-state']}",
                          "shut it down first (xe vm-shutdown), then uninstall", vm=vm["uuid"])
        if not force:
            raise XeError(f"Error: vm-uninstall destroys VM {vm['name-label']} and the disks it owns",
                          "add --force to confirm")
        vbds = ctx.db.find("vbd", {"vm-uuid": vm["uuid"]})
    for vbd in vbds:   # only the disks the VM owns (VBD other-config:owner), like XAPI
        vdi = ctx.db.get("vdi", vbd["vdi-uuid"]) if vbd["vdi-uuid"] else None
        if vdi and "owner" in vbd["other-config"]:
            vdi_destroy(ctx, vdi)
    with ctx.db.write():
        for cls in ("vbd", "vif"):
            for record in ctx.db.find(cls, {"vm-uuid": vm["uuid"]}):
                ctx.db.delete(cls, record["uuid"])
        ctx.db.delete("vm", vm["uuid"])


def vm_clone(ctx, vm, new_name):
    """A halted VM or a template, copied: record, VIFs (new MACs) and disks (data copied sparse)."""
    from .devices import random_mac
    vm = _fresh(ctx, vm)
    if vm["power-state"] != "halted":
        raise bad_power_state(vm, "halted")
    copy = ctx.db.insert("vm", {**{k: v for k, v in vm.items() if k not in NOT_COPIED}, "name-label": new_name})
    for vbd in ctx.db.find("vbd", {"vm-uuid": vm["uuid"]}):
        vdi = ctx.db.get("vdi", vbd["vdi-uuid"]) if vbd["vdi-uuid"] else None
        new_vdi = None
        if vdi:
            new_vdi = vdi_create(ctx, vdi["sr-uuid"], vdi["name-label"], vdi["virtual-size"], vdi["type"])
            ctx.runner.run(["dd", f"if={ctx.path(vdi['location'])}", f"of={ctx.path(new_vdi['location'])}",
                            "bs=4M", "conv=sparse,notrunc", "status=none"], timeout=7200)
        ctx.db.insert("vbd", {**{k: v for k, v in vbd.items() if k != "uuid"}, "vm-uuid": copy["uuid"],
                              "vdi-uuid": new_vdi["uuid"] if new_vdi else "", "currently-attached": False})
    for vif in ctx.db.find("vif", {"vm-uuid": vm["uuid"]}):
        ctx.db.insert("vif", {**{k: v for k, v in vif.items() if k != "uuid"}, "vm-uuid": copy["uuid"],
                              "MAC": random_mac(), "currently-attached": False})
    return copy
