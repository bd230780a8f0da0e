"""Existing xenhost installs: found by the partitions labelled xenhost-root / xenhost-backup, read
with the filesystem mounted read-only without journal replay (ro,noload), so looking never writes."""
import logging
import os
import shlex
from dataclasses import dataclass

import yaml

from .errors import XenhostError
from .layout import LABELS
from .mounts import scratch_mount

log = logging.getLogger(__name__)

BACKUP_MARKER = ".xenhost-backup"       # at the top of the backup partition, written by an upgrade
# beside it while an upgrade runs: written once the backup is complete, removed when the upgrade (or a
# restore) finished. Present = the root may be half-written and the backup is the only good copy.
UNFINISHED_MARKER = ".xenhost-upgrade-unfinished"
READ_ONLY = ["-o", "ro,noload"]


@dataclass
class ExistingInstall:
    disk: str                       # kernel path of the whole disk
    version: str                    # None: the root holds no readable xenhost, only the backup does
    hostname: str
    backup_version: str = None      # None: the backup partition holds no earlier xenhost
    root_uuid: str = ""             # kept when the root filesystem is re-made
    root_used: int = 0              # bytes in use on the root filesystem (the backup must hold them)
    backup_size: int = 0            # bytes of the backup partition
    unfinished_upgrade: str = None  # an upgrade stopped after backing up ("from 0.1, started ..."): restore first

    def describe(self):
        root = "xenhost %s" % self.version if self.version else "no readable xenhost root"
        backup = ", backup: xenhost %s" % self.backup_version if self.backup_version else ", no backup"
        unfinished = ", unfinished upgrade (%s)" % self.unfinished_upgrade if self.unfinished_upgrade else ""
        return "%s (%s) on %s%s%s" % (root, self.hostname or "no hostname", self.disk, backup, unfinished)


@dataclass
class Backup:
    """What the backup partition says about itself (its markers, else its os-release)."""
    version: str = None
    hostname: str = ""
    root_uuid: str = ""             # the root's UUID when it was backed up: the copy's fstab names it
    unfinished_upgrade: str = None


def read_in_root(root, relpath, hops=10):
    """Text of relpath inside the tree at root, following symlinks as if root were / (an absolute
    link must not leak to the installer's own files); None when missing or leaving the tree."""
    path = relpath.lstrip("/")
    for _ in range(hops):
        full = os.path.join(root, path)
        if not os.path.islink(full):
            try:
                with open(full, errors="replace") as f:
                    return f.read()
            except OSError:
                return None
        target = os.readlink(full)
        path = os.path.normpath(target.lstrip("/") if target.startswith("/")
                                else os.path.join(os.path.dirname(path), target))
        if path.startswith(".."):
            return None
    return None


def parse_os_release(text):
    values = {}
    for line in (text or "").splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() and not key.startswith("#"):
            try:
                values[key.strip()] = " ".join(shlex.split(value))
            except ValueError:
                values[key.strip()] = value.strip()
    return values


def xenhost_version(root):
    """The xenhost version of the root tree at root, or None when it is not xenhost.
    /etc/xenhost-release (a bare version or os-release style) wins over os-release."""
    release = read_in_root(root, "etc/xenhost-release")
    if release is not None and release.strip():
        fields = parse_os_release(release)
        return fields.get("VERSION_ID") or fields.get("VERSION") or release.strip().splitlines()[0]
    fields = parse_os_release(read_in_root(root, "etc/os-release"))
    if fields.get("ID") != "xenhost":
        return None
    return fields.get("VERSION_ID") or fields.get("VERSION") or "unknown"


def read_root(root):
    """(version, hostname) of an installed root tree, or None when it is not xenhost."""
    version = xenhost_version(root)
    if version is None:
        return None
    return version, (read_in_root(root, "etc/hostname") or "").strip()


def _yaml_mapping(text):
    try:
        data = yaml.safe_load(text or "")
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def unfinished_text(marker):
    """One line for an unfinished-upgrade marker (its presence counts, even when unreadable)."""
    data = _yaml_mapping(marker)
    if not data:
        return "marker unreadable"
    return "from %s, started %s" % (data.get("from-version", "?"), data.get("started", "?"))


def read_backup(root):
    """Backup facts of the backup partition mounted at root: version from its marker, else its os-release."""
    data = _yaml_mapping(read_in_root(root, BACKUP_MARKER))
    unfinished = read_in_root(root, UNFINISHED_MARKER)
    return Backup(version=str(data["version"]) if data.get("version") else xenhost_version(root),
                  hostname=str(data.get("hostname") or (read_in_root(root, "etc/hostname") or "").strip()),
                  root_uuid=str(data.get("root-uuid") or ""),
                  unfinished_upgrade=unfinished_text(unfinished) if unfinished is not None else None)


def used_bytes(path):
    st = os.statvfs(path)
    return (st.f_blocks - st.f_bfree) * st.f_frsize


def _inspect(probe, commands, device, reader):
    """reader(mountpoint) on device mounted read-only, plus the bytes in use; (None, 0) if unreadable."""
    try:
        with scratch_mount(commands, probe.mounted, device, READ_ONLY) as path:
            return reader(path), used_bytes(path)
    except XenhostError as exc:
        log.info("%s: no readable filesystem (%s)", device, str(exc).splitlines()[0])
        return None, 0


def _uuid(commands, device):
    return commands.run(["blkid", "-p", "-s", "UUID", "-o", "value", device], check=False).stdout.strip()


def inspect_disk(probe, commands, disk):
    """ExistingInstall for disk (disks.Disk), or None when neither its root nor its backup partition
    holds a readable xenhost. A root that is unreadable or not xenhost (an upgrade stopped while
    re-making it) with a xenhost backup is still an install: restore can bring the backup back."""
    parts = {p.partlabel or p.label: p for p in disk.partitions}
    root = parts.get(LABELS["root"])
    if root is None:
        return None
    root_dev = probe.partition(disk.path, root.number)
    found, used = _inspect(probe, commands, root_dev, read_root)
    backup_part = parts.get(LABELS["backup"])
    backup = Backup()
    if backup_part is not None:
        backup = _inspect(probe, commands, probe.partition(disk.path, backup_part.number), read_backup)[0] or Backup()
    if found is None and backup.version is None:
        return None
    version, hostname = found or (None, backup.hostname)
    install = ExistingInstall(disk.path, version, hostname, backup.version,
                              root_uuid=_uuid(commands, root_dev) or backup.root_uuid, root_used=used,
                              backup_size=backup_part.size if backup_part else 0,
                              unfinished_upgrade=backup.unfinished_upgrade)
    log.info("existing install: %s", install.describe())
    return install


def find(probe, commands, disks):
    """Every readable xenhost install on disks (disks.Disk)."""
    return [e for e in (inspect_disk(probe, commands, d) for d in disks) if e is not None]
