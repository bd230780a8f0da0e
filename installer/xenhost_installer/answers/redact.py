"""Copies of the answers safe to write to logs and to the target: no passwords, no credentials in URLs."""
import copy
import urllib.parse

import yaml

REDACTED = "<redacted>"


def redact_location(location):
    """A URL without its user:password@ part (hook and answer file URLs may carry credentials)."""
    parts = urllib.parse.urlsplit(location) if "://" in location else None
    if not parts or "@" not in parts.netloc:
        return location
    return urllib.parse.urlunsplit(parts._replace(netloc=REDACTED + "@" + parts.netloc.rsplit("@", 1)[1]))


def redact(answers):
    # dict(): translated XML answers (xenserver.XmlAnswers) become a plain dict that YAML can dump
    out = copy.deepcopy(dict(answers) if isinstance(answers, dict) else answers)
    if not isinstance(out, dict):
        return out
    pw = out.get("root-password")
    if isinstance(pw, dict):
        for key in pw:
            if key != "ask-at-first-boot":      # a choice, not a secret
                pw[key] = REDACTED
    hooks = out.get("hooks")
    for stage, locations in (hooks.items() if isinstance(hooks, dict) else ()):
        if isinstance(locations, list):
            hooks[stage] = [redact_location(x) if isinstance(x, str) else x for x in locations]
    return out


def redacted_yaml(answers):
    return yaml.safe_dump(redact(answers), sort_keys=False)
