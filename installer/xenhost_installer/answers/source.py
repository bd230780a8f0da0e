"""Read answer files (and hook scripts) from http(s)://, file://, a plain path, or label:LABEL:/path
(a file on the filesystem with that label, mounted read-only for the read). Networking may come up
after the installer starts, so HTTP fetches retry for a while before giving up. Credentials in an
http(s) URL (http://user:password@host/...) are sent as HTTP Basic authentication; messages and logs
show the URL with them redacted."""
import base64
import hashlib
import logging
import os
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml

from ..errors import AnswerFileError, CommandFailed
from ..mounts import mounted
from .redact import redact_location
from ..retry import Backoff, Transient, with_retries
from .validation import validate

log = logging.getLogger(__name__)

LABEL_LOCATION = re.compile(r"label:([^:/\s]+):(/\S+)")
LOCATION_FORMS = "http://, https://, file:// URL, label:LABEL:/path or an absolute path"


def parse_label(location):
    """(label, path) for label:LABEL:/path, else None."""
    m = LABEL_LOCATION.fullmatch(location)
    return (m.group(1), m.group(2)) if m else None


def _read_local(path, what):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise AnswerFileError('cannot read %s %s: %s' % (what, path, exc.strerror), 'check the path')


def _read_labelled(label, path, commands, what):
    """Find the filesystem by label (blkid), mount it read-only on a temporary directory, read, unmount."""
    device = commands.run(["blkid", "-L", label], check=False).stdout.strip()
    if not device:
        raise AnswerFileError('cannot read %s label:%s:%s: no filesystem is labelled %s' % (what, label, path, label), 'check the label (`blkid -L %s`) and that the device is attached' % (label,))
    mountpoint = tempfile.mkdtemp(prefix="xenhost-label-")
    try:
        with mounted(commands, device, mountpoint, ["-o", "ro"]):
            with open(os.path.join(mountpoint, path.lstrip("/")), "rb") as f:
                return f.read()
    except CommandFailed as exc:
        raise AnswerFileError('cannot mount %s (label %s) read-only to read the %s: %s' % (device, label, what, exc.stderr.strip()), 'use a filesystem the installer reads (ext4, vfat, iso9660)')
    except OSError as exc:
        raise AnswerFileError('cannot read %s %s on %s (label %s): %s' % (what, path, device, label, exc.strerror), 'check the path on that filesystem')
    finally:
        try:
            os.rmdir(mountpoint)
        except OSError:                 # still mounted (umount failed): leave it, it is on the RAM disk
            log.warning("could not remove %s", mountpoint)


def http_request(location):
    """A Request for location with any user:password@ moved into an HTTP Basic Authorization header:
    urllib does no authentication from the URL, it takes `user:password@host` for the host name and
    fails to resolve it. Unredirected: a redirect to another server must not carry the password there."""
    parts = urllib.parse.urlsplit(location)
    if "@" not in parts.netloc:
        return urllib.request.Request(location)
    userinfo, host = parts.netloc.rsplit("@", 1)
    user, _sep, password = userinfo.partition(":")
    request = urllib.request.Request(urllib.parse.urlunsplit(parts._replace(netloc=host)))
    token = "%s:%s" % (urllib.parse.unquote(user), urllib.parse.unquote(password))
    request.add_unredirected_header("Authorization", "Basic " + base64.b64encode(token.encode("utf-8")).decode("ascii"))
    return request


def _http_error(what, shown, exc):
    if exc.code in (401, 403):
        return AnswerFileError('cannot fetch %s %s: HTTP %s (%s)' % (what, shown, exc.code, exc.reason), 'check the user name and password in the URL (http://USER:PASSWORD@host/..., HTTP Basic authentication)')
    return AnswerFileError('cannot fetch %s %s: HTTP %s' % (what, shown, exc.code), 'check the URL on the server')


def _read_http(location, backoff, sleep, opener, what, announce):
    shown = redact_location(location)
    request = http_request(location)

    def attempt():
        try:
            with opener(request, timeout=30) as resp:
                return resp.read()
        except urllib.error.HTTPError as exc:      # the server answered: retrying will not help
            raise _http_error(what, shown, exc)
        except (urllib.error.URLError, OSError) as exc:
            raise Transient(str(getattr(exc, "reason", exc)))

    try:
        return with_retries(attempt, backoff, "fetching %s %s" % (what, shown), sleep=sleep, announce=announce)
    except Transient as exc:
        raise AnswerFileError("cannot fetch %s %s: %s (tried %d times over %ds)"
                              % (what, shown, exc.reason, backoff.attempts, backoff.total()),
                              "check the network (DHCP) and that the server is up")


def fetch_bytes(location, attempts=12, delay=2.0, sleep=time.sleep, opener=urllib.request.urlopen, commands=None,
                what="answer file", announce=None):
    """The bytes at location (see LOCATION_FORMS); label: needs commands (blkid, mount, umount).
    http(s): up to `attempts` tries, pausing delay, 1.5 x delay, ... (at most 15 s) while the network
    comes up; announce(text) is told of each retry (the console, for the answer file)."""
    label = parse_label(location)
    if label:
        if commands is None:
            raise AnswerFileError('cannot read %s %s here: label: locations are read by the installer' % (what, location), "give the file's path")
        return _read_labelled(*label, commands, what)
    if location.startswith(("http://", "https://")):
        return _read_http(location, Backoff(attempts=attempts, first=delay, factor=1.5), sleep, opener, what,
                          announce)
    if location.startswith("file://"):
        location = urllib.parse.unquote(urllib.parse.urlparse(location).path)
    if not location.startswith("/") and "://" in location:
        raise AnswerFileError('cannot read %s %s: unsupported location' % (what, redact_location(location)), 'use an %s' % (LOCATION_FORMS,))
    return _read_local(location, what)


def fetch_text(location, sha256=None, **fetch_kw):
    """The answer file's text; sha256 (answerfile_sha256=) pins the exact bytes."""
    data = fetch_bytes(location, **fetch_kw)
    if sha256 is not None:
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256.lower():
            raise AnswerFileError('answer file %s has SHA-256 %s, but answerfile_sha256= pins %s' % (redact_location(location), actual, sha256.lower()), 'serve the intended file, or put its `sha256sum` on the kernel command line')
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AnswerFileError('answer file %s is not UTF-8 text (byte %d)' % (redact_location(location), exc.start), 'save it as UTF-8')


def looks_like_xml(text):
    """Detect by content: the first non-blank character (after a BOM) is '<'."""
    return text.lstrip("\ufeff \t\r\n").startswith("<")


def parse_text(text, source="answer file"):
    """YAML, or a XenServer/XCP-ng XML answer file (detected by content: first non-blank char '<')."""
    if looks_like_xml(text):
        # imported here: only XML answer files need the translation and xml.etree/expat; they cost
        # ~4 ms of every installer start natively, over a tenth of a second under emulation
        from .xenserver import parse_xml
        return parse_xml(text, source)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = " line %d column %d" % (mark.line + 1, mark.column + 1) if mark else ""
        raise AnswerFileError('%s:%s is not valid YAML (%s)' % (source, where, getattr(exc, "problem", exc)), 'correct the syntax there')


def load(location, sha256=None, **fetch_kw):
    """Fetch (checking the sha256 pin), parse and validate; return the answers dict."""
    shown = redact_location(location)
    return validate(parse_text(fetch_text(location, sha256=sha256, **fetch_kw), shown), shown)
