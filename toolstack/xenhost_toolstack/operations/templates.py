"""The built-in templates (VM records with is-a-template=true), seeded into a new database.

Minimal PVH: the dom0's own kernel with a small busybox initramfs made at build time from Debian's
busybox-static (package xenhost-guest-minimal): boots in seconds, no disk; the e2e guest.
Debian 12 (PVH): a real guest; its first start boots Debian's netboot installer, fetched from
other-config:install-repository (as XenServer's PV templates did), and later starts boot the
installed system's GRUB (grub-xen-host's PVH image). Needs the internet for the install.
HVM templates carry XenServer's density defaults: an empty platform map, so libxl starts qemu
with no emulated USB, USB tablet or serial port (PV drivers in the guest do the work).
"""
GIB = 1024 ** 3
MIB = 1024 ** 2
DOM0_KERNEL = "dom0"    # PV-kernel placeholder: the running dom0 kernel, resolved at vm-start
MINIMAL_INITRD = "/usr/lib/xenhost/guest/minimal-initrd.img"
DEBIAN_NETBOOT = "http://deb.debian.org/debian/dists/bookworm/main/installer-amd64/current/images/netboot/" \
                 "debian-installer/amd64"


def provision(*disks):
    """other-config:disks as XAPI writes it: what vm-install creates. disks: (size, bootable)."""
    items = "".join(f'<disk device="{n}" size="{size}" sr="" bootable="{str(boot).lower()}" type="system"/>'
                    for n, (size, boot) in enumerate(disks))
    return f"<provision>{items}</provision>"


def _memory(size):
    return {"memory-static-max": size, "memory-dynamic-max": size, "memory-dynamic-min": size}


TEMPLATES = [
    {"name-label": "Minimal PVH", "domain-type": "pvh", **_memory(128 * MIB),
     "name-description": "dom0's kernel and a busybox initramfs on hvc0: a guest that boots in seconds",
     "PV-kernel": DOM0_KERNEL, "PV-ramdisk": MINIMAL_INITRD, "PV-args": "console=hvc0",
     "other-config": {"xenhost-template": "minimal-pvh"}},
    {"name-label": "Debian 12 (PVH)", "domain-type": "pvh", **_memory(1 * GIB), "VCPUs-max": 2,
     "VCPUs-at-startup": 2, "name-description": "Debian bookworm; installs from the netboot installer "
     "at other-config:install-repository (needs the internet)", "PV-args": "console=hvc0",
     "other-config": {"xenhost-template": "debian-12-pvh", "install-repository": DEBIAN_NETBOOT,
                      "disks": provision((8 * GIB, True))}},
    {"name-label": "Other install media (HVM)", "domain-type": "hvm", **_memory(2 * GIB), "VCPUs-max": 2,
     "VCPUs-at-startup": 2, "HVM-boot-policy": "BIOS order", "HVM-boot-params": {"order": "dc"},
     "name-description": "any OS from an ISO; no emulated USB, tablet or serial port (density defaults)",
     "other-config": {"xenhost-template": "other-hvm", "disks": provision((32 * GIB, True))}},
    {"name-label": "Windows Server 2022 (HVM)", "domain-type": "hvm", **_memory(4 * GIB), "VCPUs-max": 2,
     "VCPUs-at-startup": 2, "HVM-boot-policy": "BIOS order", "HVM-boot-params": {"order": "dc"},
     "platform": {"viridian": "true"},
     "name-description": "Windows with Viridian enlightenments; no emulated USB, tablet or serial port",
     "other-config": {"xenhost-template": "windows-2022", "disks": provision((64 * GIB, True))}},
]
