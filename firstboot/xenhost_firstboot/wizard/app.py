"""The wizard's screens in order, and the UI that runs them: the installer's InstallerUI with the
wizard's steps and sections; finishing the summary hands the answers to apply.py (no install)."""
import urwid

from xenhost_installer.ui.app import InstallerUI
from xenhost_installer.ui.disk_screens import StorageScreen
from xenhost_installer.ui.flow import Context, Flow, Step
from xenhost_installer.ui.host_screens import AddressScreen, HostnameScreen, NicScreen

from .screens import LocalSrScreen, WizardPasswordScreen, WizardSummaryScreen

HEADER = " xenhost setup | F1 or ? help | Esc or Ctrl-B back | Tab next | F10 later"


def chose_a_disk(flow):
    return bool((flow.answers.get("local-sr") or {}).get("disk"))


STEPS = (
    Step("root-password", WizardPasswordScreen, ("root-password",), writes=("root-password",)),
    Step("nic", NicScreen, ("network",), writes=("network.interface",)),
    Step("ipv4", AddressScreen, ("network",),
         writes=("network.mode", "network.address", "network.gateway", "network.vlan")),
    Step("hostname", HostnameScreen, ("hostname", "network"), writes=("hostname", "network.dns")),
    Step("local-sr", LocalSrScreen, ("local-sr",), writes=("local-sr",)),
    Step("storage", StorageScreen, ("local-sr",), writes=("storage",), when=chose_a_disk),
    Step("summary", WizardSummaryScreen),
)


def context(facts):
    return Context(disks=list(facts.free_disks), nics=list(facts.nics))


class WizardUI(InstallerUI):
    """phase stays "input"; after on_finished() the answers are in .answers (final: done is True)."""
    HEADER = HEADER

    def __init__(self, facts, answers, pending, on_finished=None):
        self.pending = list(pending)
        self.done = False
        super().__init__(context(facts), answers, on_finished=on_finished, steps=STEPS)

    def make_flow(self, steps, context, answers, atexit_default):
        flow = Flow(steps, context, answers, atexit_default)
        flow.asked = set(self.pending)          # the wizard asks what first boot left, nothing else
        return flow

    def finish_input(self):
        self.done = True
        self.on_finished()


def run(facts, answers, pending, error=None):
    """The wizard on this terminal; returns the answers, or None when left with F10."""
    from xenhost_common.ui import terminal

    ui = WizardUI(facts, answers, pending)
    if error:
        ui.screen.fail(error)

    def unhandled(key):
        if key == "f10":
            raise urwid.ExitMainLoop()
    terminal.main_loop(ui.frame, unhandled).run()
    return ui.answers if ui.done else None
