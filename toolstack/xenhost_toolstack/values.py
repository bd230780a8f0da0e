"""Values as xe spells them: booleans, sizes, maps and sets, parsed and printed one way.

Used by the fields table (fields.py) for every class, so `xe` parses `memory-static-max=1GiB`
and prints `other-config (MRW): k: v; k2: v2` the same for VMs, SRs and VDIs.
"""
from .errors import XeError

TRUE = ("true", "t", "yes", "y", "1", "on")
FALSE = ("false", "f", "no", "n", "0", "off")
# XAPI's size suffixes, powers of 1024 (ocaml/xapi-cli-server/record_util.ml bytes_of_string).
SIZE_SUFFIXES = {"": 1, "b": 1, "k": 1024, "kib": 1024, "m": 1024 ** 2, "mib": 1024 ** 2,
                 "g": 1024 ** 3, "gib": 1024 ** 3, "t": 1024 ** 4, "tib": 1024 ** 4}


def parse_bool(text, name="value"):
    word = str(text).strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise XeError(f"Error: Invalid value for {name}: '{text}'", "use true or false")


def parse_size(text, name="size"):
    """`10GiB`, `512MiB`, `4096`, `1k` -> bytes."""
    word = str(text).strip()
    digits = word.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    suffix = word[len(digits):].lower()
    if not digits.isdigit() or suffix not in SIZE_SUFFIXES:
        raise XeError(f"Error: Invalid value for {name}: '{text}'",
                      "give bytes, or a number with KiB, MiB, GiB or TiB (e.g. 10GiB)")
    return int(digits) * SIZE_SUFFIXES[suffix]


def parse_int(text, name="value"):
    try:
        return int(str(text).strip())
    except ValueError:
        raise XeError(f"Error: Invalid value for {name}: '{text}'", "give a whole number") from None


def text_of(value):
    """A stored value as xe prints it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def minimal_escape(text):
    """--minimal joins values with ','; XAPI escapes a comma inside a value as '\\,'."""
    return text.replace("\\", "\\\\").replace(",", "\\,")
