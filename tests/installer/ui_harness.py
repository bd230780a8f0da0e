"""Drive the installer's screens headless: a machine of fakes, key presses, rendered 80x24 text."""
from dataclasses import dataclass

from xenhost_common.testing import FakeRunner

from xenhost_installer.answers import catalog
from xenhost_installer.disks import Disk
from xenhost_installer.existing import ExistingInstall
from xenhost_installer.host import Nic
from xenhost_installer.ui.app import InstallerUI
from xenhost_installer.ui.flow import Context
from xenhost_installer.ui.time_screens import zones_by_region

from installer_fixtures import GiB, PASSWORD
from tests.ui_driver import SIZE, ScreenDriver

ZONES = ["UTC", "Etc/GMT+5", "US/Eastern", "Europe/Berlin", "Europe/Paris", "Europe/Zurich",
         "America/New_York", "America/Argentina/Buenos_Aires"]


def disk(path, gib, model, contents=""):
    d = Disk(path, "disk", gib * GiB, model)
    d.contents = contents
    return d


def machine_disks():
    return [disk("/dev/sda", 8, "USB stick", "iso9660 (XENHOST)"), disk("/dev/vda", 100, "QEMU HARDDISK", "empty"),
            disk("/dev/vdb", 50, "Samsung SSD", "ext4 (data), LVM2_member"), disk("/dev/vdc", 4, "tiny", "empty")]


NICS = [Nic("enp0s3", "52:54:00:12:34:56", False), Nic("enp0s4", "52:54:00:ab:cd:ef", True)]


FakeExisting = ExistingInstall      # the probe's own record: the screens call its describe()


FakeLoadkeys = FakeRunner

def context(existing=(), disks=None, nics=None, commands=None):
    return Context(disks=machine_disks() if disks is None else disks, boot_media={"/dev/sda"},
                   existing=list(existing), nics=NICS if nics is None else nics, keymaps=catalog.keymaps(),
                   zones=zones_by_region(ZONES), commands=commands)


class Driver(ScreenDriver):
    """An InstallerUI plus helpers: press keys, type, read the title and the rendered text."""

    @property
    def step(self):
        return self.ui.flow.current().name if self.ui.phase == "input" else self.ui.phase

    @property
    def answers(self):
        return self.ui.answers

    def walk_to(self, name, limit=40):
        """Accept every screen's default until the step called name is shown."""
        for _ in range(limit):
            if self.step == name:
                return self
            self.press(*DEFAULT_KEYS[self.step])
        raise AssertionError("never reached %s (stuck on %s: %s)" % (name, self.step, self.text()))


def passwords(first, second=None):
    return list(first) + ["enter"] + list(first if second is None else second) + ["enter"]


# What to press on each screen to accept its default (README "Screens" documents the same keys).
DEFAULT_KEYS = {
    "keymap": ["enter"], "welcome": ["enter"], "mode": ["enter"], "primary-disk": ["enter"],
    "guest-disks": ["enter"], "storage": ["enter"], "confirm": ["right", "enter"],
    "root-password": passwords(PASSWORD), "nic": ["enter"], "ipv4": ["enter", "enter"],
    "hostname": ["enter", "enter"], "timezone-region": ["enter"], "timezone-city": ["enter"], "ntp": ["enter"],
    "summary": ["enter"],
}


def make(answers=None, existing=(), install_fn=None, on_finished=None, image="/nonexistent/dom0.tar.zst",
         check_fn=None, **kw):
    finished = []
    ctx = kw.pop("ctx", None) or context(existing, **kw)
    ui = InstallerUI(ctx, answers, image=image, install_fn=install_fn, check_fn=check_fn,
                     on_finished=on_finished or (lambda: finished.append(True)))
    d = Driver(ui)
    d.finished = finished
    return d
