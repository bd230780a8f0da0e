"""Kernel command line options the installer reads: answerfile=, answerfile_sha256=, atexit=,
network_device=, keymap=, image_url= (installer/DESIGN.md, "Kernel command line")."""
import re
import shlex
from dataclasses import dataclass, field

from .answers.catalog import keymaps
from .answers.source import parse_label
from .answers.declared import schema
from .errors import CmdlineError

ATEXIT_CHOICES = ("reboot", "poweroff", "shell")
ANSWERFILE_SCHEMES = ("http://", "https://", "file://")
IMAGE_URL_SCHEMES = ("http://", "https://")
SHA256 = re.compile(r"[0-9A-Fa-f]{64}")


@dataclass
class BootOptions:
    answerfile: str = None
    answerfile_sha256: str = None   # lower-case hex; the answer file's bytes must match
    atexit: str = None
    network_device: str = None      # auto (all) | kernel name | MAC: DHCP there only; the default management NIC
    keymap: str = None              # console keymap (kbd name) for the installer and the default for the host
    image_url: str = None           # the dom0 image's directory (or file) over http(s): imagesource.py
    raw: dict = field(default_factory=dict)   # every key=value, for later options (console=, root=)


def _answerfile(value):
    if value.startswith(ANSWERFILE_SCHEMES) or parse_label(value):
        return value
    raise CmdlineError('answerfile=%s: unsupported location' % (value,), 'use an http://, https:// or file:// URL, or label:LABEL:/path for a file on the filesystem with that label')


def _sha256(value):
    if SHA256.fullmatch(value):
        return value.lower()
    raise CmdlineError('answerfile_sha256=%s: not a SHA-256 checksum' % (value,), 'give the 64 hex digits that `sha256sum ANSWERFILE` prints')


def _atexit(value):
    if value in ATEXIT_CHOICES:
        return value
    raise CmdlineError('atexit=%s: unknown action' % (value,), 'use one of %s' % (", ".join(ATEXIT_CHOICES),))


def _network_device(value):
    if value == "all":              # XenServer's word for "every NIC": our auto
        return "auto"
    # the answer file's network.interface pattern: one definition of what names a NIC
    if re.match(schema()["properties"]["network"]["properties"]["interface"]["pattern"], value):
        return value
    raise CmdlineError("network_device=%s: not a NIC" % (value,),
                       "give all, a kernel name (enp0s3) or a MAC address (52:54:00:12:34:56)")


def _image_url(value):
    if value.startswith(IMAGE_URL_SCHEMES):
        return value
    raise CmdlineError("image_url=%s: not an http:// or https:// URL" % value,
                       "give the URL of the directory holding dom0.img.zst, SHA256SUMS and SHA256SUMS.sig (out/pxe/ "
                       "of ./build.py pxe)")


def _keymap(value):
    if value in keymaps():
        return value
    raise CmdlineError('keymap=%s: unknown keymap' % (value,), 'use one of %s' % (", ".join(keymaps()),))


# option -> (BootOptions field, check returning the value to keep, what it does: for the reference doc)
OPTIONS = {
    "answerfile": ("answerfile", _answerfile,
                   "Unattended install from this answer file: http://, https://, file:// or label:LABEL:/path (a "
                   "file on the filesystem labelled LABEL, mounted read-only). Without it: the screens."),
    "answerfile_sha256": ("answerfile_sha256", _sha256,
                          "The answer file's SHA-256 (`sha256sum` output): any other content stops the install "
                          "before anything is written."),
    "atexit": ("atexit", _atexit, "reboot, poweroff or shell after a successful install (overrides the file's "
                                  "atexit). After a failure the installer never reboots."),
    "network_device": ("network_device", _network_device,
                       "all (or auto), a kernel name or a MAC. A name or MAC: the installer asks DHCP on that NIC only "
                       "(each unplugged NIC would cost a DHCP timeout) and it is the management NIC when the answer "
                       "file does not name one. all/auto: DHCP on every wired NIC, the first with link managed."),
    "image_url": ("image_url", _image_url,
                  "The dom0 image over http(s): the directory holding dom0.img.zst with SHA256SUMS and "
                  "SHA256SUMS.sig (signed by the project key), or the image file. Fetched and verified before any "
                  "disk is written; the answer file's source.url wins when both are given."),
    "keymap": ("keymap", _keymap, "Console keymap (a name from the keymap list): the host's keymap when the answer "
                                  "file gives none."),
}


def parse(text):
    """Parse a kernel command line string; later duplicates win, like the kernel does for most keys."""
    try:
        words = shlex.split(text)
    except ValueError:          # an unbalanced quote must not stop the install
        words = text.split()
    raw = {}
    for word in words:
        key, sep, value = word.partition("=")
        if sep:
            raw.setdefault(key, [])
            raw[key].append(value)
    opts = BootOptions(raw=raw)
    for key, (attr, check, _help) in OPTIONS.items():
        if key in raw:
            setattr(opts, attr, check(raw[key][-1]))
    if opts.answerfile_sha256 and not opts.answerfile:
        raise CmdlineError('answerfile_sha256= is given without answerfile=', 'add answerfile=URL or remove the checksum')
    return opts


def read(path="/proc/cmdline"):
    with open(path) as f:
        return parse(f.read())
