"""Load and validate /etc/xenhost/firstboot.yaml (contract: CONVENTIONS.md).

Validation happens before any step runs, so a bad file changes nothing.
"""
import ipaddress
import os
import re
from dataclasses import dataclass, field
from typing import List, Optional

import yaml

from .errors import FirstbootError

CONFIG_PATH = "/etc/xenhost/firstboot.yaml"
HOOKS_DIR = "/etc/xenhost/firstboot.d"
SUPPORTED_VERSION = 1
SR_TYPES = ("lvm", "ext")

_MAC_RE = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
_LABEL_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", re.IGNORECASE)
_IFNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,15}$")  # kernel IFNAMSIZ - 1


@dataclass
class Management:
    interface: str
    mac: str
    mode: str                       # "dhcp" or "static"
    bridge: str = "xenbr0"
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
    hostname: str
    management: Management
    local_sr: Optional[LocalSR]
    ask_root_password: bool = False     # root-password: ask (the installer left root locked)
    hooks: List[str] = field(default_factory=list)  # scripts under HOOKS_DIR, run in this order


def load_config(path):
    """Parse and validate; `path` is the real file (already under --root)."""
    def bad(problem):
        return FirstbootError(
            f"{path}: {problem}",
            f"write a valid {CONFIG_PATH} (format: CONVENTIONS.md, normally written "
            f"by xenhost-installer), then run `xenhost-firstboot` again")

    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except FileNotFoundError:
        raise bad("file not found (the installer did not write it)") from None
    except OSError as e:
        raise bad(f"cannot read: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise bad(f"not valid YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise bad("expected a YAML mapping at the top level")

    if data.get("version") != SUPPORTED_VERSION:
        raise bad(f"version must be {SUPPORTED_VERSION}, got {data.get('version')!r}")

    hostname = data.get("hostname")
    if not isinstance(hostname, str) or not all(
            _LABEL_RE.match(part) for part in hostname.split(".")) or len(hostname) > 253:
        raise bad(f"hostname {hostname!r} is not a valid host name "
                  f"(letters, digits, '-', dots between labels)")

    password = data.get("root-password")
    if password not in (None, "ask"):
        raise bad(f"root-password must be 'ask' or absent, got {password!r}")
    return FirstbootConfig(hostname=hostname,
                           management=_management(data.get("management"), bad),
                           local_sr=_local_sr(data.get("storage"), bad),
                           ask_root_password=password == "ask",
                           hooks=_hooks(data.get("hooks"), bad))


def _management(mgmt, bad):
    if not isinstance(mgmt, dict):
        raise bad("management: section missing or not a mapping")
    mac = str(mgmt.get("mac", "")).lower()
    if not _MAC_RE.match(mac):
        raise bad(f"management.mac {mgmt.get('mac')!r} is not a MAC address like 52:54:00:12:34:56")
    bridge = mgmt.get("bridge", "xenbr0")
    interface = mgmt.get("interface", "")
    for key, value in (("bridge", bridge), ("interface", interface)):
        if not isinstance(value, str) or not _IFNAME_RE.match(value):
            raise bad(f"management.{key} {value!r} is not a network interface name")
    vlan = mgmt.get("vlan")
    if vlan is not None and (type(vlan) is not int or not 1 <= vlan <= 4094):
        raise bad(f"management.vlan {vlan!r} must be a VLAN id from 1 to 4094")
    mode = mgmt.get("mode")
    if mode not in ("dhcp", "static"):
        raise bad(f"management.mode must be 'dhcp' or 'static', got {mode!r}")
    # dns in both modes: with DHCP the servers given are used besides the lease's
    result = Management(interface=interface, mac=mac, mode=mode, bridge=bridge, vlan=vlan,
                        dns=_dns(mgmt.get("dns"), bad))
    if mode == "static":
        result.address, result.gateway = _static_address(mgmt, bad)
    return result


def _dns(dns, bad):
    if dns is None:
        return []
    if not isinstance(dns, list):
        raise bad("management.dns must be a list of addresses")
    try:
        return [str(ipaddress.ip_address(str(d))) for d in dns]
    except ValueError as e:
        raise bad(f"management.dns: {e}") from None


def _static_address(mgmt, bad):
    """(address as CIDR, gateway or None) of a static management network."""
    try:
        address = str(ipaddress.ip_interface(str(mgmt.get("address"))))
        if "/" not in str(mgmt.get("address")):
            raise ValueError
    except ValueError:
        raise bad(f"management.address {mgmt.get('address')!r} must be CIDR like 192.0.2.10/24") from None
    try:
        gateway = mgmt.get("gateway")
        return address, None if gateway is None else str(ipaddress.ip_address(str(gateway)))
    except ValueError as e:
        raise bad(f"management.gateway: {e}") from None


def _local_sr(storage, bad):
    # storage is optional: a host without a local disk for VMs is valid.
    if storage is None:
        return None
    if not isinstance(storage, dict):
        raise bad("storage: must be a mapping")
    sr = storage.get("local-sr")
    if sr is None:
        return None
    usage = "storage.local-sr needs type: lvm|ext and devices: [/dev/..., ...]"
    if not isinstance(sr, dict):
        raise bad(usage)
    sr_type = sr.get("type", "lvm")
    if sr_type not in SR_TYPES:
        raise bad(f"storage.local-sr.type must be one of {', '.join(SR_TYPES)}, got {sr_type!r}")
    devices = sr.get("devices")
    if not isinstance(devices, list) or not devices or not all(
            isinstance(d, str) and d.startswith("/dev/") for d in devices):
        raise bad(f"{usage} (devices: {devices!r})")
    if len(set(devices)) != len(devices):
        raise bad(f"storage.local-sr.devices lists a device twice: {devices!r}")
    return LocalSR(type=sr_type, devices=list(devices))


def _hooks(hooks, bad):
    if hooks is None:
        return []
    if not isinstance(hooks, list):
        raise bad(f"hooks must be a list of scripts in {HOOKS_DIR}")
    for hook in hooks:
        # Only the installer's copies: a path elsewhere would run whatever happens to live there.
        if not isinstance(hook, str) or os.path.dirname(hook) != HOOKS_DIR \
                or os.path.basename(hook) in ("", ".", ".."):
            raise bad(f"hook {hook!r} is not a file in {HOOKS_DIR}")
    if len(set(hooks)) != len(hooks):
        raise bad(f"hooks lists a script twice: {hooks!r}")
    return list(hooks)
