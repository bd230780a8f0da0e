"""Mounts as context managers so every exit path (success or error) unmounts in reverse order."""
import contextlib
import logging
import os
import tempfile

log = logging.getLogger(__name__)

CHROOT_BINDS = ("/dev", "/proc", "/sys", "/run")
PROBE_DIR = "/run/xenhost-installer/probe"      # scratch mountpoints for reading disks


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


@contextlib.contextmanager
def loop_device(commands, image, offset=0, size=0):
    """A loop device over image (from byte offset, size bytes if given); always detached on exit."""
    window = ["--offset", str(offset), "--sizelimit", str(size)] if size else []
    device = commands.run(["losetup", "--find", "--show", *window, image]).stdout.strip()
    try:
        yield device
    finally:
        commands.run(["losetup", "--detach", device], check=False)


@contextlib.contextmanager
def scratch_mount(commands, mounter, device, options=()):
    """Mount device on a fresh directory under PROBE_DIR (for reading it); unmounted and removed on
    exit. mounter: the disks' mounted() (DiskAccess.mounted), so test mode's devices work too."""
    os.makedirs(PROBE_DIR, exist_ok=True)
    path = tempfile.mkdtemp(prefix="mnt-", dir=PROBE_DIR)
    try:
        with mounter(commands, device, path, options):
            yield path
    finally:
        with contextlib.suppress(OSError):      # still mounted after a failed umount: leave it
            os.rmdir(path)
