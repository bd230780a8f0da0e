"""Copies of the answers safe to write to logs and to the target."""
import copy

import yaml

REDACTED = "<redacted>"


def redact(answers):
    # dict(): translated XML answers (xenserver.XmlAnswers) become a plain dict that YAML can dump
    out = copy.deepcopy(dict(answers) if isinstance(answers, dict) else answers)
    pw = out.get("root-password") if isinstance(out, dict) else None
    if isinstance(pw, dict):
        for key in pw:
            pw[key] = REDACTED
    return out


def redacted_yaml(answers):
    return yaml.safe_dump(redact(answers), sort_keys=False)
