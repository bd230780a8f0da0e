"""The ISO's GRUB menu as kiwi writes it, after our editbootconfig hook (iso/templates/installer)."""
import subprocess
from pathlib import Path

from ci import isoboot

HOOK = Path(__file__).resolve().parents[2] / "iso" / "templates" / "installer" / "edit_boot_config.sh"

# The shape of kiwi 11's live-ISO grub.cfg (trimmed): serial called without its module.
KIWI_GRUB_CFG = """\
set timeout=5
serial --unit=0 --speed=115200
terminal_input console serial
terminal_output console serial
menuentry "xenhost-installer" --class os --unrestricted {
    linux ($root)/boot/x86_64/loader/linux ${extra_cmdline} ${isoboot} console=ttyS0,115200 console=tty0 quiet  root=live:CDLABEL=XENHOST rd.live.image
    initrd ($root)/boot/x86_64/loader/initrd
}
menuentry "Failsafe -- xenhost-installer" --class os --unrestricted {
    linux ($root)/boot/x86_64/loader/linux ${extra_cmdline} ${isoboot} console=ttyS0,115200 console=tty0 quiet 3 root=live:CDLABEL=XENHOST
    initrd ($root)/boot/x86_64/loader/initrd
}
"""


def edited(tmp_path, runs=1):
    cfg = tmp_path / "boot" / "grub" / "grub.cfg"
    cfg.parent.mkdir(parents=True)
    cfg.write_text(KIWI_GRUB_CFG)
    for _ in range(runs):
        subprocess.run(["sh", str(HOOK), f"iso:{tmp_path}", "1"], check=True)
    return cfg.read_text()


def entries(text):
    return [isoboot.first_entry("menuentry" + part) for part in text.split("menuentry")[1:]]


def test_serial_module_is_loaded_before_serial_is_called(tmp_path):
    text = edited(tmp_path)
    assert text.index("insmod serial") < text.index("\nserial ")


def test_default_entry_is_the_screen_and_the_second_the_serial_line(tmp_path):
    text = edited(tmp_path)
    titles = [line.split('"')[1] for line in text.splitlines() if line.startswith("menuentry")]
    assert titles == ["xenhost-installer", "xenhost-installer (serial console ttyS0)",
                      "Failsafe -- xenhost-installer"]
    first, serial = entries(text)[:2]
    # /dev/console is the last console= given
    assert first.linux.split("console=")[-1].startswith("tty0")
    assert serial.linux.split("console=")[-1].startswith("ttyS0,115200")
    assert serial.linux.count("console=") == 2 and "root=live:CDLABEL=XENHOST" in serial.linux
    assert serial.initrd == first.initrd


def test_running_the_hook_twice_changes_nothing_more(tmp_path):
    assert edited(tmp_path, runs=2) == edited(tmp_path / "again", runs=1)


def test_tests_pick_the_serial_entry_by_title(tmp_path):
    entry = isoboot.entry_titled(edited(tmp_path), isoboot.SERIAL_ENTRY)
    assert entry.linux.rstrip().endswith("rd.live.image") and "console=ttyS0,115200 quiet" in entry.linux
