"""Install tasks: small steps with progress text, declared as one ordered list in build_tasks()."""
import contextlib
import os
from dataclasses import dataclass, field
from typing import Callable

from ..disks import DiskAccess
from ..log import LOG_PATH

TARGET = "/run/xenhost-installer/target"


@dataclass
class Task:
    text: str
    run: Callable       # run(ctx)


@dataclass
class InstallContext:
    plan: object
    commands: object
    host: object
    probe: object = field(default_factory=DiskAccess)  # how partitions are reached (disks.DiskAccess)
    target: str = TARGET
    log_path: str = LOG_PATH
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)  # undoes mounts
    root_mounted: bool = False
    uuids: dict = field(default_factory=dict)      # role -> filesystem UUID
    hooks: object = None                            # hooks.FetchedHooks from preflight; None = no hooks

    def path(self, *parts):
        """A path inside the target root."""
        return os.path.join(self.target, *[p.lstrip("/") for p in parts])

    def part(self, role):
        from ..layout import by_role
        return self.probe.partition(self.plan.disk_path, by_role(self.plan.layout, role).number)

    def scratch(self, name):
        """A directory beside the target for other mounts (old root, backup)."""
        return os.path.join(os.path.dirname(self.target), name)


def build_tasks(plan):
    from . import bootloader, configure, firstboot, regional, storage, upgrade
    if plan.mode != "install":
        return upgrade.MODE_TASKS[plan.mode](plan)
    guests = plan.guest_disk_paths
    return [
        Task("Wiping old signatures on %s" % plan.disk_path, storage.wipe),
        *([Task("Wiping guest disks %s" % ", ".join(guests), storage.wipe_guest_disks)] if guests else []),
        Task("Partitioning %s (GPT)" % plan.disk_path, storage.partition),
        Task("Creating filesystems", storage.make_filesystems),
        Task("Mounting target filesystems", storage.mount_target),
        Task("Extracting dom0 image", storage.extract_image),
        Task("Mounting EFI system partition", storage.mount_esp),
        Task("Writing /etc/fstab", configure.write_fstab),
        Task("Preparing chroot", bootloader.bind_mounts),
        Task("Setting hostname %s" % plan.hostname, configure.set_hostname),
        Task("Setting root password", configure.set_root_password),
        Task("Setting keymap %s" % plan.keymap, regional.write_keymap),
        Task("Setting time zone %s" % plan.timezone, regional.write_timezone),
        Task("Setting NTP servers (%s)" % (", ".join(plan.ntp_servers) or "Debian's pool"), regional.write_ntp),
        Task("Writing boot options", bootloader.write_grub_defaults),
        Task("Installing GRUB for BIOS", bootloader.grub_install_bios),
        Task("Installing GRUB for UEFI", bootloader.grub_install_efi),
        Task("Generating GRUB configuration", bootloader.update_grub),
        Task("Writing first-boot data", firstboot.write_firstboot),
        Task("Saving installer log", configure.save_logs),
        Task("Unmounting target", storage.unmount_all),
    ]
