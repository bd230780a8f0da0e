"""Lists of allowed values that JSON schema cannot hold well: console keymaps (keymaps.yaml, declared
once for the validator, the keymap screen and the reference doc) and time zones (the tz database of
the machine: Debian's tzdata, which the installer image carries)."""
import functools
import os
from dataclasses import dataclass

import yaml

KEYMAPS_PATH = os.path.join(os.path.dirname(__file__), "keymaps.yaml")


@dataclass(frozen=True)
class Keymap:
    name: str           # kbd name: `loadkeys NAME`
    title: str          # what the screens show
    xkb: str            # XKB layout for the host's /etc/default/keyboard
    variant: str = ""   # XKB variant


@functools.lru_cache(maxsize=1)
def keymaps():
    """name -> Keymap, in the file's order (the keymap screen shows them so)."""
    with open(KEYMAPS_PATH) as f:
        data = yaml.safe_load(f)
    return {name: Keymap(name, **fields) for name, fields in data.items()}


@functools.lru_cache(maxsize=1)
def timezones():
    """Every tz database name on this machine (empty when no tz database is installed)."""
    # imported here: only an answer file with a time zone (or the time zone screen) needs it, and
    # zoneinfo (with sysconfig) costs ~2.5 ms of every installer start natively
    import zoneinfo
    return frozenset(zoneinfo.available_timezones())


def timezone_problem(name):
    """None when name is a known time zone, else the problem and the fix (no tz database: say so)."""
    zones = timezones()
    if not zones:
        import zoneinfo                 # already imported by timezones()
        return ("cannot be checked: this machine has no time zone database (%s); fix: install Debian's tzdata"
                % ", ".join(zoneinfo.TZPATH))
    if name in zones:
        return None
    near = sorted(z for z in zones if z.lower() == name.lower() or z.rsplit("/", 1)[-1].lower() == name.lower())
    fix = "did you mean %s?" % " or ".join(near[:3]) if near else "e.g. Europe/Berlin, America/New_York or UTC"
    return "%r is not a time zone in the tz database; fix: %s" % (name, fix)
