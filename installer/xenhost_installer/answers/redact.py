"""Copies of the answers safe to write to logs and to the target."""
import copy

import yaml

REDACTED = "<redacted>"


def redact(answers):
    out = copy.deepcopy(answers)
    pw = out.get("root-password") if isinstance(out, dict) else None
    if isinstance(pw, dict):
        for key in pw:
            pw[key] = REDACTED
    return out


def redacted_yaml(answers):
    return yaml.safe_dump(redact(answers), sort_keys=False)
