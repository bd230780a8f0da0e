"""xe's argument syntax (ocaml/xapi-cli-server/cli_frontend.ml): `param=value` split at the first
`=`; `--flag` is `flag=true`; `map:key=value` sets one key of a map parameter."""
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

from ..errors import XeError
from ..values import parse_bool

# Flags every command takes (handled by the frontend, not by the commands).
FRONTEND_FLAGS = ("minimal", "json", "multiple", "force")


@dataclass
class Args:
    command: str
    pairs: List[Tuple[str, str]] = field(default_factory=list)

    def plain(self) -> Dict[str, str]:
        """name -> value for parameters that are not map keys (the last one wins, like xe)."""
        return {k: v for k, v in self.pairs if ":" not in k}

    def maps(self) -> Dict[str, Dict[str, str]]:
        """map name -> {key: value} from `map:key=value` words."""
        found = {}
        for k, v in self.pairs:
            if ":" in k:
                name, _, key = k.partition(":")
                found.setdefault(name, {})[key] = v
        return found

    def get(self, name, default=None):
        return self.plain().get(name, default)

    def flag(self, name):
        value = self.get(name)
        return value is not None and parse_bool(value, name)

    def names(self):
        return [k.partition(":")[0] if ":" in k else k for k, _ in self.pairs]


def parse(argv):
    if not argv:
        raise XeError("Usage: xe <command> [param=value ...]", "run `xe help` for the commands")
    command, words = argv[0], argv[1:]
    if "=" in command:
        raise XeError("Syntax error: command name is missing", "put the command first: xe vm-list uuid=...")
    args = Args(command)
    for word in words:
        if word.startswith("--"):
            args.pairs.append((word[2:], "true"))
            continue
        key, sep, value = word.partition("=")
        if not sep or not key:
            raise XeError(f"Syntax error: argument '{word}' is not of the form param=value",
                          f"see `xe help {command}`")
        args.pairs.append((key, value))
    return args
