"""What the first-boot data leaves undecided, and the file that tells the wizard unit to run.

The sections (the installer's interactive-sections names, plus local-sr):
  root-password  root-password: ask, and root still has no password
  network        management mode none, or DHCP got no lease on the bridge
  hostname       no host name given
  local-sr       no storage section at all (an installer always writes one)
The finish stage writes the list to PENDING; xenhost-setup-pending.service (condition: PENDING
exists) starts the wizard on the console, so boot never waits for it. The wizard removes PENDING
once its answers are applied.
"""
import os
import time

import yaml

from xenhost_common.files import write_atomic
from xenhost_common.names import STATE_DIR

from ..files import read_text
from ..online import wait_for_network_online
from ..password import root_is_locked

PENDING = f"{STATE_DIR}/setup-pending"
SECTIONS = ("root-password", "network", "hostname", "local-sr")     # in the wizard's order
LEASE_WAIT_S = 20           # after network-online.target (online.py): DHCP had its chance already


def bridge_address(runner, bridge):
    """The bridge's first IPv4 address (CIDR), or None."""
    result = runner.run(["ip", "-4", "-o", "addr", "show", "dev", bridge], check=False)
    for line in result.lines():
        words = line.split()
        if "inet" in words:
            return words[words.index("inet") + 1]
    return None


def wait_for_address(runner, bridge, wait_s, sleep=time.sleep, clock=time.monotonic):
    deadline = clock() + wait_s
    while True:
        address = bridge_address(runner, bridge)
        if address or clock() >= deadline:
            return address
        sleep(1)


def undecided(ctx, lease_wait=LEASE_WAIT_S):
    """The sections the wizard must ask, in SECTIONS order."""
    cfg = ctx.config
    mgmt = cfg.management
    found = set()
    if cfg.ask_root_password and root_is_locked(ctx):
        found.add("root-password")
    if mgmt.mode == "none":
        found.add("network")
    elif mgmt.mode == "dhcp" and ctx.live and not _lease(ctx, lease_wait):
        found.add("network")        # a lease never came: wrong NIC, no DHCP server, unplugged
    if cfg.hostname is None:
        found.add("hostname")
    if not cfg.storage_given:
        found.add("local-sr")
    return [s for s in SECTIONS if s in found]


def _lease(ctx, lease_wait):
    wait_for_network_online(ctx)
    return wait_for_address(ctx.runner, ctx.config.management.bridge, lease_wait)


def shown(sections):
    """The sections the screens show: the host name and DNS screen comes with the network, so the
    name is answered (and applied) whenever the network is."""
    wanted = set(sections) | ({"hostname"} if "network" in sections else set())
    return [s for s in SECTIONS if s in wanted]


def read_pending(root="/"):
    text = read_text(os.path.join(root, PENDING.lstrip("/")))
    sections = yaml.safe_load(text) if text else None
    return [s for s in sections if s in SECTIONS] if isinstance(sections, list) else []


def write_pending(root, sections):
    path = os.path.join(root, PENDING.lstrip("/"))
    if sections:
        write_atomic(path, yaml.safe_dump(list(sections)))
    elif os.path.exists(path):
        os.remove(path)


def leave_to_wizard(ctx):
    """Finish-stage step: record what the wizard must ask (nothing: no wizard)."""
    sections = undecided(ctx, ctx.lease_wait)
    write_pending(ctx.root, sections)
    if not sections:
        return "nothing undecided"
    return f"the setup wizard waits on the console for: {', '.join(sections)}"
