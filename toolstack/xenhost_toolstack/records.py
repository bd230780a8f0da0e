"""xe's record layout.

    uuid ( RO)            : 5f3c...
          name-label ( RO): xh1
    software-version (MRO): xen: 4.17.5-xenhost; linux: 6.1.0-25-amd64

Label = `name (KIND)` with KIND one of " RO", "MRO" (map), "SRO" (set).  The
first field is left-aligned, the others right-aligned, all to the widest
label of the record, like xe.  Maps print `k: v; k: v`, sets `a; b`.
"""
from dataclasses import dataclass


@dataclass
class Field:
    name: str
    value: object       # str/int, dict (map) or list (set)
    kind: str = " RO"

    def label(self):
        return f"{self.name} ({self.kind})"

    def text(self):
        if isinstance(self.value, dict):
            return "; ".join(f"{k}: {v}" for k, v in self.value.items())
        if isinstance(self.value, (list, tuple)):
            return "; ".join(str(v) for v in self.value)
        return "" if self.value is None else str(self.value)


def map_field(name, value):
    return Field(name, value, "MRO")


def set_field(name, value):
    return Field(name, value, "SRO")


def format_record(fields):
    width = max(len(f.label()) for f in fields)
    lines = []
    for index, field in enumerate(fields):
        label = field.label().ljust(width) if index == 0 else field.label().rjust(width)
        lines.append(f"{label}: {field.text()}")
    return "\n".join(lines) + "\n"


def format_records(records):
    """xe separates records (and ends the output) with two blank lines."""
    return "".join(format_record(r) + "\n\n" for r in records)
