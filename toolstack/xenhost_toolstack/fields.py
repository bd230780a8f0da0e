"""THE table of object fields: one declaration per field of every class.

It drives the SQLite columns (db.py), `xe` parameter parsing and validation (param-set, create
commands, list filters), record printing with XAPI's ( RO)/( RW)/(MRW) markers, `xe help` and
the generated reference page toolstack/xe-reference.md (tests/toolstack/test_reference_doc.py
fails when the page is stale). Field names, order and defaults follow XAPI's records
(ocaml/xapi-cli-server/records.ml) where xenhost has the same thing.

A field is stored (a column) unless it has `derive`: then it is computed when printed or filtered
on, from other records (vm-name-label of a VBD) or the live host (memory-free from `xl info`).
"""
from dataclasses import dataclass, field as dc_field
from typing import Callable, Optional, Tuple

from . import live

STR, INT, SIZE, BOOL, ENUM, REF, MAP, SET = "str", "int", "size", "bool", "enum", "ref", "map", "set"


@dataclass(frozen=True)
class Field:
    name: str
    type: str = STR
    rw: bool = False
    default: object = ""
    help: str = ""
    choices: Tuple[str, ...] = ()
    ref: str = ""                        # REF: the class the uuid points to
    derive: Optional[Callable] = None    # (ctx, record) -> value; not stored

    @property
    def column(self):
        return self.name.replace("-", "_")

    @property
    def stored(self):
        return self.derive is None

    @property
    def marker(self):
        """XAPI's label marker: ' RO', ' RW', 'MRO', 'MRW', 'SRO', 'SRW'."""
        prefix = {MAP: "M", SET: "S"}.get(self.type, " ")
        return prefix + ("RW" if self.rw else "RO")

    def initial(self):
        """A fresh copy of the default (maps and sets are mutable)."""
        return type(self.default)(self.default) if isinstance(self.default, (dict, list)) else self.default


@dataclass(frozen=True)
class Cls:
    name: str                     # xe prefix: vm, sr, vdi ...
    api: str                      # XAPI's class name in errors: VM, SR, VDI ...
    fields: Tuple[Field, ...]
    list_fields: Tuple[str, ...]  # what <cls>-list prints without params=
    help: str = ""
    extra: dict = dc_field(default_factory=dict)

    def get(self, name):
        for f in self.fields:
            if f.name == name:
                return f
        return None

    @property
    def stored(self):
        return [f for f in self.fields if f.stored]


def _name_of(cls, ref_field):
    """A derived `<x>-name-label` next to a reference field."""
    def derive(ctx, record):
        other = ctx.db.get(cls, record.get(ref_field)) if record.get(ref_field) else None
        return other["name-label"] if other else ""
    return derive


def _uuids_of(cls, ref_field):
    """A derived set: uuids of the `cls` records whose `ref_field` points here."""
    return lambda ctx, record: [r["uuid"] for r in ctx.db.find(cls, {ref_field: record["uuid"]})]


def _sum_of(cls, ref_field, what):
    return lambda ctx, record: sum(r[what] for r in ctx.db.find(cls, {ref_field: record["uuid"]}))


def _userdevice_name(ctx, record):
    """userdevice 0 -> xvda (what the guest sees), like xapi's device once plugged."""
    try:
        return "xvd" + "abcdefghijklmnop"[int(record["userdevice"])]
    except (ValueError, IndexError):
        return ""


UUID = Field("uuid", help="the object's unique identifier")
NAME = Field("name-label", rw=True, help="a name for people")
DESC = Field("name-description", rw=True, help="a description for people")
OTHER = Field("other-config", MAP, rw=True, default={}, help="free key/value pairs for tools and scripts")
POWER_STATES = ("halted", "running", "paused", "suspended", "crashed")

HOST = Cls("host", "host", (
    UUID, NAME, DESC,
    Field("hostname", derive=live.hostname, help="dom0's hostname"),
    Field("address", derive=live.address, help="dom0's address on the management bridge"),
    Field("software-version", MAP, derive=live.software_version, help="product, Xen and dom0 kernel versions"),
    Field("xen_version", derive=live.xen_version, help="Xen's version (xl info)"),
    Field("xen_commandline", derive=live.xen_commandline, help="Xen's boot command line"),
    Field("capabilities", SET, derive=live.capabilities, help="guest types Xen can run"),
    Field("cpu_info", MAP, derive=live.cpu_info, help="CPU count, sockets and speed"),
    Field("memory-total", INT, derive=live.memory_total, help="host memory, bytes"),
    Field("memory-free", INT, derive=live.memory_free, help="memory free for guests, bytes"),
    Field("dom0-kernel", derive=live.dom0_kernel, help="dom0's kernel release"),
    OTHER,
), ("uuid", "name-label", "name-description"), "this host (one record)")

VM = Cls("vm", "VM", (
    UUID, NAME, DESC,
    Field("user-version", INT, rw=True, default=1, help="a version number for people"),
    Field("is-a-template", BOOL, rw=True, default=False, help="a template: vm-install copies it, it never runs"),
    Field("is-control-domain", BOOL, default=False, help="dom0"),
    Field("power-state", ENUM, default="halted", choices=POWER_STATES,
          help="halted, running, paused, suspended or crashed (resynchronised with `xl list`)"),
    Field("domain-type", ENUM, rw=True, default="pvh", choices=("hvm", "pv", "pvh", "pv_in_pvh"),
          help="how Xen runs the guest (xl's type=)"),
    Field("memory-static-max", SIZE, rw=True, default=512 * 1024 ** 2, help="maximum memory (xl maxmem=)"),
    Field("memory-dynamic-max", SIZE, rw=True, default=512 * 1024 ** 2, help="memory at start (xl memory=)"),
    Field("memory-dynamic-min", SIZE, rw=True, default=512 * 1024 ** 2, help="lowest balloon target"),
    Field("memory-static-min", SIZE, rw=True, default=16 * 1024 ** 2, help="lowest memory the guest accepts"),
    Field("VCPUs-max", INT, rw=True, default=1, help="maximum virtual CPUs (xl maxvcpus=)"),
    Field("VCPUs-at-startup", INT, rw=True, default=1, help="virtual CPUs at start (xl vcpus=)"),
    Field("actions-after-shutdown", ENUM, rw=True, default="destroy", choices=("destroy", "restart"),
          help="xl on_poweroff="),
    Field("actions-after-reboot", ENUM, rw=True, default="restart", choices=("destroy", "restart"),
          help="xl on_reboot="),
    Field("actions-after-crash", ENUM, rw=True, default="destroy",
          choices=("destroy", "restart", "preserve", "coredump-destroy"), help="xl on_crash="),
    Field("PV-kernel", rw=True, help="kernel for direct boot (PV, PVH)"),
    Field("PV-ramdisk", rw=True, help="initramfs for direct boot"),
    Field("PV-args", rw=True, help="kernel command line (xl extra=)"),
    Field("PV-bootloader", rw=True, help="pvgrub64 | pvgrub-pvh: boot the guest's own GRUB (grub-xen-host)"),
    Field("HVM-boot-policy", rw=True, help="'BIOS order' for HVM guests"),
    Field("HVM-boot-params", MAP, rw=True, default={}, help="order: boot device letters (c disk, d CD, n net)"),
    Field("platform", MAP, rw=True, default={},
          help="device model keys: usb, usb-tablet, serial, viridian, ... (HVM); unset = not emulated"),
    Field("dom-id", INT, default=-1, help="Xen's domain id while running, else -1"),
    Field("resident-on", REF, ref="host", help="the host it runs on"),
    Field("start-time", help="when it was last started (UTC)"),
    OTHER,
    Field("tags", SET, rw=True, default=[], help="labels for people and scripts"),
), ("uuid", "name-label", "power-state"), "virtual machines and templates")

VBD = Cls("vbd", "VBD", (
    UUID,
    Field("vm-uuid", REF, ref="vm", help="the VM"),
    Field("vm-name-label", derive=_name_of("vm", "vm-uuid"), help="the VM's name"),
    Field("vdi-uuid", REF, ref="vdi", help="the disk (empty for an empty CD drive)"),
    Field("vdi-name-label", derive=_name_of("vdi", "vdi-uuid"), help="the disk's name"),
    Field("empty", BOOL, default=False, help="no disk in the drive"),
    Field("device", derive=_userdevice_name, help="the guest's device name (xvda ...)"),
    Field("userdevice", help="slot number: 0 -> xvda, 1 -> xvdb ..."),
    Field("bootable", BOOL, rw=True, default=False, help="boot from it"),
    Field("mode", ENUM, rw=True, default="RW", choices=("RO", "RW"), help="read-only or read-write"),
    Field("type", ENUM, rw=True, default="Disk", choices=("Disk", "CD"), help="disk or CD drive"),
    Field("currently-attached", BOOL, default=False, help="plugged into the running guest"),
    OTHER,
), ("uuid", "vm-uuid", "vm-name-label", "vdi-uuid", "device", "empty"), "virtual block devices: VM <-> VDI")

VDI = Cls("vdi", "VDI", (
    UUID, NAME, DESC,
    Field("sr-uuid", REF, ref="sr", help="the SR holding it"),
    Field("sr-name-label", derive=_name_of("sr", "sr-uuid"), help="the SR's name"),
    Field("virtual-size", SIZE, default=0, help="size the guest sees, bytes"),
    Field("physical-utilisation", INT, default=0, help="space it takes in the SR, bytes"),
    Field("type", ENUM, default="user", choices=("user", "system", "suspend", "crashdump"), help="what it is for"),
    Field("sharable", BOOL, default=False, help="several VMs may attach it"),
    Field("read-only", BOOL, default=False, help="never written"),
    Field("location", help="the LV (lvm SR) or file (ext SR) holding the data"),
    Field("vbd-uuids", SET, derive=_uuids_of("vbd", "vdi-uuid"), help="VBDs attaching it"),
    Field("sm-config", MAP, default={}, help="storage details (type: raw)"),
    OTHER,
), ("uuid", "name-label", "name-description", "virtual-size", "read-only", "sharable", "sr-uuid"),
    "virtual disk images")

SR = Cls("sr", "SR", (
    UUID, NAME, DESC,
    Field("host", derive=lambda ctx, r: ctx.db.host()["name-label"], help="the host it is on"),
    Field("type", ENUM, choices=("lvm", "ext"), help="lvm: one LV per VDI; ext: one file per VDI on ext4"),
    Field("content-type", default="user", help="user (VM disks) or iso"),
    Field("shared", BOOL, rw=True, default=False, help="shared between hosts (never, on xenhost)"),
    Field("physical-size", SIZE, default=0, help="capacity, bytes"),
    Field("physical-utilisation", INT, default=0, help="space used, bytes (updated by sr-scan)"),
    Field("virtual-allocation", INT, derive=_sum_of("vdi", "sr-uuid", "virtual-size"),
          help="sum of its VDIs' virtual sizes"),
    Field("VDIs", SET, derive=_uuids_of("vdi", "sr-uuid"), help="its VDIs"),
    Field("PBDs", SET, derive=_uuids_of("pbd", "sr-uuid"), help="its PBDs"),
    Field("sm-config", MAP, default={}, help="storage details (vg: the volume group)"),
    OTHER,
), ("uuid", "name-label", "name-description", "host", "type", "content-type"), "storage repositories")

PBD = Cls("pbd", "PBD", (
    UUID,
    Field("host-uuid", REF, ref="host", help="the host"),
    Field("sr-uuid", REF, ref="sr", help="the SR"),
    Field("device-config", MAP, default={}, help="where the SR lives (device: /dev/...)"),
    Field("currently-attached", BOOL, default=False, help="the SR is usable now"),
    OTHER,
), ("uuid", "host-uuid", "sr-uuid", "device-config", "currently-attached"), "physical block devices: host <-> SR")

NETWORK = Cls("network", "network", (
    UUID, NAME, DESC,
    Field("bridge", help="dom0's Linux bridge (xenbr0)"),
    Field("MTU", INT, rw=True, default=1500, help="frame size"),
    Field("VIF-uuids", SET, derive=_uuids_of("vif", "network-uuid"), help="VIFs on it"),
    Field("PIF-uuids", SET, derive=_uuids_of("pif", "network-uuid"), help="PIFs on it"),
    OTHER,
), ("uuid", "name-label", "name-description", "bridge"), "networks: a bridge in dom0")

PIF = Cls("pif", "PIF", (
    UUID,
    Field("device", help="dom0's NIC (kernel name)"),
    Field("MAC", help="the NIC's MAC"),
    Field("VLAN", INT, default=-1, help="VLAN tag, -1 for none"),
    Field("network-uuid", REF, ref="network", help="the network it carries"),
    Field("network-name-label", derive=_name_of("network", "network-uuid"), help="the network's name"),
    Field("host-uuid", REF, ref="host", help="the host"),
    Field("currently-attached", BOOL, default=True, help="up"),
    Field("management", BOOL, default=False, help="dom0's management interface"),
    Field("IP-configuration-mode", default="None", help="DHCP, Static or None"),
    OTHER,
), ("uuid", "device", "VLAN", "MAC", "network-uuid", "currently-attached", "host-uuid"),
    "physical interfaces: NIC <-> network")

VIF = Cls("vif", "VIF", (
    UUID,
    Field("device", help="slot number in the guest: 0 -> eth0"),
    Field("MAC", help="the guest NIC's MAC"),
    Field("MTU", INT, default=1500, help="frame size"),
    Field("vm-uuid", REF, ref="vm", help="the VM"),
    Field("vm-name-label", derive=_name_of("vm", "vm-uuid"), help="the VM's name"),
    Field("network-uuid", REF, ref="network", help="the network"),
    Field("network-name-label", derive=_name_of("network", "network-uuid"), help="the network's name"),
    Field("currently-attached", BOOL, default=False, help="plugged into the running guest"),
    OTHER,
), ("uuid", "device", "vm-uuid", "network-uuid"), "virtual interfaces: VM <-> network")

CLASSES = {c.name: c for c in (HOST, VM, VBD, VDI, SR, PBD, NETWORK, PIF, VIF)}
