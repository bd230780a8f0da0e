"""The installer -> first-boot contract: /etc/xenhost/firstboot.yaml, checked against one schema.

The installer calls dump() (it validates what it writes), first boot calls load() (it validates
what it reads); both read firstboot.schema.json beside this file, so the rules live in one place.

dump() also writes a record beside the file (CHECKED_SUFFIX): the SHA-256 of the bytes it wrote
and of the schema it checked them against. load() skips its own check when both still match (the
same bytes, already found valid under the same schema) and checks in full otherwise: a file edited
by hand, or a schema changed by an upgrade, is checked as before. Why: jsonschema is about half of
first boot's start-up (its __init__ imports every submodule), ~2-3 s of each first-boot stage under
emulation, so it is imported only when a check runs.
"""
import hashlib
import json
import os

import yaml

from .errors import XenhostError
from .files import write_atomic
from .names import FIRSTBOOT_DATA

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "firstboot.schema.json")
CHECKED_SUFFIX = ".checked"


class ContractError(XenhostError):
    """First-boot data that does not match the contract."""


def schema():
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return json.load(f)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _record(text: str) -> dict:
    with open(SCHEMA_PATH, "rb") as f:
        return {"sha256": _sha256(text.encode()), "schema-sha256": _sha256(f.read())}


def _checked_before(path, text):
    """True when dump() wrote exactly this text, checked under this very schema."""
    try:
        with open(os.fspath(path) + CHECKED_SUFFIX, encoding="utf-8") as f:
            return json.load(f) == _record(text)
    except (OSError, ValueError):
        return False


def problems(data):
    """Every way data breaks the contract, as 'path: message' lines (empty: valid)."""
    import jsonschema   # only when a check runs: see the module's docstring
    # the format checker makes "format": "ipv4"/"ipv6" (gateway, DNS servers) real checks
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    found = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        found.append(f"{where}: {error.message}")
    return found


def check(data, source, fix):
    wrong = problems(data)
    if wrong:
        raise ContractError(f"{source}: " + "; ".join(wrong), fix)
    return data


def dump(data, path):
    """Validate data and write it atomically to path (the writer's side)."""
    check(data, "first-boot data about to be written", "this is a bug in xenhost-installer; report it")
    text = yaml.safe_dump(data, sort_keys=False)
    write_atomic(path, text)
    write_atomic(os.fspath(path) + CHECKED_SUFFIX, json.dumps(_record(text), indent=1) + "\n")


def load(path):
    """Read and validate path (the reader's side); a bad file raises ContractError naming it."""
    fix = (f"write a valid {FIRSTBOOT_DATA} (schema: {SCHEMA_PATH}; normally written by "
           f"xenhost-installer), then run `xenhost-firstboot` again")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        data = yaml.safe_load(text)
    except FileNotFoundError:
        raise ContractError(f"{path}: file not found (the installer did not write it)", fix) from None
    except OSError as e:
        raise ContractError(f"{path}: cannot read: {e.strerror}", fix) from None
    except yaml.YAMLError as e:
        raise ContractError(f"{path}: not valid YAML: {str(e).splitlines()[0]}", fix) from None
    return data if _checked_before(path, text) else check(data, path, fix)
