"""On-screen input checks with the answer file's own rules: a screen's values are put into a small
answers dict and run through answers.problems() (schema + validation.py), and only the problems of
the keys that screen sets are shown. So a bad address, a gateway outside the subnet or a bad host
name is refused with the same message an answer file would get."""
from .. import answers as answersmod

# the names the screens give the answer keys (longest match wins)
LABELS = {
    "disk.guest": "Guest disks",
    "network.address": "Address/prefix",
    "network.gateway": "Gateway",
    "network.vlan": "VLAN",
    "network.dns": "DNS servers",
    "network": "Network",
    "hostname": "Host name",
    "timezone": "Time zone",
    "ntp-servers": "NTP servers",
    "keymap": "Keymap",
    "root-password": "Root password",
}


def _candidate(answers, update):
    """The keys being checked plus placeholders for what the schema requires elsewhere."""
    candidate = {"version": 1}
    if "mode" in answers:
        candidate["mode"] = answers["mode"]
    candidate["disk"] = {"primary": (answers.get("disk") or {}).get("primary") or "/dev/sda"}
    if candidate.get("mode", "install") == "install":
        candidate["root-password"] = {"ask-at-first-boot": True}
    candidate.update(update)
    return candidate


def _path(problem):
    return problem.split(": ", 1)[0]


def _concerns(path, keys):
    return any(path == key or path.startswith(key + ".") for key in keys)


def on_screen(problem):
    """'network.dns.1: msg' -> 'DNS servers: msg'."""
    path, _sep, message = problem.partition(": ")
    for key in sorted(LABELS, key=len, reverse=True):
        if _concerns(path, [key]):
            return "%s: %s" % (LABELS[key], message)
    return problem


def problems(answers, update):
    """Problems with update (top-level answer keys -> values), as the screen should show them."""
    found = answersmod.problems(_candidate(answers, update))
    return [on_screen(p) for p in found if _concerns(_path(p), list(update))]
