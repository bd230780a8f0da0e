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
# a well-formed SHA-256 crypt hash: the answer file takes only SHA-512 and yescrypt (the rule)
SHA256 = "$5$rounds=5000$saltsalt$" + "a" * 43
NOT_A_HASH = "is not a SHA-512 ($6$) or yescrypt ($y$) crypt hash"

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


def _keeping(mode, **changes):
    """An upgrade / restore file (version, mode, disk) with changes (None removes a key)."""
    def mutate(d):
        d.clear()
        d.update({"version": 1, "mode": mode, "disk": {"primary": "/dev/vda"}})
        for key, value in changes.items():
            key = key.replace("_", "-")
            if value is None:
                d.pop(key)
            else:
                d[key] = value
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
    ("disk-not-mapping", "disk: must be a mapping with primary", _set("disk", "/dev/vda")),
    ("disk-unknown-key", "disk.size: unknown key", _set("disk.size", "20G")),
    ("unknown-top-key-typo", "dsik: unknown key", _set("dsik", {"primary": "/dev/vda"})),
    ("unknown-top-key-keyboard", "keyboard: unknown key; fix: remove it or use one of atexit, boot, disk, hooks, "
     "hostname, interactive-sections, keymap", _set("keyboard", "us")),
    ("unknown-top-key-time-zone", "time-zone: unknown key", _set("time-zone", "UTC")),
    ("unknown-network-key", "network.mtu: unknown key", _set("network.mtu", 9000)),
    ("unknown-boot-key", "boot.kernel-args: unknown key", _set("boot.kernel-args", "quiet")),
    ("root-password-empty-mapping", "root-password: give exactly one of", _set("root-password", {})),
    ("root-password-both", "root-password: give exactly one of",
     _set("root-password", {"plaintext": "x", "hash": SHA512})),
    ("root-password-string", "root-password: give exactly one of", _set("root-password", "s3cret")),
    ("root-password-unknown-key", "root-password: give exactly one of", _set("root-password", {"md5": "x"})),
    ("plaintext-empty", "root-password.plaintext: must be a non-empty string", _set("root-password.plaintext", "")),
    ("plaintext-int", "root-password.plaintext: must be a non-empty string", _set("root-password.plaintext", 1234)),
    ("plaintext-null", "root-password.plaintext: must be a non-empty string", _set("root-password.plaintext", None)),
    ("hash-word", "root-password.hash: " + NOT_A_HASH, _set("root-password", {"hash": "secrethash"})),
    ("hash-md5", "root-password.hash: " + NOT_A_HASH,
     _set("root-password", {"hash": "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/"})),
    ("hash-sha512-short", "root-password.hash: " + NOT_A_HASH,
     _set("root-password", {"hash": "$6$saltsalt$" + "a" * 85})),
    ("hash-sha512-bad-char", "root-password.hash: " + NOT_A_HASH,
     _set("root-password", {"hash": "$6$saltsalt$" + "a" * 85 + "!"})),
    ("hash-sha512-long-salt", "root-password.hash: " + NOT_A_HASH,
     _set("root-password", {"hash": "$6$" + "s" * 17 + "$" + "a" * 86})),
    ("hash-sha256", "root-password.hash: " + NOT_A_HASH + "; fix: make one with `openssl passwd -6`",
     _set("root-password", {"hash": SHA256})),
    ("hash-yescrypt-short", "root-password.hash: " + NOT_A_HASH,
     _set("root-password", {"hash": "$y$j9T$salt$" + "a" * 42})),
    ("hash-empty", "root-password.hash: " + NOT_A_HASH, _set("root-password", {"hash": ""})),
    ("hash-trailing-newline", "root-password.hash: " + NOT_A_HASH,
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
    ("dns-int", "network.dns.0: must be an IP address", _static(dns=[53])),
    ("network-not-mapping", "network: must be a mapping", _set("network", "dhcp")),
    ("boot-not-mapping", "boot: must be a mapping", _set("boot", "quiet")),
    ("boot-xen-args-list", "boot.xen-extra-args: must be a string", _set("boot.xen-extra-args", ["a"])),
    ("boot-dom0-args-int", "boot.dom0-extra-args: must be a string", _set("boot.dom0-extra-args", 1)),
    ("atexit-halt", "atexit: must be reboot, poweroff or shell", _set("atexit", "halt")),
    ("atexit-bool", "atexit: must be reboot, poweroff or shell", _set("atexit", True)),
    ("atexit-upper", "atexit: must be reboot, poweroff or shell", _set("atexit", "REBOOT")),
    ("atexit-list", "atexit: must be reboot, poweroff or shell", _set("atexit", ["reboot"])),
    # mode, and what upgrade / restore refuse (they keep the host's own settings)
    ("mode-fresh", "mode: must be install, upgrade or restore", _set("mode", "fresh")),
    ("mode-upper", "mode: must be install, upgrade or restore", _set("mode", "Upgrade")),
    ("upgrade-with-guest-disks", "disk.guest: upgrade and restore never write guest disks",
     _keeping("upgrade", disk={"primary": "/dev/vda", "guest": ["/dev/vdb"]})),
    ("upgrade-with-storage", "storage: is not used by upgrade or restore", _keeping("upgrade", storage={"type": "lvm"})),
    ("upgrade-with-root-password", "root-password: is not used by upgrade or restore",
     _keeping("upgrade", **{"root-password": {"hash": SHA512}})),
    ("upgrade-with-timezone", "timezone: is not used by upgrade or restore", _keeping("upgrade", timezone="UTC")),
    ("upgrade-with-ntp", "ntp-servers: is not used by upgrade or restore",
     _keeping("upgrade", **{"ntp-servers": ["0.pool.ntp.org"]})),
    ("upgrade-first-boot-hook", "hooks.first-boot: never runs after upgrade or restore",
     _keeping("upgrade", hooks={"first-boot": ["http://192.0.2.1/fb.sh"]})),
    ("upgrade-asks-network", "interactive-sections.0: upgrade and restore ask only for keymap and disk",
     _keeping("upgrade", **{"interactive-sections": ["network"]})),
    ("upgrade-without-disk", "disk: is required; fix: add disk: {primary: /dev/...}", _keeping("upgrade", disk=None)),
    ("restore-with-hostname", "hostname: is not used by upgrade or restore", _keeping("restore", hostname="xh2")),
    ("restore-with-network", "network: is not used by upgrade or restore", _keeping("restore", network={"mode": "dhcp"})),
    # keymap
    ("keymap-unknown", "keymap: 'xx' is not a keymap the installer knows", _set("keymap", "xx")),
    ("keymap-near-miss", "keymap: 'de-latin' is not a keymap the installer knows; fix: did you mean de-latin1",
     _set("keymap", "de-latin")),
    ("keymap-upper", "keymap: 'US' is not a keymap the installer knows", _set("keymap", "US")),
    ("keymap-int", "keymap: must be a keymap name", _set("keymap", 1)),
    ("keymap-space", "keymap: must be a keymap name", _set("keymap", "de latin1")),
    # guest disks
    ("guest-is-primary", "disk.guest.0: /dev/vda is the primary disk", _set("disk.guest", ["/dev/vda"])),
    ("guest-twice", "disk.guest.1: /dev/vdb is listed twice", _set("disk.guest", ["/dev/vdb", "/dev/vdb"])),
    ("guest-not-list", "disk.guest: must be a list of block device paths", _set("disk.guest", "/dev/vdb")),
    ("guest-bare-name", "disk.guest.0: must be a block device path", _set("disk.guest", ["vdb"])),
    ("guest-int", "disk.guest.1: must be a block device path", _set("disk.guest", ["/dev/vdb", 2])),
    # storage
    ("storage-type-zfs", "storage.type: must be lvm or ext", _set("storage", {"type": "zfs"})),
    ("storage-type-upper", "storage.type: must be lvm or ext", _set("storage", {"type": "LVM"})),
    ("storage-not-mapping", "storage: must be a mapping", _set("storage", "lvm")),
    ("storage-unknown-key", "storage.size: unknown key", _set("storage", {"type": "lvm", "size": "100G"})),
    # root password asked at first boot
    ("ask-false", "root-password.ask-at-first-boot: must be true", _set("root-password", {"ask-at-first-boot": False})),
    ("ask-string", "root-password.ask-at-first-boot: must be true", _set("root-password", {"ask-at-first-boot": "yes"})),
    ("ask-and-hash", "root-password: give exactly one of",
     _set("root-password", {"ask-at-first-boot": True, "hash": SHA512})),
    # VLAN and static IPv4
    ("vlan-zero", "network.vlan: must be a VLAN id from 1 to 4094", _set("network.vlan", 0)),
    ("vlan-4095", "network.vlan: must be a VLAN id from 1 to 4094", _set("network.vlan", 4095)),
    ("vlan-string", "network.vlan: must be a VLAN id from 1 to 4094", _set("network.vlan", "42")),
    ("vlan-bool", "network.vlan: must be a VLAN id from 1 to 4094", _set("network.vlan", True)),
    ("vlan-float", "network.vlan: must be a VLAN id from 1 to 4094", _set("network.vlan", 4.5)),
    ("address-ipv6", "network.address: '2001:db8::10/64' is IPv6",
     _static(address="2001:db8::10/64", gateway="2001:db8::1")),
    ("address-network", "network.address: '192.0.2.0/24' is the network or broadcast address",
     _static(address="192.0.2.0/24")),
    ("address-broadcast", "network.address: '192.0.2.255/24' is the network or broadcast address",
     _static(address="192.0.2.255/24")),
    ("gateway-outside-subnet", "network.gateway: 198.51.100.1 is outside the subnet 192.0.2.0/24",
     _static(gateway="198.51.100.1")),
    ("gateway-outside-prefix", "network.gateway: 192.0.2.200 is outside the subnet 192.0.2.0/25",
     _static(address="192.0.2.10/25", gateway="192.0.2.200")),
    ("gateway-is-address", "network.gateway: 192.0.2.10 is the host's own address", _static(gateway="192.0.2.10")),
    ("gateway-ipv6", "network.gateway: '2001:db8::1' is IPv6", _static(gateway="2001:db8::1")),
    ("dhcp-with-address", "network.address: is only used with mode: static", _set("network.address", "192.0.2.10/24")),
    ("dhcp-with-gateway", "network.gateway: is only used with mode: static", _set("network.gateway", "192.0.2.1")),
    # time zone
    ("timezone-unknown", "timezone: 'Mars/Olympus_Mons' is not a time zone", _set("timezone", "Mars/Olympus_Mons")),
    ("timezone-lowercase", "timezone: 'europe/berlin' is not a time zone in the tz database; fix: did you mean "
                           "Europe/Berlin", _set("timezone", "europe/berlin")),
    ("timezone-city-only", "fix: did you mean Europe/Paris", _set("timezone", "Paris")),
    ("timezone-int", "timezone: must be a time zone name", _set("timezone", 1)),
    ("timezone-space", "timezone: must be a time zone name", _set("timezone", "America/New York")),
    ("timezone-path", "timezone: must be a time zone name", _set("timezone", "../../etc/passwd")),
    # NTP
    ("ntp-not-list", "ntp-servers: must be a list", _set("ntp-servers", "0.pool.ntp.org")),
    ("ntp-bad-name", "ntp-servers.0: 'ntp..example' is not a host name or IP address", _set("ntp-servers", ["ntp..example"])),
    ("ntp-bad-ip", "ntp-servers.1: '192.0.2.999' is not a host name or IP address",
     _set("ntp-servers", ["0.pool.ntp.org", "192.0.2.999"])),
    ("ntp-url", "ntp-servers.0: 'ntp://time.example' is not a host name", _set("ntp-servers", ["ntp://time.example"])),
    ("ntp-duplicate", "ntp-servers: must be a list of distinct", _set("ntp-servers", ["0.pool.ntp.org"] * 2)),
    ("ntp-int", "ntp-servers.0: must be a host name or IP address", _set("ntp-servers", [123])),
    ("disk-escapes-dev", "disk.primary: must be a block device path under /dev", _set("disk", {"primary": "/dev/../etc/passwd"})),
    ("use-primary-disk-string", "storage.use-primary-disk: must be true or false",
     _set("storage", {"type": "lvm", "use-primary-disk": "no"})),
    # source (the dom0 image over the network)
    ("source-ftp", "source.url: must be an http:// or https:// URL", _set("source", {"url": "ftp://192.0.2.1/x/"})),
    ("source-not-mapping", "source: must be a mapping such as {url: http://", _set("source", "http://192.0.2.1/x/")),
    ("source-no-url", "source.url: is required; fix: add url: http://SERVER/xenhost/", _set("source", {})),
    ("source-unknown-key", "source.sha256: unknown key", _set("source", {"url": "http://192.0.2.1/x/", "sha256": "0"})),
    # hooks
    ("hooks-unknown-stage", "hooks.post-install: unknown key; fix: remove it or use one of filesystem-populated, first-boot",
     _set("hooks", {"post-install": ["http://192.0.2.1/a.sh"]})),
    ("hooks-ftp", "hooks.installation-start.0: must be an http://, https:// or file:// URL or an absolute path",
     _set("hooks", {"installation-start": ["ftp://192.0.2.1/a.sh"]})),
    ("hooks-nfs", "hooks.filesystem-populated.0: must be an http://",
     _set("hooks", {"filesystem-populated": ["nfs://server/export/a.sh"]})),
    ("hooks-relative", "hooks.first-boot.0: must be an http://", _set("hooks", {"first-boot": ["scripts/a.sh"]})),
    ("hooks-no-host", "hooks.installation-complete.0: must be an http://",
     _set("hooks", {"installation-complete": ["http:///a.sh"]})),
    ("hooks-not-list", "hooks.filesystem-populated: must be a list of script locations",
     _set("hooks", {"filesystem-populated": "http://192.0.2.1/a.sh"})),
    ("hooks-not-mapping", "hooks: must be a mapping of stage", _set("hooks", ["http://192.0.2.1/a.sh"])),
    ("hooks-int", "hooks.installation-start.0: must be an http://", _set("hooks", {"installation-start": [1]})),
    # interactive sections
    ("interactive-unknown", "interactive-sections.0: must be one of keymap, disk",
     _set("interactive-sections", ["disks"])),
    ("interactive-duplicate", "interactive-sections: must be a list of distinct",
     _set("interactive-sections", ["network", "network"])),
    ("interactive-not-list", "interactive-sections: must be a list", _set("interactive-sections", "network")),
    ("interactive-other-than-password", "root-password: is required; fix: add {plaintext: ...}",
     lambda d: (d.pop("root-password"), d.__setitem__("interactive-sections", ["network"]))),
    ("interactive-other-than-disk", "disk: is required; fix: add disk: {primary: /dev/...}, or list disk in "
                                    "interactive-sections",
     lambda d: (d.pop("disk"), d.__setitem__("interactive-sections", ["keymap"]))),
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


def _whole(lines_):
    def mutate(lines):
        lines[:] = lines_
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
    ("upgrade-with-primary-disk", 'installation/primary-disk (line 3): is only used with <installation mode="fresh">; '
                                  'fix: name the disk with <existing-installation>',
     _line(2, '<installation mode="upgrade">')),
    ("mode-reinstall", 'installation@mode (line 2): mode="reinstall" (back up, then install anew without keeping '
                       'settings) is not available', _line(2, '<installation mode="reinstall">')),
    ("mode-bogus", "installation@mode (line 2): must be fresh or upgrade", _line(2, '<installation mode="clean">')),
    ("upgrade-with-hostname", "installation/hostname (line 4): is not used by upgrade or restore",
     _whole(['<installation mode="upgrade">', '  <existing-installation>sda</existing-installation>',
             '  <hostname>xh1</hostname>', '</installation>'])),
    ("upgrade-with-guest-disk", "installation/guest-disk[1] (line 4): upgrade and restore never write guest disks",
     _whole(['<installation mode="upgrade">', '  <existing-installation>sda</existing-installation>',
             '  <guest-disk>sdb</guest-disk>', '</installation>'])),
    ("upgrade-without-existing-installation", "installation/existing-installation: is required; fix: add "
                                              "<existing-installation>sda</existing-installation>",
     _whole(['<installation mode="upgrade">', '  <source type="local"/>', '</installation>'])),
    ("backup-disk-in-upgrade", "installation/backup-disk (line 3): is only used with <restore>",
     _whole(['<installation mode="upgrade">', '  <backup-disk>sda</backup-disk>', '</installation>'])),
    ("restore-with-hostname", "restore/hostname (line 4): is not used by <restore>",
     _whole(['<restore>', '  <backup-disk>sda</backup-disk>', '  <hostname>xh1</hostname>', '</restore>'])),
    ("restore-with-primary-disk", "restore/primary-disk (line 3): is not used by <restore>",
     _whole(['<restore>', '  <primary-disk>sda</primary-disk>', '</restore>'])),
    ("restore-without-backup-disk", "restore/backup-disk: is required; fix: add <backup-disk>sda</backup-disk>",
     _whole(['<restore/>'])),
    ("restore-attribute", "restore@mode (line 2): unknown attribute",
     _whole(['<restore mode="fresh">', '  <backup-disk>sda</backup-disk>', '</restore>'])),
    ("root-unknown", "unknown root element", lambda lines: lines.__setitem__(slice(None), ['<answers/>'])),
    ("srtype-nfs", "installation@srtype (line 2): must be lvm or ext", _line(2, '<installation mode="fresh" srtype="nfs">')),
    ("sr-type-upper", "installation@sr-type (line 2): must be lvm or ext",
     _line(2, '<installation mode="fresh" sr-type="EXT">')),
    ("root-unknown-attribute", "installation@color (line 2): unknown attribute",
     _line(2, '<installation mode="fresh" color="blue">')),
    ("missing-primary-disk", "installation/primary-disk: is required", _line(3, [])),
    ("primary-disk-empty", "installation/primary-disk (line 3): must be a block device path",
     _line(3, '  <primary-disk></primary-disk>')),
    ("primary-disk-not-dev", "installation/primary-disk (line 3): must be a block device path",
     _line(3, '  <primary-disk>/mnt/sda</primary-disk>')),
    ("primary-disk-space", "installation/primary-disk (line 3): must be a block device path",
     _line(3, '  <primary-disk>sd a</primary-disk>')),
    ("sr-at-end-false", 'installation/primary-disk@sr-at-end (line 3): sr-at-end="false" is not supported',
     _line(3, '  <primary-disk sr-at-end="false">sda</primary-disk>')),
    ("preserve-first-partition", 'installation/primary-disk@preserve-first-partition (line 3): '
                                 'preserve-first-partition="if-utility" is not supported',
     _line(3, '  <primary-disk preserve-first-partition="if-utility">sda</primary-disk>')),
    ("primary-disk-escapes-dev", "installation/primary-disk (line 3): must be a block device path under /dev",
     _line(3, '  <primary-disk>../etc/passwd</primary-disk>')),
    ("guest-storage-maybe", "installation/primary-disk@guest-storage (line 3): must be yes or no",
     _line(3, '  <primary-disk guest-storage="maybe">sda</primary-disk>')),
    ("primary-disk-twice", "installation/primary-disk (line 4): given more than once",
     _insert('  <primary-disk>sdb</primary-disk>', before=4)),
    ("primary-disk-unknown-attribute", "installation/primary-disk@sr-at-start (line 3): unknown attribute",
     _line(3, '  <primary-disk sr-at-start="true">sda</primary-disk>')),
    ("primary-disk-child", "installation/primary-disk/name (line 3): unexpected child element",
     _line(3, '  <primary-disk><name>sda</name></primary-disk>')),
    ("guest-disk-is-primary", "installation/guest-disk[1] (line 8): /dev/sda is the primary disk",
     _insert('  <guest-disk>sda</guest-disk>')),
    ("guest-disks-twice", "installation/guest-disks/guest-disk[2] (line 10): /dev/sdb is listed twice",
     _insert(['  <guest-disks>', '    <guest-disk>sdb</guest-disk>', '    <guest-disk>sdb</guest-disk>',
              '  </guest-disks>'])),
    ("guest-disks-unknown-child", "installation/guest-disks/disk (line 8): unknown element; fix: <guest-disks> holds "
                                  "only <guest-disk> elements", _insert('  <guest-disks><disk>sdb</disk></guest-disks>')),
    ("guest-disk-bad-path", "installation/guest-disk[1] (line 8): must be a block device path",
     _insert('  <guest-disk>sd b</guest-disk>')),
    ("missing-root-password", "installation/root-password: is required", _line(4, [])),
    ("root-password-type-md5", "installation/root-password@type (line 4): must be plaintext or hash",
     _line(4, '  <root-password type="md5">s3cret-Pass</root-password>')),
    ("root-password-empty", "installation/root-password (line 4): must be a non-empty string",
     _line(4, '  <root-password type="plaintext"></root-password>')),
    ("root-password-hash-bad", "installation/root-password (line 4): " + NOT_A_HASH,
     _line(4, '  <root-password type="hash">notahash</root-password>')),
    ("root-password-hash-empty", "installation/root-password (line 4): " + NOT_A_HASH,
     _line(4, '  <root-password type="hash"/>')),
    ("root-password-hash-sha256", "installation/root-password (line 4): " + NOT_A_HASH,
     _line(4, '  <root-password type="hash">%s</root-password>' % SHA256)),
    ("root-password-twice", "installation/root-password (line 5): given more than once",
     _insert('  <root-password>other</root-password>', before=5)),
    ("source-nfs", 'installation/source@type (line 5): <source type="nfs"> is not supported: the dom0 image comes '
                   'from the installer', _line(5, '  <source type="nfs">server:/export/xcp</source>')),
    ("source-url-ftp", "installation/source (line 5): must be an http:// or https:// URL",
     _line(5, '  <source type="url">ftp://x/</source>')),
    ("source-url-twice", 'a second <source type="url"> (supplemental packs) is not supported',
     _line(5, '  <source type="url">http://x/</source><source type="url">http://y/</source>')),
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
    ("vlan-4095", "installation/admin-interface@vlan (line 6): must be a VLAN id from 1 to 4094",
     _line(6, '  <admin-interface name="eth0" proto="dhcp" vlan="4095"/>')),
    ("vlan-word", "installation/admin-interface@vlan (line 6): must be a VLAN id from 1 to 4094",
     _line(6, '  <admin-interface name="eth0" proto="dhcp" vlan="ten"/>')),
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
    ("keymap-unknown", "installation/keymap (line 8): 'xx' is not a keymap the installer knows",
     _insert('  <keymap>xx</keymap>')),
    ("keymap-twice", "installation/keymap (line 9): given more than once",
     _insert(['  <keymap>us</keymap>', '  <keymap>de</keymap>'])),
    ("timezone-unknown", "installation/timezone (line 8): 'Mars/Olympus_Mons' is not a time zone",
     _insert('  <timezone>Mars/Olympus_Mons</timezone>')),
    ("timezone-lowercase", "installation/timezone (line 8): 'europe/london' is not a time zone in the tz database; "
                           "fix: did you mean Europe/London", _insert('  <timezone>europe/london</timezone>')),
    ("ntp-none", 'installation/ntp@source (line 8): turning time synchronisation off is not supported',
     _insert('  <ntp source="none"/>')),
    ("ntp-source-bogus", "installation/ntp@source (line 8): must be manual, default, dhcp or none",
     _insert('  <ntp source="ptp"/>')),
    ("ntp-manual-without-server", 'installation/ntp@source (line 8): source="manual" needs at least one <ntp-server>',
     _insert('  <ntp source="manual"/>')),
    ("ntp-server-with-dhcp", 'installation/ntp-server[1] (line 9): is only used with <ntp source="manual">',
     _insert(['  <ntp source="dhcp"/>', '  <ntp-server>0.pool.ntp.org</ntp-server>'])),
    ("ntp-server-bad", "installation/ntp-server[1] (line 8): 'ntp..example' is not a host name or IP address",
     _insert('  <ntp-server>ntp..example</ntp-server>')),
    ("script-stage-bogus", "installation/script[1]@stage (line 8): must be one of installation-start",
     _insert('  <script stage="post" type="url">http://192.0.2.1/post.sh</script>')),
    ("script-no-stage", "installation/script[2]@stage (line 9): must be one of",
     _insert(['  <script stage="installation-start" type="url">http://192.0.2.1/a.sh</script>',
              '  <script type="url">http://192.0.2.1/b.sh</script>'])),
    ("script-nfs", 'installation/script[1]@type (line 8): type="nfs" is not supported',
     _insert('  <script stage="filesystem-populated" type="nfs">server:/export/post.sh</script>')),
    ("script-ftp", "installation/script[1] (line 8): must be an http://, https:// or file:// URL",
     _insert('  <script stage="filesystem-populated" type="url">ftp://192.0.2.1/post.sh</script>')),
    ("post-install-script-nfs", 'installation/post-install-script@type (line 8): type="nfs" is not supported',
     _insert('  <post-install-script type="nfs">server:/p.sh</post-install-script>')),
    ("driver-source", "installation/driver-source (line 8): <driver-source> is not supported",
     _insert('  <driver-source type="url">http://192.0.2.1/drivers/</driver-source>')),
    ("ui-confirmation-prompt", "installation/ui-confirmation-prompt (line 8): an unattended install never stops to ask",
     _insert('  <ui-confirmation-prompt>true</ui-confirmation-prompt>')),
    ("bootloader-extlinux", "installation/bootloader (line 8): <bootloader>extlinux</bootloader> is not supported",
     _insert('  <bootloader location="mbr">extlinux</bootloader>')),
    ("bootloader-partition", 'installation/bootloader@location (line 8): location="partition" is not supported',
     _insert('  <bootloader location="partition">grub2</bootloader>')),
    ("bootloader-nvram", 'installation/bootloader@write-boot-entry (line 8): write-boot-entry="true" is not supported',
     _insert('  <bootloader location="mbr" write-boot-entry="true">grub2</bootloader>')),
    ("network-backend-openvswitch", "<network-backend>openvswitch</network-backend> is not supported",
     _insert('  <network-backend>openvswitch</network-backend>')),
    ("network-backend-vswitch", "<network-backend>vswitch</network-backend> is not supported",
     _insert('  <network-backend>vswitch</network-backend>')),
    ("network-backend-bogus", "installation/network-backend (line 8): must be bridge",
     _insert('  <network-backend>macvlan</network-backend>')),
    ("existing-installation-in-fresh", 'installation/existing-installation (line 8): is only used with <installation '
                                       'mode="upgrade">',
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
