"""Mounts as context managers so every exit path (success or error) unmounts in reverse order."""
import contextlib
import logging
import os

log = logging.getLogger(__name__)

CHROOT_BINDS = ("/dev", "/proc", "/sys", "/run")


@contextlib.contextmanager
def mounted(commands, source, mountpoint, options=()):
    os.makedirs(mountpoint, exist_ok=True)
    commands.run(["mount", *options, source, mountpoint])
    try:
        yield mountpoint
    finally:
        # check=False: an unmount failure must not hide the error that brought us here
        commands.run(["umount", mountpoint], check=False)


@contextlib.contextmanager
def chroot_binds(commands, target):
    """Bind /dev /proc /sys /run into target so grub-install/update-grub see the disks."""
    with contextlib.ExitStack() as stack:
        for path in CHROOT_BINDS:
            stack.enter_context(mounted(commands, path, os.path.join(target, path.lstrip("/")), ["--bind"]))
        yield target
