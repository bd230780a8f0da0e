"""Render the answer file reference (installer/answerfile-reference.md) from the declarations:
schema.json (keys, types, defaults, descriptions, the example), keymaps.yaml, the kernel command
line options (cmdline.OPTIONS) and the XenServer translation table (xenserver.TRANSLATION).

    cd installer && python3 -m xenhost_installer.answers.docs            # rewrite the committed file
    python3 -m xenhost_installer.answers.docs -                          # print it
    python3 -m xenhost_installer.answers.docs --check                    # exit 1 if the file is stale

tests/installer/test_answers.py fails when the committed file differs from render()."""
import json
import os
import sys

import yaml

from .catalog import keymaps
from .declared import schema

DOC_PATH = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "answerfile-reference.md")
INSTALLED_SCHEMA = "/usr/lib/xenhost/python/xenhost_installer/answers/schema.json"


def _resolve(node):
    """Follow a $ref into definitions, keeping the referring node's description."""
    ref = node.get("$ref")
    if not ref:
        return node
    target = schema()["definitions"][ref.rsplit("/", 1)[-1]]
    return dict(target, **{k: v for k, v in node.items() if k != "$ref"})


def _values(node):
    """The allowed values of a leaf, in words."""
    node = _resolve(node)
    if "const" in node:
        return "`%s`" % json.dumps(node["const"])
    if "enum" in node:
        return " \\| ".join("`%s`" % v for v in node["enum"])
    kind = node.get("type")
    if kind == "array":
        return "list of " + _values(node.get("items", {}))
    if kind == "integer" and "minimum" in node:
        return "integer %s..%s" % (node["minimum"], node["maximum"])
    if node.get("pattern", "").startswith("^/dev/"):
        return "block device path (/dev/...)"
    if node.get("pattern", "").startswith("^(https?"):
        return "http(s):// or file:// URL, or absolute path"
    return {"object": "mapping", "string": "string"}.get(kind, kind or "any")


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _prose(text):
    """A table cell of prose: element names must not read as HTML tags."""
    return _cell(text).replace("<", "&lt;").replace(">", "&gt;")


def _rows(properties, prefix=""):
    for key, node in properties.items():
        node = _resolve(node)
        name = prefix + key
        default = "`%s`" % json.dumps(node["default"]) if "default" in node else ""
        values = "mapping" if "properties" in node else _values(node)
        yield "| `%s` | %s | %s | %s |" % (name, values, default, _prose(node.get("description", "")))
        if "properties" in node:
            yield from _rows(node["properties"], name + ".")


def _refused(properties, prefix=""):
    """Paths a conditional subschema forbids (`not: {}` or a `kept` reference), and narrowed lists."""
    for key, node in properties.items():
        node = _resolve(node)
        if "not" in node:
            yield "`%s%s`" % (prefix, key)
        elif "properties" in node:
            yield from _refused(node["properties"], prefix + key + ".")
        elif "items" in node:
            yield "`%s%s` other than %s" % (prefix, key, ", ".join("`%s`" % v for v in node["items"]["enum"]))


def _condition_rows(rules):
    for rule in rules:
        refused = list(_refused(rule.get("then", {}).get("properties", {})))
        yield "- %s%s" % (rule["description"], (" Refused there: %s." % ", ".join(refused)) if refused else "")


def _example():
    return yaml.safe_dump(schema()["examples"][0], sort_keys=False, default_flow_style=None, width=100)


def _keymap_rows():
    for km in keymaps().values():
        yield "| `%s` | %s | %s |" % (km.name, km.title, km.xkb + (" (%s)" % km.variant if km.variant else ""))


def _cmdline_rows():
    from ..cmdline import OPTIONS
    for key, (_attr, _check, text) in OPTIONS.items():
        yield "| `%s=` | %s |" % (key, _prose(text))


def _xml_rows():
    from .xenserver import TRANSLATION, UNSUPPORTED
    for xml, native, note in TRANSLATION:
        yield "| `%s` | %s | %s |" % (_cell(xml), _prose(native), _prose(note))
    for element, why in sorted(UNSUPPORTED.items()):
        yield "| `<%s>` | (refused) | %s |" % (element, _prose(why))


def render():
    s = schema()
    parts = [
        "# xenhost answer file reference",
        "",
        "<!-- Generated from installer/xenhost_installer/answers/schema.json and keymaps.yaml by "
        "`python3 -m xenhost_installer.answers.docs` (run in installer/). Do not edit by hand. -->",
        "",
        "An answer file is YAML (this reference) or a XenServer/XCP-ng XML answer file (translated onto the same "
        "keys; see the end). `xenhost-installer validate FILE` checks one offline and prints every problem as "
        "`path: problem; fix: ...`. The JSON schema is installed with the installer as `%s`; rules it cannot "
        "express (guest disks distinct and not the primary, static IPv4 address and gateway in one subnet, DNS "
        "and NTP servers, time zones, keymaps) are checked too." % INSTALLED_SCHEMA,
        "",
        "## Example",
        "",
        "```yaml",
        _example().rstrip(),
        "```",
        "",
        "## Keys",
        "",
        "| key | values | default | meaning |",
        "|---|---|---|---|",
        *_rows(s["properties"]),
        "",
        "## Which keys are required",
        "",
        "- `version`, always.",
        *_condition_rows(s["allOf"]),
        "- `network.address` and `network.gateway` with `network.mode: static`, and only then.",
        "",
        "## Time zones",
        "",
        "Any name of the tz database (Debian's tzdata, `/usr/share/zoneinfo`), e.g. `UTC`, `Europe/Berlin`, "
        "`America/New_York`.",
        "",
        "## Keymaps",
        "",
        "| keymap | layout | XKB layout on the host |",
        "|---|---|---|",
        *_keymap_rows(),
        "",
        "## Kernel command line",
        "",
        "| option | meaning |",
        "|---|---|",
        *_cmdline_rows(),
        "",
        "## XenServer / XCP-ng XML answer files",
        "",
        "| XML | native key | note |",
        "|---|---|---|",
        *_xml_rows(),
        "",
    ]
    return "\n".join(parts)


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if args == ["-"]:
        sys.stdout.write(text)
        return 0
    path = os.path.normpath(DOC_PATH)
    if args == ["--check"]:
        with open(path) as f:
            stale = f.read() != text
        if stale:
            print("%s is stale; fix: run `python3 -m xenhost_installer.answers.docs` in installer/" % path)
        return 1 if stale else 0
    with open(path, "w") as f:
        f.write(text)
    print("wrote %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
