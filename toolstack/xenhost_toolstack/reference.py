"""The reference page toolstack/xe-reference.md, generated from the fields table and the command
registry (python3 -m xenhost_toolstack.reference > toolstack/xe-reference.md); a test fails when
the committed page differs, so it never goes stale."""
from .cli.registry import COMMANDS
from .cli import main as _register  # noqa: F401  (imports every command module)
from .fields import CLASSES
from .values import text_of


def render():
    lines = ["# xe reference (generated: do not edit)", "",
             "Generated from toolstack/xenhost_toolstack/fields.py and the command registry by",
             "`python3 -m xenhost_toolstack.reference`.", "", "## Commands", "",
             "| command | required | optional | description |", "| --- | --- | --- | --- |"]
    for name in sorted(COMMANDS):
        c = COMMANDS[name]
        optional = list(c.optional) + (["field filters"] if c.filters else [])
        lines.append(f"| `{name}` | {', '.join(c.reqd)} | {', '.join(optional)} | {c.description} |")
    for cls in CLASSES.values():
        lines += ["", f"## {cls.name} ({cls.api}): {cls.help}", "",
                  f"`xe {cls.name}-list` shows: {', '.join(cls.list_fields)}.", "",
                  "| field | kind | type | default | description |", "| --- | --- | --- | --- | --- |"]
        for f in cls.fields:
            kind = f.marker.strip() + (" (computed)" if not f.stored else "")
            type_ = f.type + (f": {' / '.join(f.choices)}" if f.choices else "") + (f" -> {f.ref}" if f.ref else "")
            default = text_of(f.default) if f.stored else ""
            lines.append(f"| `{f.name}` | {kind} | {type_} | {default} | {f.help} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
