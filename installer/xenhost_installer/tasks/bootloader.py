"""Bootloader tasks: GRUB for BIOS (i386-pc) and UEFI (removable path, no NVRAM writes)."""
from ..bootcfg import grub_defaults_text
from ..mounts import chroot_binds
from .configure import _write

GRUB_DEFAULTS = "etc/default/grub.d/50-xenhost-install.cfg"


def bind_mounts(ctx):
    ctx.stack.enter_context(chroot_binds(ctx.commands, ctx.target))


def write_grub_defaults(ctx):
    _write(ctx, GRUB_DEFAULTS, grub_defaults_text(ctx.plan, ctx.host))


def grub_install_bios(ctx):
    ctx.commands.run(["grub-install", "--target=i386-pc", ctx.plan.disk_path], chroot=ctx.target)


def grub_install_efi(ctx):
    # --removable: \EFI\BOOT\BOOTX64.EFI boots without NVRAM entries; --no-nvram: the installer
    # may run under BIOS, and NVRAM writes from a live system are unreliable
    ctx.commands.run(["grub-install", "--target=x86_64-efi", "--efi-directory=/boot/efi", "--removable",
                      "--no-nvram"], chroot=ctx.target)


def update_grub(ctx):
    ctx.commands.run(["update-grub"], chroot=ctx.target)
