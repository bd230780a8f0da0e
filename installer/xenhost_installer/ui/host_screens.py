"""Root password, management NIC, IPv4 (DHCP or static, optional VLAN), host name and DNS."""
import urwid

from xenhost_common.ui.widgets import ChoiceScreen, EnterRadio, Screen, field, field_text, words

from ..host import pick_nic
from ..password import hash_password
from ..answers.declared import default, given
from . import checks


class PasswordScreen(Screen):
    TITLE = "Root password"
    INTRO = "Type the root password twice (it is not shown), or leave it to the first boot."
    OFFER_ASK = True            # the first-boot wizard, which is that question, does not offer it
    HELP = ("The password of the root account of the installed host, for the console and SSH. Type it "
            "twice; it is never shown and is kept only as a SHA-512 hash (logs and the saved answers "
            "have it redacted). Or tick \"ask at first boot\": the host then asks for it on its console "
            "when it first starts. Enter moves to the next field.")

    def __init__(self, flow, done, back):
        self.flow, self.done = flow, done
        self.first = field("Root password: ", mask="*")
        self.second = field("Again:         ", mask="*")
        self.given = flow.answers.get("root-password") or {}
        rows = [self.first, self.second]
        self.ask = None
        if self.OFFER_ASK:
            self.ask = urwid.CheckBox("Ask for the root password at first boot instead",
                                      state=bool(self.given.get("ask-at-first-boot")))
            rows += [urwid.Divider(), urwid.AttrMap(self.ask, None, focus_map="focus")]
        if self.keeps_given():
            rows += [urwid.Divider(), urwid.Text("A password is already set: leave both fields empty to keep it.")]
        super().__init__(rows, on_back=back, intro=self.INTRO)

    def keeps_given(self):
        return "hash" in self.given or "plaintext" in self.given

    def clear(self):
        self.first.set_edit_text("")
        self.second.set_edit_text("")

    def submit(self):
        a, b = self.first.get_edit_text(), self.second.get_edit_text()
        self.clear()                    # never keep the plaintext in widgets
        if self.ask is not None and self.ask.get_state():
            return self.accept({"ask-at-first-boot": True})
        if not a and not b and self.keeps_given():
            return self.accept(self.given)
        if a != b:
            self.walker.set_focus(0)
            return self.fail("The two passwords differ; fix: type the same password in both fields.")
        if not a:
            self.walker.set_focus(0)
            return self.fail("The password is empty; fix: type one in both fields, or tick \"ask at first boot\".")
        found = checks.problems(self.flow.answers, {"root-password": {"plaintext": a}})
        if found:
            return self.fail("\n".join(found))
        self.accept({"hash": hash_password(a)})

    def accept(self, value):
        self.flow.answers["root-password"] = value
        self.done()


def nic_label(nic):
    return "%-16s %-18s %s" % (nic.name, nic.mac, "link up" if nic.carrier else "no link")


class NicScreen(ChoiceScreen):
    TITLE = "Management network interface"
    HELP = ("The network interface the host is managed through (SSH, the toolstack); it becomes the "
            "bridge xenbr0. \"link up\" means a cable or virtual link is connected. \"auto\" takes the "
            "first interface with link when the installation runs.")

    def __init__(self, flow, done, back):
        self.flow, self.done = flow, done
        nics = flow.context.nics
        choices = [(nic_label(n), n.name) for n in nics] + [("auto: the first interface with link", "auto")]
        given = (flow.answers.get("network") or {}).get("interface") or flow.context.network_device \
            or default("network.interface")
        chosen = pick_nic(given, nics)
        intro = ("Choose the management interface:" if nics else
                 "No network interface was found: check the cabling or the NIC's driver, or go on with auto.")
        super().__init__(intro, choices, self.choose, current=chosen.name if chosen else "auto", on_back=back)

    def choose(self, name):
        self.flow.answers.setdefault("network", {})["interface"] = name
        self.done()


class AddressScreen(Screen):
    TITLE = "IPv4 configuration"
    HELP = ("DHCP: the address, gateway and DNS servers come from your DHCP server. Static: type the "
            "address with its prefix length (192.0.2.10/24) and the gateway, which must be inside that "
            "subnet. VLAN: the 802.1Q tag of the management network (1-4094), empty for an untagged port. "
            "Enter on DHCP or Static chooses it and moves to the next field.")

    def __init__(self, flow, done, back):
        self.flow, self.done = flow, done
        net = flow.answers.get("network") or {}
        group = []
        self.dhcp = EnterRadio(group, "DHCP (automatic)", state=given(flow.answers, "network.mode") == "dhcp")
        self.static = EnterRadio(group, "Static address:", state=given(flow.answers, "network.mode") == "static")
        self.address = field("    Address/prefix: ", net.get("address", ""))
        self.gateway = field("    Gateway:        ", net.get("gateway", ""))
        self.vlan = field("VLAN tag (empty: none): ", str(net.get("vlan", "")))
        rows = [urwid.AttrMap(self.dhcp, None, focus_map="focus"), urwid.AttrMap(self.static, None, focus_map="focus"),
                self.address, self.gateway, urwid.Divider(), self.vlan]
        super().__init__(rows, on_back=back, focus=0 if self.dhcp.get_state() else 1,
                         intro="How does the management interface get its IPv4 address?")

    def advance(self):
        row = self.focused()
        if row is self.static:
            return self.focus_on(self.address)
        if row is self.dhcp:
            return self.focus_on(self.vlan)
        super().advance()

    def values(self):
        net = dict(self.flow.answers.get("network") or {})
        for key in ("address", "gateway", "vlan"):
            net.pop(key, None)
        net["mode"] = "static" if self.static.get_state() else "dhcp"
        for key, edit in (("address", self.address), ("gateway", self.gateway)):
            if net["mode"] == "static" or field_text(edit):   # typed with DHCP: the validator refuses it
                net[key] = field_text(edit)
        vlan = field_text(self.vlan)
        if vlan:
            net["vlan"] = int(vlan) if vlan.isdigit() else vlan   # not a number: the validator says so
        return net

    def submit(self):
        self.commit({"network": self.values()})


class HostnameScreen(Screen):
    TITLE = "Host name and DNS"
    HELP = ("The host's name: letters, digits and '-', optionally with a domain (xh1.example.org). "
            "DNS servers: IP addresses separated by spaces or commas; with DHCP they may be left empty "
            "(the DHCP server gives them), and any given are used besides the DHCP server's.")

    def __init__(self, flow, done, back):
        self.flow, self.done = flow, done
        net = flow.answers.get("network") or {}
        self.hostname = field("Host name:   ", given(flow.answers, "hostname"))
        hint = "(empty: DHCP's only)" if given(flow.answers, "network.mode") == "dhcp" else "(e.g. 192.0.2.53)"
        self.dns = field("DNS servers: ", " ".join(net.get("dns", [])))
        rows = [self.hostname, urwid.Divider(), self.dns, urwid.Text("             " + hint)]
        super().__init__(rows, on_back=back, intro="Name this host; DNS servers are optional.")

    def submit(self):
        net = dict(self.flow.answers.get("network") or {})
        net.pop("dns", None)
        if words(self.dns):
            net["dns"] = words(self.dns)
        self.commit({"hostname": field_text(self.hostname), "network": net})
