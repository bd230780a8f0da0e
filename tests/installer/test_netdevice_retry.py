"""network_device= (DHCP on one NIC in the installer environment) and the shared retry policy."""
import pytest

from xenhost_installer import cmdline, netdevice
from xenhost_installer.errors import CmdlineError
from xenhost_installer.retry import Backoff, Transient, with_retries


@pytest.mark.parametrize("value, match", [("enp3s0", "Name=enp3s0"),
                                          ("52:54:00:AB:cd:01", "MACAddress=52:54:00:ab:cd:01")])
def test_one_nic_gets_dhcp_and_the_others_are_left_alone(value, match):
    files = netdevice.network_files(cmdline.parse("network_device=%s" % value).network_device)
    chosen, others = files[netdevice.CHOSEN], files[netdevice.OTHERS]
    assert match in chosen and "DHCP=yes" in chosen
    assert "Type=ether" in others and "Unmanaged=yes" in others
    # sorted before the image's catch-all 80-installer-dhcp.network: networkd uses the first match
    assert sorted([netdevice.CHOSEN, netdevice.OTHERS, "80-installer-dhcp.network"])[-1].startswith("80")


@pytest.mark.parametrize("text", ["network_device=all", "network_device=auto", ""])
def test_all_means_every_nic(text):
    assert netdevice.network_files(cmdline.parse(text).network_device) == {}


def test_bad_network_device_is_refused():
    with pytest.raises(CmdlineError, match="network_device=eth0/x"):
        cmdline.parse("network_device=eth0/x")


def test_apply_writes_and_later_removes_the_runtime_files(tmp_path):
    cmd = tmp_path / "cmdline"
    cmd.write_text("quiet network_device=52:54:00:12:34:56\n")
    out = []
    netdevice.apply(str(cmd), str(tmp_path / "net"), out.append)
    assert sorted(p.name for p in (tmp_path / "net").iterdir()) == [netdevice.CHOSEN, netdevice.OTHERS]
    cmd.write_text("quiet network_device=all\n")
    netdevice.apply(str(cmd), str(tmp_path / "net"), out.append)
    assert list((tmp_path / "net").iterdir()) == []
    assert out == ["xenhost-installer: DHCP on 52:54:00:12:34:56 only (network_device=)",
                   "xenhost-installer: DHCP on every wired NIC"]


def test_image_url_on_the_command_line():
    assert cmdline.parse("image_url=http://192.0.2.1/xenhost/").image_url == "http://192.0.2.1/xenhost/"
    with pytest.raises(CmdlineError, match="image_url=ftp://h/x: not an http"):
        cmdline.parse("image_url=ftp://h/x")


def test_backoff_grows_and_is_capped():
    assert Backoff(attempts=6, first=2, factor=2, cap=10).delays() == [2, 4, 8, 10, 10]
    assert Backoff(attempts=1).delays() == []


def test_retries_announce_each_wait_and_stop_at_the_bound():
    calls, pauses, said = [], [], []

    def action():
        calls.append(1)
        raise Transient("no route to host")

    with pytest.raises(Transient):
        with_retries(action, Backoff(attempts=3, first=1.5, factor=2), "fetching x", sleep=pauses.append,
                     announce=said.append)
    assert len(calls) == 3 and pauses == [1.5, 3.0]
    assert said[0] == "fetching x: no route to host; retrying in 1.5s (attempt 2 of 3)"


def test_a_definite_failure_is_not_retried():
    def action():
        raise ValueError("HTTP 404")

    with pytest.raises(ValueError):
        with_retries(action, Backoff(attempts=5), "x", sleep=lambda s: pytest.fail("slept"))


def test_answer_file_fetch_says_on_the_console_that_it_waits_for_the_network():
    import io
    import urllib.error

    from xenhost_installer import answers
    tries, said, pauses = [], [], []

    def opener(request, timeout):
        tries.append(request.full_url)
        if len(tries) < 3:
            raise urllib.error.URLError(OSError("Network is unreachable"))
        return io.BytesIO(b"version: 1\n")

    text = answers.fetch_text("http://10.0.2.2:8000/a.yaml", sleep=pauses.append, opener=opener,
                              announce=said.append)
    assert text == "version: 1\n" and pauses == [2.0, 3.0]
    assert said[0].startswith("fetching answer file http://10.0.2.2:8000/a.yaml: Network is unreachable; "
                              "retrying in 2s (attempt 2 of 12)")


def test_the_network_device_command_reports_a_bad_value_instead_of_crashing(tmp_path, capsys):
    from xenhost_installer import cli
    cmd = tmp_path / "cmdline"
    cmd.write_text("quiet network_device=not/a/nic\n")
    assert cli.main(["network-device", "--cmdline", str(cmd)]) == 0      # boot goes on with DHCP everywhere
    out = capsys.readouterr().out
    assert "xenhost-installer: network-device:" in out and "network_device=not/a/nic" in out
