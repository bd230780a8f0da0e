"""The commands every class has, generated from the fields table: <cls>-list, <cls>-param-list,
-param-get, -param-set, -param-add, -param-remove, -param-clear (and template-list/-param-*,
which are the VM class restricted to is-a-template=true)."""
from ..errors import XeError
from ..fields import BOOL, CLASSES, ENUM, INT, MAP, REF, SET, SIZE
from ..operations.resync import resync
from ..values import parse_bool, parse_int, parse_size, text_of
from .printing import render
from .registry import command
from ..lookup import by_uuid
from .select import check_filters, chosen_fields, matches, required, value_of, view

# Records a list hides unless asked (XAPI: vm-list shows no templates; template-list only them).
FIXED = {"vm": {"is-a-template": False}, "template": {"is-a-template": True}}
TEMPLATE_LIST_FIELDS = ("uuid", "name-label", "name-description")


def _vm_memory(record):
    """XAPI's memory constraint: static-min <= dynamic-min <= dynamic-max <= static-max."""
    names = ("memory-static-min", "memory-dynamic-min", "memory-dynamic-max", "memory-static-max")
    values = [record[n] for n in names]
    if values != sorted(values):
        raise XeError("Error: the memory limits would not satisfy static-min <= dynamic-min <= dynamic-max "
                      "<= static-max", "set them together, e.g. memory-dynamic-max=1GiB memory-static-max=1GiB",
                      **{n: v for n, v in zip(names, values)})


# Checks of a whole record after a change, per class (what one field's type cannot say).
RECORD_CHECKS = {"vm": _vm_memory}


def parse_value(field, text):
    """Text from the command line -> a value of the field's type, or XAPI-style refusal."""
    if field.type == BOOL:
        return parse_bool(text, field.name)
    if field.type == INT:
        return parse_int(text, field.name)
    if field.type == SIZE:
        return parse_size(text, field.name)
    if field.type == ENUM and text not in field.choices:
        raise XeError(f"Error: Invalid value for {field.name}: '{text}'", f"one of: {', '.join(field.choices)}")
    return text


def _prepare(ctx, alias):
    if alias == "vm":
        resync(ctx)   # power states from `xl list` before anyone reads them


def list_records(ctx, args, cls_name, alias):
    cls = CLASSES[cls_name]
    check_filters(cls, args, own=("minimal", "json"))
    fixed = dict(FIXED.get(alias, {}))
    if any(k == "is-a-template" for k, _ in args.pairs):
        fixed.pop("is-a-template", None)
    _prepare(ctx, alias)
    default = TEMPLATE_LIST_FIELDS if alias == "template" else cls.list_fields
    fields = chosen_fields(cls, args.get("params"), default)
    records = [r for r in ctx.db.find(cls_name, fixed) if matches(ctx, cls, r, args, ("minimal", "json"))]
    return render([view(ctx, fields, r) for r in records], args.flag("minimal"), args.flag("json"))


def param_list(ctx, args, cls_name, alias):
    _prepare(ctx, alias)
    if alias == "host" and args.get("uuid") is None:
        # Beyond XAPI: a xenhost toolstack manages exactly one host, so `xe host-param-list` alone
        # lists it (the README's first command on a new host).
        uuid = ctx.db.find(cls_name, {})[0]["uuid"]
    else:
        (uuid,) = required(args, "uuid")
    record = by_uuid(ctx, cls_name, uuid)
    return render([view(ctx, CLASSES[cls_name].fields, record)], as_json=args.flag("json"))


def _field(cls, name, writable=False):
    field = cls.get(name)
    if field is None:
        raise XeError(f"Error: Unknown field '{name}'", f"the fields are listed by `xe help {cls.name}-list`")
    if writable and not field.rw:
        raise XeError(f"Error: Field '{name}' is read-only.", "only ( RW) and (MRW) fields can be changed")
    return field


def param_get(ctx, args, cls_name, alias):
    uuid, name = required(args, "uuid", "param-name")
    _prepare(ctx, alias)
    record = by_uuid(ctx, cls_name, uuid)
    field = _field(CLASSES[cls_name], name)
    value = value_of(ctx, field, record)
    key = args.get("param-key")
    if key is not None:
        if field.type != MAP or key not in value:
            raise XeError(f"Error: Key {key} not found in map", f"the keys are in `xe {cls_name}-param-get "
                          f"uuid={uuid} param-name={name}`")
        value = value[key]
    if args.flag("json"):
        import json
        return json.dumps(value) + "\n"
    return text_of(value) + "\n"


def param_set(ctx, args, cls_name):
    (uuid,) = required(args, "uuid")
    cls = CLASSES[cls_name]
    changes = {}
    for name, text in args.plain().items():
        if name == "uuid":
            continue
        field = _field(cls, name, writable=True)
        if field.type in (MAP, SET):
            raise XeError(f"Error: Field '{name}' is a {field.type}", f"set its keys: {name}:<key>=<value>")
        changes[name] = parse_value(field, text)
    with ctx.db.write():
        record = by_uuid(ctx, cls_name, uuid)   # read inside the write lock: no lost update
        for name, keys in args.maps().items():
            field = _field(cls, name, writable=True)
            if field.type != MAP:
                raise XeError(f"Error: Field '{name}' is not a map", f"set it with {name}=<value>")
            changes[name] = {**record[name], **keys}
        RECORD_CHECKS.get(cls_name, lambda r: None)({**record, **changes})
        ctx.db.update(cls_name, uuid, changes)
    return ""


def _collection(ctx, args, cls_name, writable=True):
    uuid, name = required(args, "uuid", "param-name")
    field = _field(CLASSES[cls_name], name, writable)
    if field.type not in (MAP, SET):
        raise XeError(f"Error: Field '{name}' is not a map or set", f"set it with {cls_name}-param-set")
    return uuid, field


def param_add(ctx, args, cls_name):
    uuid, field = _collection(ctx, args, cls_name)
    with ctx.db.write():
        value = by_uuid(ctx, cls_name, uuid)[field.name]
        if field.type == SET:
            (key,) = required(args, "param-key")
            value = value + [key] if key not in value else value
        else:
            pairs = {k: v for k, v in args.plain().items() if k not in ("uuid", "param-name", "param-key")}
            if not pairs:
                raise XeError("Required parameter not found: <key>=<value>", f"e.g. xe {args.command} "
                              f"uuid={uuid} param-name={field.name} key=value")
            value = {**value, **pairs}
        ctx.db.update(cls_name, uuid, {field.name: value})
    return ""


def param_remove(ctx, args, cls_name):
    uuid, field = _collection(ctx, args, cls_name)
    (key,) = required(args, "param-key")
    with ctx.db.write():
        value = by_uuid(ctx, cls_name, uuid)[field.name]
        if key not in value:
            raise XeError(f"Error: Key {key} not found in map", "nothing was changed")
        value = [v for v in value if v != key] if field.type == SET else {k: v for k, v in value.items() if k != key}
        ctx.db.update(cls_name, uuid, {field.name: value})
    return ""


def param_clear(ctx, args, cls_name):
    uuid, name = required(args, "uuid", "param-name")
    field = _field(CLASSES[cls_name], name, writable=True)
    with ctx.db.write():
        by_uuid(ctx, cls_name, uuid)
        empty = {MAP: {}, SET: []}.get(field.type, "" if field.type not in (INT, SIZE, REF) else field.default)
        ctx.db.update(cls_name, uuid, {name: empty})
    return ""


def _register(alias, cls_name):
    help_ = CLASSES[cls_name].help
    command(f"{alias}-list", optional=("params",), filters=cls_name,
            description=f"list {help_}; any field is a filter")(
        lambda ctx, args: list_records(ctx, args, cls_name, alias))
    one_host = alias == "host"              # uuid optional: the one host this toolstack manages
    command(f"{alias}-param-list", reqd=() if one_host else ("uuid",), optional=("uuid",) if one_host else (),
            description=f"all fields of one of the {help_}" + (" (default: this host)" if one_host else ""))(
        lambda ctx, args: param_list(ctx, args, cls_name, alias))
    command(f"{alias}-param-get", reqd=("uuid", "param-name"), optional=("param-key",),
            description="one field (or one key of a map field)")(
        lambda ctx, args: param_get(ctx, args, cls_name, alias))
    command(f"{alias}-param-set", reqd=("uuid",), optional=("<field>", "<map>:<key>"), filters=cls_name,
            description="change ( RW) fields and keys of (MRW) maps")(lambda ctx, args: param_set(ctx, args, cls_name))
    for verb, fn, extra in (("add", param_add, ("param-key", "<key>")), ("remove", param_remove, ("param-key",)),
                            ("clear", param_clear, ())):
        command(f"{alias}-param-{verb}", reqd=("uuid", "param-name"), optional=extra, filters=cls_name,
                description=f"{verb} a key of a map or set field")(
            lambda ctx, args, fn=fn: fn(ctx, args, cls_name))


for _name in CLASSES:
    _register(_name, _name)
_register("template", "vm")
