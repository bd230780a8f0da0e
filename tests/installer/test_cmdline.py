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
