"""The programs the build host needs, declared once: drives the preflight check and setup-host.sh.

Pure standard library on purpose: setup-host.sh runs this with the system python before any
virtual environment exists (`python3 -m buildlib.hosttools apt-packages`).
"""
import shutil
import sys

from .errors import HostToolMissing

# program -> (Debian package that provides it, why xenhost needs it)
HOST_TOOLS = {
    "rpmbuild": ("rpm", "builds SRPMs from the spec files"),
    "rpm2cpio": ("rpm2cpio", "unpacks built RPMs to turn them into .debs"),
    "cpio": ("cpio", "unpacks built RPMs"),
    "mmdebstrap": ("mmdebstrap", "creates the clean Debian build roots"),
    "bwrap": ("bubblewrap", "runs builds inside the build root with the network off"),
    "dpkg-deb": ("dpkg", "assembles .deb packages"),
    "dpkg-scanpackages": ("dpkg-dev", "indexes the apt repository"),
    "dpkg-shlibdeps": ("dpkg-dev", "computes shared-library Depends (packages built on this host)"),
    "apt-ftparchive": ("apt-utils", "writes the apt repository's Release file"),
    "createrepo_c": ("createrepo-c", "indexes the RPM and SRPM repositories"),
    "gpg": ("gnupg", "signs the repositories"),
    "xorriso": ("xorriso", "assembles the hybrid ISO"),
    "rsync": ("rsync", "kiwi copies image roots with it"),
    "mksquashfs": ("squashfs-tools", "compresses the live root of the installer"),
    "grub-mkimage": ("grub-common", "makes the ISO's boot loader"),
    "mformat": ("mtools", "writes the ISO's EFI boot image"),
    "mkfs.vfat": ("dosfstools", "formats the ISO's EFI boot image"),
    "qemu-system-x86_64": ("qemu-system-x86", "boots the ISO and installed hosts in tests"),
    "qemu-img": ("qemu-utils", "creates virtual disks for tests"),
    "sgdisk": ("gdisk", "partitions disks in installer tests"),
    "vgchange": ("lvm2", "the installer's wipe task in test mode (slow tier: tests/installer/test_images_slow.py)"),
    "mdadm": ("mdadm", "the installer's wipe task in test mode (slow tier: tests/installer/test_images_slow.py)"),
    "lintian": ("lintian", "checks the .deb packages"),
    "dpkg-buildpackage": ("dpkg-dev", "builds an exported OBS package's Debian source in tests"),
    "obs-build": ("obs-build", "checks the OBS export: prjconf and kiwi parsers, a local package build"),
    "lz4cat": ("lz4", "reads apt's package lists (the OBS export's dependency check)"),
    "osc": ("osc", "pushes the OBS export to a build service (export/README in README.md)"),
    "diffoscope": ("diffoscope-minimal", "explains why two builds of one package differ"),
    "chromium": ("chromium", "renders the nightly index page headless (ci/nightly_figures.py --screenshot)"),
    "gpgv": ("gpgv", "checks a downloaded snapshot's signature (publish/fetch_snapshot.py)"),
}

# Packages with no single program to probe for (boot loader modules, firmware, keyrings).
EXTRA_APT_PACKAGES = [
    "grub-pc-bin", "grub-efi-amd64-bin", "ovmf", "debian-archive-keyring", "zstd", "xz-utils",
    "python3-venv", "python3-rpm", "python3-yaml", "python3-jinja2", "python3-urwid",
    "python3-jsonschema", "python3-pexpect", "e2fsprogs", "parted", "fdisk", "kpartx",
    "busybox-static", "kmod",   # the tiny initramfs that boots the dom0 kernel in slow tests
    "ipxe", "pxelinux", "syslinux-common",   # the PXE tree's loaders (iso/pxe.py LOADERS)
]


def apt_packages() -> list[str]:
    return sorted({pkg for pkg, _why in HOST_TOOLS.values()} | set(EXTRA_APT_PACKAGES))


def require(*programs: str) -> None:
    """Stop with one message listing every missing program, its package and the fix."""
    missing = [p for p in programs if shutil.which(p) is None]
    if not missing:
        return
    # A program not declared in HOST_TOOLS is a bug here, but the user still gets the message.
    known = {p: HOST_TOOLS.get(p, (p, "not declared in buildlib/hosttools.py HOST_TOOLS")) for p in missing}
    lines = [f"  {p}: from Debian package {pkg} ({why})" for p, (pkg, why) in known.items()]
    packages = " ".join(sorted({pkg for pkg, _why in known.values()}))
    raise HostToolMissing("the build host lacks programs this step needs:\n" + "\n".join(lines),
                          f"run ./setup-host.sh (or: apt-get install {packages})")


if __name__ == "__main__":
    if sys.argv[1:] == ["apt-packages"]:
        print(" ".join(apt_packages()))
    else:
        sys.exit("usage: python3 -m buildlib.hosttools apt-packages")
