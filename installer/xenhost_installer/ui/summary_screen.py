"""The last screen before anything is written: every answer, the password never shown."""
import urwid

from xenhost_common.ui.widgets import Screen

from ..answers.declared import default, given
from .disk_screens import disk_brief


def _password(pw):
    if not pw:
        return "kept from the existing host"
    return "asked at first boot" if pw.get("ask-at-first-boot") else "set (not shown)"


def network_text(net):
    text = "%s, %s" % (net.get("interface") or default("network.interface"),
                       (net.get("mode") or default("network.mode")).upper())
    if net.get("mode") == "static":
        text += " %s via %s" % (net.get("address"), net.get("gateway"))
    if net.get("vlan"):
        text += ", VLAN %s" % net["vlan"]
    return text


def dns_text(net):
    listed = " ".join(net.get("dns") or [])
    if (net.get("mode") or default("network.mode")) != "dhcp":
        return listed or "none"
    return listed + " and DHCP's" if listed else "from DHCP"


def install_lines(flow):
    a = flow.answers
    disk, net = a.get("disk") or {}, a.get("network") or {}
    guests = disk.get("guest") or []
    return [("Erase, install on", disk_brief(flow, disk.get("primary")))] + \
        [("Erase, guest disk", disk_brief(flow, g)) for g in guests] + [
        ("Storage type", given(a, "storage.type").upper()),
        ("Root password", _password(a.get("root-password"))),
        ("Management NIC", network_text(net)),
        ("Host name", given(a, "hostname")),
        ("DNS servers", dns_text(net)),
        ("Time zone", given(a, "timezone")),
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
        lines += [("Keyboard", given(flow.answers, "keymap")),
                  ("When finished", given(flow.answers, "atexit"))]
        rows = [urwid.Text("%-18s %s" % (label + ":", value)) for label, value in lines]
        super().__init__(rows, on_back=back, next_label=self.VERB[flow.mode], focus_buttons=True,
                         intro="Check the answers: %s starts writing to the disks below." % self.VERB[flow.mode])

    def submit(self):
        self.done()
