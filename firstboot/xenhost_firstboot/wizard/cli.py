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

from ..context import Context
from ..config import from_data
from ..files import read_text
from . import apply as applymod
from . import debian
from .answers import from_firstboot
from .facts import gather
from .pending import SECTIONS, read_pending, shown
from .unattended import from_answer_file

PREFIX = "xenhost-setup:"
DONE = names.SETUP_DONE_MARKER
RERUN_SECTIONS = ["network", "hostname"]
DEBIAN_SECTIONS = ["network", "hostname", "local-sr"]     # a plain Debian machine: all of it
NO_DATA = {"version": 1, "management": {"mode": "none"}}     # a plain Debian host: nothing decided yet


def data_path(root):
    return os.path.join(root, names.FIRSTBOOT_DATA.lstrip("/"))


def load_data(root):
    return contract.load(data_path(root)) if os.path.exists(data_path(root)) else dict(NO_DATA)


def defaults(data, facts, runner, root="/"):
    """The screens' starting answers: the data's; on plain Debian the running uplink and name."""
    answers = from_firstboot(data)
    if facts.debian:
        answers["network"] = debian.uplink(runner, read_text(os.path.join(root, debian.IFUPDOWN.lstrip("/"))))
        answers["hostname"] = runner.run(["hostname"], check=False).stdout.strip() or "xenhost"
    return answers


def parse(argv):
    parser = argparse.ArgumentParser(prog="xenhost-setup", description=__doc__)
    parser.add_argument("--first-boot", action="store_true",
                        help="ask only what first boot left undecided (the wizard unit runs this)")
    parser.add_argument("--ask", nargs="+", choices=SECTIONS, metavar="SECTION",
                        help="the sections to ask: %s (default: network hostname)" % " ".join(SECTIONS))
    parser.add_argument("--answers", metavar="FILE", help="apply this answer file instead of asking")
    parser.add_argument("--root", default="/", help="the system to set up (default /; others: no live commands)")
    parser.add_argument("--undo", action="store_true",
                        help="plain Debian: put back what xenhost-setup changed (ifupdown, GRUB); the "
                             "package's removal runs it")
    return parser.parse_args(argv)


def main(argv=None, *, runner=None, facts=None, ask=None, out=None, live=None, lease_wait=applymod.LEASE_WAIT_S):
    """Entry point; runner, facts, ask (the screens: ask(facts, answers, pending, error) -> answers
    or None), out and live are injected by tests."""
    args = parse(argv)
    out = out or sys.stdout
    root = os.path.abspath(args.root)
    if live is None:
        live = os.path.realpath(root) == "/"

    def say(text):
        print(f"{PREFIX} {text}", file=out, flush=True)

    runner = runner or Runner()
    try:
        if args.undo:
            ctx = Context(config=from_data(dict(NO_DATA)), root=root, runner=runner, live=live)
            say("; ".join(debian.undo(ctx, applymod.WRITTEN_BY_US)) or "nothing to undo")
            return 0
        data = load_data(root)
        # an appliance: first boot ran here (our installer's host, or Debian after its reboot into Xen)
        facts = facts or gather(runner, root, appliance=os.path.exists(os.path.join(root, names.FIRSTBOOT_DONE[1:])))

        def apply_fn(answers, pending):
            applymod.apply(root, runner, data, answers, pending, facts, live=live, say=say, lease_wait=lease_wait)
        if args.answers:
            answers, sections = from_answer_file(args.answers)
            if facts.debian:
                # what the file leaves out keeps the machine as it is (its uplink, its name, no
                # SR), so the boot into Xen finds nothing undecided and shows no wizard
                answers = dict(defaults(data, facts, runner, root), **answers)
                sections = [s for s in SECTIONS if s in {*sections, *DEBIAN_SECTIONS}]
            apply_fn(answers, sections)
        else:
            rerun = DEBIAN_SECTIONS if facts.debian else RERUN_SECTIONS
            pending = shown(read_pending(root) if args.first_boot else (args.ask or rerun))
            if not pending:
                say("nothing left undecided")
                return 0
            if ask_until_applied(ask, facts, defaults(data, facts, runner, root), pending, say, apply_fn) is None:
                say("left for later: run xenhost-setup as root on the console to finish")
                return 0
    except XenhostError as e:
        say(f"FAILED: {e}")
        return 1
    if facts.debian:
        say("a reboot is needed: GRUB starts Xen with this Debian as dom0, and the management bridge "
            "takes over the uplink then")
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
