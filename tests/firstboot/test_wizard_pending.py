"""What first boot leaves to the wizard: each undecided section, the lease wait, the pending file."""
import os

from firstboot_helpers import DHCP_YAML, IP_ADDR, LEASE, make_runner, read, write
from xenhost_firstboot.config import load_config
from xenhost_firstboot.context import Context
from xenhost_firstboot.wizard.pending import read_pending, shown, undecided, wait_for_address, write_pending


def ctx_for(root, text, runner=None, shadow="root:!:19000:0:99999:7:::\n", live=True):
    write(root, "etc/xenhost/firstboot.yaml", text)
    write(root, "etc/shadow", shadow)
    cfg = load_config(os.path.join(str(root), "etc/xenhost/firstboot.yaml"))
    return Context(config=cfg, root=str(root), runner=runner or make_runner(), live=live)


def test_complete_data_leaves_nothing(tmp_path):
    assert undecided(ctx_for(tmp_path, DHCP_YAML), lease_wait=0) == []


def test_each_undecided_section(tmp_path):
    text = DHCP_YAML.replace("hostname: xh1\n", "").split("storage:")[0] + "root-password: ask\n"
    assert undecided(ctx_for(tmp_path, text), lease_wait=0) == ["root-password", "hostname", "local-sr"]
    no_lease = make_runner()
    no_lease.respond(IP_ADDR, "")
    assert undecided(ctx_for(tmp_path, DHCP_YAML, no_lease), lease_wait=0) == ["network"]
    assert undecided(ctx_for(tmp_path, DHCP_YAML.replace("mode: dhcp", "mode: none")), lease_wait=0) == ["network"]
    # a password already set (a rerun after the wizard) is not asked again; offline: no lease check
    assert undecided(ctx_for(tmp_path, DHCP_YAML + "root-password: ask\n", no_lease, shadow="root:$6$x:1::::::\n",
                             live=False), lease_wait=0) == []


def test_the_lease_may_come_late():
    runner, answers, slept = make_runner(), iter(["", "", LEASE]), []
    runner.respond(IP_ADDR, lambda argv: next(answers))
    now = [0.0]

    def sleep(s):
        slept.append(s)
        now[0] += s
    assert wait_for_address(runner, "xenbr0", 20, sleep=sleep, clock=lambda: now[0]) == "10.0.2.15/24"
    assert slept == [1, 1]
    runner.respond(IP_ADDR, "")
    now[0] = 0.0
    assert wait_for_address(runner, "xenbr0", 5, sleep=sleep, clock=lambda: now[0]) is None and now[0] == 5


def test_pending_file_round_trip_and_the_name_with_the_network(tmp_path):
    write_pending(str(tmp_path), ["network", "root-password"])
    assert read_pending(str(tmp_path)) == ["network", "root-password"]
    assert read(tmp_path, "var/lib/xenhost/setup-pending") == "- network\n- root-password\n"
    write_pending(str(tmp_path), [])
    assert read_pending(str(tmp_path)) == [] and not (tmp_path / "var/lib/xenhost/setup-pending").exists()
    assert shown(["network"]) == ["network", "hostname"] and shown(["local-sr"]) == ["local-sr"]
