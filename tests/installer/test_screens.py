import pytest
import urwid

from xenhost_installer.disks import Disk
from xenhost_installer.ui.app import InstallerUI

from conftest import GiB, PASSWORD

SIZE = (80, 24)


def press(ui, *keys):
    for key in keys:
        ui.frame.keypress(SIZE, key)


def type_text(ui, text):
    press(ui, *list(text))


@pytest.fixture
def ui(image):
    disks = [Disk("/dev/sda", "disk", 8 * GiB, "USB stick"), Disk("/dev/sdb", "disk", 16 * GiB, "Small"),
             Disk("/dev/vda", "disk", 100 * GiB, "QEMU HARDDISK"), Disk("/dev/vdb", "disk", 4 * GiB, "tiny")]
    finished = []
    u = InstallerUI(disks, {"/dev/sdb"}, image=image, on_finished=lambda: finished.append(True))
    u.finished = finished
    return u


def screen_text(ui):
    canvas = ui.frame.render(SIZE, focus=True)
    return "\n".join(line.decode() for line in canvas.text)


def test_boot_medium_and_small_disks_not_selectable(ui):
    assert ui.screen.selectable_paths == ["/dev/vda"]
    text = screen_text(ui)
    assert "(installer medium)" in text and "too small" in text


def test_full_flow_fills_plan(ui):
    press(ui, "enter")                                  # the only selectable disk
    assert "will be ERASED" in screen_text(ui)
    press(ui, "down", "enter")                          # Back is first; move to "Erase disk and install"
    assert "Root password" in screen_text(ui)
    type_text(ui, PASSWORD)
    press(ui, "down")
    type_text(ui, PASSWORD)
    assert PASSWORD not in screen_text(ui)              # masked
    press(ui, "down", "enter")                          # OK
    assert ui.finished == [True]
    assert ui.plan.disk == "/dev/vda" and ui.plan.root_password_hash.startswith("$6$")
    assert ui.plan.atexit == "reboot" and ui.plan.answers_redacted["root-password"] == {"plaintext": "<redacted>"}


def test_password_mismatch_and_back(ui):
    press(ui, "enter", "down", "enter")
    type_text(ui, "one")
    press(ui, "down")
    type_text(ui, "two")
    press(ui, "down", "enter")
    assert "passwords differ" in screen_text(ui) and ui.plan is None
    press(ui, "down", "enter")                          # Back -> confirm screen
    assert "will be ERASED" in screen_text(ui)
    press(ui, "up", "enter")                            # Back -> disk list
    assert ui.screen.selectable_paths == ["/dev/vda"]
