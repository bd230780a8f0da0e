"""What the XenServer/XCP-ng XML answer file holds, declared once: the elements and their attributes,
the deprecated spellings, what xenhost refuses, and the translation table the reference doc shows
(answerfile-reference.md). xenserver.py walks a document against these declarations.
Source: doc/answerfile.txt of xenserver/host-installer."""

# (XML, native key, note): how each element lands; rendered into answerfile-reference.md
TRANSLATION = [
    ('<installation>, <installation mode="fresh">', "mode: install", ""),
    ('<installation mode="upgrade">', "mode: upgrade", ""),
    ("<restore>", "mode: restore", "holds only <backup-disk> and <script>"),
    ('<installation mode="reinstall">', "(refused)", "xenhost has no backup-then-erase mode: use upgrade or fresh"),
    ("installation@srtype, @sr-type", "storage.type", "lvm or ext"),
    ("<primary-disk> (fresh), <existing-installation> (upgrade), <backup-disk> (restore)", "disk.primary",
     "a bare name (sda) means /dev/sda"),
    ("<guest-disks><guest-disk>, <guest-disk>", "disk.guest", ""),
    ("<keymap>", "keymap", ""),
    ('<root-password type="plaintext|hash">', "root-password.plaintext / .hash", "type defaults to plaintext"),
    ("<root-password>!!</root-password>", "root-password.ask-at-first-boot: true", ""),
    ("<admin-interface name= | hwaddr=>", "network.interface", ""),
    ("<admin-interface proto=>", "network.mode", "dhcp or static (none is refused)"),
    ("<admin-interface vlan=>", "network.vlan", ""),
    ("<ipaddr> (or <ip>) + <subnet> (or <subnet-mask>), <gateway>", "network.address (CIDR), network.gateway",
     "subnet: netmask or prefix; <ip>, <subnet-mask>: deprecated spellings"),
    ("<name-server>, <nameserver>", "network.dns", "<nameserver>: deprecated spelling"),
    ("<hostname>", "hostname", ""),
    ("<timezone>", "timezone", ""),
    ('<ntp source="manual"> + <ntp-server>', "ntp-servers", "<ntp-server> alone means manual"),
    ('<ntp source="default|dhcp">', "(no ntp-servers)", "DHCP's servers, else Debian's pool (systemd-timesyncd)"),
    ('<script stage="S" type="url">', "hooks.S", "also gets XenServer's argument ($1)"),
    ('<post-install-script type="url">', "hooks.filesystem-populated", "deprecated form of <script>"),
    ('<source type="url">URL</source>', "source.url", "the dom0 image from that http(s) directory, verified against "
                                                       "its signed SHA256SUMS before any disk is written"),
    ('<primary-disk guest-storage="no"> (or gueststorage=)', "storage.use-primary-disk: false",
     "dom0 only on the primary disk; the local SR is the guest disks, or none"),
    ('<source type="local">, <network-backend>bridge, <bootloader location="mbr">grub2, '
     '<ui-confirmation-prompt>false, <primary-disk sr-at-end="true" preserve-first-partition="false">',
     "(nothing)", "what xenhost always does"),
    ('<bootloader> other than grub2 at mbr, write-boot-entry="true"', "(refused)",
     "GRUB 2 on the boot sector and the ESP's removable path; no NVRAM entries"),
    ('<ui-confirmation-prompt>true, sr-at-end="false", preserve-first-partition="true|if-utility"', "(refused)",
     "an unattended install never asks; the SR is last; the whole disk is erased"),
    ("<driver-source>, <fcoe-interface>, <install-failed-script>", "(refused)",
     "no driver packs or FCoE; use <script stage=\"installation-complete\"> (runs after success and failure)"),
    ('<source type="nfs">, <network-backend>openvswitch', "(refused)", "the dom0 image comes from the media or "
                                                                       "http(s); the Linux bridge is the only backend"),
    ('<admin-interface proto="none" | protov6=>, <ipv6>, <gatewayv6>', "(refused)", "IPv4 management only"),
    ('<ntp source="none">, <script type="nfs">', "(refused)", "time sync stays on; serve scripts over http(s)"),
]

# installation@mode -> native mode ("reinstall" is refused: see _Translator.root)
MODES = {"fresh": "install", "upgrade": "upgrade"}
# The element that names the disk, per native mode, and how the user picks that mode.
DISK_ELEMENT = {"install": "primary-disk", "upgrade": "existing-installation", "restore": "backup-disk"}
MODE_SYNTAX = {"install": '<installation mode="fresh">', "upgrade": '<installation mode="upgrade">',
               "restore": "<restore>"}

# element -> (allowed attributes, may appear more than once)
ELEMENTS = {
    "primary-disk": ({"guest-storage", "gueststorage", "sr-at-end", "preserve-first-partition"}, False),
    "existing-installation": (set(), False),
    "backup-disk": (set(), False),
    "guest-disks": (set(), False),
    "guest-disk": (set(), True),
    "root-password": ({"type"}, False),
    "source": ({"type"}, True),             # a second url source is refused with its own message
    "admin-interface": ({"name", "hwaddr", "proto", "vlan", "protov6"}, False),
    "name-server": (set(), True),
    "hostname": (set(), False),
    "keymap": (set(), False),
    "timezone": (set(), False),
    "ntp": ({"source"}, False),
    "ntp-server": (set(), True),
    "ntp-servers": (set(), True),           # XenServer's deprecated spelling of ntp-server
    "script": ({"stage", "type"}, True),
    "post-install-script": ({"type"}, False),   # deprecated: <script stage="filesystem-populated">
    "network-backend": (set(), False),
    "bootloader": ({"location", "write-boot-entry"}, False),
    "ui-confirmation-prompt": (set(), False),
    "nameserver": (set(), True),            # deprecated spelling of name-server
}
# Elements holding elements (the rest hold only text), and what <restore> may hold.
CONTAINERS = {"admin-interface": {"ipaddr", "subnet", "gateway", "ip", "subnet-mask"}, "guest-disks": {"guest-disk"}}
# XenServer's deprecated spellings inside <admin-interface>: alias -> element
ADMIN_ALIASES = {"ip": "ipaddr", "subnet-mask": "subnet"}
TRUE, FALSE = ("yes", "true"), ("no", "false")
RESTORE_ELEMENTS = {"backup-disk", "script"}
TEXT_KEYS = {"hostname": "hostname", "keymap": "keymap", "timezone": "timezone"}
NTP_SOURCES = ("manual", "default", "dhcp", "none")

# Known XenServer elements xenhost cannot honour: element -> what to do instead.
UNSUPPORTED = {
    "driver-source": "driver supplemental packs are not supported; fix: remove it (drivers come with the dom0 kernel)",
    "fcoe-interface": "FCoE is not supported; fix: remove it and use a local or directly attached disk",
    "install-failed-script": "fix: use <script stage=\"installation-complete\" type=\"url\">URL</script> (it runs "
                             "after success and failure; $1 / XENHOST_STATUS says which)",
}
