"""Checks run before ANY disk write. Each failure is one message: the problem and the fix.
Only read-only probes happen here; all failures are collected so the user fixes them in one go."""
import hashlib
import logging
import os

from .errors import LayoutError, PreflightError
from .host import pick_nic
from .layout import compute_layout

log = logging.getLogger(__name__)


def sha256_file(path, chunk=4 * 1024 * 1024):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


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
    actual = sha256_file(image)
    if actual != words[0].lower():
        return ["dom0 image %s is corrupt (sha256 %s, expected %s); fix: re-download or rebuild the ISO"
                % (image, actual, words[0])]
    return []


def check_disk(plan, probe):
    disk = probe.get(plan.disk)
    if disk is None:
        known = ", ".join(d.describe().strip() for d in probe.list_disks()) or "none found"
        return ["disk %s does not exist; fix: set disk.primary to one of: %s" % (plan.disk, known)], None
    failures = []
    name = plan.disk if plan.disk == disk.path else "%s (%s)" % (plan.disk, disk.path)
    if disk.type != "disk":
        failures.append("disk %s is a %s, not a whole disk; fix: give the whole disk (e.g. /dev/vda, not /dev/vda1)"
                        % (name, disk.type))
    if disk.path in probe.boot_media():
        failures.append("disk %s holds the installer's boot medium; fix: choose another disk" % name)
    if disk.read_only:
        failures.append("disk %s is read-only; fix: choose a writable disk" % name)
    if disk.mounted:
        failures.append("disk %s has mounted filesystems (%s); fix: unmount them or choose another disk"
                        % (name, ", ".join(disk.mounted)))
    try:
        compute_layout(disk.size)
    except LayoutError as exc:
        failures.append("disk %s: %s" % (name, exc))
    return failures, disk


def run(plan, probe, host):
    """Check everything; fill plan's resolved fields; raise PreflightError listing every failure."""
    failures, disk = check_disk(plan, probe)
    nic = pick_nic(plan.network.interface, host.nics)
    if nic is None:
        failures.append("network interface %r not found (have: %s); fix: set network.interface to auto, a name or a MAC"
                        % (plan.network.interface, ", ".join(n.name for n in host.nics) or "none"))
    failures += check_image(plan.image)
    if failures:
        for f in failures:
            log.error("preflight: %s", f)
        raise PreflightError(failures)
    plan.disk_path, plan.disk_size = disk.path, disk.size
    plan.layout = compute_layout(disk.size)
    plan.nic = nic
    log.info("preflight passed: disk %s (%d bytes), nic %s", disk.path, disk.size, nic.name)
    return plan
