"""XenServer/XCP-ng XML answer files, translated into the native answer dict.

The translation only maps syntax; every rule about values (disk paths, host names, hashes, addresses,
time zones, keymaps) stays in schema.json / rules.py, which run on the translated dict exactly as on a
YAML file. The dict carries `origins` so those messages name XML places
(`installation/admin-interface@proto (line 7)`) instead of native keys.

TRANSLATION below maps each element onto its native key (the reference doc shows it).

Every element and deprecated alias of XenServer's doc/answerfile.txt is either honoured or, when
its value cannot be honoured, refused with the element, its line and what to do; never silently
dropped. Accepted without a native key because they ask for what xenhost always does: <source
type="local">, <network-backend>bridge, <bootloader location="mbr">grub2, <ui-confirmation-prompt>
false, sr-at-end="true", preserve-first-partition="false" (xenserver_elements.py declares them).
"""
import ipaddress
import re

from ..errors import AnswerFileError
from .declared import hook_stages
from .xmlparse import parse_safely
from .xenserver_elements import (ADMIN_ALIASES, CONTAINERS, DISK_ELEMENT, ELEMENTS, FALSE, MODES, MODE_SYNTAX,  # noqa: F401
                                  NTP_SOURCES, RESTORE_ELEMENTS, TEXT_KEYS, TRANSLATION, TRUE, UNSUPPORTED)

_LINE = re.compile(r"\(line (\d+)\)")


def _default_origins(root, mode):
    """Where each native key comes from when its element is absent (e.g. "is required")."""
    disk = "%s/%s" % (root, DISK_ELEMENT[mode])
    admin = root + "/admin-interface"
    return {
        (): root, ("version",): root, ("mode",): root + "@mode", ("storage",): root + "@srtype",
        ("disk",): disk, ("disk", "primary"): disk, ("disk", "guest"): root + "/guest-disks",
        ("root-password",): root + "/root-password", ("hostname",): root + "/hostname",
        ("keymap",): root + "/keymap", ("timezone",): root + "/timezone", ("ntp-servers",): root + "/ntp-server",
        ("hooks",): root + "/script", ("source",): root + "/source", ("network",): admin, ("network", "interface"): admin + "@name|hwaddr",
        ("network", "mode"): admin + "@proto", ("network", "vlan"): admin + "@vlan",
        ("network", "address"): admin + "/ipaddr", ("network", "gateway"): admin + "/gateway",
        ("network", "dns"): root + "/name-server",
    }


def _required_fixes(mode):
    """The fix for `is required`, in XML words."""
    disk = DISK_ELEMENT[mode]
    return {
        ("disk",): "add <%s>sda</%s>" % (disk, disk),
        ("disk", "primary"): "add <%s>sda</%s>" % (disk, disk),
        ("root-password",): "add <root-password type=\"hash\">$6$...</root-password>, or "
                            "<root-password>!!</root-password> to ask for it at first boot",
        ("network", "address"): "add <ipaddr> and <subnet> inside <admin-interface>",
        ("network", "gateway"): "add <gateway> inside <admin-interface>",
    }


class XmlAnswers(dict):
    """The translated answers (a plain answer dict) plus where each key came from in the XML."""

    source_format = "xml"

    def __init__(self, data, origins, root="installation", mode="install"):
        super().__init__(data)
        self.origins = origins
        self.defaults = _default_origins(root, mode)
        self.fixes = _required_fixes(mode)
        self.root = root

    def where(self, parts):
        """XML place for a native path such as ["network", "dns", 0]."""
        parts = tuple(parts)
        for n in range(len(parts), -1, -1):        # the deepest known place; a present element
            for table in (self.origins, self.defaults):    # (with its line) before the default name
                if parts[:n] in table:
                    return table[parts[:n]]
        return self.root

    def required_fix(self, parts):
        return self.fixes.get(tuple(parts), "add the element")

    def sort_key(self, parts):
        """Order problems by line in the XML (places without a line, e.g. missing elements, last)."""
        m = _LINE.search(self.where(parts))
        return (int(m.group(1)) if m else 1 << 30, [str(p) for p in parts])


def _text(el):
    return (el.text or "").strip()


def _device(name):
    """A bare kernel name (sda) means /dev/sda; anything else goes to the schema as given."""
    return "/dev/" + name if name and not name.startswith("/") else name


def _prefix(subnet):
    """A dotted netmask (255.255.255.0) as a prefix length; anything else as given (the rules judge)."""
    try:
        return str(ipaddress.IPv4Network("0.0.0.0/" + subnet).prefixlen)
    except ValueError:
        return subnet


class _Translator:
    def __init__(self, lines):
        self.lines = lines
        self.problems = []
        self.origins = {}
        self.answers = {"version": 1}
        self.root_tag, self.mode = "installation", "install"
        self.ntp = None                 # the <ntp> element
        self.ntp_servers = []           # [(element, place)]

    def place(self, path, el=None, attr=None):
        where = path + ("@" + attr if attr else "")
        line = self.lines.get(el) if el is not None else None
        return "%s (line %d)" % (where, line) if line else where

    def problem(self, path, el, message, attr=None):
        self.problems.append("%s: %s" % (self.place(path, el, attr), message))

    def origin(self, key, path, el, attr=None):
        self.origins[key] = self.place(path, el, attr)

    def unknown_attributes(self, path, el, allowed):
        for attr in sorted(set(el.attrib) - allowed):
            self.problem(path, el, "unknown attribute; fix: remove it%s"
                         % (" (known: %s)" % ", ".join(sorted(allowed)) if allowed else ""), attr)

    # -- the document -------------------------------------------------------------------------
    def root(self, root):
        self.root_tag = root.tag
        if root.tag == "restore":
            self.mode = "restore"
            self.unknown_attributes(root.tag, root, set())
        elif root.tag == "installation":
            self.installation_attributes(root)
        else:
            self.problem(root.tag, root, "unknown root element; fix: the document must be <installation "
                         "mode=\"fresh|upgrade\"> ... </installation> or <restore> ... </restore>")
            return
        if self.mode != "install":
            self.answers["mode"] = self.mode
            self.origin(("mode",), root.tag, root, "mode" if root.tag == "installation" else None)
        counts = {}
        for child in root:
            counts[child.tag] = counts.get(child.tag, 0) + 1
            self.element("%s/%s" % (root.tag, child.tag), child, counts[child.tag])
        self.finish_ntp()

    def installation_attributes(self, root):
        self.unknown_attributes("installation", root, {"mode", "srtype", "sr-type"})
        mode = root.get("mode", "fresh")       # XenServer's default when mode is omitted
        if mode == "reinstall":
            self.problem("installation", root, "mode=\"reinstall\" (back up, then install anew without keeping "
                         "settings) is not available; fix: use mode=\"upgrade\" to keep the host's settings (with a "
                         "backup), or mode=\"fresh\" to erase the disk (no backup)", "mode")
        elif mode not in MODES:
            self.problem("installation", root, "must be fresh or upgrade (or use <restore>); fix: pick one", "mode")
        self.mode = MODES.get(mode, "install")
        for attr in ("srtype", "sr-type"):
            if root.get(attr) is not None:
                self.answers["storage"] = {"type": root.get(attr)}
                self.origin(("storage",), "installation", root, attr)
                self.origin(("storage", "type"), "installation", root, attr)

    def element(self, path, child, n):
        if child.tag in UNSUPPORTED:
            self.problem(path, child, "<%s> is not supported; %s" % (child.tag, UNSUPPORTED[child.tag]))
            return
        if child.tag not in ELEMENTS:
            self.problem(path, child, "unknown element; fix: remove it (known: %s)" % ", ".join(sorted(ELEMENTS)))
            return
        if self.root_tag == "restore" and child.tag not in RESTORE_ELEMENTS:
            self.problem(path, child, "is not used by <restore> (restore boots the backed-up version with its own "
                         "settings); fix: remove it")
            return
        allowed, repeat = ELEMENTS[child.tag]
        if n > 1 and not repeat:
            self.problem(path, child, "given more than once; fix: keep one <%s>" % child.tag)
            return
        self.unknown_attributes(path, child, allowed)
        if child.tag not in CONTAINERS:
            for sub in child:
                self.problem("%s/%s" % (path, sub.tag), sub, "unexpected child element; fix: <%s> holds only text"
                             % child.tag)
        if child.tag in TEXT_KEYS:
            self.answers[TEXT_KEYS[child.tag]] = _text(child)
            self.origin((TEXT_KEYS[child.tag],), path, child)
            return
        getattr(self, "el_" + child.tag.replace("-", "_"))(path, child, n)

    # -- disks ----------------------------------------------------------------------------------
    def disk_element(self, path, el):
        expected = DISK_ELEMENT[self.mode]
        if el.tag != expected:
            mode = next(m for m, tag in DISK_ELEMENT.items() if tag == el.tag)
            self.problem(path, el, "is only used with %s; fix: name the disk with <%s>"
                         % (MODE_SYNTAX[mode], expected))
            return
        self.answers.setdefault("disk", {})["primary"] = _device(_text(el))
        self.origin(("disk",), path, el)
        self.origin(("disk", "primary"), path, el)

    def el_primary_disk(self, path, el, _n):
        attr = "guest-storage" if el.get("guest-storage") is not None else "gueststorage"
        storage = el.get(attr, "yes").lower()
        if storage in FALSE:        # dom0 only on the primary disk: the SR is the guest disks, or none
            self.answers.setdefault("storage", {})["use-primary-disk"] = False
            self.origin(("storage", "use-primary-disk"), path, el, attr)
        elif storage not in TRUE:
            self.problem(path, el, "must be yes or no; fix: omit it (yes)", attr)
        self.expect_attr(path, el, "sr-at-end", TRUE, "the storage partition is always the last one on the disk; "
                         "fix: omit sr-at-end or set it to true")
        self.expect_attr(path, el, "preserve-first-partition", FALSE, "xenhost erases the whole primary disk (it "
                         "never keeps a vendor utility partition); fix: set it to false, or install on another disk")
        self.disk_element(path, el)

    def expect_attr(self, path, el, attr, honoured, why):
        """An optional attribute xenhost honours only with the values `honoured` (what it always does)."""
        value = el.get(attr)
        if value is not None and value.lower() not in honoured:
            self.problem(path, el, "%s=\"%s\" is not supported: %s" % (attr, value, why), attr)

    def el_existing_installation(self, path, el, _n):
        self.disk_element(path, el)

    el_backup_disk = el_existing_installation

    def el_guest_disks(self, path, el, _n):
        for n, sub in enumerate(el, 1):
            if sub.tag == "guest-disk":
                self.guest_disk("%s/guest-disk[%d]" % (path, n), sub)
            else:
                self.problem("%s/%s" % (path, sub.tag), sub, "unknown element; fix: <guest-disks> holds only "
                             "<guest-disk> elements")

    def el_guest_disk(self, path, el, n):
        self.guest_disk("%s[%d]" % (path, n), el)

    def guest_disk(self, place, el):
        guests = self.answers.setdefault("disk", {}).setdefault("guest", [])
        guests.append(_device(_text(el)))
        if len(guests) == 1:
            self.origin(("disk", "guest"), place, el)
        self.origin(("disk", "guest", len(guests) - 1), place, el)

    # -- password, source, backend ---------------------------------------------------------------
    def el_root_password(self, path, el, _n):
        kind = el.get("type", "plaintext")     # XenServer's default before it became "hash"
        text = _text(el)
        if text == "!!":                       # XenServer: no password now, ask at first boot
            self.answers["root-password"] = {"ask-at-first-boot": True}
        elif kind not in ("plaintext", "hash"):
            self.problem(path, el, "must be plaintext or hash; fix: pick one", "type")   # never echo the secret
            return
        else:
            self.answers["root-password"] = {kind: text}
            self.origin(("root-password", kind), path, el)
        self.origin(("root-password",), path, el)

    def el_source(self, path, el, n):
        kind = el.get("type")
        if kind == "url":
            if "source" in self.answers:
                self.problem(path, el, "a second <source type=\"url\"> (supplemental packs) is not supported: the "
                             "dom0 image comes from one place; fix: keep one <source type=\"url\">")
                return
            self.answers["source"] = {"url": _text(el)}     # the schema judges the URL
            self.origin(("source",), path, el)
            self.origin(("source", "url"), path, el)
        elif kind == "nfs":
            self.problem(path, el, "<source type=\"nfs\"> is not supported: the dom0 image comes from the installer's "
                         "media or an http(s) URL; fix: use type=\"url\" with the http:// URL of the image's "
                         "directory, or type=\"local\"", "type")
        elif kind != "local":
            self.problem(path, el, "must be local or url (nfs is not supported); fix: omit <source>, or use "
                         "type=\"local\" or type=\"url\"", "type")

    def el_network_backend(self, path, el, _n):
        backend = _text(el)
        if backend in ("openvswitch", "vswitch"):
            self.problem(path, el, "<network-backend>%s</network-backend> is not supported: the Linux bridge is "
                         "the only backend; fix: remove it or use bridge" % backend)
        elif backend != "bridge":
            self.problem(path, el, "must be bridge (openvswitch is not supported); fix: remove it or use bridge")

    def el_bootloader(self, path, el, _n):
        """What xenhost always installs: GRUB 2 in the boot sector (BIOS) and on the ESP's removable path."""
        kind = _text(el) or "grub2"
        if kind != "grub2":
            self.problem(path, el, "<bootloader>%s</bootloader> is not supported: xenhost installs GRUB 2; fix: use "
                         "grub2 or remove the element" % kind)
        self.expect_attr(path, el, "location", ("mbr",), "GRUB goes to the disk's boot sector and the ESP; fix: use "
                         "location=\"mbr\" or omit it")
        self.expect_attr(path, el, "write-boot-entry", FALSE, "xenhost boots UEFI hosts from the removable path "
                         "\\EFI\\BOOT\\BOOTX64.EFI and never writes NVRAM boot entries; fix: omit it or set it to false")

    def el_ui_confirmation_prompt(self, path, el, _n):
        value = _text(el).lower()
        if value in TRUE:
            self.problem(path, el, "an unattended install never stops to ask; fix: set it to false or remove it (to "
                         "choose the disk on screen, use a YAML answer file with interactive-sections: [disk])")
        elif value not in FALSE:
            self.problem(path, el, "must be true or false; fix: use false")

    # -- time ---------------------------------------------------------------------------------------
    def el_ntp(self, path, el, _n):
        self.ntp = (path, el)

    def el_ntp_server(self, path, el, n):
        self.ntp_servers.append((el, "%s[%d]" % (path, n)))

    el_ntp_servers = el_ntp_server

    def finish_ntp(self):
        """<ntp source> and the <ntp-server> list together: manual needs servers, the others take none.
        Without a source, XenServer's default: manual when servers are given."""
        path, el = self.ntp or ("installation/ntp", None)
        source = (el.get("source") if el is not None else None) or ("manual" if self.ntp_servers else "default")
        if source not in NTP_SOURCES:
            self.problem(path, el, "must be manual, default, dhcp or none; fix: pick one", "source")
        elif source == "none":
            self.problem(path, el, "turning time synchronisation off is not supported; fix: use source=\"default\" "
                         "(DHCP's servers, else Debian's pool) or \"manual\" with <ntp-server>", "source")
        elif source == "manual" and not self.ntp_servers:
            self.problem(path, el, "source=\"manual\" needs at least one <ntp-server>; fix: add "
                         "<ntp-server>0.pool.ntp.org</ntp-server> or use source=\"default\"", "source")
        elif source != "manual" and self.ntp_servers:
            first, place = self.ntp_servers[0]
            self.problem(place, first, "is only used with <ntp source=\"manual\"> (source is \"%s\"); fix: remove "
                         "it or set source=\"manual\"" % source)
        elif source == "manual":
            self.answers["ntp-servers"] = [_text(server) for server, _ in self.ntp_servers]
            for i, (server, place) in enumerate(self.ntp_servers):
                self.origin(("ntp-servers", i), place, server)
            self.origin(("ntp-servers",), self.ntp_servers[0][1], self.ntp_servers[0][0])

    # -- hooks ----------------------------------------------------------------------------------------
    def el_script(self, path, el, n):
        self.hook("%s[%d]" % (path, n), el, el.get("stage"), el.get("type", "url"))

    def el_post_install_script(self, path, el, _n):
        """XenServer's deprecated form of <script stage="filesystem-populated">."""
        self.hook(path, el, "filesystem-populated", el.get("type", "url"))

    def hook(self, place, el, stage, kind):
        if stage not in hook_stages():
            self.problem(place, el, "must be one of %s; fix: pick the stage the script should run at"
                         % ", ".join(hook_stages()), "stage")
        elif kind == "nfs":
            self.problem(place, el, "type=\"nfs\" is not supported; fix: serve the script over http(s) (or give a "
                         "file:// URL) and use type=\"url\"", "type")
        elif kind != "url":
            self.problem(place, el, "must be url; fix: use type=\"url\"", "type")
        else:
            stage_list = self.answers.setdefault("hooks", {}).setdefault(stage, [])
            stage_list.append(_text(el))
            self.origin(("hooks",), place, el)
            self.origin(("hooks", stage, len(stage_list) - 1), place, el)

    # -- network ---------------------------------------------------------------------------------------
    def el_name_server(self, path, el, n):
        dns = self.answers.setdefault("network", {}).setdefault("dns", [])
        dns.append(_text(el))
        self.origin(("network", "dns", len(dns) - 1), "%s[%d]" % (path, n), el)

    el_nameserver = el_name_server          # XenServer's deprecated spelling

    def el_admin_interface(self, path, el, _n):
        net = self.answers.setdefault("network", {})
        self.origin(("network",), path, el)
        if el.get("protov6") is not None:
            self.problem(path, el, "IPv6 on the management interface is not supported yet; fix: remove protov6=",
                         "protov6")
        vlan = el.get("vlan")
        if vlan is not None:                    # not a number: the schema's message
            net["vlan"] = int(vlan) if vlan.strip().isdigit() else vlan
            self.origin(("network", "vlan"), path, el, "vlan")
        self.interface(path, el, net)
        self.proto(path, el, net)
        self.static_address(path, el, net, self.admin_children(path, el))

    def interface(self, path, el, net):
        name, hwaddr = el.get("name"), el.get("hwaddr")
        if name is not None and hwaddr is not None:
            self.problem(path, el, "give name= or hwaddr=, not both; fix: remove one", "hwaddr")
        elif name is None and hwaddr is None:
            self.problem(path, el, "is required; fix: give name=\"eth0\" (or a kernel name) or "
                         "hwaddr=\"52:54:00:..\"", "name|hwaddr")
        else:
            attr = "name" if name is not None else "hwaddr"
            net["interface"] = el.get(attr)
            self.origin(("network", "interface"), path, el, attr)

    def proto(self, path, el, net):
        proto = el.get("proto")
        if proto is None:
            self.problem(path, el, "is required; fix: give proto=\"dhcp\" or proto=\"static\"", "proto")
        elif proto == "none":
            self.problem(path, el, "proto=\"none\" is not supported yet: the management interface needs an IPv4 "
                         "address; fix: use dhcp or static", "proto")
        else:
            net["mode"] = proto                 # any other value: the schema's own message
            self.origin(("network", "mode"), path, el, "proto")

    def admin_children(self, path, el):
        found = {}
        for sub in el:
            sub_path = "%s/%s" % (path, sub.tag)
            if sub.tag in ("ipv6", "gatewayv6"):
                self.problem(sub_path, sub, "IPv6 on the management interface is not supported yet; fix: remove it")
            elif sub.tag not in CONTAINERS["admin-interface"]:
                self.problem(sub_path, sub, "unknown element; fix: remove it (known: %s)"
                             % ", ".join(sorted(CONTAINERS["admin-interface"])))
            elif ADMIN_ALIASES.get(sub.tag, sub.tag) in found:
                self.problem(sub_path, sub, "given more than once; fix: keep one <%s>" % ADMIN_ALIASES.get(sub.tag,
                                                                                                       sub.tag))
            else:
                found[ADMIN_ALIASES.get(sub.tag, sub.tag)] = sub     # <ip>, <subnet-mask>: deprecated spellings
        return found

    def static_address(self, path, el, net, found):
        ip, subnet = found.get("ipaddr"), found.get("subnet")
        if (ip is None) != (subnet is None):
            missing, have = ("subnet", ip) if subnet is None else ("ipaddr", subnet)
            self.problem("%s/%s" % (path, missing), have, "is required with <%s>; fix: add e.g. %s"
                         % (have.tag, "<subnet>255.255.255.0</subnet>" if missing == "subnet"
                            else "<ipaddr>192.0.2.10</ipaddr>"))
        elif ip is not None:
            net["address"] = "%s/%s" % (_text(ip), _prefix(_text(subnet)))
            self.origins[("network", "address")] = "%s and %s" % (self.place(path + "/ipaddr", ip),
                                                                  self.place(path + "/subnet", subnet))
        if "gateway" in found:
            net["gateway"] = _text(found["gateway"])
            self.origin(("network", "gateway"), path + "/gateway", found["gateway"])


def parse_xml(text, source="answer file"):
    """XML text -> XmlAnswers (not yet schema-validated). AnswerFileError for XML-level problems."""
    root, lines = parse_safely(text, source)
    tr = _Translator(lines)
    tr.root(root)
    if tr.problems:
        n = len(tr.problems)
        raise AnswerFileError("%s is invalid (%d problem%s):\n  %s" % (source, n, "" if n == 1 else "s",
                                                                       "\n  ".join(tr.problems)),
                              "correct the elements above", problems=tr.problems)
    return XmlAnswers(tr.answers, tr.origins, tr.root_tag, tr.mode)
