"""Install tasks: small steps with progress text, declared as one ordered list in build_tasks()."""
import contextlib
import os
from dataclasses import dataclass, field
from typing import Callable

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
    target: str = TARGET
    log_path: str = LOG_PATH
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)  # undoes mounts
    root_mounted: bool = False
    uuids: dict = field(default_factory=dict)      # role -> filesystem UUID

    def path(self, *parts):
        """A path inside the target root."""
        return os.path.join(self.target, *[p.lstrip("/") for p in parts])

    def part(self, role):
        from ..disks import partition_path
        from ..layout import by_role
        return partition_path(self.plan.disk_path, by_role(self.plan.layout, role).number)


def build_tasks(plan):
    from . import bootloader, configure, storage
    return [
        Task("Wiping old signatures on %s" % plan.disk_path, storage.wipe),
        Task("Partitioning %s (GPT)" % plan.disk_path, storage.partition),
        Task("Creating filesystems", storage.make_filesystems),
        Task("Mounting target filesystems", storage.mount_target),
        Task("Extracting dom0 image", storage.extract_image),
        Task("Mounting EFI system partition", storage.mount_esp),
        Task("Writing /etc/fstab", configure.write_fstab),
        Task("Preparing chroot", bootloader.bind_mounts),
        Task("Setting hostname %s" % plan.hostname, configure.set_hostname),
        Task("Setting root password", configure.set_root_password),
        Task("Writing boot options", bootloader.write_grub_defaults),
        Task("Installing GRUB for BIOS", bootloader.grub_install_bios),
        Task("Installing GRUB for UEFI", bootloader.grub_install_efi),
        Task("Generating GRUB configuration", bootloader.update_grub),
        Task("Writing first-boot data", configure.write_firstboot),
        Task("Saving installer log", configure.save_logs),
        Task("Unmounting target", storage.unmount_all),
    ]
