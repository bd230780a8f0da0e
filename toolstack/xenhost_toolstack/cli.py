"""xe: XenServer-style command line for a xenhost dom0.

    xe <command> [param=value ...] [--minimal]
"""
import sys

from .commands import COMMANDS, Env
from .errors import XeError
from .records import format_records
from xenhost_common.runner import Runner


def usage():
    lines = ["Usage: xe <command> [param=value ...]", "", "Commands:"]
    width = max(len(name) for name in COMMANDS)
    lines += [f"  {name.ljust(width)}  {cmd.summary}" for name, cmd in sorted(COMMANDS.items())]
    return "\n".join(lines) + "\n"


def command_help(name):
    cmd = COMMANDS[name]
    params = list(cmd.params)
    if cmd.is_list:
        params += ["params=<field,...|all>", "--minimal"]
    return (f"command name            : {name}\n"
            f"        reqd params     : \n"
            f"        optional params : {', '.join(params)}\n"
            f"        description     : {cmd.summary}\n")


def parse_args(name, args):
    """`param=value` words -> dict; --minimal flag; errors like xe's."""
    cmd = COMMANDS[name]
    allowed = set(cmd.params) | ({"params"} if cmd.is_list else set())
    params, minimal = {}, False
    for arg in args:
        if arg == "--minimal" and cmd.is_list:
            minimal = True
            continue
        key, sep, value = arg.partition("=")
        if not sep:
            raise XeError(f"argument '{arg}' is not of the form param=value",
                          f"see `xe help {name}`")
        if key not in allowed:
            raise XeError(f"unknown parameter '{key}' for {name}",
                          f"accepted: {', '.join(sorted(allowed)) or 'none'}")
        params[key] = value
    return params, minimal


def select(name, records, params, minimal):
    """Apply list filters, params= and --minimal to the records."""
    filters = {k: v for k, v in params.items() if k != "params"}
    records = [r for r in records
               if all(any(f.name == k and f.text() == v for f in r) for k, v in filters.items())]
    if minimal:
        return ",".join(f.text() for r in records for f in r if f.name == "uuid") + "\n"
    wanted = params.get("params")
    if wanted and wanted != "all":
        names = wanted.split(",")
        known = {f.name for r in records for f in r} | set(COMMANDS[name].params)
        unknown = [n for n in names if n not in known]
        if unknown:
            raise XeError(f"unknown field '{unknown[0]}' in params=", f"fields: {', '.join(sorted(known))}")
        records = [[f for n in names for f in r if f.name == n] for r in records]
    return format_records(records) if records else ""


def main(argv=None, *, runner=None, root="/", out=None, err=None):
    """Entry point; runner/root/out/err are injected by tests."""
    argv = sys.argv[1:] if argv is None else argv
    out = out or sys.stdout
    err = err or sys.stderr
    if not argv:
        err.write(usage())
        return 1
    name, args = argv[0], argv[1:]
    if name in ("help", "--help", "-h"):
        if args and args[0] in COMMANDS:
            out.write(command_help(args[0]))
        elif args:
            err.write(f"Unknown command: {args[0]}\nFor usage run: 'xe help'\n")
            return 1
        else:
            out.write(usage())
        return 0
    if name not in COMMANDS:
        err.write(f"Unknown command: {name}\nFor usage run: 'xe help'\n")
        return 1
    try:
        params, minimal = parse_args(name, args)
        records = COMMANDS[name].run(Env(runner=runner or Runner(), root=root), params)
        out.write(select(name, records, params, minimal) if COMMANDS[name].is_list
                  else "".join(format_records(records)))
    except XeError as e:
        err.write(f"xe: {e}\n")
        return 1
    return 0
