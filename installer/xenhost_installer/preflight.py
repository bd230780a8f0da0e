"""Checks run before ANY disk write. Each failure is one message: the problem and the fix.
Only read-only probes happen here; all failures are collected so the user fixes them in one go."""
import dataclasses
import logging
import os

from xenhost_common.dom0image import ImageHeaderError, read_header
from xenhost_common.programs import package_of
from xenhost_common.runner import Runner
from xenhost_common.tasks import programs_of

from .errors import CommandFailed, LayoutError, PreflightError
from .host import pick_nic
from .imagedigest import image_digest, once_per_file
from .layout import GiB, LABELS, MiB, REQUIRED_FOR_UPGRADE, compute_layout, layout_of_disk
from .tasks import regional
from .tasks.sequence import build_tasks

log = logging.getLogger(__name__)


def check_image(image):
    """Return a list of failures (empty when the image and its sha256 file agree)."""
    sums = image + ".sha256"
    if not os.path.isfile(image):
        return ["dom0 image %s does not exist; fix: boot the xenhost ISO, or pass --image PATH" % image]
    if not os.path.isfile(sums):
        return ["checksum file %s is missing; fix: put `sha256sum %s` output beside the image"
                % (sums, os.path.basename(image))]
    with open(sums) as f:
        words = f.read().split()
    if not words:
        return ["checksum file %s is empty; fix: regenerate it with sha256sum" % sums]
    actual = image_digest(image)
    if actual != words[0].lower():
        return ["dom0 image %s is corrupt (sha256 %s, expected %s); fix: re-download or rebuild the ISO"
                % (image, actual, words[0])]
    try:
        image_header(image)
    except ImageHeaderError as exc:
        return ["dom0 image %s cannot be installed: %s; fix: use the image this installer was built with "
                "(./build.py iso writes both)" % (image, exc)]
    return []


_HEADERS = {}                   # (path, size, mtime) -> the filesystem image's header, None: a tarball


def image_header(image):
    """xenhost_common.dom0image.Header of a filesystem image, None for a tarball (read once)."""
    return once_per_file(_HEADERS, image, read_header)


def check_image_fits(plan, disk):
    """A filesystem image is written whole: it must fit the root partition it is written to."""
    if disk is None or plan.mode == "restore" or not os.path.isfile(plan.image):
        return []
    try:
        header = image_header(plan.image)
        layout = (compute_layout(disk.size, plan.sr_on_primary) if plan.mode == "install"
                  else layout_of_disk(disk.partitions))
    except (ImageHeaderError, LayoutError):
        return []           # check_image and the disk checks report these
    root = next((p for p in layout if p.role == "root"), None)
    if header is None or root is None or header.filesystem_bytes <= root.size_mib * MiB:
        return []
    return ["dom0 image %s holds a %d MiB filesystem, larger than the %d MiB root partition on %s; fix: a larger "
            "disk, or an image built smaller" % (plan.image, header.filesystem_bytes // MiB, root.size_mib, disk.path)]


_MEMBERS = {}                   # (path, size, mtime) -> names in the image: listed once per image
USR_MERGED = ("bin", "sbin", "lib", "lib64")     # links to usr/... in a merged-/usr root


def image_members(image, commands=None):
    """Names in the dom0 image without ./ or a trailing /: a filesystem image's header lists them; a
    tarball is listed with one `tar -tf`, which reads the whole image (cached). The ISO carries no
    package manifest beside the image, so the files it is."""
    def listed(path):
        header = image_header(path)
        if header is not None:
            return header.files
        out = (commands or Runner()).run(["tar", "-tf", path]).stdout
        return frozenset((n[2:] if n.startswith("./") else n).rstrip("/") for n in out.splitlines())
    return once_per_file(_MEMBERS, image, listed)


def in_image(names, relpath):
    """relpath is in the image; in a merged-/usr root bin/x is the member usr/bin/x (bin is a link)."""
    return relpath in names or (relpath.split("/", 1)[0] in USR_MERGED and "usr/" + relpath in names)


def check_image_contents(plan):
    """A keymap, time zone or NTP servers other than the defaults need packages in the image: checked
    here because the tasks that write them run after the disk is erased."""
    needs = regional.image_needs(plan)
    if not needs:
        return []
    try:
        names = image_members(plan.image)
    except CommandFailed as exc:
        return ["cannot list the files in dom0 image %s (%s); fix: re-download or rebuild the ISO"
                % (plan.image, ((exc.stderr or "").strip().splitlines() or ["exit %s" % exc.returncode])[0])]
    return [regional.missing_from_image(*need) for need in needs if not in_image(names, need[0])]


def _named(given, disk):
    return given if given == disk.path else "%s (%s)" % (given, disk.path)


def _known_disks(probe):
    return ", ".join(d.describe().strip() for d in probe.list_disks()) or "none found"


def usable_disk_problems(disk, name, boot_media):
    """Why a disk cannot be written at all (the same rules for the primary and guest disks)."""
    failures = []
    if disk.type != "disk":
        failures.append("disk %s is a %s, not a whole disk; fix: give the whole disk (e.g. /dev/vda, not /dev/vda1)"
                        % (name, disk.type))
    if disk.path in boot_media:
        failures.append("disk %s holds the installer's boot medium; fix: choose another disk" % name)
    if disk.read_only:
        failures.append("disk %s is read-only; fix: choose a writable disk" % name)
    if disk.mounted:
        failures.append("disk %s has mounted filesystems (%s); fix: unmount them or choose another disk"
                        % (name, ", ".join(disk.mounted)))
    return failures


def check_disk(plan, probe, boot_media):
    disk = probe.get(plan.disk)
    if disk is None:
        return ["disk %s does not exist; fix: set disk.primary to one of: %s" % (plan.disk, _known_disks(probe))], None
    name = _named(plan.disk, disk)
    failures = usable_disk_problems(disk, name, boot_media)
    if plan.mode == "install":
        try:
            compute_layout(disk.size, plan.sr_on_primary)
        except LayoutError as exc:
            failures.append("disk %s: %s" % (name, exc))
    return failures, disk


def check_guest_disks(plan, probe, primary, boot_media):
    """Guest disks: each exists, is a whole writable disk, not the boot medium, not the primary, once."""
    failures, paths = [], []
    for given in plan.guest_disks:
        disk = probe.get(given)
        if disk is None:
            failures.append("guest disk %s does not exist; fix: remove it from disk.guest or use one of: %s"
                            % (given, _known_disks(probe)))
            continue
        name = _named(given, disk)
        failures += usable_disk_problems(disk, "%s (guest)" % name, boot_media)
        if primary is not None and disk.path == primary.path:
            failures.append("guest disk %s is the primary disk; fix: remove it from disk.guest (the rest of the "
                            "primary disk becomes storage anyway)" % name)
        elif disk.path in paths:
            failures.append("guest disk %s is listed twice; fix: list each disk once" % name)
        else:
            paths.append(disk.path)
    return failures, paths


def _spanning(groups, chosen):
    """(name, chosen disks, other disks) of each group of disks reaching both chosen and other disks."""
    for name, disks in sorted(groups.items()):
        inside, outside = sorted(set(disks) & chosen), sorted(set(disks) - chosen)
        if inside and outside:
            yield name, ", ".join(inside), outside


def check_volume_groups(probe, chosen):
    """A volume group spread over a chosen disk and one that is not would be broken by the wipe."""
    return ["volume group %s spans %s (to be erased) and %s (not chosen); erasing would break it; fix: add %s to "
            "disk.guest, or remove the volume group first (vgremove %s)"
            % (vg, inside, ", ".join(outside), " ".join(outside), vg)
            for vg, inside, outside in _spanning(probe.volume_groups(), chosen)]


def check_raid_arrays(probe, chosen):
    """The RAID counterpart of check_volume_groups: the wipe stops each array on a chosen disk
    (mdadm --stop), which would take it away from its members on disks that are not chosen."""
    return ["RAID array %s has members on %s (to be erased) and %s (not chosen); erasing would break it; fix: add "
            "%s to disk.guest, or stop the array and remove it first (mdadm --stop %s, then mdadm --zero-superblock "
            "on each member)" % (array, inside, ", ".join(outside), " ".join(outside), array)
            for array, inside, outside in _spanning(probe.raid_arrays(), chosen)]


def upgrade_problems(found, name):
    """An upgrade re-makes the backup: never while it is the only good copy of the host."""
    if found.unfinished_upgrade:
        return ["an upgrade of disk %s did not finish (%s): the root may be half-written and the backup partition "
                "holds the only complete copy of xenhost %s; fix: use mode: restore first (it brings that copy "
                "back), then upgrade again" % (name, found.unfinished_upgrade, found.backup_version)]
    if found.version is None:
        return ["the root filesystem on %s holds no readable xenhost (only the backup partition does: xenhost %s); "
                "fix: use mode: restore to bring the backup back, or mode: install (which erases the disk)"
                % (name, found.backup_version)]
    if found.backup_size < found.root_used:
        return ["the backup partition on %s (%.1f GiB) cannot hold the root filesystem's %.1f GiB; fix: free space "
                "on the host (e.g. /root, /var/cache) and upgrade again"
                % (name, found.backup_size / GiB, found.root_used / GiB)]
    return []


def check_existing(plan, probe, disk):
    """Upgrade and restore need xenhost on disk.primary (and, to restore, a backup of it)."""
    installs = probe.existing_installs()
    found = next((e for e in installs if e.disk == disk.path), None)
    name = _named(plan.disk, disk)
    if found is None:
        elsewhere = "; xenhost was found on: %s" % ", ".join(e.disk for e in installs) if installs else ""
        return ["no xenhost installation found on disk %s (no readable xenhost on the partitions labelled "
                "xenhost-root and xenhost-backup)%s; fix: set disk.primary to the disk holding xenhost, or use "
                "mode: install (which erases the disk)" % (name, elsewhere)], None
    failures = []
    missing = [r for r in REQUIRED_FOR_UPGRADE if r not in {p.role for p in layout_of_disk(disk.partitions)}]
    if missing:
        failures.append("disk %s lacks the partitions %s of a xenhost layout; fix: use mode: install (which "
                        "erases the disk)" % (name, ", ".join(LABELS[r] for r in missing)))
    if not found.root_uuid:
        failures.append("the root filesystem on %s has no UUID; fix: check it with `e2fsck -f` from a shell" % name)
    if plan.mode == "upgrade":
        failures += upgrade_problems(found, name)
    if plan.mode == "restore" and found.backup_version is None:
        failures.append("disk %s has no backup of an earlier xenhost (the backup partition is empty); fix: restore "
                        "needs a backup made by an upgrade: use mode: upgrade or install" % name)
    if plan.guest_disks:
        failures.append("disk.guest is for fresh installs: an %s keeps the storage repository as it is; fix: remove "
                        "disk.guest" % plan.mode)
    return failures, found


def install_checks(plan, probe, host, disk, boot_media):
    """Fresh install: guest disks, volume groups, NIC. Returns (failures, guest paths, nic)."""
    failures, guests = check_guest_disks(plan, probe, disk, boot_media)
    chosen = set(guests) | ({disk.path} if disk else set())
    failures += check_volume_groups(probe, chosen) + check_raid_arrays(probe, chosen)
    nic = pick_nic(plan.network.interface, host.nics)
    if nic is None:
        failures.append("network interface %r not found (have: %s); fix: set network.interface to auto, a name or "
                        "a MAC" % (plan.network.interface, ", ".join(n.name for n in host.nics) or "none"))
    return failures, guests, nic


# What the install tasks run on the installer itself (the bootloader tools run inside the target).
def check_programs(tasks, has_program):
    """A program missing from the installer image would stop the install half way: find every one
    the tasks declare (tasks/sequence.py) before anything is written."""
    return ["%s is not installed in the installer environment (task: %s); fix: add the Debian package %s to the "
            "installer image (iso/images.yaml) or the xenhost-installer spec's Requires" % (name, task, package_of(name))
            for name, task in programs_of(tasks).items() if not has_program(name)]


def tasks_to_run(plan, disk, guests, found):
    """The task list the install will run, built on a copy of the plan as preflight resolved it."""
    if disk is None or (plan.mode != "install" and found is None):
        return []
    return build_tasks(dataclasses.replace(plan, disk_path=disk.path, guest_disk_paths=guests, existing=found))


def run(plan, probe, host):
    """Check everything; fill plan's resolved fields; raise PreflightError listing every failure."""
    boot_media = probe.boot_media()
    failures, disk = check_disk(plan, probe, boot_media)
    guests, nic, found = [], None, None
    if plan.mode == "install":
        more, guests, nic = install_checks(plan, probe, host, disk, boot_media)
        failures += more
    elif disk is not None:
        more, found = check_existing(plan, probe, disk)
        failures += more
    failures += check_programs(tasks_to_run(plan, disk, guests, found), probe.has_program)
    if plan.mode != "restore":
        image_failures = check_image(plan.image)
        failures += image_failures or check_image_contents(plan) + check_image_fits(plan, disk)
    if failures:
        for f in failures:
            log.error("preflight: %s", f)
        raise PreflightError(failures)
    plan.disk_path, plan.disk_size = disk.path, disk.size
    plan.layout = (compute_layout(disk.size, plan.sr_on_primary) if plan.mode == "install"
                   else layout_of_disk(disk.partitions))
    plan.nic, plan.guest_disk_paths, plan.existing = nic, guests, found
    log.info("preflight passed (%s): disk %s (%d bytes)%s%s", plan.mode, disk.path, disk.size,
             ", guest disks %s" % ", ".join(guests) if guests else "", ", nic %s" % nic.name if nic else "")
    return plan
