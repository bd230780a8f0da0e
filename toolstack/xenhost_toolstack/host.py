"""Facts about this host that do not come from xl."""
import os
import socket
import uuid as uuidlib

from xenhost_common.errors import ProgramMissing
from xenhost_common.names import MANAGEMENT_BRIDGE

from .errors import XeError

HOST_UUID_PATH = "/etc/xenhost/host-uuid"


def host_uuid(root="/"):
    """Stable host UUID: read /etc/xenhost/host-uuid, create it on first use."""
    path = os.path.join(root, HOST_UUID_PATH.lstrip("/"))
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read().strip()
    except FileNotFoundError:
        return _create_host_uuid(path)
    try:
        return str(uuidlib.UUID(text))
    except ValueError:
        raise XeError(f"{HOST_UUID_PATH} does not hold a UUID ({text[:40]!r})",
                      f"restore it from a backup, or delete it to give the host a new identity") from None


def _create_host_uuid(path):
    value = str(uuidlib.uuid4())
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(value + "\n")
        os.replace(tmp, path)  # atomic: two concurrent xe calls agree on one value
    except OSError as e:
        raise XeError(f"cannot create {HOST_UUID_PATH}: {e.strerror}", "run xe as root") from None
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def hostname(runner):
    try:
        result = runner.run(["hostname"], check=False)
    except ProgramMissing:
        return socket.gethostname()
    return result.stdout.strip() if result.ok else socket.gethostname()


def management_address(runner, bridge=MANAGEMENT_BRIDGE):
    """First global IPv4 (else IPv6) address on the management bridge, or ""."""
    try:
        result = runner.run(["ip", "-o", "addr", "show", "dev", bridge, "scope", "global"], check=False)
    except ProgramMissing:
        return ""
    if not result.ok:
        return ""
    found = {}
    for line in result.stdout.splitlines():
        words = line.split()
        for family in ("inet", "inet6"):
            if family in words and family not in found:
                found[family] = words[words.index(family) + 1].split("/")[0]
    return found.get("inet") or found.get("inet6", "")
