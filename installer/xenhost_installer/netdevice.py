"""network_device= in the installer environment: ask DHCP on that NIC only.

The installer image asks DHCP on every wired NIC (80-installer-dhcp.network). With many NICs
each unplugged one holds up "network online" until its DHCP times out, so, as XenServer's
installer does, network_device=NAME|MAC restricts DHCP to that NIC and leaves the others alone.
`xenhost-installer network-device` (xenhost-network-device.service, before systemd-networkd)
writes two runtime .network files that sort before the image's catch-all.
"""
import os
import re

from xenhost_common.files import write_atomic

from . import cmdline

RUNTIME_DIR = "/run/systemd/network"
CHOSEN = "10-xenhost-network-device.network"
OTHERS = "11-xenhost-other-nics.network"
MAC = re.compile(r"([0-9a-f]{2}:){5}[0-9a-f]{2}")


def network_files(device):
    """{file name: contents} for network_device's value (already checked by cmdline); {} = all NICs."""
    if device in (None, "", "auto"):
        return {}
    match = "MACAddress=%s" % device.lower() if MAC.fullmatch(device.lower()) else "Name=%s" % device
    return {
        CHOSEN: "# network_device=%s: DHCP on this NIC only (xenhost-installer network-device)\n"
                "[Match]\n%s\n\n[Network]\nDHCP=yes\n" % (device, match),
        OTHERS: "# network_device=%s: the other NICs are left down, so none costs a DHCP timeout\n"
                "[Match]\nType=ether\n\n[Link]\nUnmanaged=yes\n" % device,
    }


def apply(cmdline_path="/proc/cmdline", directory=RUNTIME_DIR, out=print):
    """Write (or remove) the runtime files for the kernel command line's network_device=."""
    device = cmdline.read(cmdline_path).network_device
    files = network_files(device)
    os.makedirs(directory, exist_ok=True)
    for name in (CHOSEN, OTHERS):
        path = os.path.join(directory, name)
        if name in files:
            write_atomic(path, files[name])
        elif os.path.exists(path):
            os.unlink(path)
    out("xenhost-installer: DHCP on %s" % ("every wired NIC" if not files else "%s only (network_device=)" % device))
    return files
