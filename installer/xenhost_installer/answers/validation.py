"""Validate answers against schema.json and report every problem as `path.in.file: message`."""
import functools
import ipaddress
import json
import os

import jsonschema

from ..errors import AnswerFileError

SCHEMA_PATH = os.path.join(os.path.dirname(__file__), "schema.json")
# Values under these keys are secrets: messages for them never quote the value.
SECRET_KEYS = ("root-password",)


@functools.lru_cache(maxsize=1)
def schema():
    with open(SCHEMA_PATH) as f:
        return json.load(f)


def _plain_path(parts):
    return ".".join(str(p) for p in parts) or "(top level)"


def _message(error, _path=_plain_path):
    """_path shows a native path; translated XML answers (xenserver.XmlAnswers.where) name the XML place."""
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return "%s: is required" % _path(path + [missing])
    if error.validator == "additionalProperties" and not any(k in SECRET_KEYS for k in path):
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        return "; ".join("%s: unknown key; fix: remove it or use one of %s" % (_path(path + [k]), ", ".join(allowed))
                         for k in extra)
    custom = error.schema.get("x-message")
    if custom:
        return "%s: %s" % (_path(path), custom)
    if any(k in SECRET_KEYS for k in path):        # never echo a secret value
        return "%s: invalid value" % _path(path)
    return "%s: %s" % (_path(path), error.message)


def _semantic_problems(answers, _path=_plain_path):
    """Checks JSON schema cannot express well: IP address syntax."""
    out = []
    net = answers.get("network") or {}
    checks = [("address", ipaddress.ip_interface), ("gateway", ipaddress.ip_address)]
    for key, parse in checks:
        if key in net:
            try:
                parse(net[key])
                if key == "address" and "/" not in net[key]:
                    raise ValueError
            except ValueError:
                out.append("%s: %r is not valid; fix: e.g. %s" % (
                    _path(["network", key]), net[key], "192.0.2.10/24" if key == "address" else "192.0.2.1"))
    for i, server in enumerate(net.get("dns") or []):
        try:
            ipaddress.ip_address(server)
        except ValueError:
            out.append("%s: %r is not an IP address" % (_path(["network", "dns", i]), server))
    return out


def problems(answers):
    """Every problem in the answers, sorted by place in the file; [] when valid."""
    if not isinstance(answers, dict):
        return ["(top level): must be a mapping of keys (version, disk, root-password, ...)"]
    validator_cls = jsonschema.validators.validator_for(schema())
    # XML answers (xenserver.XmlAnswers) sort by line in the XML, native ones by key path
    sort_key = getattr(answers, "sort_key", None) or (lambda parts: [str(p) for p in parts])
    errors = sorted(validator_cls(schema()).iter_errors(answers), key=lambda e: sort_key(e.absolute_path))
    where = getattr(answers, "where", None)          # XML answers: name the XML element, not the key
    path_fn = where if where is not None else _plain_path
    found = []
    for error in errors:
        msg = _message(error, path_fn)
        if msg not in found:
            found.append(msg)
    return found or _semantic_problems(answers, path_fn)


def validate(answers, source="answer file"):
    """Raise AnswerFileError listing every problem; return answers when valid."""
    found = problems(answers)
    if found:
        raise AnswerFileError("%s is invalid (%d problem%s):\n  %s\n  fix: correct the %s above"
                              % (source, len(found), "" if len(found) == 1 else "s", "\n  ".join(found),
                                 "elements" if hasattr(answers, "where") else "keys"), found)
    return answers
