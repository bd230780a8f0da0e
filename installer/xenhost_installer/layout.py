"""The partition layout as a pure function of the disk size (unit-tested, no I/O).

XenServer's GPT layout: BIOS boot, ESP 512 MiB, root 18 GiB, backup root 18 GiB (the previous
version is kept there on upgrade), logs 4 GiB, swap 1 GiB, local SR = the rest. XenServer needs a
46 GB disk; we scale the system partitions down linearly between 16 GiB and 64 GiB disks and accept
disks down to MIN_DISK_BYTES with the floor sizes, so small lab hosts and test VMs install too.
"""
from dataclasses import dataclass

from .errors import LayoutError

MiB = 1024 ** 2
GiB = 1024 ** 3

# (size at <=16 GiB disk, size at >=64 GiB disk), in MiB
SCALED = {"root": (4096, 18432), "backup": (4096, 18432), "logs": (1024, 4096), "swap": (512, 1024)}
SMALL_DISK, FULL_DISK = 16 * GiB, 64 * GiB
MIN_SR_MiB = 1024
GPT_OVERHEAD_MiB = 2            # 1 MiB alignment at the start + backup GPT at the end
BIOS_MiB, ESP_MiB = 1, 512
STEP_MiB = 64                   # round scaled sizes down to this, keeps sizes readable


@dataclass(frozen=True)
class Partition:
    number: int
    role: str          # bios, esp, root, backup, logs, swap, sr
    label: str         # GPT partition label
    type_code: str     # sgdisk type code
    size_mib: int      # 0 = the rest of the disk
    fs: str            # vfat, ext4, swap, or "" (left unformatted)


def _minimum_disk_mib():
    return GPT_OVERHEAD_MiB + BIOS_MiB + ESP_MiB + sum(lo for lo, _ in SCALED.values()) + MIN_SR_MiB


MIN_DISK_BYTES = _minimum_disk_mib() * MiB    # 11267 MiB: the floor sizes + 1 GiB of local SR


def _scaled(disk_bytes, lo, hi):
    if disk_bytes <= SMALL_DISK:
        return lo
    if disk_bytes >= FULL_DISK:
        return hi
    frac = (disk_bytes - SMALL_DISK) / (FULL_DISK - SMALL_DISK)
    return max(lo, int((lo + (hi - lo) * frac) // STEP_MiB * STEP_MiB))


# The partitions in disk order: number, role, GPT label, sgdisk type code, filesystem ("" = none yet)
ROLES = (
    (1, "bios", "bios-boot", "EF02", ""),
    (2, "esp", "xenhost-esp", "EF00", "vfat"),
    (3, "root", "xenhost-root", "8300", "ext4"),
    (4, "backup", "xenhost-backup", "8300", ""),       # filled by an upgrade
    (5, "logs", "xenhost-logs", "8300", "ext4"),
    (6, "swap", "xenhost-swap", "8200", "swap"),
    (7, "sr", "xenhost-sr", "8E00", ""),               # first boot makes the storage repository
)
LABELS = {role: label for _, role, label, _, _ in ROLES}
# what an upgrade or a restore needs on an existing disk
REQUIRED_FOR_UPGRADE = ("bios", "esp", "root", "backup")


def compute_layout(disk_bytes, with_sr=True):
    """Return the partitions for a disk of disk_bytes; raise LayoutError when it is too small.
    with_sr=False (storage.use-primary-disk: false): no storage partition, the rest stays unallocated."""
    minimum = MIN_DISK_BYTES - (0 if with_sr else MIN_SR_MiB * MiB)
    if disk_bytes < minimum:
        raise LayoutError("disk is %.1f GiB but xenhost needs at least %.1f GiB" % (disk_bytes / GiB, minimum / GiB),
                          "choose a larger disk")
    size = {role: _scaled(disk_bytes, lo, hi) for role, (lo, hi) in SCALED.items()}
    size.update(bios=BIOS_MiB, esp=ESP_MiB, sr=0)
    return [Partition(number, role, label, code, size[role], fs) for number, role, label, code, fs in ROLES
            if with_sr or role != "sr"]


def layout_of_disk(parts):
    """The layout an existing install has, found by GPT label (parts: disks.Part). Upgrade and restore
    keep its numbers and sizes; roles without a partition are left out (preflight reports them)."""
    found = {p.partlabel: p for p in parts if p.partlabel}
    return [Partition(found[label].number, role, label, code, found[label].size // MiB, fs)
            for _, role, label, code, fs in ROLES if label in found]


def sr_size_mib(disk_bytes, layout):
    return disk_bytes // MiB - GPT_OVERHEAD_MiB - sum(p.size_mib for p in layout)


def by_role(layout, role):
    return next(p for p in layout if p.role == role)
