"""InstallPlan: the one object the answer file or the screens produce, and the only thing the
install tasks read. Fields under "resolved by preflight" are filled once checks have passed."""
import os
from dataclasses import dataclass, field

from .answers import redact
from .password import hash_password

DEFAULT_IMAGE = "/usr/share/xenhost/images/dom0.tar.zst"
DEFAULT_HOSTNAME = "xenhost"


@dataclass
class NetworkPlan:
    interface: str = "auto"         # auto | kernel name | MAC
    mode: str = "dhcp"
    address: str = None
    gateway: str = None
    dns: list = field(default_factory=list)


@dataclass
class InstallPlan:
    disk: str                                       # as the user gave it (/dev/vda, /dev/disk/by-id/...)
    root_password_hash: str = field(repr=False)     # never printed, never logged
    hostname: str = DEFAULT_HOSTNAME
    network: NetworkPlan = field(default_factory=NetworkPlan)
    xen_extra_args: str = ""
    dom0_extra_args: str = ""
    atexit: str = "reboot"
    image: str = DEFAULT_IMAGE
    answers_redacted: dict = None                   # written to the target for the record
    # resolved by preflight:
    disk_path: str = None                           # kernel device, e.g. /dev/vda
    disk_size: int = 0
    layout: list = None
    nic: object = None                              # host.Nic

    @property
    def image_checksum_path(self):
        return self.image + ".sha256"


def from_answers(answers, image=DEFAULT_IMAGE, atexit_override=None):
    """Build the plan from validated answers (see answers.validate)."""
    pw = answers["root-password"]
    net = answers.get("network") or {}
    boot = answers.get("boot") or {}
    return InstallPlan(
        disk=answers["disk"]["primary"],
        root_password_hash=pw["hash"] if "hash" in pw else hash_password(pw["plaintext"]),
        hostname=answers.get("hostname", DEFAULT_HOSTNAME),
        network=NetworkPlan(interface=net.get("interface", "auto"), mode=net.get("mode", "dhcp"),
                            address=net.get("address"), gateway=net.get("gateway"), dns=list(net.get("dns", []))),
        xen_extra_args=boot.get("xen-extra-args", ""),
        dom0_extra_args=boot.get("dom0-extra-args", ""),
        atexit=atexit_override or answers.get("atexit", "reboot"),
        image=os.path.abspath(image),
        answers_redacted=redact(answers),
    )
