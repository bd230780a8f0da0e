"""/etc/xenhost/firstboot.yaml as first boot's dataclasses.

The rules live in one place, the contract's schema (xenhost_common/firstboot.schema.json):
contract.load() refuses a bad file before any step runs, so a bad file changes nothing. This
module only maps the validated dict, filling the schema's defaults. A field left out (host name,
management mode none, no storage) is undecided: the first-boot wizard asks for it (wizard/).
"""
from dataclasses import dataclass, field
from typing import List, Optional

from xenhost_common import contract, names

CONFIG_PATH = names.FIRSTBOOT_DATA
HOOKS_DIR = names.FIRSTBOOT_HOOKS_DIR


@dataclass
class Management:
    interface: Optional[str]        # None with mode "none": the wizard picks the NIC
    mac: Optional[str]              # lower case
    mode: str                       # "dhcp", "static" or "none" (undecided)
    bridge: str = names.MANAGEMENT_BRIDGE
    vlan: Optional[int] = None      # 802.1Q tag: the bridge sits on a VLAN of the NIC
    address: Optional[str] = None   # CIDR, static only
    gateway: Optional[str] = None
    dns: List[str] = field(default_factory=list)


@dataclass
class LocalSR:
    type: str                       # "lvm" or "ext" (see storage.py)
    devices: List[str]              # the SR partition, then whole guest disks


@dataclass
class FirstbootConfig:
    hostname: Optional[str]         # None: undecided (the wizard asks)
    management: Management
    local_sr: Optional[LocalSR]
    ask_root_password: bool = False     # root-password: ask (the installer left root locked)
    hooks: List[str] = field(default_factory=list)  # scripts under HOOKS_DIR, run in this order
    storage_given: bool = True          # False: no storage section at all (the wizard offers one)


def load_config(path):
    """Read and validate `path` (the real file, already under --root); raises ContractError."""
    return from_data(contract.load(path))


def from_data(data):
    """The validated contract dict -> FirstbootConfig."""
    mgmt = data["management"]
    sr = (data.get("storage") or {}).get("local-sr")
    return FirstbootConfig(
        hostname=data.get("hostname"),
        management=Management(
            interface=mgmt.get("interface"), mac=mgmt["mac"].lower() if "mac" in mgmt else None,
            mode=mgmt["mode"], bridge=mgmt.get("bridge", names.MANAGEMENT_BRIDGE), vlan=mgmt.get("vlan"),
            address=mgmt.get("address"), gateway=mgmt.get("gateway"), dns=list(mgmt.get("dns", []))),
        local_sr=LocalSR(type=sr.get("type", "lvm"), devices=list(sr["devices"])) if sr else None,
        ask_root_password=data.get("root-password") == "ask",
        hooks=list(data.get("hooks", [])),
        storage_given="storage" in data)
