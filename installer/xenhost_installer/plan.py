"""InstallPlan: the one object the answer file or the screens produce, and the only thing the
install tasks read. Fields under "resolved by preflight" are filled once checks have passed.
Field names are the contract of installer/DESIGN.md ("InstallPlan")."""
import os
from dataclasses import dataclass, field

from xenhost_common.dom0image import NAME as DOM0_IMAGE_NAME

from .answers import redact
from .answers.declared import default, given, hook_stages
from .errors import AnswerFileError
from .password import hash_password

DEFAULT_IMAGE = "/usr/share/xenhost/images/" + DOM0_IMAGE_NAME


@dataclass
class NetworkPlan:
    interface: str = field(default_factory=lambda: default("network.interface"))   # auto | kernel name | MAC
    mode: str = field(default_factory=lambda: default("network.mode"))
    address: str = None             # static: CIDR, e.g. 192.0.2.10/24
    gateway: str = None
    dns: list = field(default_factory=list)
    vlan: int = None                # 802.1Q tag of the management network, None = untagged


@dataclass
class InstallPlan:
    disk: str                                       # as the user gave it (/dev/vda, /dev/disk/by-id/...)
    # never printed, never logged; None = not set by the installer: asked at first boot (install)
    # or kept from the existing host (upgrade, restore)
    root_password_hash: str = field(default=None, repr=False)
    mode: str = field(default_factory=lambda: default("mode"))     # install | upgrade | restore
    guest_disks: list = field(default_factory=list)     # as given, for the local storage repository
    storage_type: str = field(default_factory=lambda: default("storage.type"))    # lvm | ext
    # False: no storage partition on the primary disk (storage.use-primary-disk)
    sr_on_primary: bool = field(default_factory=lambda: default("storage.use-primary-disk"))
    keymap: str = field(default_factory=lambda: default("keymap"))
    hostname: str = field(default_factory=lambda: default("hostname"))
    network: NetworkPlan = field(default_factory=NetworkPlan)
    timezone: str = field(default_factory=lambda: default("timezone"))
    ntp_servers: list = field(default_factory=list)     # [] = Debian's pool (systemd-timesyncd default)
    hooks: dict = field(default_factory=dict)       # stage -> [location], every stage present (see hooks.py)
    xen_extra_args: str = field(default_factory=lambda: default("boot.xen-extra-args"))
    dom0_extra_args: str = field(default_factory=lambda: default("boot.dom0-extra-args"))
    atexit: str = field(default_factory=lambda: default("atexit"))
    image: str = DEFAULT_IMAGE
    answers_redacted: dict = None                   # written to the target for the record
    # resolved by preflight:
    disk_path: str = None                           # kernel device, e.g. /dev/vda
    disk_size: int = 0
    layout: list = None
    nic: object = None                              # host.Nic
    guest_disk_paths: list = field(default_factory=list)    # kernel devices of guest_disks
    existing: object = None                         # existing.ExistingInstall on disk (upgrade, restore)

    @property
    def image_checksum_path(self):
        return self.image + ".sha256"

    @property
    def ask_root_password_at_first_boot(self):
        return self.mode == "install" and self.root_password_hash is None


def _root_password_hash(pw):
    if not pw or pw.get("ask-at-first-boot"):
        return None
    return pw["hash"] if "hash" in pw else hash_password(pw["plaintext"])


def _network(answers, network_device):
    net = answers.get("network") or {}
    return NetworkPlan(interface=net.get("interface") or network_device or default("network.interface"),
                       mode=given(answers, "network.mode"), address=net.get("address"), gateway=net.get("gateway"),
                       dns=given(answers, "network.dns"), vlan=net.get("vlan"))


def _hooks(given):
    return {stage: list((given or {}).get(stage, [])) for stage in hook_stages()}


def from_answers(answers, image=DEFAULT_IMAGE, atexit_override=None, network_device=None, keymap=None):
    """Build the plan from validated, complete answers (see answers.validate).

    network_device, keymap: the kernel command line's network_device= / keymap=, used where the
    answers do not say. Sections still listed in interactive-sections must have been asked first
    (the screens fill them in and drop the list)."""
    pending = answers.get("interactive-sections") or []
    if pending:
        raise AnswerFileError('the answers still list interactive-sections (%s) that nobody has asked' % (", ".join(pending),), "answer them on the installer's screens (`xenhost-installer boot` on a console), or give them in the file and remove interactive-sections")
    return InstallPlan(
        disk=answers["disk"]["primary"],
        root_password_hash=_root_password_hash(answers.get("root-password")),
        mode=given(answers, "mode"),
        guest_disks=given(answers, "disk.guest"),
        storage_type=given(answers, "storage.type"),
        sr_on_primary=given(answers, "storage.use-primary-disk"),
        keymap=answers.get("keymap") or keymap or default("keymap"),
        hostname=given(answers, "hostname"),
        network=_network(answers, network_device),
        timezone=given(answers, "timezone"),
        ntp_servers=given(answers, "ntp-servers"),
        hooks=_hooks(answers.get("hooks")),
        xen_extra_args=given(answers, "boot.xen-extra-args"),
        dom0_extra_args=given(answers, "boot.dom0-extra-args"),
        atexit=atexit_override or given(answers, "atexit"),
        image=os.path.abspath(image),
        answers_redacted=redact(answers),
    )
