"""The network step records the management NIC and xenbr0 with the toolstack (xe pif-introduce)."""
from firstboot_helpers import DHCP_YAML, answer
from xenhost_firstboot.config import load_config
from xenhost_firstboot.context import Context
from xenhost_firstboot.network import configure_management_network

XE = ["xe", "pif-introduce", "device=enp0s3", "mac=52:54:00:12:34:56", "bridge=xenbr0", "management=true",
      "IP-configuration-mode=DHCP"]


def ctx_for(root, runner, live=True, text=DHCP_YAML):
    (root / "etc/xenhost/firstboot.yaml").write_text(text)
    cfg = load_config(str(root / "etc/xenhost/firstboot.yaml"))
    return Context(config=cfg, root=str(root), runner=runner, live=live)


def test_management_nic_recorded(root, runner):
    runner.respond(("systemctl", "is-enabled", "systemd-networkd.service"), answer(0, "enabled\n"))
    detail = configure_management_network(ctx_for(root, runner))
    assert XE in runner.calls and "WARNING" not in detail


def test_vlan_is_recorded_too(root, runner):
    text = DHCP_YAML.replace("bridge: xenbr0", "bridge: xenbr0\n  vlan: 42")
    configure_management_network(ctx_for(root, runner, text=text))
    assert XE + ["VLAN=42"] in runner.calls


def test_a_toolstack_failure_is_reported_not_fatal(root, runner):
    runner.respond(tuple(XE), answer(1, "", "cannot open the toolstack database /var/lib/xenhost/state.db\n"))
    detail = configure_management_network(ctx_for(root, runner))
    assert "WARNING: xenbr0 not recorded by the toolstack (cannot open the toolstack database" in detail
    assert (root / "etc/systemd/network/30-xenbr0.network").exists()


def test_offline_root_records_nothing(root, runner):
    configure_management_network(ctx_for(root, runner, live=False))
    assert not any(c[0] == "xe" for c in runner.calls)
