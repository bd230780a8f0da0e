"""The dom0 image from the network: fetched over HTTP(S), verified, before any disk is written.

A URL names either a directory (`http://server/xenhost/`, XenServer's <source type="url"> form)
holding dom0.img.zst, or the image file itself; beside it the build's SHA256SUMS and its detached
signature SHA256SUMS.sig (`./build.py pxe` writes both, signed with the project key). Order:

  1. SHA256SUMS and SHA256SUMS.sig are fetched; gpgv checks the signature against the project's
     public key, which the installer carries (KEYRING). Unsigned or signed by another key: refused.
  2. the image is streamed to RAM (IMAGE_DIR), hashed on the way, with progress on the console and
     bounded retries with backoff when the connection fails; its SHA-256 must be the signed one.
  3. the verified image gets a .sha256 beside it, so preflight checks it like the medium's image.

Any refusal raises ImageSourceError, and the install stops before preflight (nothing written).
"""
import hashlib
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from xenhost_common.dom0image import NAME as DOM0_IMAGE_NAME
from xenhost_common.runner import Runner

from .answers.redact import redact_location
from .answers.source import http_request
from . import imagedigest
from .errors import InstallerError
from .retry import Backoff, Transient, with_retries

log = logging.getLogger(__name__)

KEYRING = "/usr/share/xenhost/keys/xenhost-archive-keyring.gpg"
IMAGE_DIR = "/run/xenhost-installer/image"
IMAGE_NAME = DOM0_IMAGE_NAME
SUMS, SIGNATURE = "SHA256SUMS", "SHA256SUMS.sig"
CHUNK = 1 << 20
PROGRESS_STEP = 10              # percent between progress lines
URL_SCHEMES = ("http://", "https://")
IMAGE_SUFFIXES = (".zst", ".tar", ".gz", ".xz")   # a URL ending so names the image file, not its folder


class ImageSourceError(InstallerError):
    """The network image cannot be fetched or is not the one the project signed."""


@dataclass(frozen=True)
class ImageLocation:
    base: str                   # ends in "/": where SHA256SUMS and its signature are
    name: str                   # the image's file name in SHA256SUMS

    @property
    def url(self):
        return self.base + self.name


def locate(url):
    """http://h/x/ or http://h/x -> that directory with dom0.img.zst; http://h/x/img.zst -> that file."""
    if not url.startswith(URL_SCHEMES):
        raise ImageSourceError("image source %s is not an http:// or https:// URL" % redact_location(url),
                               "give the URL of the directory holding %s and %s (./build.py pxe writes out/pxe/)"
                               % (IMAGE_NAME, SUMS))
    parts = urllib.parse.urlsplit(url)
    path = parts.path or "/"
    if path.endswith(IMAGE_SUFFIXES):
        directory, name = path.rsplit("/", 1)
        return ImageLocation(urllib.parse.urlunsplit(parts._replace(path=directory + "/")), name)
    return ImageLocation(urllib.parse.urlunsplit(parts._replace(path=path.rstrip("/") + "/")), IMAGE_NAME)


def signed_checksum(sums_text, name, shown):
    """The SHA-256 that SHA256SUMS gives for name (`sha256sum` format, optional `*` binary marker)."""
    for line in sums_text.splitlines():
        words = line.split()
        if len(words) == 2 and words[1].lstrip("*") == name and len(words[0]) == 64:
            return words[0].lower()
    raise ImageSourceError("%s at %s lists no checksum for %s" % (SUMS, shown, name),
                           "serve the %s that was built with the image (./build.py pxe)" % SUMS)


class ImageSource:
    """Fetch and verify one network image. The network, the clock and gpgv are injected for tests."""

    def __init__(self, runner=None, keyring=KEYRING, workdir=IMAGE_DIR, opener=urllib.request.urlopen,
                 sleep=time.sleep, announce=print, backoff=Backoff(attempts=6, first=2.0, cap=30.0)):
        self.runner = runner or Runner()
        self.keyring, self.workdir = keyring, workdir
        self.opener, self.sleep, self.announce, self.backoff = opener, sleep, announce, backoff

    def fetch(self, url):
        """The local path of the verified image (with PATH.sha256 beside it)."""
        where = locate(url)
        shown = redact_location(where.base)
        os.makedirs(self.workdir, exist_ok=True)
        sums = self._small(where.base + SUMS, "checksum list")
        signature = self._small(where.base + SIGNATURE, "signature of the checksum list", unsigned_ok=False)
        expected = signed_checksum(self._verified(sums, signature, shown), where.name, shown)
        path = os.path.join(self.workdir, where.name)
        with_retries(lambda: self._download(where.url, path, expected), self.backoff,
                     "fetching dom0 image %s" % redact_location(where.url), sleep=self.sleep, announce=self.announce)
        with open(path + ".sha256", "w") as f:
            f.write("%s  %s\n" % (expected, where.name))
        imagedigest.remember(path, expected)        # _download hashed every byte: preflight need not again
        self.announce("xenhost-installer: dom0 image %s verified (signed SHA-256 %s)"
                      % (redact_location(where.url), expected[:16]))
        return path

    # -- steps ---------------------------------------------------------------------------------------
    def _small(self, url, what, unsigned_ok=True):
        shown = redact_location(url)

        def attempt():
            try:
                with self.opener(http_request(url), timeout=30) as resp:
                    return resp.read()
            except urllib.error.HTTPError as exc:
                if exc.code == 404 and not unsigned_ok:
                    raise ImageSourceError("the image at %s is unsigned: %s is missing (HTTP 404)"
                                           % (redact_location(url.rsplit("/", 1)[0] + "/"), shown),
                                           "serve %s and %s as ./build.py pxe wrote them; an unsigned image is "
                                           "never installed" % (SUMS, SIGNATURE))
                raise ImageSourceError("cannot fetch the %s %s: HTTP %s" % (what, shown, exc.code),
                                       "check the image URL (image_url= or the answer file's source)")
            except (urllib.error.URLError, OSError) as exc:
                raise Transient(str(getattr(exc, "reason", exc)))

        try:
            return with_retries(attempt, self.backoff, "fetching %s" % shown, sleep=self.sleep,
                                announce=self.announce)
        except Transient as exc:
            raise ImageSourceError("cannot fetch the %s %s: %s" % (what, shown, exc.reason),
                                   "check the network (DHCP) and that the HTTP server is up")

    def _verified(self, sums, signature, shown):
        """SHA256SUMS' text once gpgv has accepted its signature by the carried project key."""
        if not os.path.isfile(self.keyring):
            raise ImageSourceError("the installer carries no project key at %s, so a network image cannot be "
                                   "verified" % self.keyring, "boot an installer built by ./build.py iso")
        sums_path = os.path.join(self.workdir, SUMS)
        sig_path = os.path.join(self.workdir, SIGNATURE)
        for path, data in ((sums_path, sums), (sig_path, signature)):
            with open(path, "wb") as f:
                f.write(data)
        result = self.runner.run(["gpgv", "--keyring", self.keyring, sig_path, sums_path], check=False)
        if not result.ok:
            detail = " ".join((result.stderr or result.stdout).split())[-300:]
            raise ImageSourceError("%s at %s is not signed by the xenhost project key (gpgv: %s)" % (SUMS, shown, detail),
                                   "serve the %s and %s that ./build.py pxe wrote with the image; an image not "
                                   "signed by this installer's project key is never installed" % (SUMS, SIGNATURE))
        try:
            return sums.decode("ascii")
        except UnicodeDecodeError:
            raise ImageSourceError("%s at %s is not a checksum list" % (SUMS, shown), "serve the build's %s" % SUMS)

    def _download(self, url, path, expected):
        """One try: stream url to path, hashing; Transient on a network failure (retried)."""
        digest, done = hashlib.sha256(), 0
        shown = redact_location(url)
        try:
            with self.opener(http_request(url), timeout=60) as resp, open(path + ".partial", "wb") as out:
                total = int(resp.headers.get("Content-Length") or 0)
                progress = Progress(self.announce, shown, total)
                for block in iter(lambda: resp.read(CHUNK), b""):
                    out.write(block)
                    digest.update(block)
                    done += len(block)
                    progress.update(done)
        except urllib.error.HTTPError as exc:
            _remove(path + ".partial")
            raise ImageSourceError("cannot fetch dom0 image %s: HTTP %s" % (shown, exc.code),
                                   "check the image URL (image_url= or the answer file's source)")
        except (urllib.error.URLError, OSError) as exc:
            _remove(path + ".partial")
            raise Transient("%s after %d MiB" % (getattr(exc, "reason", exc), done >> 20))
        if total and done != total:
            _remove(path + ".partial")
            raise Transient("transfer ended after %d of %d bytes" % (done, total))
        actual = digest.hexdigest()
        if actual != expected:
            _remove(path + ".partial")
            raise ImageSourceError("dom0 image %s has SHA-256 %s, but the signed %s says %s: the image was altered "
                                   "or replaced" % (shown, actual, SUMS, expected),
                                   "serve the image that was built with this %s (./build.py pxe); the disks were "
                                   "not touched" % SUMS)
        os.replace(path + ".partial", path)


class Progress:
    """One console line per PROGRESS_STEP percent (or per 64 MiB when the size is unknown)."""

    def __init__(self, announce, shown, total):
        self.announce, self.shown, self.total = announce, shown, total
        self.next = PROGRESS_STEP if total else 64

    def update(self, done):
        if self.total:
            percent = done * 100 // self.total
            if percent >= self.next:
                self.announce("xenhost-installer: dom0 image %s: %d%% (%d of %d MiB)"
                              % (self.shown, percent, done >> 20, self.total >> 20))
                self.next = (percent // PROGRESS_STEP + 1) * PROGRESS_STEP
        elif done >> 20 >= self.next:
            self.announce("xenhost-installer: dom0 image %s: %d MiB" % (self.shown, done >> 20))
            self.next += 64


def _remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
