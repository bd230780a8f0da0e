"""The last screen before anything is written: every answer, the password never shown."""
import urwid

from xenhost_common.ui.widgets import Screen

from ..answers.catalog import DEFAULT_KEYMAP, DEFAULT_TIMEZONE
from ..plan import DEFAULT_HOSTNAME
from .disk_screens import disk_brief


def _password(pw):
    if not pw:
        return "kept from the existing host"
    return "asked at first boot" if pw.get("ask-at-first-boot") else "set (not shown)"


def _network(net):
    text = "%s, %s" % (net.get("interface", "auto"), net.get("mode", "dhcp").upper())
    if net.get("mode") == "static":
        text += " %s via %s" % (net.get("address"), net.get("gateway"))
    if net.get("vlan"):
        text += ", VLAN %s" % net["vlan"]
    return text


def _dns(net):
    given = " ".join(net.get("dns") or [])
    if net.get("mode", "dhcp") != "dhcp":
        return given or "none"
    return given + " and DHCP's" if given else "from DHCP"


def install_lines(flow):
    a = flow.answers
    disk, net = a.get("disk") or {}, a.get("network") or {}
    guests = disk.get("guest") or []
    return [("Erase, install on", disk_brief(flow, disk.get("primary")))] + \
        [("Erase, guest disk", disk_brief(flow, g)) for g in guests] + [
        ("Storage type", ((a.get("storage") or {}).get("type") or "lvm").upper()),
        ("Root password", _password(a.get("root-password"))),
        ("Management NIC", _network(net)),
        ("Host name", a.get("hostname", DEFAULT_HOSTNAME)),
        ("DNS servers", _dns(net)),
        ("Time zone", a.get("timezone", DEFAULT_TIMEZONE)),
        ("NTP servers", " ".join(a.get("ntp-servers") or []) or "Debian's pool (default)")]


def keep_lines(flow):
    a = flow.answers
    return [("%s on" % flow.mode.capitalize(), disk_brief(flow, (a.get("disk") or {}).get("primary"))),
            ("Kept", "host name, network, passwords, storage repository, VMs")]


class SummaryScreen(Screen):
    TITLE = "Summary"
    HELP = ("Everything the installer will do. The start button writes to the disks listed; Back (or Esc) "
            "goes through the previous screens to change anything. Before anything is written the "
            "installer checks the answers and this machine (disks in use or read-only, the network "
            "interface, ...); a problem is shown here with the screen to fix it on.")
    VERB = {"install": "Install", "upgrade": "Upgrade", "restore": "Restore"}

    def __init__(self, flow, done, back):
        self.done = done
        lines = (install_lines if flow.mode == "install" else keep_lines)(flow)
        lines += [("Keyboard", flow.answers.get("keymap", DEFAULT_KEYMAP)),
                  ("When finished", flow.answers.get("atexit", "reboot"))]
        rows = [urwid.Text("%-18s %s" % (label + ":", value)) for label, value in lines]
        super().__init__(rows, on_back=back, next_label=self.VERB[flow.mode], focus_buttons=True,
                         intro="Check the answers: %s starts writing to the disks below." % self.VERB[flow.mode])

    def submit(self):
        self.done()
