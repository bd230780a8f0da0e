"""Records as xe prints them, and --minimal and --json.

    uuid ( RO)            : 5f3c...
          name-label ( RW): xh1
    software-version (MRO): xen: 4.17.5-xenhost; linux: 6.1.0-25-amd64

Label width = the record's longest `name (XX)`; the first label left-justified, the others right-
justified; two blank lines after each record (records.ml / cli_printer.ml).
"""
import json

from ..values import minimal_escape, text_of


def format_record(pairs):
    """pairs: [(Field, value)] in record order."""
    if not pairs:
        return ""
    labels = [f"{f.name} ({f.marker})" for f, _ in pairs]
    width = max(len(label) for label in labels)
    lines = []
    for index, ((_, value), label) in enumerate(zip(pairs, labels)):
        label = label.ljust(width) if index == 0 else label.rjust(width)
        lines.append(f"{label}: {text_of(value)}")
    return "\n".join(lines) + "\n"


def format_records(records):
    return "".join(format_record(r) + "\n\n" for r in records if r)


def format_minimal(records):
    """The first field of each record, comma-joined (XAPI's escaping of commas)."""
    return ",".join(minimal_escape(text_of(r[0][1])) for r in records if r) + "\n"


def format_json(records):
    return json.dumps([{f.name: value for f, value in r} for r in records], indent=2) + "\n"


def render(records, minimal=False, as_json=False):
    if as_json:
        return format_json(records)
    if minimal:
        return format_minimal(records)
    return format_records(records)
