"""Every input screen driven headless: what it shows, what it writes into the answers, what it
refuses (with the fix), Back (button, Esc, Ctrl-B) and help (F1, ?, the Help button)."""
import pytest
import urwid

from xenhost_installer.ui.steps import STEPS
from xenhost_common.ui.widgets import HELP_RETURN

from installer_fixtures import PASSWORD
from ui_harness import DEFAULT_KEYS, FakeExisting, FakeLoadkeys, make, passwords

EXISTING = [FakeExisting("/dev/vda", "0.1", "xh1", backup_version="0.0.9")]
INSTALL_STEPS = [s.name for s in STEPS if s.name not in ("mode", "timezone-city")]


def driver_at(name):
    """A UI on the screen called name (with an existing install when the screen needs one)."""
    d = make(existing=EXISTING if name == "mode" else ())
    if name == "timezone-city":
        d.walk_to("timezone-region").press("e")             # jump to Europe
        assert d.ui.screen.focused().label.endswith("Europe")
        d.press("enter")
    return d.walk_to(name)


ALL_STEPS = INSTALL_STEPS + ["mode", "timezone-city"]


@pytest.mark.parametrize("name", ALL_STEPS)
def test_screen_fits_80x24_with_stable_title(name):
    d = driver_at(name)
    lines = d.lines()
    assert len(lines) == 24 and all(len(line) == 80 for line in lines)
    assert d.title() == d.ui.screen.TITLE
    assert "F1 or ? help" in lines[0] and "Esc or Ctrl-B back" in lines[0]
    box = set("\u2500\u2502\u250c\u2510\u2514\u2518")
    assert all(ord(ch) < 128 for line in lines for ch in line if ch not in box)    # vt220: ASCII only
    assert "< Help >" in d.button_row()
    top, bottom = d.dialog()                                # a centred dialog, margins on every side
    assert top >= 1 and bottom < 23 and lines[top].index("\u250c") >= 2
    assert d.ui.screen.intro_text()                         # with the line that says what to do


@pytest.mark.parametrize("name", ALL_STEPS)
def test_help_on_every_screen(name):
    d = driver_at(name)
    screen = d.ui.screen
    if isinstance(screen.focused(), urwid.Edit):
        screen.pile.focus_position = 2                      # in a text field ? is typed (next test)
    before = d.text()
    for key in ("f1", "?", "help-button"):
        if key == "help-button":
            d.click("Help")
        else:
            d.press(key)
        assert screen.showing_help and d.title() == "Help: " + screen.TITLE
        assert HELP_RETURN in d.text() and len(screen.HELP) > 120
        d.press("enter")                                    # closes help, clicks nothing below
        assert d.ui.screen is screen and d.text() == before


def test_question_mark_in_a_field_is_typed():
    d = make().walk_to("root-password").press("?")
    assert not d.ui.screen.showing_help and d.ui.screen.first.get_edit_text() == "?"
    d.press("f1")
    assert d.ui.screen.showing_help


@pytest.mark.parametrize("name", [n for n in ALL_STEPS if n != "keymap"])
def test_back_from_every_screen(name):
    d = driver_at(name)
    previous = d.ui.flow.steps[d.ui.flow.path[-2]].name
    for key in ("esc", "ctrl b", "back-button"):
        if key == "back-button":
            d.click("Back")
        else:
            d.press(key)
        assert d.step == previous, key
        if name == "timezone-city":
            d.press("e")                                    # the region list starts on UTC
        d.press(*DEFAULT_KEYS[previous])                    # and forward again
        assert d.step == name


def test_first_screen_has_no_back():
    d = make()
    assert d.step == "keymap" and "< Back >" not in d.text()
    d.press("esc")
    assert d.step == "keymap"


def test_keymap_choice_loads_it_and_letters_jump():
    loadkeys = FakeLoadkeys()
    d = make(commands=loadkeys)
    assert "English (US)" in d.text() and "German" in d.text()
    d.press("d")                                            # the next layout starting with d: dvorak
    assert d.ui.screen.focused().label.endswith("English (Dvorak)")
    d.press("d", "enter")                                   # and the one after it: de
    assert d.answers["keymap"] == "de" and loadkeys.calls == [["loadkeys", "de"]]
    assert d.step == "welcome"
    d.press("esc")
    assert "* de " in d.text()                              # the choice is marked when coming back


def test_welcome_describes_the_machine():
    text = make(existing=EXISTING).walk_to("welcome").text()
    assert "4 disks" in text and "2 network interfaces (1 with link)" in text
    assert "Found: xenhost 0.1 (xh1) on /dev/vda, backup: xenhost 0.0.9." in text


def test_mode_screen_only_with_an_existing_install():
    d = make().walk_to("primary-disk")
    assert "mode" not in [d.ui.flow.steps[i].name for i in d.ui.flow.path]
    d = make(existing=EXISTING).walk_to("mode")
    text = d.text()
    assert "Upgrade xenhost 0.1 on /dev/vda (host xh1)" in text
    assert "Restore xenhost 0.0.9 from the backup on /dev/vda" in text
    d.press("down", "enter")
    assert d.answers["mode"] == "upgrade" and d.answers["disk"] == {"primary": "/dev/vda"}
    assert d.step == "confirm"                              # upgrade asks no disk, storage, password ...


def test_restore_offered_only_with_a_backup():
    d = make(existing=[FakeExisting("/dev/vda", "0.1", "xh1")]).walk_to("mode")
    assert "Restore" not in d.text() and "Upgrade" in d.text()


def test_primary_disk_marks_boot_medium_and_small_disks():
    d = make().walk_to("primary-disk")
    text = d.text()
    assert "/dev/sda" in text and "^ installer boot medium: never written" in text
    assert "^ too small: xenhost needs 11 GiB" in text
    assert "QEMU HARDDISK" in text and "100.0 GiB" in text and "ext4 (data), LVM2_member" in text
    assert d.ui.screen.values == ["/dev/vda", "/dev/vdb"]
    d.press("down", "enter")
    assert d.answers["disk"]["primary"] == "/dev/vdb"


def test_no_usable_disk_says_what_to_do():
    from ui_harness import disk
    d = make(disks=[disk("/dev/sda", 8, "USB stick")]).walk_to("primary-disk")
    assert "No usable disk: attach a disk of at least 11 GiB" in d.text()
    assert d.ui.screen.in_buttons()                         # nothing to choose: Back is the way out
    assert d.press("enter").step == "welcome"


def test_guest_disks_multi_select_excludes_primary_and_boot_medium():
    d = make().walk_to("guest-disks")
    paths = [p for p, _box in d.ui.screen.boxes]
    assert paths == ["/dev/vdb", "/dev/vdc"]                # not /dev/vda (primary), not /dev/sda (medium)
    d.press("up", "up", " ", "down", " ", "down")           # tick both (focus starts on Next)
    d.press("enter")
    assert d.answers["disk"]["guest"] == ["/dev/vdb", "/dev/vdc"] and d.step == "storage"
    d.press("esc")
    assert [box.get_state() for _p, box in d.ui.screen.boxes] == [True, True]
    d.press("esc", "down", "enter")                         # primary becomes vdb: no longer a guest
    assert d.answers["disk"] == {"primary": "/dev/vdb", "guest": ["/dev/vdc"]}


def test_storage_type():
    d = make().walk_to("storage").press("down", "enter")
    assert d.answers["storage"] == {"type": "ext"} and d.step == "confirm"


def test_confirm_lists_exactly_what_is_erased_and_defaults_to_back():
    d = make().walk_to("guest-disks").press("up", "up", " ", "down", "down", "enter").walk_to("confirm")
    text = d.text()
    assert "These disks will be ERASED" in text
    assert "/dev/vda     100.0 GiB QEMU HARDDISK    empty" in text
    assert "/dev/vdb      50.0 GiB Samsung SSD      ext4 (data), LVM2_member" in text
    assert "/dev/sda" not in text and "/dev/vdc" not in text
    assert "< Back >  < Erase and continue >" in text
    d.press("enter")                                        # the default button is Back
    assert d.step == "storage"


@pytest.mark.parametrize("mode,kept,replaced", [
    ("upgrade", "Kept: host name, network settings, passwords", "Replaced: the dom0 root (system files)"),
    ("restore", "Kept: the backup partition itself", "Replaced: the dom0 root (xenhost 0.1) by the copy")])
def test_confirm_for_upgrade_and_restore_says_kept_and_replaced(mode, kept, replaced):
    d = make(existing=EXISTING).walk_to("mode")
    d.press(*(["down"] if mode == "upgrade" else ["down", "down"]), "enter")
    text = d.text()
    assert d.step == "confirm" and kept in text and replaced in text and "ERASED" not in text
    assert "< Continue >" in text


def test_password_twice_hashed_masked():
    d = make().walk_to("root-password")
    d.type(PASSWORD).press("enter").type(PASSWORD)
    assert PASSWORD not in d.text() and "*" * len(PASSWORD) in d.text()
    d.press("enter")
    assert d.answers["root-password"]["hash"].startswith("$6$") and d.step == "nic"


@pytest.mark.parametrize("keys,message", [
    (passwords("one", "two"), "The two passwords differ; fix: type the same password in both fields."),
    (["enter", "enter"], "The password is empty; fix: type one in both fields"),
])
def test_password_refused(keys, message):
    d = make().walk_to("root-password").press(*keys)
    assert d.step == "root-password" and message in d.text() and "root-password" not in d.answers
    assert d.ui.screen.first.get_edit_text() == "" and d.ui.screen.second.get_edit_text() == ""


def test_password_ask_at_first_boot_and_keep_when_coming_back():
    d = make().walk_to("root-password").press("down", "down", " ")
    assert d.ui.screen.ask.get_state()
    d.ui.screen.submit()
    assert d.answers["root-password"] == {"ask-at-first-boot": True} and d.step == "nic"
    d = make().walk_to("nic").press("esc")
    assert "A password is already set" in d.text()
    d.ui.screen.submit()                                    # both fields empty: keep it
    assert d.answers["root-password"]["hash"].startswith("$6$") and d.step == "nic"


def test_nic_shows_link_and_mac_and_prefers_a_linked_one():
    d = make().walk_to("nic")
    text = d.text()
    assert "enp0s3           52:54:00:12:34:56  no link" in text and "enp0s4           52:54:00:ab:cd:ef  link up" in text
    d.press("enter")                                        # focus starts on the NIC with link
    assert d.answers["network"]["interface"] == "enp0s4"


def test_no_nic_still_goes_on_with_auto():
    d = make(nics=[]).walk_to("nic")
    assert "No network interface was found" in d.text()
    d.press("enter")
    assert d.answers["network"]["interface"] == "auto" and d.step == "ipv4"


def static(address, gateway, vlan=""):
    """From the IPv4 screen's first row: Static, the fields, then Enter on the VLAN field."""
    return ["down", "enter"] + list(address) + ["enter"] + list(gateway) + ["enter"] + list(vlan) + ["enter"]


def test_dhcp_default():
    d = make().walk_to("ipv4").press("enter", "enter")
    assert d.answers["network"] == {"interface": "enp0s4", "mode": "dhcp"} and d.step == "hostname"


def test_static_with_vlan():
    d = make().walk_to("ipv4").press(*static("192.0.2.10/24", "192.0.2.1", "42"))
    assert d.step == "hostname"
    assert d.answers["network"] == {"interface": "enp0s4", "mode": "static", "address": "192.0.2.10/24",
                                    "gateway": "192.0.2.1", "vlan": 42}


def test_dhcp_with_vlan():
    d = make().walk_to("ipv4").press("enter", "1", "0", "enter")
    assert d.answers["network"]["vlan"] == 10 and d.answers["network"]["mode"] == "dhcp"


@pytest.mark.parametrize("address,gateway,vlan,message", [
    ("192.0.2.300/24", "192.0.2.1", "", "Address/prefix:"),
    ("192.0.2.10", "192.0.2.1", "", "Address/prefix:"),
    ("192.0.2.10/24", "198.51.100.1", "", "Gateway:"),
    ("192.0.2.10/24", "gateway", "", "Gateway:"),
    ("", "", "", "Address/prefix: '' is not valid"),
    ("192.0.2.10/24", "192.0.2.1", "5000", "VLAN: must be a VLAN id from 1 to 4094"),
    ("192.0.2.10/24", "192.0.2.1", "ten", "VLAN: must be a VLAN id from 1 to 4094"),
])
def test_static_refused_with_the_fix(address, gateway, vlan, message):
    d = make().walk_to("ipv4").press(*static(address, gateway, vlan))
    text = d.text()
    assert d.step == "ipv4" and message in text and "fix:" in text
    assert "address" not in d.answers.get("network", {})


def test_gateway_outside_subnet_message_names_the_subnet():
    d = make().walk_to("ipv4").press(*static("192.0.2.10/24", "198.51.100.1"))
    assert "192.0.2.0/24" in d.text()


def test_address_typed_with_dhcp_is_refused():
    d = make().walk_to("ipv4").press("down", "down").type("192.0.2.10/24").press("enter", "enter", "enter")
    assert d.step == "ipv4" and "only used with mode: static" in d.text()


def test_hostname_and_dns():
    d = make().walk_to("hostname")
    assert d.ui.screen.hostname.get_edit_text() == "xenhost"
    d.press(*["backspace"] * 7).type("xh1.example.org").press("enter").type("192.0.2.53, 192.0.2.54").press("enter")
    assert d.answers["hostname"] == "xh1.example.org"
    assert d.answers["network"]["dns"] == ["192.0.2.53", "192.0.2.54"] and d.step == "timezone-region"


@pytest.mark.parametrize("hostname,dns,message", [
    ("-bad", "", "Host name: must be a host name"),
    ("xh_1", "", "Host name: must be a host name"),
    ("", "", "Host name: must be a host name"),
    ("xh1", "192.0.2.53 dns.example.org", "DNS servers:"),
])
def test_hostname_or_dns_refused(hostname, dns, message):
    d = make().walk_to("hostname").press(*["backspace"] * 7).type(hostname).press("enter").type(dns).press("enter")
    assert d.step == "hostname" and message in d.text() and "hostname" not in d.answers


def test_timezone_region_then_city_and_back():
    d = make().walk_to("timezone-region")
    text = d.text()
    assert "UTC" in text and "Europe" in text and "America" in text
    assert "US" not in text.replace("USB", "") and "Etc" not in text           # aliases are not regions
    d.press("e", "enter")
    assert d.step == "timezone-city" and d.title() == "Time zone: city"
    assert "Berlin" in d.text() and "Zurich" in d.text()
    d.press("z", "enter")
    assert d.answers["timezone"] == "Europe/Zurich" and d.step == "ntp"
    d.press("esc")
    assert d.step == "timezone-city" and "* Zurich" in d.text()
    d.press("esc")
    assert d.step == "timezone-region" and "* Europe" in d.text()


def test_timezone_nested_city_and_utc_skips_cities():
    d = make().walk_to("timezone-region").press("a", "enter")       # America
    assert "Argentina/Buenos Aires" in d.text()
    d.press("enter")
    assert d.answers["timezone"] == "America/Argentina/Buenos_Aires"
    d = make().walk_to("timezone-region").press("enter")
    assert d.answers["timezone"] == "UTC" and d.step == "ntp"


def test_ntp_default_custom_and_refused():
    d = make().walk_to("ntp").press("enter")
    assert "ntp-servers" not in d.answers and d.step == "summary"
    d = make().walk_to("ntp").press("down", "enter").type("ntp1.example.org 192.0.2.123").press("enter")
    assert d.answers["ntp-servers"] == ["ntp1.example.org", "192.0.2.123"] and d.step == "summary"
    d = make().walk_to("ntp").press("down", "enter", "enter")
    assert d.step == "ntp" and "NTP servers: none given; fix:" in d.text()
    d = make().walk_to("ntp").press("down", "enter").type("ntp1 ntp1").press("enter")
    assert d.step == "ntp" and "NTP servers:" in d.text() and "fix:" in d.text()


def test_summary_lists_everything_and_hides_the_password():
    d = make().walk_to("summary")
    text = d.text()
    for expected in ("Erase, install on: /dev/vda, 100.0 GiB, QEMU HARDDISK", "Storage type:      LVM",
                     "Root password:     set (not shown)", "Management NIC:    enp0s4, DHCP",
                     "Host name:         xenhost", "DNS servers:       from DHCP", "Time zone:         UTC",
                     "Keyboard:          us",
                     "NTP servers:       Debian's pool (default)", "< Install >"):
        assert expected in text
    assert PASSWORD not in text and "$6$" not in text


def test_summary_dns_with_dhcp_is_both_given_and_dhcps():
    d = make().walk_to("hostname").press("enter").type("192.0.2.53").press("enter").walk_to("summary")
    assert "DNS servers:       192.0.2.53 and DHCP's" in d.text()
    assert d.ui.flow.final_answers()["network"] == {"interface": "enp0s4", "mode": "dhcp", "dns": ["192.0.2.53"]}


def test_zones_from_this_machines_tz_database():
    from xenhost_installer.ui.time_screens import zones_by_region
    zones = zones_by_region()
    if not zones:
        pytest.skip("no tz database on this machine (Debian: tzdata)")
    assert "Berlin" in zones["Europe"] and "Argentina/Buenos_Aires" in zones["America"]
    assert "Etc" not in zones and "US" not in zones
