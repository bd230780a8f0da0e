"""Step: management bridge (xenbr0) with systemd-networkd.

Like XenServer, dom0's IP lives on a bridge that enslaves the management NIC,
so guests can be attached to the same bridge later.  The NIC is matched by
MAC, not by name: the installer ran a different kernel/udev and the name it
saw (management.interface) is not guaranteed to be the same here.

With management.vlan the bridge sits on a VLAN device of the NIC instead of the
NIC itself: NIC -> vlan<ID> (tagged) -> bridge -> dom0's address.
"""
import os

from .files import ensure_symlink, write_if_changed

NETWORK_DIR = "/etc/systemd/network"
UNIT = "systemd-networkd.service"


def vlan_name(mgmt):
    return f"vlan{mgmt.vlan}"


def network_files(mgmt):
    """Return {file name: content} for the management bridge."""
    bridge = mgmt.bridge
    files = {f"10-{bridge}.netdev": (
        "# Written by xenhost-firstboot: the management bridge.\n"
        "[NetDev]\n"
        f"Name={bridge}\n"
        "Kind=bridge\n"
        # Same MAC as the NIC: DHCP leases and switch port security stay
        # as they were before the bridge existed.
        f"MACAddress={mgmt.mac}\n")}
    # The NIC's own .network: a bridge port, or the carrier of the VLAN.
    port = f"Bridge={bridge}" if mgmt.vlan is None else f"VLAN={vlan_name(mgmt)}"
    files[f"20-{bridge}-uplink.network"] = (
        f"# Written by xenhost-firstboot: the management NIC, under {bridge}.\n"
        "[Match]\n"
        f"MACAddress={mgmt.mac}\n"
        # Type=ether: the bridge (and a VLAN) carry the same MAC and must not match here.
        "Type=ether\n"
        "\n[Network]\n"
        f"{port}\n"
        "LinkLocalAddressing=no\n")
    if mgmt.vlan is not None:
        files.update(_vlan_files(mgmt))
    lines = [f"# Written by xenhost-firstboot: dom0's management address on {bridge}.",
             "[Match]", f"Name={bridge}", "", "[Network]"]
    if mgmt.mode == "dhcp":
        lines.append("DHCP=yes")
    else:
        lines.append(f"Address={mgmt.address}")
        if mgmt.gateway:
            lines.append(f"Gateway={mgmt.gateway}")
    # With DHCP too: resolved uses these and the lease's servers (UseDNS= stays on).
    lines += [f"DNS={server}" for server in mgmt.dns]
    if mgmt.mode == "dhcp":
        # ClientIdentifier=mac: the lease follows the NIC's MAC like before.
        lines += ["", "[DHCPv4]", "ClientIdentifier=mac"]
    files[f"30-{bridge}.network"] = "\n".join(lines) + "\n"
    return files


def _vlan_files(mgmt):
    vlan = vlan_name(mgmt)
    return {
        f"15-{vlan}.netdev": (
            f"# Written by xenhost-firstboot: the management VLAN {mgmt.vlan} on the NIC.\n"
            "[NetDev]\n"
            f"Name={vlan}\n"
            "Kind=vlan\n"
            "\n[VLAN]\n"
            f"Id={mgmt.vlan}\n"),
        f"25-{vlan}.network": (
            f"# Written by xenhost-firstboot: VLAN {mgmt.vlan} is the port of {mgmt.bridge}.\n"
            "[Match]\n"
            f"Name={vlan}\n"
            "\n[Network]\n"
            f"Bridge={mgmt.bridge}\n"
            "LinkLocalAddressing=no\n"),
    }


def configure_management_network(ctx):
    mgmt = ctx.config.management
    written = [name for name, content in network_files(mgmt).items()
               if write_if_changed(ctx.path(f"{NETWORK_DIR}/{name}"), content)]
    resolv = _write_static_resolv_conf(ctx)
    enabled = _enable_networkd(ctx)
    warning = _record_in_toolstack(ctx, mgmt)
    on = mgmt.mac if mgmt.vlan is None else f"VLAN {mgmt.vlan} of {mgmt.mac}"
    what = f"{mgmt.bridge} on {on} ({mgmt.mode})"
    if not (written or resolv or enabled):
        return f"{what}: already configured{warning}"
    parts = [f"wrote {', '.join(written)}" if written else "config unchanged"]
    if resolv:
        parts.append("wrote /etc/resolv.conf")
    if enabled:
        parts.append(f"enabled {UNIT}")
    return f"{what}: " + "; ".join(parts) + warning


def _record_in_toolstack(ctx, mgmt):
    """The toolstack records the NIC (a PIF) and xenbr0's network, so `xe vif-create` can put
    guests on it; networkd keeps owning the bridge itself. A failure is reported, not fatal:
    dom0's network works without the records (`xe pif-introduce` adds them later)."""
    if not ctx.live:
        return ""
    argv = ["xe", "pif-introduce", f"device={mgmt.interface}", f"mac={mgmt.mac}", f"bridge={mgmt.bridge}",
            "management=true", f"IP-configuration-mode={'DHCP' if mgmt.mode == 'dhcp' else 'Static'}"]
    if mgmt.vlan is not None:
        argv.append(f"VLAN={mgmt.vlan}")
    result = ctx.runner.run(argv, check=False)
    if result.returncode == 0:
        return ""
    message = (result.stderr or result.stdout or "xe failed").strip().splitlines()[0]
    return f"; WARNING: {mgmt.bridge} not recorded by the toolstack ({message}; later: {' '.join(argv)})"


def _write_static_resolv_conf(ctx):
    """networkd's DNS= (and a lease's servers) only reach resolv.conf through systemd-resolved.

    When resolv.conf is a plain file (no resolved/resolvconf owning it), write
    the servers given there, in either mode: a DHCP lease's would not arrive
    there anyway. Never replace a symlink someone else manages.
    """
    mgmt = ctx.config.management
    path = ctx.path("/etc/resolv.conf")
    if not mgmt.dns or os.path.islink(path):
        return False
    content = "# Written by xenhost-firstboot\n" + "".join(
        f"nameserver {server}\n" for server in mgmt.dns)
    return write_if_changed(path, content)


def _enable_networkd(ctx):
    """Enable systemd-networkd (Debian ships it disabled); True if changed."""
    if ctx.live:
        state = ctx.runner.run(["systemctl", "is-enabled", UNIT], check=False).stdout.strip()
        if state == "enabled":
            return False
        ctx.runner.run(["systemctl", "enable", UNIT])
        # Enabling mid-boot does not add it to the running boot transaction;
        # --no-block because this unit is ordered Before= networkd.
        ctx.runner.run(["systemctl", "start", "--no-block", UNIT])
        return True
    # Offline root: create what `systemctl enable` would (networkd's [Install]).
    lib = "/lib/systemd/system"
    etc = ctx.path("/etc/systemd/system")
    links = {
        f"{etc}/multi-user.target.wants/{UNIT}": f"{lib}/{UNIT}",
        f"{etc}/dbus-org.freedesktop.network1.service": f"{lib}/{UNIT}",
        f"{etc}/sockets.target.wants/systemd-networkd.socket": f"{lib}/systemd-networkd.socket",
        f"{etc}/network-online.target.wants/systemd-networkd-wait-online.service":
            f"{lib}/systemd-networkd-wait-online.service",
    }
    changed = False
    for link, target in links.items():
        changed |= ensure_symlink(link, target)
    return changed
