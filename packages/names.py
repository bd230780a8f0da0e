"""RPM -> Debian package names, from packages/debian-names.yaml."""
from pathlib import Path

import yaml

from buildlib.errors import DependencyError

TABLE_PATH = Path(__file__).resolve().parent / "debian-names.yaml"


class NameMap:
    def __init__(self, table: dict[str, str], own: set[str]):
        self.table = table
        self.own = own          # names our specs build or provide: the same on Debian

    @classmethod
    def load(cls, own: set[str], path: Path = TABLE_PATH) -> "NameMap":
        return cls(yaml.safe_load(path.read_text()) or {}, own)

    def debian(self, name: str, needed_by: str) -> str:
        if name in self.own:
            return name
        if name in self.table:
            return self.table[name]
        raise DependencyError(f"{needed_by} needs {name!r}, which has no Debian name",
                              f"add `{name}: <debian-package>` to packages/debian-names.yaml")
