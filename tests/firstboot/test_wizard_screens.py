"""Every setup-wizard screen driven headless: only the undecided sections are asked, the look fits
80x24 (a centred dialog, ASCII inside its borders for a vt220), help and Back work, and the answers
are the installer's."""
import warnings

import pytest
import urwid

with warnings.catch_warnings():     # crypt is deprecated in 3.11 but is what Debian 12 ships
    warnings.simplefilter("ignore", DeprecationWarning)
    import crypt

from xenhost_common.ui.widgets import HELP_RETURN
from xenhost_firstboot.wizard.app import STEPS
from xenhost_firstboot.wizard.apply import Facts
from xenhost_firstboot.wizard.pending import shown

from wizard_helpers import DEFAULT_KEYS, PASSWORD, make, passwords

ALL = ["root-password", "network", "hostname", "local-sr"]


def walk_to(w, name, limit=20):
    for _ in range(limit):
        if w.step == name:
            return w
        w.press(*DEFAULT_KEYS[w.step])
    raise AssertionError("never reached %s: %s" % (name, w.text()))


def at(name):
    return walk_to(make(ALL), name)


SCREENS = [s.name for s in STEPS]


@pytest.mark.parametrize("name", SCREENS)
def test_each_screen_is_a_centred_dialog_that_fits_80x24(name):
    w = at(name)
    lines = w.lines()
    assert len(lines) == 24 and all(len(line) == 80 for line in lines)
    assert w.title() == w.ui.screen.TITLE and "xenhost setup" in lines[0]
    top, bottom = w.dialog()
    assert top >= 1 and bottom < 23 and lines[top].index("\u250c") >= 2
    assert w.ui.screen.intro_text() and w.ui.screen.intro_text() in w.flat()
    assert "< Help >" in w.button_row()
    box = set("\u2500\u2502\u250c\u2510\u2514\u2518")
    assert all(ord(ch) < 128 for line in lines for ch in line if ch not in box)


@pytest.mark.parametrize("name", SCREENS)
def test_help_and_back_on_every_screen(name):
    w = at(name)
    screen = w.ui.screen
    if isinstance(screen.focused(), urwid.Edit):
        screen.pile.focus_position = 2
    w.press("f1")
    assert screen.showing_help and w.title() == "Help: " + screen.TITLE and HELP_RETURN in w.text()
    assert len(screen.HELP) > 120
    w.press("enter")
    assert not screen.showing_help
    if name != "root-password":
        before = w.step
        w.press("esc")
        assert w.step != before


def test_only_the_undecided_sections_are_asked():
    w = make(["network"])
    seen = []
    while not w.finished:
        seen.append(w.title())
        w.press(*DEFAULT_KEYS[w.step])
    assert seen == ["Management network interface", "IPv4 configuration", "Host name and DNS", "Apply the setup"]


def test_password_screen_asks_twice_without_the_first_boot_option_and_keeps_a_hash():
    w = make(["root-password"])
    assert "ask at first boot" not in w.text().lower() and "This host has no root password yet" in w.text()
    w.press(*passwords(PASSWORD, "other"))
    assert w.step == "root-password" and "differ" in w.flat()
    w.press(*passwords(PASSWORD))
    assert w.step == "summary"
    stored = w.answers["root-password"]["hash"]
    assert stored.startswith("$6$") and crypt.crypt(PASSWORD, stored) == stored
    assert PASSWORD not in w.text() and "set (not shown)" in w.text()


def test_network_choice_static_address_checked_by_the_installer_rules():
    w = walk_to(make(shown(["network"])), "nic")
    assert "enp0s4" in w.text() and "link up" in w.text()
    w.press("enter")                                        # enp0s4: the focus starts on the NIC with link
    w.press("down", "enter").type("10.0.2.99/24").press("enter").type("192.0.2.1").press("enter", "enter")
    assert w.step == "ipv4" and "Gateway" in w.flat() and "fix:" in w.flat()   # outside the subnet
    w.press("up", "end", *["backspace"] * 9).type("10.0.2.2").press("enter", "enter")
    assert w.step == "hostname"
    w.press(*["backspace"] * 10).type("xh-wiz").press("enter").type("10.0.2.3").press("enter")
    assert w.answers["network"] == {"mode": "static", "interface": "enp0s4", "address": "10.0.2.99/24",
                                    "gateway": "10.0.2.2", "dns": ["10.0.2.3"]}
    assert w.answers["hostname"] == "xh-wiz"
    text = w.flat()
    assert "enp0s4, STATIC 10.0.2.99/24 via 10.0.2.2" in text and "xh-wiz" in text
    w.press("enter")
    assert w.finished == [True] and w.ui.done


def test_local_storage_offers_only_unused_disks_or_none_then_the_type():
    w = walk_to(make(["local-sr"]), "local-sr")
    assert "/dev/vdb" in w.text() and "No local storage repository" in w.text()
    w.press("enter")
    assert w.answers["local-sr"] == {"disk": "/dev/vdb"} and w.step == "storage"
    w.press("down", "enter")
    assert w.answers["storage"] == {"type": "ext"}
    assert "/dev/vdb, EXT (ERASED)" in w.flat()
    w.press("esc", "esc")
    w.press("down", "enter")                                # no local storage: no type asked
    assert w.answers["local-sr"] == {"disk": None} and w.step == "summary" and "Local storage: none" in w.flat()


def test_no_unused_disk_says_so():
    w = walk_to(make(["local-sr"], facts=Facts(nics=[], free_disks=[])), "local-sr")
    assert "No disk here is unused" in w.flat()
