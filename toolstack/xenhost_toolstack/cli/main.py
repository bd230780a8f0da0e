"""xe: XenServer's command line for a xenhost host.

    xe <command> [param=value ...] [map:key=value ...] [--minimal] [--json] [--force] [--multiple]

Errors go to stderr with exit code 1, worded as XAPI words them.
"""
import sys

from ..context import Context
from ..errors import XeError
from . import commands_host, commands_storage, commands_vm, generic  # noqa: F401  (they register)
from .registry import lookup, usage
from .syntax import parse


def _help(words, out):
    out.write(lookup(words[0]).help() if words else usage())


def main(argv=None, *, runner=None, root="/", out=None, err=None):
    """Entry point; runner/root/out/err are injected by tests."""
    argv = sys.argv[1:] if argv is None else argv
    out, err = out or sys.stdout, err or sys.stderr
    if not argv:
        err.write(usage())
        return 1
    ctx = Context(runner, root)
    try:
        if argv[0] in ("help", "--help", "-h"):
            _help(argv[1:], out)
            return 0
        args = parse(argv)
        command = lookup(args.command)
        command.check(args)
        out.write(command.run(ctx, args) or "")
    except XeError as e:
        err.write(f"{e}\n")
        return 1
    finally:
        ctx.close()
    return 0
