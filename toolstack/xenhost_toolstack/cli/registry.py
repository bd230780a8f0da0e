"""The xe commands: name -> Command (its parameters, description and function), and `xe help`."""
from dataclasses import dataclass
from typing import Callable, Tuple

from ..errors import XeError


@dataclass
class Command:
    name: str
    run: Callable                    # (ctx, args) -> text to print
    reqd: Tuple[str, ...] = ()
    optional: Tuple[str, ...] = ()
    description: str = ""
    filters: str = ""                # class whose fields are filters (list and selector commands)

    def check(self, args):
        for name in self.reqd:
            if args.get(name) is None and name not in args.maps():
                raise XeError(f"Required parameter not found: {name}", f"see `xe help {self.name}`")
        if self.filters:
            return   # the command checks its filters against the class's fields
        allowed = set(self.reqd) | set(self.optional) | {"minimal", "json"}
        for key, _ in args.pairs:
            name = key.partition(":")[0]
            if name not in allowed and f"{name}:" not in allowed:
                raise XeError(f"Unknown parameter '{key}' for {self.name}",
                              f"accepted: {', '.join(sorted(allowed))}")

    def help(self):
        optional = list(self.optional) + (["<field>=<value> (filters)"] if self.filters else [])
        return (f"command name            : {self.name}\n"
                f"        reqd params     : {', '.join(self.reqd)}\n"
                f"        optional params : {', '.join(optional)}\n"
                f"        description     : {self.description}\n")


COMMANDS = {}


def command(name, reqd=(), optional=(), description="", filters=""):
    def register(fn):
        COMMANDS[name] = Command(name, fn, tuple(reqd), tuple(optional), description, filters)
        return fn
    return register


def lookup(name):
    if name not in COMMANDS:
        raise XeError(f"Unknown command: {name}\nFor usage run: 'xe help'")
    return COMMANDS[name]


def usage():
    width = max(len(n) for n in COMMANDS)
    lines = ["Usage: xe <command> [param=value ...] [--minimal] [--json]", "", "Commands:"]
    lines += [f"  {n.ljust(width)}  {COMMANDS[n].description}" for n in sorted(COMMANDS)]
    return "\n".join(lines) + "\n"
