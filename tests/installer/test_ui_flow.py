"""Whole interactive flows (install, upgrade, restore) with fakes, interactive-sections, and the
answers the screens hand on: validated and planned exactly as an answer file would be."""
import pytest

from xenhost_installer import answers as answersmod
from xenhost_installer.ui.flow import sections_to_ask
from xenhost_installer.ui.screens import DoneScreen
from xenhost_installer.ui.steps import STEPS

from conftest import PASSWORD
from ui_harness import DEFAULT_KEYS, FakeExisting, make, passwords

EXISTING = [FakeExisting("/dev/vdb", "0.1", "xh-old", backup_version="0.0.9")]
HASH = "$6$salt$" + "a" * 86


class FakeInstall:
    """install_fn that records the plan and reports the steps the runner would."""

    def __init__(self):
        self.plans = []

    def __call__(self, plan, runner):
        self.plans.append(plan)


def walk(d, keys_by_step):
    """Press each screen's keys (its default unless keys_by_step says otherwise) until the install
    starts; returns the titles seen, in order."""
    titles = []
    while d.ui.phase == "input" and not d.finished:
        titles.append(d.title())
        step = d.step
        d.press(*keys_by_step.pop(step, DEFAULT_KEYS[step]))
        assert len(titles) < 30, "stuck on %s: %s" % (step, d.text())
    return titles


def test_install_walk_every_screen_in_order():
    fake = FakeInstall()
    d = make(install_fn=fake)
    titles = walk(d, {
        "keymap": ["d", "d", "enter"],
        "guest-disks": ["up", " ", "down", "enter"],
        "storage": ["down", "enter"],
        "root-password": passwords(PASSWORD),
        "ipv4": ["down", "enter"] + list("192.0.2.10/24") + ["enter"] + list("192.0.2.1") + ["enter", "4", "2", "enter"],
        "hostname": ["backspace"] * 7 + list("xh1") + ["enter"] + list("192.0.2.53") + ["enter"],
        "timezone-region": ["e", "enter"],
        "timezone-city": ["b", "enter"],
        "ntp": ["down", "enter"] + list("ntp.example.org") + ["enter"],
    })
    assert titles == ["Keyboard layout", "Welcome to xenhost", "Primary disk", "Guest storage disks", "Storage type",
                      "Confirm disks", "Root password", "Management network interface", "IPv4 configuration",
                      "Host name and DNS", "Time zone: region", "Time zone: city", "Time servers (NTP)", "Summary"]
    assert d.ui.phase == "done" and isinstance(d.ui.screen, DoneScreen)
    [plan] = fake.plans
    assert (plan.mode, plan.disk, plan.guest_disks, plan.storage_type, plan.keymap) == \
        ("install", "/dev/vda", ["/dev/vdc"], "ext", "de")
    assert plan.root_password_hash.startswith("$6$") and plan.hostname == "xh1"
    net = plan.network
    assert (net.interface, net.mode, net.address, net.gateway, net.vlan, net.dns) == \
        ("enp0s4", "static", "192.0.2.10/24", "192.0.2.1", 42, ["192.0.2.53"])
    assert plan.timezone == "Europe/Berlin" and plan.ntp_servers == ["ntp.example.org"]
    assert plan.answers_redacted["root-password"] == {"hash": "<redacted>"}


@pytest.mark.parametrize("mode,down", [("upgrade", 1), ("restore", 2)])
def test_upgrade_and_restore_walk(mode, down):
    fake = FakeInstall()
    d = make(existing=EXISTING, install_fn=fake)
    titles = walk(d, {"mode": ["down"] * down + ["enter"]})
    assert titles == ["Keyboard layout", "Welcome to xenhost", "Install, upgrade or restore", "Confirm disks",
                      "Summary"]
    [plan] = fake.plans
    assert plan.mode == mode and plan.disk == "/dev/vdb" and plan.root_password_hash is None
    data = plan.answers_redacted
    assert set(data) == {"version", "mode", "keymap", "disk", "atexit"} and data["disk"] == {"primary": "/dev/vdb"}
    assert d.ui.phase == "done"


def test_upgrade_progress_says_upgrading():
    shown = []
    d = make(existing=EXISTING, install_fn=lambda plan, runner: shown.append(d.text()))
    d.walk_to("mode").press("down", "enter").walk_to("summary")
    assert "Upgrade on:" in d.text() and "< Upgrade >" in d.text()
    d.press("enter")
    assert "Upgrading xenhost on /dev/vdb. Do not power off." in shown[0] and d.ui.phase == "done"


def test_switching_to_upgrade_drops_what_upgrade_keeps():
    d = make(existing=EXISTING).walk_to("mode").press("enter").walk_to("summary")    # install answers ...
    assert d.answers["root-password"] and d.answers["network"]
    for _ in range(20):                                     # ... then back to the mode screen
        if d.step == "mode":
            break
        d.press("esc")
    d.press("down", "enter").walk_to("summary").press("enter")
    assert d.finished == [True] and d.ui.plan.mode == "upgrade"
    assert set(d.ui.plan.answers_redacted) == {"version", "mode", "keymap", "disk", "atexit"}


def test_sections_to_ask():
    assert sections_to_ask({}) == {"keymap", "disk", "storage", "root-password", "network", "hostname", "timezone",
                                   "ntp"}
    given = {"version": 1, "keymap": "us", "disk": {"primary": "/dev/vda"}, "storage": {"type": "lvm"},
             "root-password": {"hash": HASH}, "network": {}, "hostname": "h", "timezone": "UTC", "ntp-servers": []}
    assert sections_to_ask(given) == set()
    assert sections_to_ask(dict(given, **{"interactive-sections": ["network", "ntp"]})) == {"network", "ntp"}
    assert sections_to_ask({"disk": {"guest": ["/dev/vdb"]}}) >= {"disk"}     # no primary: asked


FULL = {"version": 1, "keymap": "uk", "disk": {"primary": "/dev/vda"}, "storage": {"type": "ext"},
        "root-password": {"hash": HASH}, "hostname": "given", "network": {"interface": "enp0s3", "mode": "dhcp"},
        "timezone": "Europe/Paris", "ntp-servers": ["ntp.example.org"], "atexit": "poweroff",
        "boot": {"xen-extra-args": "dom0_mem=4G"}}


def test_interactive_sections_ask_only_what_is_listed():
    fake = FakeInstall()
    d = make(dict(FULL, **{"interactive-sections": ["network"]}), install_fn=fake)
    assert d.ui.screen.TITLE == "Welcome to xenhost"       # keymap given and not listed: not asked
    titles = walk(d, {"ipv4": ["down", "enter"] + list("192.0.2.10/24") + ["enter"] + list("192.0.2.1")
                      + ["enter", "enter"]})
    assert titles == ["Welcome to xenhost", "Confirm disks", "Management network interface", "IPv4 configuration",
                      "Host name and DNS", "Summary"]
    [plan] = fake.plans
    assert plan.network.mode == "static" and plan.network.interface == "enp0s3"     # the file's NIC preselected
    assert plan.hostname == "given" and plan.storage_type == "ext" and plan.timezone == "Europe/Paris"
    assert plan.atexit == "poweroff" and plan.xen_extra_args == "dom0_mem=4G"
    assert "interactive-sections" not in plan.answers_redacted


def test_interactive_sections_prefill_the_files_values():
    d = make(dict(FULL, **{"interactive-sections": ["hostname", "timezone", "root-password"]}))
    d.walk_to("root-password")
    assert "A password is already set" in d.text()
    d.press("enter", "enter")                               # both empty: the file's hash is kept
    assert d.answers["root-password"] == {"hash": HASH}
    assert d.ui.screen.hostname.get_edit_text() == "given"
    d.press("enter", "enter")
    assert "* Europe" in d.text()
    d.press("enter")
    assert "* Paris" in d.text()


def test_missing_sections_are_asked():
    d = make({"version": 1, "disk": {"primary": "/dev/vda"}})
    seen = walk(d, {})
    assert "Primary disk" not in seen and "Guest storage disks" not in seen
    assert {"Keyboard layout", "Storage type", "Root password", "Time servers (NTP)"} <= set(seen)
    assert d.finished == [True] and d.ui.plan.disk == "/dev/vda"


def test_summary_refuses_invalid_answers_and_names_the_screen():
    d = make(dict(FULL, timezone="Mars/Olympus_Mons", **{"interactive-sections": ["ntp"]}))
    d.walk_to("summary").press("enter")
    text = d.text()
    assert d.step == "summary" and d.finished == [] and d.ui.plan is None
    assert "Not valid yet:" in text and "timezone: 'Mars/Olympus_Mons'" in text
    assert "(screen: Time zone: region)" in text


def test_screens_answers_pass_the_answer_file_validator():
    d = make().walk_to("summary")
    final = d.ui.flow.final_answers()
    assert answersmod.problems(final) == []
    assert "interactive-sections" not in final and final["disk"] == {"primary": "/dev/vda"}


def test_titles_are_distinct_for_the_serial_console_test():
    from xenhost_installer.ui.screens import FailedScreen, ProgressScreen
    titles = [s.screen.TITLE for s in STEPS] + [ProgressScreen.TITLE, DoneScreen.TITLE, FailedScreen.TITLE]
    assert len(set(titles)) == len(titles)
    assert not [(a, b) for a in titles for b in titles if a != b and a in b]


def test_make_context_reads_the_machine_once(host):
    from conftest import FakeProbe
    from xenhost_installer.errors import InstallerError
    from xenhost_installer.ui.app import make_context

    probe = FakeProbe(boot_media={"/dev/sr0"})
    ctx = make_context(probe, host, keymap="de", network_device="enp0s3")
    assert [d.path for d in ctx.disks] == ["/dev/vda"] and ctx.boot_media == {"/dev/sr0"}
    assert ctx.existing == [] and ctx.nics == host.nics and "us" in ctx.keymaps
    assert (ctx.keymap_default, ctx.network_device) == ("de", "enp0s3")
    probe.existing_installs = lambda: EXISTING
    assert make_context(probe).existing == EXISTING and make_context(probe).nics == []

    def broken():
        raise InstallerError("mount failed; fix: none")
    probe.existing_installs = broken                        # looking failed: still installable
    assert make_context(probe).existing == []


def test_kernel_command_line_defaults_preselect_keymap_and_nic():
    from ui_harness import context
    ctx = context()
    ctx.keymap_default, ctx.network_device = "fr", "enp0s3"
    d = make(ctx=ctx)
    assert "* fr " in d.text()
    d.press("enter").walk_to("nic")
    assert "* enp0s3" in d.text()
