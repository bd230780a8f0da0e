"""Upgrade and restore (installer/DESIGN.md "Upgrade and restore").

Upgrade: the old root is copied to the backup partition, the new image written to the root partition
with the SAME UUID (fstab and GRUB keep naming it; a tarball image: the root re-made with that UUID
and the image extracted into it), the host's identity copied back from
the backup, the answers' boot options and keymap applied when given, the bootloader re-installed.
Restore: the root re-made with its UUID and filled from the backup. While an upgrade runs, a marker on
the backup partition says the backup is the only good copy (existing.UNFINISHED_MARKER): preflight then
refuses another upgrade until a restore has brought the copy back. Both write only the root, backup
and ESP partitions and the boot sectors: never logs, swap, the storage repository or guest disks."""
import contextlib
import datetime
import glob
import logging
import os
import shutil

import yaml

from xenhost_common.tasks import Task

from . import bootloader, regional, storage
from ..errors import InstallerError
from ..existing import BACKUP_MARKER, UNFINISHED_MARKER, read_root
from ..layout import LABELS
from .regional import KEYBOARD_CACHES

log = logging.getLogger(__name__)

# What makes a host itself, carried from the old root into the new one (globs, relative to /).
IDENTITY = (
    "etc/hostname", "etc/hosts", "etc/machine-id", "etc/ssh/ssh_host_*", "root/.ssh",
    "etc/xenhost",                              # firstboot.yaml, host-uuid, first-boot hooks
    "var/lib/xenhost",                          # firstboot.done: first boot must not run again
    "etc/fstab",                                # same UUIDs: root kept its UUID, the rest is untouched
    "etc/default/grub.d/50-xenhost-install.cfg",    # Xen/dom0 boot options
    # management network as first boot wrote it (systemd-networkd) and its enablement
    "etc/systemd/network", "etc/resolv.conf",
    "etc/systemd/system/*.wants/systemd-networkd*", "etc/systemd/system/dbus-org.freedesktop.network1.service",
    "etc/timezone", "etc/localtime", "etc/systemd/timesyncd.conf.d",
    "etc/default/keyboard", "etc/vconsole.conf", KEYBOARD_CACHES,
    "etc/lvm/backup", "etc/lvm/archive",        # metadata history of the storage repository's volume group
    "etc/xen/*.cfg", "etc/xen/auto",            # VM definitions (xl configs, autostart links); xl.conf is the image's
)
SHADOW = "etc/shadow"
LOG_DIR = "var/lib/xenhost/installer"           # upgrade/restore logs: the logs partition is never written


def identity_paths(root):
    """The IDENTITY entries present under root, relative, sorted."""
    found = set()
    for pattern in IDENTITY:
        found.update(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, pattern)))
    return sorted(found)


def merge_shadow(old_text, new_text):
    """The new image's /etc/shadow with the old password entries of the accounts both have.
    Returns (text, kept, dropped): accounts only the old host had are named in `dropped` (their
    /etc/passwd entries are the new image's business, so they are not recreated)."""
    old = {line.split(":", 1)[0]: line for line in old_text.splitlines() if ":" in line}
    new_names, lines = set(), []
    for line in new_text.splitlines():
        name = line.split(":", 1)[0]
        new_names.add(name)
        lines.append(old.get(name, line))
    kept = sorted(n for n in old if n in new_names)
    dropped = sorted(n for n in old if n not in new_names)
    return "\n".join(lines) + "\n", kept, dropped


def backup_dir(ctx):
    return ctx.scratch("backup")


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_yaml(path, data):
    with open(path, "w") as f:
        yaml.safe_dump(data, f, sort_keys=False)


def check_copy(backup, old):
    """The copy must read as the host it was made from before anything relies on it."""
    copied = read_root(backup)
    if copied != (old.version, old.hostname):
        raise InstallerError('the copy of the root on the backup partition reads as %s, not as xenhost %s (%s); the root is untouched' % ("xenhost %s (%s)" % copied if copied else "no xenhost", old.version, old.hostname or "no hostname"), 'check both filesystems with `e2fsck -f` from a shell, then upgrade again')


def back_up_root(ctx):
    """mkfs the backup partition, copy the old root onto it (journal replayed by the ro mount: the
    root is re-made next anyway), check the copy, mark it. The unfinished-upgrade marker comes last
    and is synced before the root is re-made: a failure before it leaves the root whole (an upgrade may
    re-make the backup again), one after it leaves the backup as the only good copy (restore first).
    The backup stays mounted for restoring the identity."""
    old = ctx.plan.existing
    device = ctx.part("backup")
    ctx.commands.run(storage.mkfs_ext4(device, LABELS["backup"]))
    backup = storage.mount(ctx, device, backup_dir(ctx))
    with ctx.probe.mounted(ctx.commands, ctx.part("root"), ctx.scratch("old-root"), ["-o", "ro"]) as root:
        ctx.commands.run(["cp", "-a", "--one-file-system", root + "/.", backup])
    check_copy(backup, old)
    started = _now()
    _write_yaml(os.path.join(backup, BACKUP_MARKER), {"version": old.version, "hostname": old.hostname,
                                                      "root-uuid": old.root_uuid, "date": started})
    _write_yaml(os.path.join(backup, UNFINISHED_MARKER), {"from-version": old.version, "started": started})
    ctx.commands.run(["sync"])


def clear_unfinished(ctx):
    """The root is complete and boots: the backup is no longer the only good copy. A restore mounted
    the backup read-only for the copy, so it is made writable for this one removal."""
    marker = os.path.join(backup_dir(ctx), UNFINISHED_MARKER)
    if not os.path.exists(marker):
        return
    if ctx.plan.mode == "restore":
        ctx.commands.run(["mount", "-o", "remount,rw", backup_dir(ctx)])
    os.unlink(marker)


def remake_root(ctx):
    uuid = ctx.plan.existing.root_uuid
    if not uuid:    # preflight refuses this; never make a root that fstab and GRUB cannot find
        raise InstallerError("the old root filesystem's UUID is unknown", 'run `blkid` on the root partition')
    ctx.commands.run(storage.mkfs_ext4(ctx.part("root"), LABELS["root"], uuid))
    ctx.uuids["root"] = uuid
    ctx.probe.settle(ctx.commands)


def write_image_keeping_uuid(ctx):
    uuid = ctx.plan.existing.root_uuid
    if not uuid:    # as remake_root
        raise InstallerError("the old root filesystem's UUID is unknown", 'run `blkid` on the root partition')
    storage.write_image(ctx, uuid)


def new_root_tasks(plan):
    """The root re-made with the new image in it, under the old root's UUID."""
    if storage.image_is_filesystem(plan):
        return [Task("Writing dom0 image to the root partition (UUID kept)", write_image_keeping_uuid, 20,
                     storage.WRITE_PROGRAMS),
                Task("Mounting the root filesystem", storage.mount_root, 1, ("mount",))]
    return [Task("Re-making the root filesystem (UUID kept)", remake_root, 8, ("mkfs.ext4",)),
            Task("Mounting the root filesystem", storage.mount_root, 1, ("mount",)),
            Task("Extracting dom0 image", storage.extract_image, 45, ("tar", "zstd", "sync"))]


def _replace_with_copy(ctx, source_root, rel):
    dest = ctx.path(rel)
    if os.path.isdir(dest) and not os.path.islink(dest):
        shutil.rmtree(dest)
    elif os.path.lexists(dest):
        os.unlink(dest)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    ctx.commands.run(["cp", "-a", os.path.join(source_root, rel), dest])


def restore_identity(ctx):
    backup = backup_dir(ctx)
    # console-setup loads a cached keymap however old: the image's (compiled for us) must not win
    # over the host's keyboard; the host's own caches come back with the identity, if it had any
    for stale in glob.glob(ctx.path(KEYBOARD_CACHES)):
        os.remove(stale)
    for rel in identity_paths(backup):
        _replace_with_copy(ctx, backup, rel)
    with open(os.path.join(backup, SHADOW)) as f:
        old = f.read()
    with open(ctx.path(SHADOW)) as f:
        text, kept, dropped = merge_shadow(old, f.read())
    with open(ctx.path(SHADOW), "w") as f:     # rewritten in place: owner and mode stay the image's
        f.write(text)
    log.info("passwords kept for: %s", ", ".join(kept) or "nobody")
    if dropped:
        log.warning("accounts of the old host not in the new image, not carried over: %s", ", ".join(dropped))


def mount_backup(ctx):
    storage.mount(ctx, ctx.part("backup"), backup_dir(ctx), ["-o", "ro"])


def copy_backup(ctx):
    ctx.commands.run(["cp", "-a", "--one-file-system", backup_dir(ctx) + "/.", ctx.target])
    for marker in (BACKUP_MARKER, UNFINISHED_MARKER):   # they belong to the backup, not to a root
        with contextlib.suppress(FileNotFoundError):
            os.unlink(ctx.path(marker))
    if "keymap" in (ctx.plan.answers_redacted or {}):
        log.info("keymap %s served the installer's console only: the restored host keeps the keymap it had",
                 ctx.plan.keymap)


def save_log(ctx):
    dest = ctx.path(LOG_DIR, "%s.log" % ctx.plan.mode)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if os.path.exists(ctx.log_path):
        shutil.copyfile(ctx.log_path, dest)
        os.chmod(dest, 0o600)


def _bootloader(configure=()):
    """Bootloader and log; configure: tasks that need the chroot and come before update-grub."""
    return [
        Task("Mounting EFI system partition", storage.mount_esp, 1, ("mount",)),
        Task("Preparing chroot", bootloader.bind_mounts, 1, ("chroot", "mount", "umount")),
        *configure,
        Task("Installing GRUB for BIOS and UEFI", bootloader.grub_install_both, 10, ("chroot",)),
        Task("Generating GRUB configuration", bootloader.update_grub, 1, ("chroot",)),
        Task("Saving installer log", save_log, 1),
    ]


def _finish(plan):
    clear = plan.mode == "upgrade" or plan.existing.unfinished_upgrade
    return [*([Task("Clearing the unfinished-upgrade marker", clear_unfinished, 0.5, ("mount",))] if clear else []),
            Task("Unmounting target", storage.unmount_all, 2, ("umount", "sync"))]


def upgrade_settings(plan):
    """What the answers give beyond the disk is applied over the host's own (the rest is kept):
    boot options (Xen/dom0 arguments are often changed at upgrade time) and the keymap."""
    given = plan.answers_redacted or {}
    return ([Task("Writing boot options", bootloader.write_grub_defaults, 0.5)] if "boot" in given else []) + \
        ([Task("Setting keymap %s" % plan.keymap, regional.write_keymap, 0.5, ("chroot",))] if regional.keymap_written(plan) else [])


def upgrade_tasks(plan):
    old = plan.existing
    return [
        Task("Backing up xenhost %s to the backup partition" % old.version, back_up_root, 60,
             ("mkfs.ext4", "mount", "umount", "cp", "sync")),
        *new_root_tasks(plan),
        Task("Restoring host identity (%s)" % (old.hostname or "no hostname"), restore_identity, 2, ("cp",)),
    ] + _bootloader(upgrade_settings(plan)) + _finish(plan)


def restore_tasks(plan):
    return [
        Task("Mounting the backup partition", mount_backup, 1, ("mount",)),    # before anything is erased
        Task("Re-making the root filesystem (UUID kept)", remake_root, 8, ("mkfs.ext4",)),
        Task("Mounting the root filesystem", storage.mount_root, 1, ("mount",)),
        Task("Copying xenhost %s back from the backup partition" % plan.existing.backup_version, copy_backup, 60,
             ("cp", "mount")),
    ] + _bootloader() + _finish(plan)


MODE_TASKS = {"upgrade": upgrade_tasks, "restore": restore_tasks}
