"""XenServer/XCP-ng XML answer files, translated into the native answer dict.

The translation only maps syntax; every rule about values (disk paths, host names, hashes, addresses)
stays in schema.json / validation.py, which run on the translated dict exactly as on a YAML file.
The dict carries `origins` so those messages name XML places (`installation/admin-interface@proto`)
instead of native keys.

Elements the native schema cannot express yet are refused with the element, its line and what to do,
never silently dropped. Safely ignored (they ask for what xenhost always does):
  <source type="local">              the installer media is our only source
  <network-backend>bridge<...>      the Linux bridge (xenbr0) is our only network backend
  <installation srtype="lvm">        the local SR is always LVM (firstboot contract: type lvm)
  <primary-disk guest-storage="yes"> the rest of the primary disk always becomes the local SR

Security: the document is parsed with expat directly; a DOCTYPE (and with it every entity
declaration, internal or external) is refused before anything is expanded, and external
entities are never resolved.
"""
import ipaddress
import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from ..errors import AnswerFileError

ROOT = "installation"

# Where each native key comes from, for keys whose element is absent (e.g. "is required").
DEFAULT_ORIGINS = {
    (): ROOT,
    ("version",): ROOT,
    ("disk",): ROOT + "/primary-disk",
    ("disk", "primary"): ROOT + "/primary-disk",
    ("root-password",): ROOT + "/root-password",
    ("hostname",): ROOT + "/hostname",
    ("network",): ROOT + "/admin-interface",
    ("network", "interface"): ROOT + "/admin-interface@name|hwaddr",
    ("network", "mode"): ROOT + "/admin-interface@proto",
    ("network", "address"): ROOT + "/admin-interface/ipaddr",
    ("network", "gateway"): ROOT + "/admin-interface/gateway",
    ("network", "dns"): ROOT + "/name-server",
}

# element -> (allowed attributes, may appear more than once)
ELEMENTS = {
    "primary-disk": ({"guest-storage"}, False),
    "root-password": ({"type"}, False),
    "source": ({"type"}, False),
    "admin-interface": ({"name", "hwaddr", "proto", "vlan", "protov6"}, False),
    "name-server": (set(), True),
    "hostname": (set(), False),
    "network-backend": (set(), False),
}
ADMIN_CHILDREN = {"ipaddr", "subnet", "gateway"}

# Known XenServer elements xenhost cannot honour yet: element -> what to do instead.
UNSUPPORTED = {
    "guest-disk": "only the primary disk is used (its free space becomes the local storage repository); "
                  "fix: remove <guest-disk> and add the disk as a storage repository after installation",
    "keymap": "fix: remove <keymap> (the US layout is used) and set the keymap after installation",
    "timezone": "fix: remove <timezone> (UTC is used) and set the time zone after installation",
    "ntp": "fix: remove <ntp> and configure time synchronisation after installation",
    "ntp-servers": "fix: remove <ntp-servers> and configure time synchronisation after installation",
    "ntp-server": "fix: remove <ntp-server> and configure time synchronisation after installation",
    "script": "xenhost runs no installer hooks; fix: remove <script> and run the commands after installation",
    "existing-installation": "upgrades are not possible yet; fix: remove it and use <installation "
                             "mode=\"fresh\"> (erases the disk)",
    "backup-disk": "restore from backup is not possible yet; fix: remove it and use <installation "
                   "mode=\"fresh\"> (erases the disk)",
}


class XmlAnswers(dict):
    """The translated answers (a plain answer dict) plus where each key came from in the XML."""

    source_format = "xml"

    def __init__(self, data, origins):
        super().__init__(data)
        self.origins = origins

    def where(self, parts):
        """XML place for a native path such as ["network", "dns", 0]."""
        parts = tuple(parts)
        for n in range(len(parts), -1, -1):        # the deepest known place; a present element
            for table in (self.origins, DEFAULT_ORIGINS):   # (with its line) before the default name
                if parts[:n] in table:
                    return table[parts[:n]]
        return ROOT

    def sort_key(self, parts):
        """Order problems by line in the XML (places without a line, e.g. missing elements, last)."""
        m = _LINE.search(self.where(parts))
        return (int(m.group(1)) if m else 1 << 30, [str(p) for p in parts])


_LINE = re.compile(r"\(line (\d+)\)")


def looks_like_xml(text):
    """Detect by content: the first non-blank character (after a BOM) is '<'."""
    return text.lstrip("\ufeff \t\r\n").startswith("<")


class _Refused(Exception):
    pass


def _parse(text, source):
    """Return (root element, {element: line}); AnswerFileError if not well-formed or not safe."""
    builder = ET.TreeBuilder()
    lines = {}
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(tag, attrs):
        lines[builder.start(tag, attrs)] = parser.CurrentLineNumber

    def refuse_doctype(*_):
        raise _Refused("line %d: a DOCTYPE declaration is not accepted in answer files (it can define entities); "
                       "fix: remove the <!DOCTYPE ...> line" % parser.CurrentLineNumber)

    def refuse_entity(*_):
        raise _Refused("line %d: entity declarations and external entities are not accepted; fix: remove them"
                       % parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    try:
        parser.Parse(text, True)
    except _Refused as exc:
        raise AnswerFileError("%s: %s" % (source, exc))
    except expat.ExpatError as exc:
        msg = "line %d column %d: %s" % (exc.lineno, exc.offset + 1, expat.ErrorString(exc.code))
        raise AnswerFileError("%s: is not well-formed XML (%s); fix: correct the syntax there" % (source, msg))
    return builder.close(), lines


def _text(el):
    return (el.text or "").strip()


class _Translator:
    def __init__(self, lines):
        self.lines = lines
        self.problems = []
        self.origins = {}
        self.answers = {"version": 1}

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
        if root.tag == "restore":
            self.problem("restore", root, "<restore> is not supported yet (restore from backup); fix: use "
                         "<installation mode=\"fresh\"> for a new installation (erases the disk)")
            return
        if root.tag != ROOT:
            self.problem(root.tag, root, "unknown root element; fix: the document must be "
                         "<installation mode=\"fresh\"> ... </installation>")
            return
        self.unknown_attributes(ROOT, root, {"mode", "srtype"})
        mode = root.get("mode", "fresh")       # XenServer's default when mode is omitted
        if mode in ("upgrade", "reinstall"):
            self.problem(ROOT, root, "<installation mode=\"%s\"> is not supported yet; fix: use mode=\"fresh\" "
                         "(erases the primary disk and installs anew)" % mode, "mode")
        elif mode != "fresh":
            self.problem(ROOT, root, "must be fresh (or upgrade/reinstall, not supported yet)", "mode")
        srtype = root.get("srtype")
        if srtype is not None and srtype.lower() != "lvm":
            self.problem(ROOT, root, "srtype=\"%s\" is not supported yet: the local storage repository is always "
                         "LVM; fix: omit srtype or use srtype=\"lvm\"" % srtype, "srtype")
        counts = {}
        for child in root:
            counts[child.tag] = counts.get(child.tag, 0) + 1
            path = "%s/%s" % (ROOT, child.tag)
            if child.tag in UNSUPPORTED:
                self.problem(path, child, "<%s> is not supported yet; %s" % (child.tag, UNSUPPORTED[child.tag]))
                continue
            if child.tag not in ELEMENTS:
                self.problem(path, child, "unknown element; fix: remove it (known: %s)"
                             % ", ".join(sorted(ELEMENTS)))
                continue
            allowed, repeat = ELEMENTS[child.tag]
            if counts[child.tag] > 1 and not repeat:
                self.problem(path, child, "given more than once; fix: keep one <%s>" % child.tag)
                continue
            self.unknown_attributes(path, child, allowed)
            for sub in child:
                if child.tag != "admin-interface":
                    self.problem("%s/%s" % (path, sub.tag), sub, "unexpected child element; fix: <%s> holds "
                                 "only text" % child.tag)
            getattr(self, "el_" + child.tag.replace("-", "_"))(path, child, counts[child.tag])

    def el_primary_disk(self, path, el, _n):
        storage = el.get("guest-storage", "yes").lower()
        if storage in ("no", "false"):
            self.problem(path, el, "guest-storage=\"no\" is not supported yet: the rest of the primary disk "
                         "always becomes the local storage repository; fix: omit guest-storage or set it to yes",
                         "guest-storage")
        elif storage not in ("yes", "true"):
            self.problem(path, el, "must be yes or no", "guest-storage")
        name = _text(el)
        # a bare kernel name (sda) means /dev/sda; anything else goes to the schema as given
        self.answers["disk"] = {"primary": "/dev/" + name if name and not name.startswith("/") else name}
        self.origin(("disk",), path, el)
        self.origin(("disk", "primary"), path, el)

    def el_root_password(self, path, el, _n):
        kind = el.get("type", "plaintext")     # XenServer's default
        text = _text(el)
        if text == "!!":
            self.problem(path, el, "\"!!\" (ask for the password at first boot) is not supported yet; fix: give "
                         "the password (type=\"plaintext\") or a crypt hash (type=\"hash\")")
            return
        if kind not in ("plaintext", "hash"):
            self.problem(path, el, "must be plaintext or hash", "type")     # never echo the secret
            return
        self.answers["root-password"] = {kind: text}
        self.origin(("root-password",), path, el)
        self.origin(("root-password", kind), path, el)

    def el_source(self, path, el, _n):
        kind = el.get("type")
        if kind in ("url", "nfs"):
            self.problem(path, el, "<source type=\"%s\"> is not supported yet; fix: install from the local "
                         "media (omit <source> or use type=\"local\")" % kind, "type")
        elif kind != "local":
            self.problem(path, el, "must be local (url and nfs are not supported yet); fix: omit <source> or use "
                         "type=\"local\"", "type")

    def el_network_backend(self, path, el, _n):
        backend = _text(el)
        if backend in ("openvswitch", "vswitch"):
            self.problem(path, el, "<network-backend>%s</network-backend> is not supported yet: the Linux bridge is "
                         "the only backend; fix: remove it or use bridge" % backend)
        elif backend != "bridge":
            self.problem(path, el, "must be bridge (openvswitch is not supported yet)")

    def el_hostname(self, path, el, _n):
        self.answers["hostname"] = _text(el)
        self.origin(("hostname",), path, el)

    def el_name_server(self, path, el, n):
        dns = self.answers.setdefault("network", {}).setdefault("dns", [])
        dns.append(_text(el))
        self.origin(("network", "dns", len(dns) - 1), "%s[%d]" % (path, n), el)

    def el_admin_interface(self, path, el, _n):
        net = self.answers.setdefault("network", {})
        self.origin(("network",), path, el)
        if el.get("vlan") is not None:
            self.problem(path, el, "a VLAN on the management interface is not supported yet; fix: remove vlan= "
                         "and use an untagged port", "vlan")
        if el.get("protov6") is not None:
            self.problem(path, el, "IPv6 on the management interface is not supported yet; fix: remove protov6=",
                         "protov6")
        name, hwaddr = el.get("name"), el.get("hwaddr")
        if name is not None and hwaddr is not None:
            self.problem(path, el, "give name= or hwaddr=, not both", "hwaddr")
        elif name is None and hwaddr is None:
            self.problem(path, el, "is required: give name=\"eth0\" (or a kernel name) or hwaddr=\"52:54:00:..\"",
                         "name|hwaddr")
        else:
            attr = "name" if name is not None else "hwaddr"
            net["interface"] = el.get(attr)
            self.origin(("network", "interface"), path, el, attr)
        proto = el.get("proto")
        if proto is None:
            self.problem(path, el, "is required: dhcp or static", "proto")
        elif proto == "none":
            self.problem(path, el, "proto=\"none\" is not supported yet: the management interface needs an "
                         "address; fix: use dhcp or static", "proto")
        else:
            net["mode"] = proto                 # any other value: the schema's own message
            self.origin(("network", "mode"), path, el, "proto")
        found = {}
        for sub in el:
            sub_path = "%s/%s" % (path, sub.tag)
            if sub.tag in ("ipv6", "gatewayv6"):
                self.problem(sub_path, sub, "IPv6 on the management interface is not supported yet; fix: remove it")
            elif sub.tag not in ADMIN_CHILDREN:
                self.problem(sub_path, sub, "unknown element; fix: remove it (known: %s)"
                             % ", ".join(sorted(ADMIN_CHILDREN)))
            elif sub.tag in found:
                self.problem(sub_path, sub, "given more than once; fix: keep one <%s>" % sub.tag)
            else:
                found[sub.tag] = sub
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


def _prefix(subnet):
    """A dotted netmask (255.255.255.0) as a prefix length; anything else as given (the schema judges)."""
    try:
        return str(ipaddress.IPv4Network("0.0.0.0/" + subnet).prefixlen)
    except ValueError:
        return subnet


def parse_xml(text, source="answer file"):
    """XML text -> XmlAnswers (not yet schema-validated). AnswerFileError for XML-level problems."""
    root, lines = _parse(text, source)
    tr = _Translator(lines)
    tr.root(root)
    if tr.problems:
        n = len(tr.problems)
        raise AnswerFileError("%s is invalid (%d problem%s):\n  %s" % (source, n, "" if n == 1 else "s",
                                                                       "\n  ".join(tr.problems)), tr.problems)
    return XmlAnswers(tr.answers, tr.origins)
