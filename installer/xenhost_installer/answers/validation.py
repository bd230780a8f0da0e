"""Validate answers against schema.json and the rules (rules.py); report every problem as
`path.in.file: problem; fix: ...`, sorted by place in the file."""

import jsonschema

from ..errors import AnswerFileError
from . import rules
from .declared import schema

# Values under these keys are secrets: messages for them never quote the value.
SECRET_KEYS = ("root-password",)




def _plain_path(parts):
    return ".".join(str(p) for p in parts) or "(top level)"


def _native_sort_key(parts):
    return [(1, p) if isinstance(p, int) else (0, str(p)) for p in parts]


def _message(error, _path=_plain_path, _required_fix=None):
    """_path shows a native path; translated XML answers (xenserver.XmlAnswers.where) name the XML place
    and _required_fix says in XML words what to add."""
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        fix = _required_fix(path + [missing]) if _required_fix else error.schema.get("x-required-fix", "add it")
        return "%s: is required; fix: %s" % (_path(path + [missing]), fix)
    if error.validator == "additionalProperties" and not any(k in SECRET_KEYS for k in path):
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        return "; ".join("%s: unknown key; fix: remove it or use one of %s" % (_path(path + [k]), ", ".join(allowed))
                         for k in extra)
    custom = error.schema.get("x-message")
    if custom:
        return "%s: %s" % (_path(path), custom)
    if any(k in SECRET_KEYS for k in path):        # never echo a secret value
        return "%s: invalid value; fix: see the answer file reference" % _path(path)
    return "%s: %s; fix: see the answer file reference" % (_path(path), error.message)


def problems(answers):
    """Every problem in the answers, sorted by place in the file; [] when valid."""
    if not isinstance(answers, dict):
        return ["(top level): must be a mapping of keys (version, disk, root-password, ...); fix: start from the "
                "example in the answer file reference"]
    # XML answers (xenserver.XmlAnswers) name XML places and sort by line; native ones by key path
    where = getattr(answers, "where", None)
    path_fn = where or _plain_path
    sort_key = getattr(answers, "sort_key", None) or _native_sort_key
    validator = jsonschema.validators.validator_for(schema())(schema())
    required_fix = getattr(answers, "required_fix", None)
    found = [(list(e.absolute_path), _message(e, path_fn, required_fix))
             for e in validator.iter_errors(answers)]
    found += [(parts, "%s: %s" % (path_fn(parts), text)) for parts, text in rules.problems(answers)]
    out = []
    for _, text in sorted(found, key=lambda item: sort_key(item[0])):
        if text not in out:
            out.append(text)
    return out


def validate(answers, source="answer file"):
    """Raise AnswerFileError listing every problem; return answers when valid."""
    found = problems(answers)
    if found:
        raise AnswerFileError("%s is invalid (%d problem%s):\n  %s"
                              % (source, len(found), "" if len(found) == 1 else "s", "\n  ".join(found)),
                              "correct the %s above" % ("elements" if hasattr(answers, "where") else "keys"),
                              problems=found)
    return answers
