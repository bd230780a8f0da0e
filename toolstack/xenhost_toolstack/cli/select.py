"""Choosing records: list filters on any field (also `map:key=value`), params=, uuid lookups and
XAPI's VM selectors (`vm=` name or uuid, any field a filter, --multiple)."""
import uuid as uuidlib

from ..errors import XeError
from ..fields import BOOL, CLASSES, MAP
from ..values import parse_bool, text_of


def value_of(ctx, field, record):
    """A field's value: stored, or derived (computed only when asked for)."""
    if field.stored:
        return record[field.name]
    if field.name not in record:
        record[field.name] = field.derive(ctx, record)
    return record[field.name]


def check_filters(cls, args, own=()):
    """Every parameter a list/selector command does not use itself must be a field."""
    for key, _ in args.pairs:
        name, is_map, _ = key.partition(":")
        if name in own or name == "params":
            continue
        if cls.get(name) is None:
            raise XeError(f"Error: Unknown field '{name}'", f"the fields are listed by `xe help {cls.name}-list`")
        if is_map and cls.get(name).type != MAP:
            raise XeError(f"Error: Unknown field '{name}'", f"'{name}' is not a map")


def matches(ctx, cls, record, args, own=()):
    for key, wanted in args.pairs:
        name, _, map_key = key.partition(":")
        if name in own or name == "params":
            continue
        field = cls.get(name)
        value = value_of(ctx, field, record)
        if map_key:
            if str(value.get(map_key, "")) != wanted:
                return False
        elif field.type == BOOL:
            if value != parse_bool(wanted, name):
                return False
        elif text_of(value) != wanted:
            return False
    return True


def chosen_fields(cls, params, default):
    """params=a,b|all -> the fields to print, in record order."""
    if params in (None, ""):
        names = default
    elif params == "all":
        return list(cls.fields)
    else:
        names = [n.strip() for n in params.split(",") if n.strip()]
        for name in names:
            if cls.get(name) is None:
                raise XeError(f"Error: Unknown field '{name}'", f"the fields are listed by `xe help {cls.name}-list`")
    return [f for f in cls.fields if f.name in names]


def view(ctx, fields, record):
    return [(f, value_of(ctx, f, record)) for f in fields]


def required(args, *names):
    for name in names:
        if args.get(name) in (None,):
            raise XeError(f"Required parameter not found: {name}", f"see `xe help {args.command}`")
    return [args.get(n) for n in names]


def is_uuid(text):
    try:
        uuidlib.UUID(text)
        return True
    except (ValueError, TypeError, AttributeError):
        return False


def select_vms(ctx, args, own=()):
    """XAPI's VM selector: guests only (no templates, no dom0); vm= is a name-label or uuid."""
    cls = CLASSES["vm"]
    own = tuple(own) + ("vm", "multiple", "force")
    check_filters(cls, args, own)
    candidates = [r for r in ctx.db.find("vm", {"is-a-template": False, "is-control-domain": False})
                  if matches(ctx, cls, r, args, own)]
    wanted = args.get("vm")
    if wanted is not None:
        candidates = [r for r in candidates if wanted in (r["uuid"], r["name-label"])]
    if not candidates:
        raise XeError("Error: No matching VMs found", "list the VMs with `xe vm-list`")
    if len(candidates) > 1 and not args.flag("multiple"):
        raise XeError("Error: Multiple matches VMs found. --multiple required to complete the operation",
                      "narrow the selection (vm=<uuid>) or add --multiple")
    return candidates


def find_template(ctx, args):
    """vm-install's template= (uuid or name), template-uuid= or template-name-label=."""
    templates = ctx.db.find("vm", {"is-a-template": True})
    wanted = [(k, v) for k, v in (("template", args.get("template")), ("template-uuid", args.get("template-uuid")),
                                  ("template-name-label", args.get("template-name-label"))) if v is not None]
    if not wanted:
        raise XeError("Required parameter not found: template", "list them with `xe template-list`")
    key, text = wanted[0]
    found = [t for t in templates
             if (key != "template-name-label" and t["uuid"] == text)
             or (key != "template-uuid" and t["name-label"] == text)]
    if not found:
        raise XeError("Error: No matching templates found", "list them with `xe template-list`",
                      **{key: text})
    return found[0]
