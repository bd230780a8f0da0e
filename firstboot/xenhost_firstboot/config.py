"""Load and validate /etc/xenhost/firstboot.yaml (contract: CONVENTIONS.md).

Validation happens before any step runs, so a bad file changes nothing.
"""
import ipaddress
import re
from dataclasses import dataclass, field
from typing import List, Optional

import yaml

from .errors import FirstbootError

CONFIG_PATH = "/etc/xenhost/firstboot.yaml"
SUPPORTED_VERSION = 1

_MAC_RE = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")
_LABEL_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", re.IGNORECASE)
_IFNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,15}$")  # kernel IFNAMSIZ - 1


@dataclass
class Management:
    interface: str
    mac: str
    mode: str                       # "dhcp" or "static"
    bridge: str = "xenbr0"
    address: Optional[str] = None   # CIDR, static only
    gateway: Optional[str] = None
    dns: List[str] = field(default_factory=list)


@dataclass
class LocalSR:
    device: str
    type: str


@dataclass
class FirstbootConfig:
    hostname: str
    management: Management
    local_sr: Optional[LocalSR]


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

    return FirstbootConfig(hostname=hostname,
                           management=_management(data.get("management"), bad),
                           local_sr=_local_sr(data.get("storage"), bad))


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
    mode = mgmt.get("mode")
    result = Management(interface=interface, mac=mac, mode=mode, bridge=bridge)
    if mode == "dhcp":
        return result
    if mode != "static":
        raise bad(f"management.mode must be 'dhcp' or 'static', got {mode!r}")
    try:
        result.address = str(ipaddress.ip_interface(str(mgmt.get("address"))))
        if "/" not in str(mgmt.get("address")):
            raise ValueError
    except ValueError:
        raise bad(f"management.address {mgmt.get('address')!r} must be CIDR like 192.0.2.10/24") from None
    try:
        if mgmt.get("gateway") is not None:
            result.gateway = str(ipaddress.ip_address(str(mgmt["gateway"])))
        dns = mgmt.get("dns") or []
        if not isinstance(dns, list):
            raise bad("management.dns must be a list of addresses")
        result.dns = [str(ipaddress.ip_address(str(d))) for d in dns]
    except ValueError as e:
        raise bad(f"management: {e}") from None
    return result


def _local_sr(storage, bad):
    # storage is optional: a host without a local disk for VMs is valid.
    if storage is None:
        return None
    if not isinstance(storage, dict):
        raise bad("storage: must be a mapping")
    sr = storage.get("local-sr")
    if sr is None:
        return None
    if not isinstance(sr, dict) or not isinstance(sr.get("device"), str) \
            or not sr["device"].startswith("/dev/"):
        raise bad("storage.local-sr needs device: /dev/... and type: lvm")
    return LocalSR(device=sr["device"], type=str(sr.get("type", "lvm")))
