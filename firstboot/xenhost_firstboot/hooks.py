"""Step: the site's first-boot hooks (answer file `hooks: first-boot:`), copied by the installer to
/etc/xenhost/firstboot.d and listed in firstboot.yaml in the order they run.

Each hook that succeeds gets a record in DONE_DIR, so when a later hook fails and first boot runs
again (next boot, or by hand) the ones that succeeded are not run twice. A failing hook stops the
sequence: later hooks may depend on it.
"""
import os
import time
from datetime import datetime, timezone

from .errors import FirstbootError
from .files import write_if_changed
from .online import wait_for_network_online

DONE_DIR = "/var/lib/xenhost/firstboot-hooks"
TIMEOUT_S = 30 * 60     # a hook that hangs must not keep the login prompt away for ever


def run_hooks(ctx):
    hooks = ctx.config.hooks
    if not hooks:
        return "none"
    if not ctx.live:
        return f"not the running system (--root), {len(hooks)} not run"
    ran, earlier = [], []
    for number, hook in enumerate(hooks, start=1):
        name = os.path.basename(hook)
        record = ctx.path(f"{DONE_DIR}/{name}.done")
        if os.path.exists(record):
            earlier.append(name)
            continue
        _check_runnable(ctx, hook)
        wait_for_network_online(ctx)    # hooks may need the network (once, before the first)
        ctx.say(f"hook {number}/{len(hooks)} {name}: running")
        start = time.monotonic()
        code = ctx.runner.stream([ctx.path(hook)], lambda line: ctx.say(f"  {name}| {line}"),
                                 env=dict(os.environ, XENHOST_STAGE="first-boot"), timeout=TIMEOUT_S)
        took = f"{time.monotonic() - start:.1f}s"
        if code != 0:
            raise FirstbootError(
                f"hook {hook} failed (exit {code}, after {took}; its output is above and in the journal)",
                "fix the hook or what it needs, then run `xenhost-firstboot` again: hooks that "
                "succeeded are not run twice")
        ctx.say(f"hook {number}/{len(hooks)} {name}: ok ({took})")
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        write_if_changed(record, f"exit 0 at {stamp}\n")
        ran.append(name)
    parts = [f"ran {', '.join(ran)}"] if ran else []
    if earlier:
        parts.append(f"done on an earlier run: {', '.join(earlier)}")
    return "; ".join(parts)


def _check_runnable(ctx, hook):
    path = ctx.path(hook)
    if not os.path.isfile(path):
        raise FirstbootError(f"hook {hook} is listed in firstboot.yaml but missing",
                             "put the script back, or remove it from hooks: in /etc/xenhost/firstboot.yaml")
    if not os.access(path, os.X_OK):
        raise FirstbootError(f"hook {hook} is not executable", f"chmod +x {hook}")
