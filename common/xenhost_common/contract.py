"""The installer -> first-boot contract: /etc/xenhost/firstboot.yaml, checked against one schema.

The installer calls dump() (it validates what it writes), first boot calls load() (it validates
what it reads); both read firstboot.schema.json beside this file, so the rules live in one place.
"""
import json
import os

import jsonschema
import yaml

from .errors import XenhostError
from .files import write_atomic
from .names import FIRSTBOOT_DATA

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "firstboot.schema.json")


class ContractError(XenhostError):
    """First-boot data that does not match the contract."""


def schema():
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        return json.load(f)


def problems(data):
    """Every way data breaks the contract, as 'path: message' lines (empty: valid)."""
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
    write_atomic(path, yaml.safe_dump(data, sort_keys=False))


def load(path):
    """Read and validate path (the reader's side); a bad file raises ContractError naming it."""
    fix = (f"write a valid {FIRSTBOOT_DATA} (schema: {SCHEMA_PATH}; normally written by "
           f"xenhost-installer), then run `xenhost-firstboot` again")
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except FileNotFoundError:
        raise ContractError(f"{path}: file not found (the installer did not write it)", fix) from None
    except OSError as e:
        raise ContractError(f"{path}: cannot read: {e.strerror}", fix) from None
    except yaml.YAMLError as e:
        raise ContractError(f"{path}: not valid YAML: {str(e).splitlines()[0]}", fix) from None
    return check(data, path, fix)
