"""How many more VMs of one shape fit on the live host, and which limit binds first.

Each limit is (what is left now) / (what one more VM takes). The per-VM costs are what Xen 4.17
and Linux's backends take per device (sources in the comments); the "left" figures are read
from the running host: xl info, /proc/interrupts (dom0's bound event channels), xenstored's
open-file limit, fs.aio-nr. The figures estimate, they do not reserve: say so in the output.
"""
import json
import os

from ..errors import XeError

MIB = 1024 * 1024
DOM0_EVTCHN_LIMIT = 131071        # FIFO event-channel ABI (dom0 is not capped by max_event_channels=)
MAPTRACK_PER_FRAME = 512          # 8-byte maptrack entries in a 4 KiB frame
MAPTRACK_FRAMES_DEFAULT = 1024    # Xen 4.17 gnttab_max_maptrack_frames default
BLKBACK_GRANTS_PER_DISK = 1056 + 1  # blkback max_persistent_grants per ring, plus the ring itself
NETBACK_GRANTS_PER_VIF = 2        # tx and rx rings (copy mode maps no packet pages)
QDISK_AIO_PER_DISK = 128          # io_setup() depth of qemu's qdisk per file-backed disk
QEMU_DM_MIB = 40                  # dom0 memory of one HVM guest's qemu device model (-nodefaults, no USB)


def _read(ctx, path, default=""):
    try:
        with open(ctx.path(path), encoding="utf-8") as f:
            return f.read()
    except OSError:
        return default


def _memory(ctx, shape):
    free = int(ctx.xl_info().get("free_memory", 0)) * MIB
    # Xen's own overhead per guest: page tables and p2m (~1/128 of RAM) plus per-vCPU state.
    need = shape["memory"] + shape["memory"] // 128 + shape["vcpus"] * MIB + MIB
    return "free memory (xl info free_memory)", free, need


def _event_channels(ctx, shape):
    used = sum(1 for line in _read(ctx, "/proc/interrupts").splitlines() if "xen-" in line)
    # per guest in dom0: xenstore + console, one per disk ring, two per VIF queue (tx/rx).
    need = 2 + shape["disks"] + 2 * shape["vifs"]
    return "dom0 event channels", DOM0_EVTCHN_LIMIT - used, need


def _xenstored(ctx, shape):
    pid = ctx.runner.run(["pidof", "xenstored"], check=False).stdout.split()
    if not pid:
        return None
    limit = next((int(line.split()[3]) for line in _read(ctx, f"/proc/{pid[0]}/limits").splitlines()
                  if line.startswith("Max open files")), 1024)
    try:
        used = len(os.listdir(ctx.path(f"/proc/{pid[0]}/fd")))
    except OSError:
        used = 0
    need = 5 if shape["type"] == "hvm" else 3   # xenstored's fds per HVM / PV-PVH domain
    return "xenstored connections (open files)", limit - used, need


def _grants(ctx, shape):
    cmdline = ctx.xl_info().get("xen_commandline", "")
    frames = next((int(w.split("=")[1]) for w in cmdline.split() if w.startswith("gnttab_max_maptrack_frames=")),
                  MAPTRACK_FRAMES_DEFAULT)
    running = [vm for vm in ctx.db.find("vm", {"power-state": "running", "is-control-domain": False})]
    used = sum(len(ctx.db.find("vbd", {"vm-uuid": vm["uuid"]})) * BLKBACK_GRANTS_PER_DISK
               + len(ctx.db.find("vif", {"vm-uuid": vm["uuid"]})) * NETBACK_GRANTS_PER_VIF for vm in running)
    need = shape["disks"] * BLKBACK_GRANTS_PER_DISK + shape["vifs"] * NETBACK_GRANTS_PER_VIF
    return "dom0 grant mappings (maptrack)", frames * MAPTRACK_PER_FRAME - used, need


def _aio(ctx, shape):
    limit, used = _read(ctx, "/proc/sys/fs/aio-max-nr").strip(), _read(ctx, "/proc/sys/fs/aio-nr").strip()
    if not limit.isdigit() or not used.isdigit():
        return None
    return "fs.aio-max-nr (qdisk file disks)", int(limit) - int(used), shape["disks"] * QDISK_AIO_PER_DISK


def _dom0_memory(ctx, shape):
    """HVM guests each run a qemu in dom0: dom0's available memory bounds them."""
    if shape["type"] != "hvm":
        return None
    available = next((int(line.split()[1]) * 1024 for line in _read(ctx, "/proc/meminfo").splitlines()
                      if line.startswith("MemAvailable:")), None)
    if available is None:
        return None
    return "dom0 memory for device models (qemu)", available, QEMU_DM_MIB * MIB


def compute_max_vms(ctx, shape):
    if shape["memory"] <= 0 or shape["vcpus"] <= 0:
        raise XeError("Error: memory and vcpus must be more than 0", "e.g. vcpus=1 memory=1GiB")
    limits = []
    for probe in (_memory, _event_channels, _xenstored, _grants, _aio, _dom0_memory):
        found = probe(ctx, shape)
        if found:
            name, left, need = found
            limits.append({"limit": name, "available": max(left, 0), "per-vm": need,
                           "fits": max(left, 0) // need if need else None})
    bounded = [l for l in limits if l["fits"] is not None]
    binding = min(bounded, key=lambda l: l["fits"])
    return {"shape": shape, "max-vms": binding["fits"], "binding-limit": binding["limit"], "limits": limits}


def format_capacity(result, as_json=False):
    if as_json:
        return json.dumps(result, indent=2) + "\n"
    shape = result["shape"]
    lines = [f"{result['max-vms']} more VMs with {shape['vcpus']} vCPU, {shape['memory'] // MIB} MiB, "
             f"{shape['disks']} disk(s), {shape['vifs']} VIF(s) fit; the binding limit: {result['binding-limit']}",
             "(an estimate from the live host; nothing is reserved)", ""]
    width = max(len(l["limit"]) for l in result["limits"])
    for l in sorted(result["limits"], key=lambda l: (l["fits"] is None, l["fits"])):
        fits = "-" if l["fits"] is None else l["fits"]
        lines.append(f"  {l['limit'].ljust(width)}  available {l['available']:>12}  per VM {l['per-vm']:>8}"
                     f"  fits {fits}")
    return "\n".join(lines) + "\n"
