import hashlib

import pytest

from xenhost_installer import cmdline
from xenhost_installer.errors import CmdlineError
from xenhost_installer.host import serial_console


def test_parse_answerfile_and_atexit():
    opts = cmdline.parse("BOOT_IMAGE=/boot/vmlinuz console=tty0 console=ttyS0,115200 "
                         "answerfile=http://10.0.2.2:8000/a.yaml atexit=poweroff quiet\n")
    assert opts.answerfile == "http://10.0.2.2:8000/a.yaml"
    assert opts.atexit == "poweroff"
    assert opts.raw["console"] == ["tty0", "ttyS0,115200"]


def test_parse_without_options_and_with_bad_quotes():
    assert cmdline.parse("quiet splash").answerfile is None
    assert cmdline.parse('root=live:CDLABEL=XENHOST "unbalanced answerfile=file:///a.yaml').answerfile == "file:///a.yaml"


@pytest.mark.parametrize("text", ["answerfile=ftp://x/a.yaml", "atexit=explode"])
def test_bad_values_say_the_fix(text):
    with pytest.raises(CmdlineError, match="fix:"):
        cmdline.parse(text)


def test_read_from_injected_path(tmp_path):
    p = tmp_path / "cmdline"
    p.write_text("answerfile=file:///tmp/a.yaml\n")
    assert cmdline.read(str(p)).answerfile == "file:///tmp/a.yaml"


def test_serial_console_detection():
    raw = cmdline.parse("console=tty0 console=ttyS1,57600").raw
    assert serial_console("tty0 ttyS1\n", raw) == (1, 57600)
    assert serial_console("ttyS0 tty0\n", raw) is None          # /dev/console is the last one
    assert serial_console("ttyS0\n", {}) == (0, 115200)


def test_label_checksum_network_device_and_keymap():
    pin = "AB" * 32
    opts = cmdline.parse("answerfile=label:XH-ANSWERS:/site/answers.yaml answerfile_sha256=%s "
                         "network_device=52:54:00:12:34:56 keymap=de-latin1" % pin)
    assert opts.answerfile == "label:XH-ANSWERS:/site/answers.yaml" and opts.answerfile_sha256 == pin.lower()
    assert opts.network_device == "52:54:00:12:34:56" and opts.keymap == "de-latin1"
    assert cmdline.parse("network_device=auto").network_device == "auto"
    assert cmdline.parse("network_device=enp0s3").network_device == "enp0s3"


@pytest.mark.parametrize("text, expected", [
    ("answerfile=label:/a.yaml", "answerfile=label:/a.yaml: unsupported location\n  fix:"),
    ("answerfile=label:XH:a.yaml", "unsupported location"),
    ("answerfile=file:///a answerfile_sha256=abc", "answerfile_sha256=abc: not a SHA-256 checksum\n  fix:"),
    ("answerfile_sha256=" + "a" * 64, "answerfile_sha256= is given without answerfile=\n  fix:"),
    ("network_device=eth0!", "network_device=eth0!: not a NIC\n  fix:"),
    ("keymap=klingon", "keymap=klingon: unknown keymap\n  fix: use one of us, uk"),
])
def test_new_options_refuse_bad_values_with_the_fix(text, expected):
    with pytest.raises(CmdlineError) as exc:
        cmdline.parse(text)
    assert expected in str(exc.value)


def test_unattended_install_uses_the_pin_label_and_defaults(tmp_path, monkeypatch, host, capsys):
    """The real `boot` entry: answerfile_sha256= mismatch stops before any plan, command or install."""
    from installer_fixtures import E2E_ANSWERS, FakeCommands, FakeProbe
    from xenhost_installer import MARKER_FAILED, cli, plan as planmod
    answers_file = tmp_path / "a.yaml"
    answers_file.write_text(E2E_ANSWERS.replace("network: {interface: auto, mode: dhcp}\n", ""))
    fake, installs, built = FakeCommands(), [], []
    real = planmod.from_answers
    monkeypatch.setattr(cli.logmod, "setup", lambda: None)
    monkeypatch.setattr(cli, "Runner", lambda: fake)
    monkeypatch.setattr(cli.hostmod, "gather", lambda raw: host)
    monkeypatch.setattr(cli, "DiskProbe", lambda commands, raw: FakeProbe())
    monkeypatch.setattr(cli.planmod, "from_answers", lambda *a, **kw: built.append(real(*a, **kw)) or built[-1])
    monkeypatch.setattr(cli, "install", lambda plan, **kw: installs.append(plan))
    monkeypatch.setattr(cli, "hold_after_failure", lambda: 1)
    line = tmp_path / "cmdline"

    def boot(pin):
        line.write_text("answerfile=file://%s answerfile_sha256=%s network_device=enp9s0 keymap=fr\n"
                        % (answers_file, pin))
        return cli.main(["boot", "--cmdline", str(line), "--image", str(tmp_path / "x"), "--no-atexit"])
    assert boot("0" * 64) == 1
    out = capsys.readouterr().out
    assert MARKER_FAILED in out and "answerfile_sha256= pins" in out
    assert built == [] and installs == [] and fake.calls == []
    assert boot(hashlib.sha256(answers_file.read_bytes()).hexdigest()) == 0
    assert installs == built and built[0].network.interface == "enp9s0" and built[0].keymap == "fr"
