"""The wizard's own screens; the rest are the installer's (root password, NIC, IPv4, host name and
DNS, storage type), so both look, behave and check input alike."""
import urwid

from xenhost_common.ui.widgets import ChoiceScreen, Screen, gib
from xenhost_installer.ui.host_screens import PasswordScreen
from xenhost_installer.ui.summary_screen import dns_text, network_text


class WizardPasswordScreen(PasswordScreen):
    INTRO = "This host has no root password yet: type one twice (it is not shown)."
    OFFER_ASK = False
    HELP = ("The installer was told to leave the root password to the first boot, so root cannot log in "
            "yet. Type the password twice; it is never shown, reaches the system only as a SHA-512 hash "
            "(chpasswd -e) and is not logged. Enter moves to the next field.")


def free_disk_row(disk):
    return "%-12s %9s %-16.16s %s" % (disk.path, gib(disk.size), disk.model or "", disk.contents)


class LocalSrScreen(ChoiceScreen):
    TITLE = "Local storage"
    HELP = ("The local storage repository keeps the virtual machines' disks. Only disks that nothing "
            "uses are offered (no partitions, no filesystem or LVM signature, not mounted): the one "
            "chosen becomes the LVM volume group xenhost-sr. To use a disk that holds old data, wipe it "
            "first (wipefs -a DISK) and run xenhost-setup again. \"No local storage\" is fine for a host "
            "whose VMs live elsewhere.")

    def __init__(self, flow, done, back):
        self.flow, self.done = flow, done
        choices = [(free_disk_row(d), d.path) for d in flow.context.disks]
        choices.append(("No local storage repository", "none"))
        current = (flow.answers.get("local-sr") or {}).get("disk") or (choices[0][1] if choices else "none")
        intro = ("Choose a disk for the VMs' storage; it will be erased:" if flow.context.disks else
                 "No disk here is unused: go on without local storage, or wipe one and rerun xenhost-setup.")
        super().__init__(intro, choices, self.choose, current=current, on_back=back)

    def choose(self, path):
        self.flow.answers["local-sr"] = {"disk": None if path == "none" else path}
        self.done()


def _local_sr(answers):
    disk = (answers.get("local-sr") or {}).get("disk")
    if not disk:
        return "none"
    return "%s, %s (ERASED)" % (disk, ((answers.get("storage") or {}).get("type") or "lvm").upper())


class WizardSummaryScreen(Screen):
    TITLE = "Apply the setup"
    HELP = ("What the wizard will change on this host, and nothing else. Apply sets it now: the network "
            "is restarted on the new settings (an SSH session over the old address may drop), the local "
            "storage disk is erased. Back (or Esc) goes through the questions again. Later changes: run "
            "xenhost-setup as root.")
    LINES = {"root-password": lambda a: [("Root password", "set (not shown)")],
             "network": lambda a: [("Management NIC", network_text(a.get("network") or {})),
                                   ("DNS servers", dns_text(a.get("network") or {}))],
             "hostname": lambda a: [("Host name", a.get("hostname", ""))],
             "local-sr": lambda a: [("Local storage", _local_sr(a))]}

    def __init__(self, flow, done, back):
        self.done = done
        lines = [line for section in ("root-password", "network", "hostname", "local-sr")
                 if section in flow.asked for line in self.LINES[section](flow.answers)]
        rows = [urwid.Text("%-18s %s" % (label + ":", value)) for label, value in lines]
        super().__init__(rows, on_back=back, next_label="Apply", focus_buttons=True,
                         intro="Check the answers: Apply changes only what is listed here.")

    def submit(self):
        self.done()
