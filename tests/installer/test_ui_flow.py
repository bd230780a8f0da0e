"""Whole interactive flows (install, upgrade, restore) with fakes, interactive-sections, and the
answers the screens hand on: validated and planned exactly as an answer file would be."""
import pytest

from xenhost_installer import answers as answersmod
from xenhost_installer.ui.app import preflight_check
from xenhost_installer.ui.flow import sections_to_ask
from xenhost_installer.ui.screens import DoneScreen
from xenhost_installer.ui.steps import STEPS

from installer_fixtures import PASSWORD, FakeProbe
from ui_harness import DEFAULT_KEYS, FakeExisting, disk, make, passwords

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
    text = d.flat()
    assert d.step == "summary" and d.finished == [] and d.ui.plan is None
    assert "Not valid yet:" in text and "timezone: 'Mars/Olympus_Mons'" in text
    assert "(screen: Time zone: region)" in text


# -- preflight when the summary is accepted: a refusal keeps every answer and leads back to the fix ------

def busy_machine():
    """/dev/vda has a mounted filesystem, /dev/vdb is read-only, /dev/vdc is free."""
    vda, vdb = disk("/dev/vda", 100, "QEMU HARDDISK", "ext4 (data)"), disk("/dev/vdb", 50, "Samsung SSD", "empty")
    vda.mounted, vdb.read_only = ["/media/data"], True
    return [vda, vdb, disk("/dev/vdc", 40, "spare", "empty")]


# FULL with the regional defaults: a keymap, zone or NTP list of its own needs a real image (preflight lists it)
PLAIN = dict(FULL, keymap="us", timezone="UTC", **{"ntp-servers": []})


def checked(image, host, answers=None, existing=(), probe_existing=()):
    """The screens with the real preflight over a fake probe of busy_machine()."""
    fake, disks = FakeInstall(), busy_machine()
    probe = FakeProbe(disks=disks, existing=probe_existing)
    d = make(answers, existing=existing, install_fn=fake, image=image, disks=disks, nics=host.nics,
             check_fn=preflight_check(probe, host))
    return d, fake


def refusal(d):
    """The summary's error line (unwrapped) after pressing its start button."""
    d.press("enter")
    assert d.step == "summary" and d.ui.phase == "input" and d.ui.plan is None, d.text()
    assert "Cannot start; nothing was written. Back (Esc) leads to each screen named:" in d.flat()
    return d.ui.screen.error.get_text()[0]


def pick_disk(d, n):
    """On the primary disk screen: choose the n-th disk (0 = /dev/vda), wherever the focus was."""
    return d.press(*["up"] * 5 + ["down"] * n + ["enter"])


def back_to(d, step):
    for _ in range(20):
        if d.step == step:
            return d
        d.press("esc")
    raise AssertionError("Back never reached %s" % step)


def test_preflight_refusal_stays_on_the_summary_and_back_reaches_the_fix(image, host):
    d, fake = checked(image, host)
    d.walk_to("hostname").press(*["backspace"] * 7).type("xh-kept").press("enter", "enter").walk_to("summary")
    text = refusal(d)
    assert "disk /dev/vda has mounted filesystems (/media/data); fix: unmount them" in text
    assert "(screen: Primary disk)" in text and fake.plans == []
    pick_disk(back_to(d, "primary-disk"), 1).walk_to("summary")                 # the read-only one
    assert "disk /dev/vdb is read-only; fix: choose a writable disk (screen: Primary disk)" in refusal(d)
    pick_disk(back_to(d, "primary-disk"), 2).walk_to("summary").press("enter")
    [plan] = fake.plans
    assert d.ui.phase == "done" and plan.disk == "/dev/vdc" and plan.disk_path == "/dev/vdc"
    assert plan.hostname == "xh-kept"                                           # nothing typed was lost


def test_refused_disk_from_the_answer_file_becomes_choosable(image, host):
    """The file answered disk (not asked on the screens): the refusal puts its screen on the way back."""
    d, fake = checked(image, host, dict(PLAIN, **{"interactive-sections": ["root-password"]}))
    assert "primary-disk" not in [s.name for s in d.ui.flow.steps if d.ui.flow.shown(s)]
    d.walk_to("summary")
    assert "(screen: Primary disk)" in refusal(d)
    pick_disk(back_to(d, "primary-disk"), 2).walk_to("summary").press("enter")
    [plan] = fake.plans
    assert plan.disk == "/dev/vdc" and plan.hostname == "given" and plan.storage_type == "ext"


def test_every_failure_named_with_its_screen_or_its_own_fix(host, tmp_path):
    given = dict(PLAIN, disk={"primary": "/dev/vdc", "guest": ["/dev/vdb"]}, network={"interface": "eth9"})
    d, fake = checked(str(tmp_path / "missing.tar.zst"), host, dict(given, **{"interactive-sections": ["ntp"]}))
    lines = refusal(d.walk_to("summary")).splitlines()[1:]
    assert lines == [
        "- disk /dev/vdb (guest) is read-only; fix: choose a writable disk (screen: Guest storage disks)",
        "- network interface 'eth9' not found (have: enp0s3); fix: set network.interface to auto, a name or a MAC "
        "(screen: Management network interface)",
        "- dom0 image %s does not exist; fix: boot the xenhost ISO, or pass --image PATH" % (tmp_path / "missing.tar.zst")]
    assert back_to(d, "guest-disks") and fake.plans == []


def test_upgrade_refusal_points_at_the_mode_screen(image, host):
    """Upgrade picks its disk on the mode screen: that is the screen named (no xenhost found there now)."""
    d, fake = checked(image, host, existing=[FakeExisting("/dev/vdc", "0.1", "xh-old")])
    d.walk_to("mode").press("down", "enter").walk_to("summary")
    assert "no xenhost installation found on disk /dev/vdc" in refusal(d)
    assert "(screen: Install, upgrade or restore)" in d.ui.screen.error.get_text()[0]
    assert back_to(d, "mode") and fake.plans == []


def test_screens_answers_pass_the_answer_file_validator():
    d = make().walk_to("summary")
    final = d.ui.flow.final_answers()
    assert answersmod.problems(final) == []
    assert "interactive-sections" not in final and final["disk"] == {"primary": "/dev/vda"}


def test_titles_are_distinct_for_the_serial_console_test():
    from xenhost_installer.ui.screens import CheckingScreen, FailedScreen, ProgressScreen
    titles = [s.screen.TITLE for s in STEPS] + [CheckingScreen.TITLE, ProgressScreen.TITLE, DoneScreen.TITLE,
                                                FailedScreen.TITLE]
    assert len(set(titles)) == len(titles)
    assert not [(a, b) for a in titles for b in titles if a != b and a in b]


def test_make_context_reads_the_machine_once(host):
    from installer_fixtures import FakeProbe
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


@pytest.mark.parametrize("existing", [
    FakeExisting("/dev/vdb", None, "xh-old", backup_version="0.1"),                       # root unreadable
    FakeExisting("/dev/vdb", "0.2", "xh-old", backup_version="0.1", unfinished_upgrade="from 0.1"),
])
def test_only_restore_is_offered_when_an_upgrade_cannot_go_on(existing):
    d = make(existing=[existing]).walk_to("mode")
    shown = d.text()
    assert "Restore xenhost 0.1 from the backup on /dev/vdb" in shown and "Upgrade xenhost" not in shown
    d.press("down", "enter")
    assert d.answers["mode"] == "restore" and d.answers["disk"] == {"primary": "/dev/vdb"}
