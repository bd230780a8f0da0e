"""Each step on a temp root with a fake runner: files, commands, idempotency."""
import os

import pytest

from firstboot_helpers import DHCP_YAML, answer, commands, read, write
from xenhost_firstboot.config import load_config
from xenhost_firstboot.context import Context
from xenhost_firstboot.errors import FirstbootError
from xenhost_firstboot.hostname import set_hostname
from xenhost_firstboot.network import configure_management_network
from xenhost_firstboot.sshkeys import generate_ssh_host_keys

STATIC_YAML = DHCP_YAML.replace(
    "mode: dhcp", "mode: static\n  address: 192.0.2.10/24\n  gateway: 192.0.2.1\n  dns: [192.0.2.53]")


def make_ctx(root, runner, live=True, text=None):
    if text is not None:
        write(root, "etc/xenhost/firstboot.yaml", text)
    cfg = load_config(os.path.join(str(root), "etc/xenhost/firstboot.yaml"))
    return Context(config=cfg, root=str(root), runner=runner, live=live)


# --- hostname -------------------------------------------------------------

def test_hostname_written_and_applied_then_idempotent(root, runner):
    write(root, "etc/hostname", "debian\n")
    write(root, "etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\tdebian\n")
    runner.responses[("hostname",)] = answer(0, "debian\n")
    ctx = make_ctx(root, runner)
    assert set_hostname(ctx) == "set to xh1"
    assert read(root, "etc/hostname") == "xh1\n"
    assert read(root, "etc/hosts") == "127.0.0.1\tlocalhost\n127.0.1.1\txh1\n"
    assert ["hostname", "xh1"] in runner.calls

    runner.responses[("hostname",)] = answer(0, "xh1\n")
    runner.calls.clear()
    assert set_hostname(ctx) == "already xh1"
    assert runner.calls == [["hostname"]]  # only the read, no change


def test_hostname_offline_root_runs_no_command(root, runner):
    ctx = make_ctx(root, runner, live=False)
    assert set_hostname(ctx) == "set to xh1"
    assert runner.calls == []
    assert read(root, "etc/hostname") == "xh1\n"


# --- network ----------------------------------------------------------------

def test_network_dhcp_files(root, runner):
    runner.responses[("systemctl", "is-enabled", "systemd-networkd.service")] = answer(1, "disabled\n")
    detail = configure_management_network(make_ctx(root, runner))
    assert "wrote 10-xenbr0.netdev, 20-xenbr0-uplink.network, 30-xenbr0.network" in detail
    netdir = "etc/systemd/network"
    netdev = read(root, f"{netdir}/10-xenbr0.netdev")
    assert "[NetDev]\nName=xenbr0\nKind=bridge\n" in netdev
    uplink = read(root, f"{netdir}/20-xenbr0-uplink.network")
    assert "[Match]\nMACAddress=52:54:00:12:34:56\nType=ether\n" in uplink
    assert "Bridge=xenbr0" in uplink
    bridge = read(root, f"{netdir}/30-xenbr0.network")
    assert "[Match]\nName=xenbr0\n" in bridge and "DHCP=yes" in bridge
    assert "Address=" not in bridge
    assert ["systemctl", "enable", "systemd-networkd.service"] in runner.calls
    assert ["systemctl", "start", "--no-block", "systemd-networkd.service"] in runner.calls


def test_network_static_files_and_resolv_conf(root, runner):
    runner.responses[("systemctl", "is-enabled", "systemd-networkd.service")] = answer(0, "enabled\n")
    configure_management_network(make_ctx(root, runner, text=STATIC_YAML))
    bridge = read(root, "etc/systemd/network/30-xenbr0.network")
    assert "Address=192.0.2.10/24\nGateway=192.0.2.1\nDNS=192.0.2.53\n" in bridge
    assert "DHCP" not in bridge
    assert "nameserver 192.0.2.53" in read(root, "etc/resolv.conf")
    assert commands(runner, "systemctl") == [["systemctl", "is-enabled", "systemd-networkd.service"]]


def test_network_dhcp_with_dns_servers(root, runner):
    """DNS servers given with DHCP are configured too; networkd keeps using the lease's as well."""
    text = DHCP_YAML.replace("mode: dhcp", "mode: dhcp\n  dns: [192.0.2.53, 2001:db8::53]")
    configure_management_network(make_ctx(root, runner, live=False, text=text))
    bridge = read(root, "etc/systemd/network/30-xenbr0.network")
    assert "[Network]\nDHCP=yes\nDNS=192.0.2.53\nDNS=2001:db8::53\n\n[DHCPv4]\nClientIdentifier=mac\n" in bridge
    assert "UseDNS=" not in bridge
    assert read(root, "etc/resolv.conf").endswith("nameserver 192.0.2.53\nnameserver 2001:db8::53\n")


def test_network_dhcp_without_dns_servers_leaves_resolv_conf(root, runner):
    configure_management_network(make_ctx(root, runner, live=False))
    assert "DNS=" not in read(root, "etc/systemd/network/30-xenbr0.network")
    assert not os.path.exists(root / "etc/resolv.conf")


def test_network_keeps_managed_resolv_conf_symlink(root, runner):
    os.makedirs(root / "etc", exist_ok=True)
    os.symlink("/run/systemd/resolve/stub-resolv.conf", root / "etc/resolv.conf")
    configure_management_network(make_ctx(root, runner, live=False, text=STATIC_YAML))
    assert os.readlink(root / "etc/resolv.conf") == "/run/systemd/resolve/stub-resolv.conf"


def test_network_offline_enables_by_symlink_and_is_idempotent(root, runner):
    ctx = make_ctx(root, runner, live=False)
    first = configure_management_network(ctx)
    assert "enabled systemd-networkd.service" in first
    link = root / "etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
    assert os.readlink(link) == "/lib/systemd/system/systemd-networkd.service"
    assert runner.calls == []
    assert configure_management_network(ctx) == \
        "xenbr0 on 52:54:00:12:34:56 (dhcp): already configured"


def test_network_vlan_puts_bridge_on_a_vlan_of_the_nic(root, runner):
    ctx = make_ctx(root, runner, live=False, text=STATIC_YAML.replace("bridge: xenbr0", "bridge: xenbr0\n  vlan: 42"))
    assert configure_management_network(ctx).startswith("xenbr0 on VLAN 42 of 52:54:00:12:34:56 (static)")
    netdir = "etc/systemd/network"
    assert sorted(os.listdir(root / netdir)) == [
        "10-xenbr0.netdev", "15-vlan42.netdev", "20-xenbr0-uplink.network", "25-vlan42.network",
        "30-xenbr0.network"]
    assert "Name=vlan42\nKind=vlan\n\n[VLAN]\nId=42\n" in read(root, f"{netdir}/15-vlan42.netdev")
    uplink = read(root, f"{netdir}/20-xenbr0-uplink.network")
    assert "MACAddress=52:54:00:12:34:56\nType=ether\n" in uplink
    assert "VLAN=vlan42\n" in uplink and "Bridge=" not in uplink     # the NIC itself is no bridge port
    assert "[Match]\nName=vlan42\n\n[Network]\nBridge=xenbr0\n" in read(root, f"{netdir}/25-vlan42.network")
    assert "Address=192.0.2.10/24" in read(root, f"{netdir}/30-xenbr0.network")


# --- ssh --------------------------------------------------------------------

def test_ecdsa_and_ed25519_keys_generated_under_root_rsa_left_to_after_boot(root, runner):
    ctx = make_ctx(root, runner)
    assert create_ssh(ctx) == ("generated missing host keys (ecdsa, ed25519); "
                               "rsa: after boot (xenhost-ssh-rsa-key.service)")
    key = lambda t: str(root / "etc/ssh" / f"ssh_host_{t}_key")
    assert commands(runner, "ssh-keygen") == [["ssh-keygen", "-q", "-t", t, "-N", "", "-f", key(t)]
                                              for t in ("ecdsa", "ed25519")]
    assert not os.path.exists(key("rsa"))
    runner.calls.clear()
    assert create_ssh(ctx) == "host keys present; rsa: after boot (xenhost-ssh-rsa-key.service)"
    (root / "etc/ssh/ssh_host_rsa_key").write_text("made by the unit\n")
    assert create_ssh(ctx) == "host keys present"
    assert runner.calls == []


def test_ssh_without_ssh_keygen(root, runner):
    runner.missing.add("ssh-keygen")
    assert create_ssh(make_ctx(root, runner)) == "ssh-keygen not installed, skipped"


def test_ssh_keygen_silently_failing_is_an_error(root, runner):
    runner.respond(("ssh-keygen",), answer(0))  # "succeeds" but writes nothing
    with pytest.raises(FirstbootError, match="did not create host keys"):
        create_ssh(make_ctx(root, runner))


def create_ssh(ctx):
    return generate_ssh_host_keys(ctx)
