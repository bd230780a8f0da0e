"""A Debian 12 machine that someone already runs, as a disk image for the plain-Debian e2e test
(tests/e2e/test_debian_host.py): mmdebstrap's Debian with Debian's kernel, GRUB (BIOS) in the
MBR, openssh-server, ifupdown with DHCP on eth0 (what Debian's installer writes), a serial
console, and something of the user's that must survive: a file and a package (`hello`).

    flock /tmp/xenhost-build.lock .venv/bin/python ci/debian_image.py      # -> out/debian/debian12.qcow2

No loop devices or mounts (they are unreliable on the build hosts): the root file system is made
from the mmdebstrap tree by `mke2fs -d` at the partition's offset inside the raw image, and GRUB's
boot sector and core image (grub-mkimage, the image's own modules) are written where grub-install
puts them (MBR, then the sectors before the first partition). Its grub.cfg is written here; the
guest's own update-grub rewrites it later (xenhost-setup runs it). Cached: rebuilt only when
this file or the mirror changes (the key is stored beside the image).
"""
import argparse
import hashlib
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from buildlib.config import BuildConfig  # noqa: E402
from buildlib.run import run  # noqa: E402

NAME = "debian12"
HOSTNAME = "debian-e2e"
ROOT_PASSWORD = "debian-e2e-1"
USER_FILE = "/srv/user-data/notes.txt"
USER_PACKAGE = "hello"
PACKAGES = ["systemd-sysv", "udev", "linux-image-amd64", "grub-pc", "openssh-server", "ifupdown",
            "isc-dhcp-client", "iproute2", "netbase", "curl", "ca-certificates", "less", "procps", USER_PACKAGE]
DISK_MIB = 8192
PART_START_SECTOR = 2048              # 1 MiB: room for GRUB's core image, as Debian's partitioner leaves
CMDLINE = "console=ttyS0,115200 net.ifnames=0"    # eth0: the name this machine's ifupdown knows


def image_path(out_dir: Path) -> Path:
    return out_dir / "debian" / f"{NAME}.qcow2"


def key(config: BuildConfig) -> str:
    material = [Path(__file__).read_text(), config.debian_suite, config.debian_mirror]
    return hashlib.sha256("\n".join(material).encode()).hexdigest()[:16]


def files(root_uuid: str, stamp: str, kernel: str) -> dict:
    """The machine's own configuration: what a Debian installer would have left there."""
    return {
        "etc/hostname": HOSTNAME + "\n",
        "etc/hosts": f"127.0.0.1\tlocalhost\n127.0.1.1\t{HOSTNAME}\n",
        "etc/fstab": f"UUID={root_uuid} / ext4 errors=remount-ro 0 1\n",
        "etc/network/interfaces": ("source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n\n"
                                   "# The primary network interface\nallow-hotplug eth0\niface eth0 inet dhcp\n"),
        "etc/default/grub": ("GRUB_DEFAULT=0\nGRUB_TIMEOUT=2\nGRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null "
                             "|| echo Debian`\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n"
                             f"GRUB_CMDLINE_LINUX=\"{CMDLINE}\"\nGRUB_TERMINAL=\"console serial\"\n"
                             "GRUB_SERIAL_COMMAND=\"serial --unit=0 --speed=115200\"\n"),
        "boot/grub/grub.cfg": ("serial --unit=0 --speed=115200\nterminal_input console serial\n"
                               "terminal_output console serial\nset timeout=2\nset default=0\n"
                               "menuentry 'Debian GNU/Linux' {\n\tinsmod part_msdos\n\tinsmod ext2\n"
                               f"\tsearch --no-floppy --fs-uuid --set=root {root_uuid}\n"
                               f"\tlinux /boot/vmlinuz-{kernel} root=UUID={root_uuid} ro {CMDLINE} quiet\n"
                               f"\tinitrd /boot/initrd.img-{kernel}\n}}\n"),
        USER_FILE.lstrip("/"): f"the user's own file ({stamp}): must survive xenhost\n",
    }


def bootstrap(config: BuildConfig, tree: Path, log: Path) -> None:
    hooks = [
        # root can log in on the serial console; SSH keeps Debian's defaults
        f'echo "root:{ROOT_PASSWORD}" | chroot "$1" chpasswd',
        # the boot loader's files where grub-install copies them
        'mkdir -p "$1/boot/grub/i386-pc" && cp "$1"/usr/lib/grub/i386-pc/*.mod "$1"/usr/lib/grub/i386-pc/*.lst '
        '"$1/boot/grub/i386-pc/" && chroot "$1" grub-editenv /boot/grub/grubenv create',
        # grub-pc's own later runs (upgrades) install to the disk the VM shows
        'echo "grub-pc grub-pc/install_devices multiselect /dev/vda" | chroot "$1" debconf-set-selections',
    ]
    run(["mmdebstrap", "--mode=root", "--variant=important", "--include=" + ",".join(PACKAGES),
         '--essential-hook=echo "grub-pc grub-pc/install_devices_empty boolean true" | '
         'chroot "$1" debconf-set-selections',
         *[f"--customize-hook={h}" for h in hooks],
         config.debian_suite, str(tree), config.debian_mirror],
        log_file=log, fix=f"read {log}; the Debian mirror ({config.debian_mirror}) must be reachable")


def write_disk(tree: Path, raw: Path, root_uuid: str, log: Path) -> None:
    """Partition table, root file system from the tree, GRUB in the MBR gap."""
    run(["truncate", "-s", f"{DISK_MIB}M", raw], log_file=log)
    run(["sfdisk", "--quiet", raw], input_text=f"label: dos\nstart={PART_START_SECTOR}, type=83, bootable\n",
        log_file=log)
    offset = PART_START_SECTOR * 512
    blocks = (DISK_MIB * 1024 * 1024 - offset) // 4096
    run(["mke2fs", "-q", "-F", "-t", "ext4", "-b", "4096", "-U", root_uuid, "-L", "debian-root",
         "-E", f"offset={offset}", "-d", tree, raw, str(blocks)], log_file=log)
    modules = tree / "usr/lib/grub/i386-pc"
    early = raw.with_name("early.cfg")
    early.write_text(f"search.fs_uuid {root_uuid} root hd0,msdos1\nset prefix=($root)/boot/grub\n")
    core = raw.with_name("core.img")
    run(["grub-mkimage", "-O", "i386-pc", "-d", modules, "-c", early, "-p", "/boot/grub", "-o", core,
         "biosdisk", "part_msdos", "ext2", "search_fs_uuid"], log_file=log)
    if core.stat().st_size > (PART_START_SECTOR - 1) * 512:
        raise SystemExit(f"GRUB's core image ({core.stat().st_size} bytes) does not fit before the partition")
    with open(raw, "r+b") as disk:
        disk.write((modules / "boot.img").read_bytes()[:440])     # keep the disk id and partition table
        disk.seek(512)
        # grub-mkimage filled diskboot's block list (sectors 2..) for a core image at sector 1
        disk.write(core.read_bytes())


def build(config: BuildConfig, force: bool = False) -> Path:
    image = image_path(config.out_dir)
    stamp = key(config)
    key_file = image.with_suffix(".key")
    if not force and image.exists() and key_file.exists() and key_file.read_text().strip() == stamp:
        return image
    image.parent.mkdir(parents=True, exist_ok=True)
    log = config.logs_dir / "debian-image.log"
    log.unlink(missing_ok=True)
    root_uuid = str(uuid.UUID(hashlib.sha256(stamp.encode()).hexdigest()[:32]))
    with tempfile.TemporaryDirectory(dir=config.cache("work"), prefix="debian-image-") as tmp:
        tree, raw = Path(tmp) / "root", Path(tmp) / f"{NAME}.raw"
        bootstrap(config, tree, log)
        kernels = sorted(p.name[len("vmlinuz-"):] for p in (tree / "boot").glob("vmlinuz-*"))
        if not kernels:
            raise SystemExit(f"no Debian kernel in the bootstrapped tree; read {log}")
        for rel, text in files(root_uuid, stamp, kernels[-1]).items():
            (tree / rel).parent.mkdir(parents=True, exist_ok=True)
            (tree / rel).write_text(text)
        write_disk(tree, raw, root_uuid, log)
        partial = image.with_suffix(".partial.qcow2")
        run(["qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw, partial], log_file=log)
        partial.rename(image)
    key_file.write_text(stamp + "\n")
    return image


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="rebuild even when the cached image is current")
    args = parser.parse_args(argv)
    print(build(BuildConfig(), force=args.force))


if __name__ == "__main__":
    main()
