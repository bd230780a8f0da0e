"""The order of the interactive screens, declared once (README "Screens" lists the same order).
sections: the answer file's interactive-sections names a step answers; writes: the answer keys it
sets (dropped again when the chosen mode does not use them)."""
from .disk_screens import ConfirmScreen, GuestDisksScreen, PrimaryDiskScreen, StorageScreen
from .flow import INSTALL, Step
from .host_screens import AddressScreen, HostnameScreen, NicScreen, PasswordScreen
from .start_screens import KeymapScreen, ModeScreen, WelcomeScreen
from .summary_screen import SummaryScreen
from .time_screens import CityScreen, NtpScreen, RegionScreen, has_cities


def found_existing(flow):
    return bool(flow.context.existing)


def choose_disk_by_hand(flow):
    """Install picks its disk here; upgrade and restore pick the existing install's on the mode
    screen, unless none was found (then the disk is named here and preflight checks it)."""
    return flow.mode == "install" or not flow.context.existing


STEPS = (
    Step("keymap", KeymapScreen, ("keymap",), writes=("keymap",)),
    Step("welcome", WelcomeScreen),
    Step("mode", ModeScreen, ("disk",), writes=("mode",), when=found_existing),
    Step("primary-disk", PrimaryDiskScreen, ("disk",), writes=("disk.primary",), when=choose_disk_by_hand),
    Step("guest-disks", GuestDisksScreen, ("disk",), INSTALL, ("disk.guest",)),
    Step("storage", StorageScreen, ("storage",), INSTALL, ("storage",)),
    Step("confirm", ConfirmScreen),
    Step("root-password", PasswordScreen, ("root-password",), INSTALL, ("root-password",)),
    Step("nic", NicScreen, ("network",), INSTALL, ("network.interface",)),
    Step("ipv4", AddressScreen, ("network",), INSTALL,
         ("network.mode", "network.address", "network.gateway", "network.vlan")),
    Step("hostname", HostnameScreen, ("hostname", "network"), INSTALL, ("hostname", "network.dns")),
    Step("timezone-region", RegionScreen, ("timezone",), INSTALL, ("timezone",)),
    Step("timezone-city", CityScreen, ("timezone",), INSTALL, ("timezone",), when=has_cities),
    Step("ntp", NtpScreen, ("ntp",), INSTALL, ("ntp-servers",)),
    Step("summary", SummaryScreen),
)


def step_for_key(path):
    """The first step that sets the answer at path ("network.dns.1" -> the host name and DNS step)."""
    def sets(written):
        return path == written or path.startswith(written + ".") or written.startswith(path + ".")
    return next((s for s in STEPS if any(sets(w) for w in s.writes)), None)
