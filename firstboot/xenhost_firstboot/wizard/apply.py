"""Apply the wizard's answers: check everything, then write first-boot data and run first boot's own
steps for the answered sections, then tell the wizard unit it is no longer needed.

Order, so that a refusal changes nothing: the new first-boot data is built and checked against
the contract's schema (and the NIC and disk resolved) before anything is written; only then the
password, the data file, the host name, the network (stale files of an earlier choice removed,
networkd restarted, an old bridge port let go), the local SR.
"""
import io
import os
from dataclasses import dataclass, field

from xenhost_common import contract, names
from xenhost_common.tasks import Task, TaskSequence
from xenhost_installer.host import pick_nic
from xenhost_installer.tasks.firstboot import BY_ID, stable_disk_name

from ..config import from_data
from ..context import Context
from ..errors import FirstbootError
from ..hostname import set_hostname
from ..network import NETWORK_DIR, UNIT, configure_management_network, network_files
from ..storage import create_local_sr
from . import debian
from .answers import to_firstboot
from .pending import wait_for_address, write_pending

WRITTEN_BY_US = "# Written by xenhost-firstboot"
LEASE_WAIT_S = 60           # a new bridge: DHCP from scratch (slow under emulation)


@dataclass
class Facts:
    """The machine as the screens show it: NICs (installer host.Nic), disks nothing uses (disks.Disk);
    debian: on a plain Debian machine (Xen not booted yet), its RAM and CPUs (ram_bytes, cpus)."""
    nics: list = field(default_factory=list)
    free_disks: list = field(default_factory=list)
    debian: object = None


def chosen_nic(answers, facts):
    spec = (answers.get("network") or {}).get("interface") or "auto"
    nic = pick_nic(spec, facts.nics)
    if nic is None:
        raise FirstbootError(f"network interface {spec!r} not found on this host",
                             "choose one of: " + (", ".join(n.name for n in facts.nics) or "(none found)"))
    return nic


def sr_devices(ctx, answers):
    disk = (answers.get("local-sr") or {}).get("disk")
    if not disk:
        return []
    # the by-id name, as the installer writes it: the next boot's kernel may name the disk otherwise
    name = stable_disk_name(ctx.path(disk), ctx.path(disk), by_id=ctx.path(BY_ID))
    return ["/" + os.path.relpath(name, ctx.root)]


def new_data(ctx, data, answers, pending, facts):
    nic = chosen_nic(answers, facts) if "network" in pending else None
    out = to_firstboot(data, answers, pending, nic, sr_devices(ctx, answers))
    wrong = contract.problems(out)
    if wrong:
        raise FirstbootError("the answers do not make valid first-boot data: " + "; ".join(wrong),
                             "go back and change them (nothing was written)")
    return out


def _drop_stale_network_files(ctx):
    keep = set(network_files(ctx.config.management))
    directory = ctx.path(NETWORK_DIR)
    for name in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
        path = os.path.join(directory, name)
        with open(path, encoding="utf-8") as f:
            ours = f.readline().startswith(WRITTEN_BY_US)
        if ours and name not in keep:
            os.remove(path)


def _links(ctx, *selector):
    """[(name, mac)] of `ip -o link show SELECTOR`."""
    found = []
    for line in ctx.runner.run(["ip", "-o", "link", "show", *selector], check=False).lines():
        words = line.replace("@", " ").split()
        name = words[1].rstrip(":") if len(words) > 1 else ""
        mac = words[words.index("link/ether") + 1] if "link/ether" in words else ""
        if name:
            found.append((name, mac))
    return found


def _release_old_ports(ctx):
    """networkd applies a bridge's MACAddress= only when it creates the bridge, and leaves a NIC it
    no longer manages enslaved: a bridge made for another NIC goes (networkd makes it anew), and
    every other port is let go."""
    mgmt = ctx.config.management
    if any(mac and mac != mgmt.mac for _name, mac in _links(ctx, "dev", mgmt.bridge)):
        ctx.runner.run(["ip", "link", "delete", "dev", mgmt.bridge])
        return
    for port, mac in _links(ctx, "master", mgmt.bridge):
        if mac != mgmt.mac:
            ctx.runner.run(["ip", "link", "set", "dev", port, "nomaster"])


def apply_network(ctx):
    _drop_stale_network_files(ctx)
    detail = configure_management_network(ctx)
    if not ctx.live:
        return detail
    return _restart_network(ctx, detail)


def take_over_uplink(ctx):
    """Plain Debian: the bridge is set up for the next boot (networkd enabled, not started; the
    uplink's ifupdown stanza commented out), so nothing changes under a running SSH session."""
    _drop_stale_network_files(ctx)
    offline = Context(config=ctx.config, root=ctx.root, runner=ctx.runner, live=False)
    detail = configure_management_network(offline)
    if debian.release_from_ifupdown(ctx, ctx.config.management.interface):
        detail += f"; {ctx.config.management.interface} taken out of {debian.IFUPDOWN}"
    return detail + "; takes effect at the reboot"


def _restart_network(ctx, detail):
    _release_old_ports(ctx)
    ctx.runner.run(["systemctl", "restart", UNIT])
    address = wait_for_address(ctx.runner, ctx.config.management.bridge, ctx.lease_wait)
    return f"{detail}; {ctx.config.management.bridge}: {address or 'no IPv4 address yet'}"


def set_password(ctx, password_hash):
    # -e: the hash the screen made (SHA-512 crypt); stdin, never argv
    ctx.runner.run(["chpasswd", "-e"], input=f"root:{password_hash}\n", secret=True)
    return "set"


def apply(root, runner, data, answers, pending, facts, *, live=True, say=print, lease_wait=LEASE_WAIT_S):
    """Write and apply; returns the new first-boot data. Raises FirstbootError before writing
    anything when the answers do not fit."""
    probe = Context(config=from_data(data), root=root, runner=runner, live=live)
    new = new_data(probe, data, answers, pending, facts)
    ctx = Context(config=from_data(new), root=root, runner=runner, live=live, say=say, lease_wait=lease_wait)
    tasks = []
    if "root-password" in pending:
        tasks.append(Task("root password", lambda c: set_password(c, answers["root-password"]["hash"]), 1,
                          ("chpasswd",)))
    tasks.append(Task("first-boot data", lambda c: contract.dump(new, c.path(names.FIRSTBOOT_DATA)), 1))
    if "hostname" in pending:
        tasks.append(Task("host name", set_hostname, 1, ("hostname",)))
    if "network" in pending:
        tasks.append(Task("management network", take_over_uplink if facts.debian else apply_network, 5,
                          ("ip", "systemctl")))
    if "local-sr" in pending and new.get("storage", {}).get("local-sr"):
        tasks.append(Task("local storage", create_local_sr, 10, ("vgcreate", "lvcreate", "mkfs.ext4")))
    if facts.debian:
        tasks.append(Task("Xen boot", lambda c: debian.configure_boot(c, facts.debian),
                          2, ("update-grub",)))
    tasks.append(Task("wizard done", lambda c: write_pending(c.root, []), 1))

    results = {}

    def keep(task):
        def run(c):
            results[task.text] = task.run(c)
        return Task(task.text, run, task.weight, task.programs)

    TaskSequence(out=io.StringIO(), on_task_done=lambda p, _e: say(f"[{p.number}/{p.total}] {p.text}: "
                                                         f"{results.get(p.text) or 'done'}")
                 ).run([keep(t) for t in tasks], ctx)
    return new
