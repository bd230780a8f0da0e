"""xenhost-firstboot: apply /etc/xenhost/firstboot.yaml once (see CONVENTIONS.md)."""
import argparse
import os
import sys
import traceback

from .config import CONFIG_PATH, load_config
from .context import Context
from .errors import FirstbootError
from .files import read_text
from .marker import MARKER_PATH
from .runner import SystemRunner
from .steps import STAGES, STEPS, numbered

PREFIX = "xenhost-firstboot:"
TRACEBACK_PATH = "/var/log/xenhost-firstboot.traceback"


def main(argv=None, *, runner=None, live=None, out=None, err=None, console=None):
    """Entry point. runner/live/out/err/console are injected by tests."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = argparse.ArgumentParser(prog="xenhost-firstboot", description=__doc__)
    parser.add_argument("--root", default="/",
                        help="apply to the system under DIR (default /); "
                             "with a root other than / no live commands run")
    parser.add_argument("--stage", choices=[*STAGES, "all"], default="all",
                        help="configure (early, before the network starts), finish (root "
                             "password, hooks, marker) or all (default: both, e.g. by hand)")
    args = parser.parse_args(argv)
    root = os.path.abspath(args.root)
    if live is None:
        live = os.path.realpath(root) == "/"

    def say(text, stream=out):
        print(f"{PREFIX} {text}", file=stream, flush=True)  # flush: console ordering

    marker = read_text(os.path.join(root, MARKER_PATH.lstrip("/")))
    if marker is not None:
        say(f"already done ({marker.strip()}); remove {MARKER_PATH} to run again")
        return 0

    try:
        config = load_config(os.path.join(root, CONFIG_PATH.lstrip("/")))
        ctx = Context(config=config, root=root, runner=runner or SystemRunner(), live=live,
                      say=say, console=console)
        for number, name, step in numbered(args.stage):
            say(f"[{number}/{len(STEPS)}] {name}: {_run_step(name, step, ctx)}")
    except FirstbootError as e:
        say(f"FAILED: {e}", stream=err)
        return 1
    except Exception as e:  # noqa: BLE001 -- one clear line on the console, never a traceback
        saved = _save_traceback(root)
        say(f"FAILED: unexpected {type(e).__name__}: {e}. Fix: this is a bug in xenhost-firstboot; "
            f"report it with {saved}", stream=err)
        return 1
    if args.stage != "configure":
        say("done")
    return 0


def _run_step(name, step, ctx):
    try:
        return step(ctx)
    except OSError as e:
        raise FirstbootError(f"step {name}: {e}",
                             "fix the file system problem, then run xenhost-firstboot again") from e


def _save_traceback(root):
    path = os.path.join(root, TRACEBACK_PATH.lstrip("/"))
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(traceback.format_exc())
    except OSError:
        return "the output of `xenhost-firstboot` run by hand"
    return TRACEBACK_PATH
