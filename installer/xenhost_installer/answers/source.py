"""Read answer files from file://, http(s):// or a plain path. Networking may come up after the
installer starts, so HTTP fetches retry for a while before giving up."""
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml

from ..errors import AnswerFileError
from .validation import validate
from .xenserver import looks_like_xml, parse_xml

log = logging.getLogger(__name__)


def fetch_text(location, attempts=12, delay=5.0, sleep=time.sleep, opener=urllib.request.urlopen):
    if location.startswith("file://"):
        location = urllib.parse.urlparse(location).path
    if not location.startswith(("http://", "https://")):
        try:
            with open(location) as f:
                return f.read()
        except OSError as exc:
            raise AnswerFileError("cannot read answer file %s: %s; fix: check the path" % (location, exc.strerror))
    last = None
    for attempt in range(1, attempts + 1):
        try:
            with opener(location, timeout=30) as resp:
                return resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:      # the server answered: retrying will not help
            raise AnswerFileError("cannot fetch answer file %s: HTTP %s; fix: check the URL on the server"
                                  % (location, exc.code))
        except (urllib.error.URLError, OSError) as exc:
            last = exc
            log.info("fetch %s failed (attempt %d/%d): %s", location, attempt, attempts, exc)
            if attempt < attempts:
                sleep(delay)
    raise AnswerFileError("cannot fetch answer file %s: %s; fix: check the network (DHCP) and that the server is up"
                          % (location, getattr(last, "reason", last)))


def parse_text(text, source="answer file"):
    """YAML, or a XenServer/XCP-ng XML answer file (detected by content: first non-blank char '<')."""
    if looks_like_xml(text):
        return parse_xml(text, source)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = " line %d column %d" % (mark.line + 1, mark.column + 1) if mark else ""
        raise AnswerFileError("%s:%s is not valid YAML (%s); fix: correct the syntax there"
                              % (source, where, getattr(exc, "problem", exc)))


def load(location, **fetch_kw):
    """Fetch, parse and validate; return the answers dict."""
    return validate(parse_text(fetch_text(location, **fetch_kw), location), location)
