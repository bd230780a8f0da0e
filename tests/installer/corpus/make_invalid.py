#!/usr/bin/python3
"""Regenerate tests/installer/corpus/invalid/: answer files that are each wrong in exactly one way.

    python3 tests/installer/corpus/make_invalid.py

Every file's first line names a substring the validation error must contain:
`# expect: <substring>` (YAML) or `<!-- expect: <substring> -->` (XML). The files are committed;
test_corpus.py reads them (it never runs this script). Line numbers in XML expectations count the
expect comment as line 1.
"""
import copy
import os
import shutil

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "invalid")

SHA512 = "$6$saltsalt$" + "a" * 86

BASE = {
    "version": 1,
    "disk": {"primary": "/dev/vda"},
    "root-password": {"plaintext": "s3cret-Pass"},
    "hostname": "xh1",
    "network": {"interface": "auto", "mode": "dhcp"},
    "boot": {"xen-extra-args": "", "dom0-extra-args": ""},
    "atexit": "reboot",
}
STATIC = {"interface": "enp0s3", "mode": "static", "address": "192.0.2.10/24", "gateway": "192.0.2.1",
          "dns": ["192.0.2.53"]}


def _set(path, value):
    def mutate(d):
        *parents, last = path.split(".")
        for p in parents:
            d = d[p]
        d[last] = value
    return mutate


def _del(path):
    def mutate(d):
        *parents, last = path.split(".")
        for p in parents:
            d = d[p]
        del d[last]
    return mutate


def _static(**changes):
    def mutate(d):
        net = dict(STATIC)
        for k, v in changes.items():
            if v is None:
                net.pop(k.replace("_", "-"))
            else:
                net[k.replace("_", "-")] = v
        d["network"] = net
    return mutate


# (file stem, expected substring, mutation of BASE or raw text after the comment line)
YAML_CASES = [
    ("missing-version", "version: is required", _del("version")),
    ("missing-disk", "disk: is required", _del("disk")),
    ("missing-root-password", "root-password: is required", _del("root-password")),
    ("disk-missing-primary", "disk.primary: is required", _set("disk", {})),
    ("version-2", "version: must be 1", _set("version", 2)),
    ("version-string", "version: must be 1", _set("version", "1")),
    ("version-null", "version: must be 1", _set("version", None)),
    ("version-float", "version: must be 1", _set("version", 1.5)),
    ("disk-bare-name", "disk.primary: must be a block device path", _set("disk.primary", "vda")),
    ("disk-not-under-dev", "disk.primary: must be a block device path", _set("disk.primary", "/mnt/vda")),
    ("disk-space", "disk.primary: must be a block device path", _set("disk.primary", "/dev/vd a")),
    ("disk-int", "disk.primary: must be a block device path", _set("disk.primary", 5)),
    ("disk-list", "disk.primary: must be a block device path", _set("disk.primary", ["/dev/vda"])),
    ("disk-empty", "disk.primary: must be a block device path", _set("disk.primary", "")),
    ("disk-dev-only", "disk.primary: must be a block device path", _set("disk.primary", "/dev/")),
    ("disk-not-mapping", "disk: '/dev/vda' is not of type 'object'", _set("disk", "/dev/vda")),
    ("disk-unknown-key", "disk.size: unknown key", _set("disk.size", "20G")),
    ("unknown-top-key-typo", "dsik: unknown key", _set("dsik", {"primary": "/dev/vda"})),
    ("unknown-top-key-keymap", "keymap: unknown key", _set("keymap", "us")),
    ("unknown-top-key-timezone", "timezone: unknown key", _set("timezone", "UTC")),
    ("unknown-network-key", "network.vlan: unknown key", _set("network.vlan", 5)),
    ("unknown-boot-key", "boot.kernel-args: unknown key", _set("boot.kernel-args", "quiet")),
    ("root-password-empty-mapping", "root-password: give exactly one of", _set("root-password", {})),
    ("root-password-both", "root-password: give exactly one of",
     _set("root-password", {"plaintext": "x", "hash": SHA512})),
    ("root-password-string", "root-password: give exactly one of", _set("root-password", "s3cret")),
    ("root-password-unknown-key", "root-password: give exactly one of", _set("root-password", {"md5": "x"})),
    ("plaintext-empty", "root-password.plaintext: must be a non-empty string", _set("root-password.plaintext", "")),
    ("plaintext-int", "root-password.plaintext: must be a non-empty string", _set("root-password.plaintext", 1234)),
    ("plaintext-null", "root-password.plaintext: must be a non-empty string", _set("root-password.plaintext", None)),
    ("hash-word", "root-password.hash: is not a crypt hash", _set("root-password", {"hash": "secrethash"})),
    ("hash-md5", "root-password.hash: is not a crypt hash",
     _set("root-password", {"hash": "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/"})),
    ("hash-sha512-short", "root-password.hash: is not a crypt hash",
     _set("root-password", {"hash": "$6$saltsalt$" + "a" * 85})),
    ("hash-sha512-bad-char", "root-password.hash: is not a crypt hash",
     _set("root-password", {"hash": "$6$saltsalt$" + "a" * 85 + "!"})),
    ("hash-sha512-long-salt", "root-password.hash: is not a crypt hash",
     _set("root-password", {"hash": "$6$" + "s" * 17 + "$" + "a" * 86})),
    ("hash-sha256-length", "root-password.hash: is not a crypt hash",
     _set("root-password", {"hash": "$5$saltsalt$" + "a" * 86})),
    ("hash-yescrypt-short", "root-password.hash: is not a crypt hash",
     _set("root-password", {"hash": "$y$j9T$salt$" + "a" * 42})),
    ("hash-empty", "root-password.hash: is not a crypt hash", _set("root-password", {"hash": ""})),
    ("hash-trailing-newline", "root-password.hash: is not a crypt hash",
     _set("root-password", {"hash": SHA512 + "\n"})),
    ("disk-trailing-newline", "disk.primary: must be a block device path", _set("disk.primary", "/dev/vda\n")),
    ("hostname-trailing-newline", "hostname: must be a host name", _set("hostname", "xh1\n")),
    ("interface-trailing-newline", "network.interface: must be auto", _set("network.interface", "enp0s3\n")),
    ("hostname-leading-dash", "hostname: must be a host name", _set("hostname", "-bad-")),
    ("hostname-underscore", "hostname: must be a host name", _set("hostname", "xh_1")),
    ("hostname-label-64", "hostname: must be a host name", _set("hostname", "a" * 64)),
    ("hostname-trailing-dot", "hostname: must be a host name", _set("hostname", "xh1.example.")),
    ("hostname-empty", "hostname: must be a host name", _set("hostname", "")),
    ("hostname-int", "hostname: must be a host name", _set("hostname", 42)),
    ("hostname-space", "hostname: must be a host name", _set("hostname", "xh 1")),
    ("hostname-too-long", "hostname: must be a host name", _set("hostname", ".".join(["a" * 60] * 5))),
    ("hostname-double-dot", "hostname: must be a host name", _set("hostname", "xh1..example")),
    ("static-without-address", "network.address: is required", _static(address=None)),
    ("static-without-gateway", "network.gateway: is required", _static(gateway=None)),
    ("network-mode-manual", "network.mode: must be dhcp or static", _set("network.mode", "manual")),
    ("network-mode-none", "network.mode: must be dhcp or static", _set("network.mode", "none")),
    ("network-mode-upper", "network.mode: must be dhcp or static", _set("network.mode", "DHCP")),
    ("interface-punctuation", "network.interface: must be auto", _set("network.interface", "not a nic!")),
    ("interface-too-long", "network.interface: must be auto", _set("network.interface", "enp0s3abcdefghij")),
    ("interface-short-mac", "network.interface: must be auto", _set("network.interface", "52:54:00:12:34")),
    ("interface-int", "network.interface: must be auto", _set("network.interface", 0)),
    ("address-without-prefix", "network.address: '192.0.2.10' is not valid", _static(address="192.0.2.10")),
    ("address-bad-octet", "network.address: '192.0.2.300/24' is not valid", _static(address="192.0.2.300/24")),
    ("address-bad-prefix", "network.address: '192.0.2.10/33' is not valid", _static(address="192.0.2.10/33")),
    ("address-int", "network.address: must be an address with prefix", _static(address=10)),
    ("gateway-bad-octet", "network.gateway: '192.0.2.256' is not valid", _static(gateway="192.0.2.256")),
    ("gateway-with-prefix", "network.gateway: '192.0.2.1/24' is not valid", _static(gateway="192.0.2.1/24")),
    ("gateway-name", "network.gateway: 'router' is not valid", _static(gateway="router")),
    ("dns-not-list", "network.dns: must be a list of IP addresses", _static(dns="192.0.2.53")),
    ("dns-name", "network.dns.0: 'dns.example' is not an IP address", _static(dns=["dns.example"])),
    ("dns-second-bad", "network.dns.1: '1.1.1' is not an IP address", _static(dns=["192.0.2.53", "1.1.1"])),
    ("dns-int", "network.dns.0: 53 is not of type 'string'", _static(dns=[53])),
    ("network-not-mapping", "network: 'dhcp' is not of type 'object'", _set("network", "dhcp")),
    ("boot-not-mapping", "boot: 'quiet' is not of type 'object'", _set("boot", "quiet")),
    ("boot-xen-args-list", "boot.xen-extra-args: must be a string", _set("boot.xen-extra-args", ["a"])),
    ("boot-dom0-args-int", "boot.dom0-extra-args: must be a string", _set("boot.dom0-extra-args", 1)),
    ("atexit-halt", "atexit: must be reboot, poweroff or shell", _set("atexit", "halt")),
    ("atexit-bool", "atexit: must be reboot, poweroff or shell", _set("atexit", True)),
    ("atexit-upper", "atexit: must be reboot, poweroff or shell", _set("atexit", "REBOOT")),
    ("atexit-list", "atexit: must be reboot, poweroff or shell", _set("atexit", ["reboot"])),
    ("top-level-list", "(top level): must be a mapping", "- version: 1\n- disk: {primary: /dev/vda}\n"),
    ("top-level-scalar", "(top level): must be a mapping", "just some text\n"),
    ("empty-file", "(top level): must be a mapping", ""),
    ("malformed-unclosed-brace", "is not valid YAML", "version: 1\ndisk: {primary: /dev/vda\n"),
    ("malformed-bad-indent", "is not valid YAML", "version: 1\ndisk:\n  primary: /dev/vda\n bad: 1\n"),
    ("malformed-tab-indent", "is not valid YAML", "version: 1\ndisk:\n\tprimary: /dev/vda\n"),
    ("malformed-unclosed-quote", "is not valid YAML", "version: 1\nhostname: \"xh1\ndisk: {primary: /dev/vda}\n"),
]

# XML: the base document, one line per entry (line 1 of the file is the expect comment).
XML_BASE = [
    '<installation mode="fresh">',                                     # line 2
    '  <primary-disk guest-storage="yes">sda</primary-disk>',          # line 3
    '  <root-password type="plaintext">s3cret-Pass</root-password>',   # line 4
    '  <source type="local"/>',                                        # line 5
    '  <admin-interface name="eth0" proto="dhcp"/>',                   # line 6
    '  <hostname>xh1</hostname>',                                      # line 7
    '</installation>',                                                 # line 8
]
STATIC_XML = ['  <admin-interface name="eth0" proto="static">',            # line 6
              '    <ipaddr>192.0.2.10</ipaddr>',                            # line 7
              '    <subnet>255.255.255.0</subnet>',                         # line 8
              '    <gateway>192.0.2.1</gateway>',                           # line 9
              '  </admin-interface>']


def _line(n, text):
    """Replace base line n (file numbering) with text (str or list of lines; [] deletes it)."""
    def mutate(lines):
        lines[n - 2:n - 1] = [text] if isinstance(text, str) else text
    return mutate


def _insert(text, before=8):
    def mutate(lines):
        lines[before - 2:before - 2] = [text] if isinstance(text, str) else text
    return mutate


def _static_xml(*edits):
    def mutate(lines):
        block = list(STATIC_XML)
        for edit in edits:
            edit(block)
        lines[4:5] = block
    return mutate


def _sub(i, text):                       # edit line i (0-based) of the static block; None deletes it
    def edit(block):
        if text is None:
            del block[i]
        else:
            block[i] = text
    return edit


XML_CASES = [
    ("mode-upgrade", 'installation@mode (line 2): <installation mode="upgrade"> is not supported yet',
     _line(2, '<installation mode="upgrade">')),
    ("mode-reinstall", '<installation mode="reinstall"> is not supported yet', _line(2, '<installation mode="reinstall">')),
    ("mode-bogus", "installation@mode (line 2): must be fresh", _line(2, '<installation mode="clean">')),
    ("root-restore", "<restore> is not supported yet",
     lambda lines: lines.__setitem__(slice(None), ['<restore>', '  <backup-disk>sda</backup-disk>', '</restore>'])),
    ("root-unknown", "unknown root element", lambda lines: lines.__setitem__(slice(None), ['<answers/>'])),
    ("srtype-ext", 'srtype="ext" is not supported yet', _line(2, '<installation mode="fresh" srtype="ext">')),
    ("root-unknown-attribute", "installation@color (line 2): unknown attribute",
     _line(2, '<installation mode="fresh" color="blue">')),
    ("missing-primary-disk", "installation/primary-disk: is required", _line(3, [])),
    ("primary-disk-empty", "installation/primary-disk (line 3): must be a block device path",
     _line(3, '  <primary-disk></primary-disk>')),
    ("primary-disk-not-dev", "installation/primary-disk (line 3): must be a block device path",
     _line(3, '  <primary-disk>/mnt/sda</primary-disk>')),
    ("primary-disk-space", "installation/primary-disk (line 3): must be a block device path",
     _line(3, '  <primary-disk>sd a</primary-disk>')),
    ("guest-storage-no", 'installation/primary-disk@guest-storage (line 3): guest-storage="no" is not supported yet',
     _line(3, '  <primary-disk guest-storage="no">sda</primary-disk>')),
    ("guest-storage-maybe", "installation/primary-disk@guest-storage (line 3): must be yes or no",
     _line(3, '  <primary-disk guest-storage="maybe">sda</primary-disk>')),
    ("primary-disk-twice", "installation/primary-disk (line 4): given more than once",
     _insert('  <primary-disk>sdb</primary-disk>', before=4)),
    ("primary-disk-unknown-attribute", "installation/primary-disk@preserve-first-partition (line 3): unknown attribute",
     _line(3, '  <primary-disk preserve-first-partition="true">sda</primary-disk>')),
    ("primary-disk-child", "installation/primary-disk/name (line 3): unexpected child element",
     _line(3, '  <primary-disk><name>sda</name></primary-disk>')),
    ("guest-disk", "installation/guest-disk (line 8): <guest-disk> is not supported yet",
     _insert('  <guest-disk>sdb</guest-disk>')),
    ("missing-root-password", "installation/root-password: is required", _line(4, [])),
    ("root-password-ask", 'installation/root-password (line 4): "!!" (ask for the password at first boot) is not '
                          'supported yet', _line(4, '  <root-password>!!</root-password>')),
    ("root-password-type-md5", "installation/root-password@type (line 4): must be plaintext or hash",
     _line(4, '  <root-password type="md5">s3cret-Pass</root-password>')),
    ("root-password-empty", "installation/root-password (line 4): must be a non-empty string",
     _line(4, '  <root-password type="plaintext"></root-password>')),
    ("root-password-hash-bad", "installation/root-password (line 4): is not a crypt hash",
     _line(4, '  <root-password type="hash">notahash</root-password>')),
    ("root-password-hash-empty", "installation/root-password (line 4): is not a crypt hash",
     _line(4, '  <root-password type="hash"/>')),
    ("root-password-twice", "installation/root-password (line 5): given more than once",
     _insert('  <root-password>other</root-password>', before=5)),
    ("source-nfs", 'installation/source@type (line 5): <source type="nfs"> is not supported yet; fix: install from '
                   'the local media', _line(5, '  <source type="nfs">server:/export/xcp</source>')),
    ("source-url", '<source type="url"> is not supported yet', _line(5, '  <source type="url">http://x/</source>')),
    ("source-no-type", "installation/source@type (line 5): must be local", _line(5, '  <source/>')),
    ("source-ftp", "installation/source@type (line 5): must be local", _line(5, '  <source type="ftp"/>')),
    ("proto-none", 'installation/admin-interface@proto (line 6): proto="none" is not supported yet',
     _line(6, '  <admin-interface name="eth0" proto="none"/>')),
    ("proto-bootp", "installation/admin-interface@proto (line 6): must be dhcp or static",
     _line(6, '  <admin-interface name="eth0" proto="bootp"/>')),
    ("proto-missing", "installation/admin-interface@proto (line 6): is required",
     _line(6, '  <admin-interface name="eth0"/>')),
    ("interface-name-and-hwaddr", "installation/admin-interface@hwaddr (line 6): give name= or hwaddr=, not both",
     _line(6, '  <admin-interface name="eth0" hwaddr="52:54:00:12:34:56" proto="dhcp"/>')),
    ("interface-neither", "installation/admin-interface@name|hwaddr (line 6): is required",
     _line(6, '  <admin-interface proto="dhcp"/>')),
    ("interface-bad-name", "installation/admin-interface@name (line 6): must be auto, a kernel interface name",
     _line(6, '  <admin-interface name="eth 0!" proto="dhcp"/>')),
    ("interface-bad-hwaddr", "installation/admin-interface@hwaddr (line 6): must be auto, a kernel interface name",
     _line(6, '  <admin-interface hwaddr="52:54:00:12:34:5g:00" proto="dhcp"/>')),
    ("interface-vlan", "installation/admin-interface@vlan (line 6): a VLAN on the management interface is not "
                       "supported yet", _line(6, '  <admin-interface name="eth0" proto="dhcp" vlan="42"/>')),
    ("interface-protov6", "installation/admin-interface@protov6 (line 6): IPv6",
     _line(6, '  <admin-interface name="eth0" proto="dhcp" protov6="dhcp"/>')),
    ("interface-unknown-attribute", "installation/admin-interface@mtu (line 6): unknown attribute",
     _line(6, '  <admin-interface name="eth0" proto="dhcp" mtu="9000"/>')),
    ("interface-twice", "installation/admin-interface (line 7): given more than once",
     _insert('  <admin-interface name="eth1" proto="dhcp"/>', before=7)),
    ("static-without-ipaddr-subnet", "installation/admin-interface/ipaddr: is required",
     _static_xml(_sub(2, None), _sub(1, None))),
    ("static-without-gateway", "installation/admin-interface/gateway: is required", _static_xml(_sub(3, None))),
    ("static-ipaddr-without-subnet", "installation/admin-interface/subnet (line 7): is required with <ipaddr>",
     _static_xml(_sub(2, None))),
    ("static-subnet-without-ipaddr", "installation/admin-interface/ipaddr (line 7): is required with <subnet>",
     _static_xml(_sub(1, None))),
    ("static-bad-ipaddr", "installation/admin-interface/ipaddr (line 7) and installation/admin-interface/subnet "
                          "(line 8): '192.0.2.300/24' is not valid",
     _static_xml(_sub(1, '    <ipaddr>192.0.2.300</ipaddr>'))),
    ("static-bad-netmask", "'192.0.2.10/255.0.255.0' is not valid",
     _static_xml(_sub(2, '    <subnet>255.0.255.0</subnet>'))),
    ("static-empty-ipaddr", "is not valid", _static_xml(_sub(1, '    <ipaddr></ipaddr>'))),
    ("static-bad-gateway", "installation/admin-interface/gateway (line 9): '192.0.2.999' is not valid",
     _static_xml(_sub(3, '    <gateway>192.0.2.999</gateway>'))),
    ("static-ipv6-child", "installation/admin-interface/ipv6 (line 10): IPv6",
     _static_xml(lambda b: b.insert(4, '    <ipv6>2001:db8::10/64</ipv6>'))),
    ("static-unknown-child", "installation/admin-interface/mtu (line 10): unknown element",
     _static_xml(lambda b: b.insert(4, '    <mtu>9000</mtu>'))),
    ("static-ipaddr-twice", "installation/admin-interface/ipaddr (line 8): given more than once",
     _static_xml(lambda b: b.insert(2, '    <ipaddr>192.0.2.11</ipaddr>'))),
    ("name-server-name", "installation/name-server[1] (line 8): 'ns.example' is not an IP address",
     _insert('  <name-server>ns.example</name-server>')),
    ("name-server-second-bad", "installation/name-server[2] (line 9): '192.0.2' is not an IP address",
     _insert(['  <name-server>192.0.2.53</name-server>', '  <name-server>192.0.2</name-server>'])),
    ("hostname-leading-dash", "installation/hostname (line 7): must be a host name",
     _line(7, '  <hostname>-bad-</hostname>')),
    ("hostname-underscore", "installation/hostname (line 7): must be a host name",
     _line(7, '  <hostname>xh_1</hostname>')),
    ("hostname-empty", "installation/hostname (line 7): must be a host name", _line(7, '  <hostname/>')),
    ("hostname-twice", "installation/hostname (line 8): given more than once", _insert('  <hostname>xh2</hostname>')),
    ("hostname-attribute", "installation/hostname@fqdn (line 7): unknown attribute",
     _line(7, '  <hostname fqdn="yes">xh1</hostname>')),
    ("keymap", "installation/keymap (line 8): <keymap> is not supported yet", _insert('  <keymap>us</keymap>')),
    ("timezone", "installation/timezone (line 8): <timezone> is not supported yet",
     _insert('  <timezone>Europe/London</timezone>')),
    ("ntp", "installation/ntp (line 8): <ntp> is not supported yet", _insert('  <ntp source="dhcp"/>')),
    ("ntp-server", "installation/ntp-server (line 8): <ntp-server> is not supported yet",
     _insert('  <ntp-server>pool.ntp.org</ntp-server>')),
    ("script", "installation/script (line 8): <script> is not supported yet",
     _insert('  <script stage="filesystem-populated" type="url">http://192.0.2.1/post.sh</script>')),
    ("network-backend-openvswitch", "<network-backend>openvswitch</network-backend> is not supported yet",
     _insert('  <network-backend>openvswitch</network-backend>')),
    ("network-backend-vswitch", "<network-backend>vswitch</network-backend> is not supported yet",
     _insert('  <network-backend>vswitch</network-backend>')),
    ("network-backend-bogus", "installation/network-backend (line 8): must be bridge",
     _insert('  <network-backend>macvlan</network-backend>')),
    ("existing-installation", "installation/existing-installation (line 8): <existing-installation> is not supported",
     _insert('  <existing-installation>sda</existing-installation>')),
    ("unknown-element", "installation/frobnicate (line 8): unknown element", _insert('  <frobnicate/>')),
    ("malformed-unclosed", "is not well-formed XML", lambda lines: lines.pop()),
    ("malformed-mismatched", "is not well-formed XML (line 7", _line(7, '  <hostname>xh1</host>')),
    ("malformed-undefined-entity", "is not well-formed XML (line 7", _line(7, '  <hostname>&xh;</hostname>')),
    ("malformed-two-roots", "is not well-formed XML", _insert('<installation/>', before=9)),
    ("malformed-attribute-quote", "is not well-formed XML (line 6",
     _line(6, '  <admin-interface name=eth0 proto="dhcp"/>')),
    ("malformed-declaration-not-first", "is not well-formed XML (line 2",
     lambda lines: lines.insert(0, '<?xml version="1.0"?>')),
    ("doctype-internal-entity", "a DOCTYPE declaration is not accepted",
     lambda lines: lines.insert(0, '<!DOCTYPE installation [<!ENTITY disk "sda">]>')),
    ("doctype-external-entity", "a DOCTYPE declaration is not accepted",
     lambda lines: (lines.insert(0, '<!DOCTYPE installation [<!ENTITY pw SYSTEM "file:///etc/shadow">]>'),
                    lines.__setitem__(3, '  <root-password>&pw;</root-password>'))),
    ("doctype-billion-laughs", "a DOCTYPE declaration is not accepted",
     lambda lines: lines.insert(0, '<!DOCTYPE installation [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
                                   '&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')),
    ("doctype-plain", "a DOCTYPE declaration is not accepted",
     lambda lines: lines.insert(0, '<!DOCTYPE installation SYSTEM "http://192.0.2.1/answers.dtd">')),
]


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    for stem, expect, change in YAML_CASES:
        if isinstance(change, str):
            body = change
        else:
            data = copy.deepcopy(BASE)
            change(data)
            body = yaml.safe_dump(data, sort_keys=False, default_flow_style=False)
        with open(os.path.join(OUT, stem + ".yaml"), "w") as f:
            f.write("# expect: %s\n%s" % (expect, body))
    for stem, expect, change in XML_CASES:
        lines = list(XML_BASE)
        change(lines)
        assert "--" not in expect
        with open(os.path.join(OUT, stem + ".xml"), "w") as f:
            f.write("<!-- expect: %s -->\n%s\n" % (expect, "\n".join(lines)))
    print("%d YAML + %d XML invalid answer files in %s" % (len(YAML_CASES), len(XML_CASES), OUT))


if __name__ == "__main__":
    main()
