"""/etc/xenhost/firstboot.yaml: what the installer leaves for xenhost-firstboot. The contract is one
JSON schema, common/xenhost_common/firstboot.schema.json: what is written here is checked against
it before it is written, and first boot checks what it reads against the same file.

Devices are named so that first boot finds exactly the disks chosen here, whatever order the
installed kernel enumerates them in: the SR partition by its GPT partition GUID (unique, unlike
the `xenhost-sr` label, which an old install on a disk not chosen may also carry), guest disks by
/dev/disk/by-id (fallback: the kernel name, when the disk has no id, e.g. virtio without serial).
"""
import logging
import os

from xenhost_common import contract, names

from ..hooks import install_firstboot_hooks
from ..layout import by_role

log = logging.getLogger(__name__)

FIRSTBOOT_YAML = names.FIRSTBOOT_DATA.lstrip("/")
BY_ID = "/dev/disk/by-id"
STABLE_NAMES = "/dev/disk/"
BY_PARTUUID = "/dev/disk/by-partuuid/"
SR_BY_LABEL = "/dev/disk/by-partlabel/xenhost-sr"
# by-id links name one disk several ways: prefer the world-wide names, then the bus's serial
ID_PREFERENCE = ("wwn-", "nvme-eui.", "nvme-uuid.", "scsi-3", "nvme-", "ata-", "scsi-", "virtio-", "usb-")
MANAGEMENT_BRIDGE = names.MANAGEMENT_BRIDGE


def stable_disk_name(given, kernel_path, by_id=BY_ID):
    """The by-id name of the disk `given` (resolved by preflight to kernel_path)."""
    if given.startswith(STABLE_NAMES):      # the answer file already names it by id (or path, wwn...)
        return given
    target = os.path.realpath(kernel_path)
    try:
        names = os.listdir(by_id)
    except OSError:
        names = []
    links = [n for n in names if os.path.realpath(os.path.join(by_id, n)) == target]
    if not links:
        log.warning("guest disk %s has no %s name; first boot will look for %s", given, by_id, kernel_path)
        return kernel_path

    def rank(name):
        return next((i for i, p in enumerate(ID_PREFERENCE) if name.startswith(p)), len(ID_PREFERENCE)), name
    return os.path.join(by_id, min(links, key=rank))


def sr_partition_name(ctx):
    number = by_role(ctx.plan.layout, "sr").number
    out = ctx.commands.run(["sfdisk", "--part-uuid", ctx.plan.disk_path, str(number)], check=False).stdout.strip()
    if len(out) == 36 and out.count("-") == 4:
        return BY_PARTUUID + out.lower()        # udev's by-partuuid links are lower case
    log.warning("no partition GUID for %s partition %d (%r); first boot will use %s",
                ctx.plan.disk_path, number, out, SR_BY_LABEL)
    return SR_BY_LABEL


def management(plan):
    net = plan.network
    data = {"interface": plan.nic.name, "mac": plan.nic.mac, "mode": net.mode, "bridge": MANAGEMENT_BRIDGE}
    if net.vlan is not None:
        data["vlan"] = net.vlan
    if net.mode == "static":
        data.update(address=net.address, gateway=net.gateway)
    if net.dns:     # in both modes: with DHCP, used besides the servers the lease names
        data["dns"] = list(net.dns)
    return data


def firstboot_data(plan, sr_partition, hooks, by_id=BY_ID):
    """sr_partition None: the primary disk has no storage partition (storage.use-primary-disk: false);
    the local SR is the guest disks, or there is none."""
    guests = [stable_disk_name(given, path, by_id)
              for given, path in zip(plan.guest_disks, plan.guest_disk_paths)]
    devices = ([sr_partition] if sr_partition else []) + guests
    data = {"version": 1, "hostname": plan.hostname, "management": management(plan)}
    if devices:
        data["storage"] = {"local-sr": {"type": plan.storage_type, "devices": devices}}
    if plan.ask_root_password_at_first_boot:
        data["root-password"] = "ask"
    if hooks:
        data["hooks"] = list(hooks)
    return data


def write_firstboot(ctx):
    # the first-boot hooks fetched in preflight go to /etc/xenhost/firstboot.d (DESIGN.md, "Hooks")
    hooks = install_firstboot_hooks(ctx.hooks, ctx.target) if ctx.hooks else []
    has_sr = any(p.role == "sr" for p in ctx.plan.layout)
    data = firstboot_data(ctx.plan, sr_partition_name(ctx) if has_sr else None, hooks)
    contract.dump(data, ctx.path(FIRSTBOOT_YAML))
