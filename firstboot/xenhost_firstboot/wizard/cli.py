"""xenhost-setup: the setup wizard. At first boot (--first-boot) it asks what the first-boot data
left undecided; later, run as root, it changes the management network and the host name (or the
sections given with --ask). --answers FILE applies an answer file in the installer's schema
(network, hostname, root-password, and disk.guest + storage.type for a local SR) without screens."""
import argparse
import os
import sys

from xenhost_common import contract, names
from xenhost_common.errors import XenhostError
from xenhost_common.runner import Runner

from . import apply as applymod
from .answers import from_firstboot
from .facts import gather
from .pending import SECTIONS, read_pending
from .unattended import from_answer_file

PREFIX = "xenhost-setup:"
DONE = f"{PREFIX} done"
RERUN_SECTIONS = ["network", "hostname"]
NO_DATA = {"version": 1, "management": {"mode": "none"}}     # a plain Debian host: nothing decided yet


def load_data(root):
    path = os.path.join(root, names.FIRSTBOOT_DATA.lstrip("/"))
    return contract.load(path) if os.path.exists(path) else dict(NO_DATA)


def parse(argv):
    parser = argparse.ArgumentParser(prog="xenhost-setup", description=__doc__)
    parser.add_argument("--first-boot", action="store_true",
                        help="ask only what first boot left undecided (the wizard unit runs this)")
    parser.add_argument("--ask", nargs="+", choices=SECTIONS, metavar="SECTION",
                        help="the sections to ask: %s (default: network hostname)" % " ".join(SECTIONS))
    parser.add_argument("--answers", metavar="FILE", help="apply this answer file instead of asking")
    parser.add_argument("--root", default="/", help="the system to set up (default /; others: no live commands)")
    return parser.parse_args(argv)


def main(argv=None, *, runner=None, facts=None, ask=None, out=None, lease_wait=applymod.LEASE_WAIT_S):
    """Entry point; runner, facts, ask (the screens: ask(facts, answers, pending, error) -> answers
    or None) and out are injected by tests."""
    args = parse(argv)
    out = out or sys.stdout
    root = os.path.abspath(args.root)
    live = os.path.realpath(root) == "/"

    def say(text):
        print(f"{PREFIX} {text}", file=out, flush=True)

    runner = runner or Runner()
    try:
        data = load_data(root)
        facts = facts or gather(runner)

        def apply_fn(answers, pending):
            applymod.apply(root, runner, data, answers, pending, facts, live=live, say=say, lease_wait=lease_wait)
        if args.answers:
            apply_fn(*from_answer_file(args.answers))
        else:
            pending = read_pending(root) if args.first_boot else (args.ask or RERUN_SECTIONS)
            if not pending:
                say("nothing left undecided")
                return 0
            if ask_until_applied(ask, facts, from_firstboot(data), pending, say, apply_fn) is None:
                say("left for later: run xenhost-setup as root on the console to finish")
                return 0
    except XenhostError as e:
        say(f"FAILED: {e}")
        return 1
    print(DONE, file=out, flush=True)
    return 0


def ask_until_applied(ask, facts, answers, pending, say, apply_fn):
    """Screens, then apply; a refusal (nothing written) shows the screens again with the reason."""
    if ask is None:
        from .app import run as ask
    error = None
    while True:
        answers = ask(facts, answers, pending, error)
        if answers is None:
            return None
        try:
            apply_fn(answers, pending)
            return answers
        except XenhostError as e:
            say(f"not applied: {e}")
            error = str(e)
