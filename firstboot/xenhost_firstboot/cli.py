"""xenhost-firstboot: apply /etc/xenhost/firstboot.yaml once (see CONVENTIONS.md)."""
import argparse
import os
import sys

from .config import CONFIG_PATH, load_config
from .context import Context
from .errors import FirstbootError
from .files import read_text
from .marker import MARKER_PATH
from .runner import SystemRunner
from .steps import STEPS

PREFIX = "xenhost-firstboot:"


def main(argv=None, *, runner=None, live=None, out=None, err=None):
    """Entry point. runner/live/out/err are injected by tests."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = argparse.ArgumentParser(prog="xenhost-firstboot", description=__doc__)
    parser.add_argument("--root", default="/",
                        help="apply to the system under DIR (default /); "
                             "with a root other than / no live commands run")
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
        ctx = Context(config=config, root=root, runner=runner or SystemRunner(), live=live)
        for number, (name, step) in enumerate(STEPS, start=1):
            try:
                detail = step(ctx)
            except OSError as e:
                raise FirstbootError(f"step {name}: {e}",
                                     "fix the file system problem, then run xenhost-firstboot again") from e
            say(f"[{number}/{len(STEPS)}] {name}: {detail}")
    except FirstbootError as e:
        say(f"FAILED: {e}", stream=err)
        return 1
    say("done")
    return 0
