"""xenhost-setup end to end on a temp root with the shared FakeRunner: the answers become first-boot
data (checked by the contract before anything is written), first boot's own steps apply them, and
the wizard's pending file goes away; the same from an answer file in the installer's schema."""
import io

import yaml

from firstboot_helpers import DHCP_YAML, IP_ADDR, LEASE, commands, make_runner, read, write
from wizard_helpers import FREE, NICS
from xenhost_firstboot.wizard.apply import Facts
from xenhost_firstboot.wizard.cli import main
from xenhost_firstboot.wizard.pending import PENDING

SHADOW = "root:!:19000:0:99999:7:::\n"
HASH = "$6$abcdefgh$" + "x" * 86


def host(tmp_path, data=DHCP_YAML, pending=("root-password", "network")):
    write(tmp_path, "etc/xenhost/firstboot.yaml", data)
    write(tmp_path, "etc/shadow", SHADOW)
    write(tmp_path, PENDING.lstrip("/"), yaml.safe_dump(list(pending)))
    # an earlier choice: VLAN 42 on another NIC (its files must go)
    write(tmp_path, "etc/systemd/network/15-vlan42.netdev", "# Written by xenhost-firstboot: old VLAN\n")
    write(tmp_path, "etc/systemd/network/99-site.network", "# the admin's own file\n")
    return tmp_path


def setup(root, argv, answers=None, runner=None, facts=None):
    out = io.StringIO()
    runner = runner or make_runner()
    asked = []

    def ask(facts_, defaults, pending, error):
        asked.append((dict(defaults), list(pending), error))
        return answers
    code = main(["--root", str(root)] + argv, runner=runner, ask=ask, out=out, lease_wait=0, live=True,
                facts=facts or Facts(nics=list(NICS), free_disks=list(FREE)))
    return code, out.getvalue(), runner, asked


def test_first_boot_wizard_applies_password_network_and_name(tmp_path):
    root = host(tmp_path)
    answers = {"root-password": {"hash": HASH}, "hostname": "xh-wiz",
               "network": {"interface": "enp0s4", "mode": "dhcp"}}
    code, out, runner, asked = setup(root, ["--first-boot"], answers)
    assert code == 0, out
    assert asked[0][1] == ["root-password", "network", "hostname"]          # the name comes with the network
    assert asked[0][0]["network"] == {"mode": "dhcp", "interface": "enp0s3"}  # defaults from the data
    assert commands(runner, "chpasswd") == [["chpasswd", "-e"]] and f"root:{HASH}\n" in runner.inputs
    data = yaml.safe_load(read(root, "etc/xenhost/firstboot.yaml"))
    assert data["management"] == {"interface": "enp0s4", "mac": "52:54:00:ab:cd:ef", "mode": "dhcp",
                                  "bridge": "xenbr0"}
    assert data["hostname"] == "xh-wiz" and "root-password" not in data
    assert "MACAddress=52:54:00:ab:cd:ef" in read(root, "etc/systemd/network/20-xenbr0-uplink.network")
    assert not (root / "etc/systemd/network/15-vlan42.netdev").exists()
    assert (root / "etc/systemd/network/99-site.network").exists()               # not ours: kept
    assert read(root, "etc/hostname") == "xh-wiz\n"
    assert ["systemctl", "restart", "systemd-networkd.service"] in runner.calls
    assert not (root / PENDING.lstrip("/")).exists()
    assert f"xenbr0: {LEASE.split()[3]}" in out and out.splitlines()[-1] == "xenhost-setup: done"
    assert HASH not in out


def test_old_bridge_port_is_let_go(tmp_path):
    root = host(tmp_path, pending=("network",))
    runner = make_runner()
    runner.respond(("ip", "-o", "link", "show", "master", "xenbr0"),
                   "2: enp0s3: <BROADCAST,MULTICAST,UP> mtu 1500 master xenbr0\\    link/ether 52:54:00:12:34:56\n"
                   "3: enp0s4: <BROADCAST,MULTICAST,UP> mtu 1500 master xenbr0\\    link/ether 52:54:00:ab:cd:ef\n")
    code, out, runner, _ = setup(root, ["--first-boot"], {"network": {"interface": "enp0s4", "mode": "dhcp"},
                                                           "hostname": "xh1"}, runner=runner)
    assert code == 0, out
    assert ["ip", "link", "set", "dev", "enp0s3", "nomaster"] in runner.calls
    assert ["ip", "link", "set", "dev", "enp0s4", "nomaster"] not in runner.calls


def test_a_bridge_made_for_another_nic_is_made_anew(tmp_path):
    root = host(tmp_path, pending=("network",))
    runner = make_runner()
    runner.respond(("ip", "-o", "link", "show", "dev", "xenbr0"),
                   "5: xenbr0: <BROADCAST,MULTICAST,UP> mtu 1500\\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n")
    code, out, runner, _ = setup(root, ["--first-boot"], {"network": {"interface": "enp0s4", "mode": "dhcp"},
                                                           "hostname": "xh1"}, runner=runner)
    assert code == 0, out
    delete = runner.calls.index(["ip", "link", "delete", "dev", "xenbr0"])
    assert delete < runner.calls.index(["systemctl", "restart", "systemd-networkd.service"])


def test_refused_answers_write_nothing_and_the_screens_come_back(tmp_path):
    root = host(tmp_path, pending=("network",))
    before = read(root, "etc/xenhost/firstboot.yaml")
    tries = [{"network": {"interface": "eth9", "mode": "dhcp"}, "hostname": "xh1"}, None]
    out = io.StringIO()
    errors = []

    def ask(facts, defaults, pending, error):
        errors.append(error)
        return tries.pop(0)
    code = main(["--root", str(root), "--first-boot"], runner=make_runner(), ask=ask, out=out, lease_wait=0, live=True,
                facts=Facts(nics=list(NICS)))
    assert code == 0 and errors[0] is None and "eth9" in errors[1] and "choose one of: enp0s3, enp0s4" in errors[1]
    assert read(root, "etc/xenhost/firstboot.yaml") == before and (root / PENDING.lstrip("/")).exists()
    assert "left for later" in out.getvalue() and "xenhost-setup: done" not in out.getvalue()


def test_nothing_pending_asks_nothing(tmp_path):
    root = host(tmp_path, pending=())
    (root / PENDING.lstrip("/")).unlink()
    code, out, runner, asked = setup(root, ["--first-boot"], {})
    assert code == 0 and asked == [] and "nothing left undecided" in out and runner.calls == []


def test_rerun_changes_network_and_name_only(tmp_path):
    root = host(tmp_path, pending=())
    code, out, runner, asked = setup(root, [], {"network": {"interface": "enp0s3", "mode": "static",
                                                            "address": "10.0.2.50/24", "gateway": "10.0.2.2"},
                                                "hostname": "xh2"})
    assert code == 0, out and asked[0][1] == ["network", "hostname"]
    assert "Address=10.0.2.50/24\nGateway=10.0.2.2" in read(root, "etc/systemd/network/30-xenbr0.network")
    assert commands(runner, "chpasswd") == [] and not any(c[:2] == ["xe", "sr-create"] for c in runner.calls)


def test_answer_file_in_the_installer_schema(tmp_path):
    root = host(tmp_path, data="version: 1\nmanagement: {mode: none}\nroot-password: ask\n", pending=())
    write(root, "dev/disk/by-id/virtio-data", "")
    answers = write(root, "answers.yaml", "version: 1\nroot-password: {plaintext: s3cret-pw}\n"
                                          "network: {interface: auto, mode: dhcp}\nhostname: deb1\n"
                                          "disk: {guest: [/dev/vdb]}\nstorage: {type: lvm}\n")
    runner = make_runner()
    runner.respond(("pvs",), (5, "", "not a PV"))
    runner.respond(("vgs",), (5, "", "no such VG"))
    write(root, "dev/vdb", "")
    code, out, runner, asked = setup(root, ["--answers", answers], runner=runner)
    assert code == 0, out
    assert asked == []                                                   # unattended: no screens
    [pw] = [i for c, i in zip(runner.calls, runner.inputs) if c[0] == "chpasswd"]
    assert pw.startswith("root:$6$") and "s3cret-pw" not in pw + out
    data = yaml.safe_load(read(root, "etc/xenhost/firstboot.yaml"))
    assert data["hostname"] == "deb1" and data["management"]["interface"] == "enp0s4"   # auto: link up
    assert data["storage"] == {"local-sr": {"type": "lvm", "devices": ["/dev/vdb"]}}
    # the local SR is made by the toolstack (xe sr-create), which records it in its database
    assert any(c[:2] == ["xe", "sr-create"] and "device-config:device=/dev/vdb" in c for c in runner.calls)


def test_bad_answer_file_is_refused_with_the_installer_message(tmp_path):
    root = host(tmp_path, pending=())
    before = read(root, "etc/xenhost/firstboot.yaml")
    answers = write(root, "answers.yaml", "version: 1\nnetwork: {mode: static, address: 10.0.2.5}\ntimezone: UTC\n")
    code, out, runner, _ = setup(root, ["--answers", answers])
    assert code == 1 and "does not apply timezone" in out
    answers = write(root, "answers.yaml", "version: 1\nnetwork: {mode: static, address: 10.0.2.5}\n")
    code, out, runner, _ = setup(root, ["--answers", answers])
    assert code == 1 and "Address/prefix: '10.0.2.5' is not valid" in out and "fix:" in out
    assert read(root, "etc/xenhost/firstboot.yaml") == before and commands(runner, "chpasswd") == []


def test_bridge_without_lease_is_reported(tmp_path):
    root = host(tmp_path, pending=("network",))
    runner = make_runner()
    runner.respond(IP_ADDR, "")
    code, out, _, _ = setup(root, ["--first-boot"], {"network": {"interface": "enp0s4", "mode": "dhcp"},
                                                      "hostname": "xh1"}, runner=runner)
    assert code == 0 and "xenbr0: no IPv4 address yet" in out
