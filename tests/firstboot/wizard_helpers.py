"""Drive the setup wizard headless: a host of fakes (NICs, free disks), key presses, 80x24 text."""
from xenhost_installer.disks import Disk
from xenhost_installer.host import Nic
from xenhost_firstboot.wizard.app import WizardUI
from xenhost_firstboot.wizard.apply import Facts

from tests.ui_driver import ScreenDriver

GiB = 1024 ** 3
NICS = [Nic("enp0s3", "52:54:00:12:34:56", False), Nic("enp0s4", "52:54:00:ab:cd:ef", True)]
FREE = [Disk("/dev/vdb", "disk", 50 * GiB, "QEMU HARDDISK", contents="empty")]
PASSWORD = "Wizard-pw1"


class Wizard(ScreenDriver):
    @property
    def step(self):
        return self.ui.flow.current().name

    @property
    def answers(self):
        return self.ui.answers


def make(pending, answers=None, facts=None):
    finished = []
    ui = WizardUI(facts or Facts(nics=list(NICS), free_disks=list(FREE)), answers or {"network": {"mode": "dhcp"}},
                  pending, on_finished=lambda: finished.append(True))
    w = Wizard(ui)
    w.finished = finished
    return w


def passwords(first, second=None):
    return list(first) + ["enter"] + list(first if second is None else second) + ["enter"]


# What to press on each wizard screen to accept its default.
DEFAULT_KEYS = {"root-password": passwords(PASSWORD), "nic": ["enter"], "ipv4": ["enter", "enter"],
                "hostname": ["enter", "enter"], "local-sr": ["enter"], "storage": ["enter"], "summary": ["enter"]}
