"""VM commands: install, lifecycle, uninstall, clone, disks, console, autostart."""
import os

from ..errors import XeError
from ..operations import vm as ops
from ..operations.resync import resync
from ..operations.storage import plug_all
from .printing import render
from .registry import command
from .select import find_template, select_vms, view
from ..fields import CLASSES

SELECTOR = "vm=<name or uuid>, <field>=<value> filters, --multiple"


@command("vm-install", reqd=("new-name-label",),
         optional=("template", "template-uuid", "template-name-label", "sr-uuid", "sr-name-label"),
         description="a new VM from a template (its disks made on the SR); prints the uuid, does not start it")
def vm_install(ctx, args):
    template = find_template(ctx, args)
    sr_uuid = args.get("sr-uuid")
    if sr_uuid is None and args.get("sr-name-label") is not None:
        found = ctx.db.find("sr", {"name-label": args.get("sr-name-label")})
        if not found:
            raise XeError("Error: No matching SRs found", "list them with `xe sr-list`",
                          **{"sr-name-label": args.get("sr-name-label")})
        sr_uuid = found[0]["uuid"]
    if sr_uuid is not None and ctx.db.get("sr", sr_uuid) is None:
        raise XeError("The uuid you supplied was invalid.", "list them with `xe sr-list`", type="SR", uuid=sr_uuid)
    return ops.vm_install(ctx, template, args.get("new-name-label"), sr_uuid)["uuid"] + "\n"


def _each(ctx, args, fn, own=()):
    for vm in select_vms(ctx, args, own):
        fn(ctx, vm)
    return ""


@command("vm-start", optional=("vm",), filters="vm", description=f"start VMs ({SELECTOR})")
def vm_start(ctx, args):
    return _each(ctx, args, ops.vm_start)


@command("vm-shutdown", optional=("vm", "force"), filters="vm",
         description=f"shut VMs down: clean, or --force (xl destroy) ({SELECTOR})")
def vm_shutdown(ctx, args):
    return _each(ctx, args, lambda c, vm: ops.vm_shutdown(c, vm, args.flag("force")))


@command("vm-reboot", optional=("vm", "force"), filters="vm", description=f"reboot VMs ({SELECTOR})")
def vm_reboot(ctx, args):
    return _each(ctx, args, lambda c, vm: ops.vm_reboot(c, vm, args.flag("force")))


@command("vm-uninstall", optional=("vm", "force"), filters="vm",
         description="destroy halted VMs and the disks they own (--force to confirm)")
def vm_uninstall(ctx, args):
    return _each(ctx, args, lambda c, vm: ops.vm_uninstall(c, vm, args.flag("force")))


@command("vm-clone", reqd=("new-name-label",), optional=("vm",), filters="vm",
         description="copy a halted VM with its disks; prints the new uuid")
def vm_clone(ctx, args):
    (vm,) = select_vms(ctx, args, own=("new-name-label",))
    return ops.vm_clone(ctx, vm, args.get("new-name-label"))["uuid"] + "\n"


@command("vm-disk-list", optional=("vm",), filters="vm", description="the VBDs and VDIs of VMs")
def vm_disk_list(ctx, args):
    records = []
    for vm in select_vms(ctx, args):
        for vbd in ctx.db.find("vbd", {"vm-uuid": vm["uuid"]}):
            records.append(view(ctx, [CLASSES["vbd"].get(n) for n in ("uuid", "vm-name-label", "userdevice",
                                                                      "device", "mode", "type")], vbd))
            vdi = ctx.db.get("vdi", vbd["vdi-uuid"]) if vbd["vdi-uuid"] else None
            if vdi:
                records.append(view(ctx, [CLASSES["vdi"].get(n) for n in ("uuid", "name-label", "sr-uuid",
                                                                          "virtual-size")], vdi))
    return render(records, args.flag("minimal"), args.flag("json"))


@command("console", optional=("vm",), filters="vm", description="attach to a running VM's console (xl console)")
def console(ctx, args):
    (vm,) = select_vms(ctx, args)
    if vm["power-state"] != "running":
        raise ops.bad_power_state(vm, "running")
    os.execvp("xl", ["xl", "console", str(vm["dom-id"])])   # hands the terminal to xl


@command("host-autostart", description="at boot: attach SRs, resync power states, start VMs with "
         "other-config:auto_poweron=true")
def host_autostart(ctx, args):
    plug_all(ctx)
    resync(ctx)
    lines, failed = [], False
    for vm in ctx.db.find("vm", {"is-a-template": False, "is-control-domain": False}):
        if vm["other-config"].get("auto_poweron") != "true" or vm["power-state"] != "halted":
            continue
        try:
            ops.vm_start(ctx, vm)
            lines.append(f"started {vm['name-label']} ({vm['uuid']})")
        except XeError as e:
            failed = True
            lines.append(f"FAILED to start {vm['name-label']} ({vm['uuid']}): {e}")
    if failed:
        raise XeError("\n".join(lines), "see the messages above; the other VMs were started")
    return "".join(line + "\n" for line in lines)
