"""xenhost-installer command line.

  validate FILE          check an answer file (YAML, or XenServer/XCP-ng XML: detected by content),
                         print every problem, exit non-zero if any
  boot                   what the systemd unit runs: unattended if answerfile= is on the kernel
                         command line, else the interactive screens; never reboots after a failure
  install --answerfile L unattended install from a URL or path (for use from a shell)
  interactive            the screens: disk, confirm, root password, progress, done/failed
  network-device         (xenhost-network-device.service) DHCP only on network_device= if given
"""
import argparse
import contextlib
import logging
import os
import subprocess
import sys
import time

from . import MARKER_COMPLETE, MARKER_FAILED, answers, cmdline, consoles, host as hostmod, imagedigest, log as logmod, plan as planmod
from xenhost_common.runner import Runner
from .disks import DiskProbe
from .imagedisks import ImageDisks
from .errors import InstallerError, XenhostError
from .install import install

# journald's stores in the live system: the initrd's part stays in /run (volatile), the rest goes to
# /var/log/journal (in the overlay's RAM: Debian's systemd makes the folder, so journald uses it)
LIVE_JOURNALS = ("/run/log/journal", "/var/log/journal")

log = logging.getLogger("xenhost_installer")


def _print(text):
    print(text, flush=True)


def _fail(reason):
    """The failure marker and its reason, on every console (consoles.py says why)."""
    consoles.announce("%s %s" % (MARKER_FAILED, reason), _print)


def cmd_validate(args):
    """YAML or XenServer XML (detected by content); XML problems name XML places
    (installation/admin-interface@proto), YAML ones key paths (network.mode)."""
    try:
        data = answers.parse_text(answers.fetch_text(args.file, attempts=1, commands=Runner()), args.file)
        found = answers.problems(data)
    except XenhostError as exc:
        found = getattr(exc, "problems", None)
        if not found:
            _print(str(exc))
            return 1
    for problem in found:
        _print(problem)
    if found:
        _print("%s: %d problem%s" % (args.file, len(found), "" if len(found) == 1 else "s"))
        return 1
    _print("%s: valid" % args.file)
    return 0


def run_shell():
    """An interactive shell on the console; returns when it exits."""
    _print("xenhost-installer: starting a shell; the log is %s" % logmod.LOG_PATH)
    subprocess.call(["/bin/bash", "-l"])


def hold_after_failure():
    """Never reboot after a failure: offer a shell, forever (sleep if there is no terminal)."""
    while True:
        start = time.monotonic()
        if sys.stdin.isatty():
            run_shell()
        if time.monotonic() - start < 2:
            time.sleep(3600)


def do_atexit(action, commands):
    log.info("atexit: %s", action)
    if action == "shell":
        run_shell()
    elif action in ("reboot", "poweroff"):
        # --force: skip stopping the live system's units (the target is unmounted and synced by now;
        # the live root holds nothing to keep). An orderly stop took 487 s after an interactive
        # install: stop jobs of processes holding the live overlay timed out one after another.
        commands.run(["systemctl", "--force", action])


def disk_access(commands, args, boot_opts):
    """The machine's disks, or in test mode (--target-images) image files named /dev/xh-image0, ..."""
    if getattr(args, "target_images", None):
        return ImageDisks(args.target_images.split(","), commands)
    return contextlib.nullcontext(DiskProbe(commands, boot_opts.raw))


def live_journal(args):
    """The journal to keep with the install log: the live system's, never in test mode (there it
    would be the build machine's)."""
    return () if getattr(args, "target_images", None) else LIVE_JOURNALS


def run_install(make_plan, args, boot_opts, hold):
    """Shared ending for unattended and interactive installs: markers, atexit, failure policy."""
    commands = Runner()
    try:
        imagedigest.prefetch(args.image)
        host = hostmod.gather(boot_opts.raw)
        plan = make_plan(commands, host)
        if plan is None:
            _print("xenhost-installer: cancelled")
            return 1
        with disk_access(commands, args, boot_opts) as probe:
            install(plan, commands=commands, probe=probe, host=host, journal_dirs=live_journal(args))
    except XenhostError as exc:
        log.error("installation failed: %s", exc)
        _fail(exc)
        return hold_after_failure() if hold else 1
    except Exception as exc:            # a bug: still show the marker, never reboot
        log.exception("internal error")
        _fail("internal error: %s: %s (see %s)" % (type(exc).__name__, exc, logmod.LOG_PATH))
        return hold_after_failure() if hold else 1
    _print(MARKER_COMPLETE)
    if not args.no_atexit:
        do_atexit(plan.atexit, commands)
    return 0


def read_answers(location, boot_opts, commands):
    _print("xenhost-installer: reading answer file %s" % answers.redact_location(location))
    pin = boot_opts.answerfile_sha256 if location == boot_opts.answerfile else None   # pins the cmdline's file
    data = answers.load(location, sha256=pin, commands=commands, announce=_print)
    log.info("answers (redacted):\n%s", answers.redacted_yaml(data))
    return data


def network_image(args, boot_opts, data=None):
    """The answer file's source.url, else image_url=: fetch and verify the dom0 image before anything
    else happens (imagesource.py); args.image becomes the verified copy. Raises InstallerError."""
    url = ((data or {}).get("source") or {}).get("url") or boot_opts.image_url
    if url:
        from .imagesource import ImageSource
        _print("xenhost-installer: fetching the dom0 image from %s" % answers.redact_location(url))
        args.image = ImageSource(announce=_print).fetch(url)


def unattended_plan(data, args, boot_opts):
    def make(commands, host):
        return planmod.from_answers(data, image=args.image, atexit_override=args.atexit or boot_opts.atexit,
                                    network_device=boot_opts.network_device, keymap=boot_opts.keymap)
    return make


def answer_file_install(location, args, boot_opts, hold):
    """Unattended, or the screens for what the file leaves to them (interactive-sections)."""
    try:
        data = read_answers(location, boot_opts, Runner())
        network_image(args, boot_opts, data)
    except XenhostError as exc:
        log.error("installation failed: %s", exc)
        _fail(exc)
        return hold_after_failure() if hold else 1
    if data.get("interactive-sections"):
        _print("xenhost-installer: the answer file leaves %s to the screens" % ", ".join(data["interactive-sections"]))
        return run_interactive(args, boot_opts, hold, given=data)
    return run_install(unattended_plan(data, args, boot_opts), args, boot_opts, hold)


def run_interactive(args, boot_opts, hold, given=None):
    """The screens (disk, confirm, password, progress, done/failed) around the same install(); the
    chosen action runs once the screens have given the terminal back. Never reboots after a failure."""
    commands = Runner()
    try:
        from .ui.app import run_interactive as run_ui
        host = hostmod.gather(boot_opts.raw)
        if given is None:               # with an answer file, answer_file_install fetched it
            network_image(args, boot_opts)
        # test mode (--target-images) must show and write the image files, never the machine's disks
        with disk_access(commands, args, boot_opts) as probe:
            def install_fn(plan, runner):
                log.info("answers (redacted):\n%s", answers.redacted_yaml(plan.answers_redacted))
                return install(plan, commands=commands, probe=probe, host=host, runner=runner,
                               journal_dirs=live_journal(args))
            atexit_default = args.atexit or boot_opts.atexit or answers.declared.given(given, "atexit")
            ui = run_ui(probe, install_fn, image=args.image, atexit_default=atexit_default,
                        log_path=logmod.LOG_PATH, host=host, answers=given, commands=commands,
                        keymap=boot_opts.keymap, network_device=boot_opts.network_device)
    except XenhostError as exc:
        log.error("installation failed: %s", exc)
        _fail(exc)
        return hold_after_failure() if hold else 1
    except Exception as exc:            # a bug (or no usable terminal): still show the marker, never reboot
        log.exception("internal error")
        _fail("internal error: %s: %s (see %s)" % (type(exc).__name__, exc, logmod.LOG_PATH))
        return hold_after_failure() if hold else 1
    if ui is None:
        _print("xenhost-installer: cancelled")
        return 1
    if ui.error is not None:
        _fail(ui.error)
        log.info("after failure: %s", ui.choice)
        if not args.no_atexit and ui.choice == "poweroff":
            try:
                do_atexit("poweroff", commands)
            except XenhostError as exc:
                _print("xenhost-installer: could not power off: %s" % exc)
        elif not args.no_atexit and ui.choice == "shell" and not hold:
            run_shell()
        return hold_after_failure() if hold else 1
    _print(MARKER_COMPLETE)
    if not args.no_atexit:
        do_atexit(ui.choice, commands)
    return 0


def build_parser():
    p = argparse.ArgumentParser(prog="xenhost-installer", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check an answer file (YAML or XenServer/XCP-ng XML)")
    v.add_argument("file", help="path or URL of the answer file")
    n = sub.add_parser("network-device", help="restrict the installer's DHCP to network_device= (if given)")
    n.add_argument("--cmdline", default="/proc/cmdline", help="kernel command line file (for tests)")
    for name in ("boot", "install", "interactive"):
        s = sub.add_parser(name)
        s.add_argument("--image", default=planmod.DEFAULT_IMAGE, help="dom0 image: dom0.img.zst or a root tarball (with PATH.sha256)")
        s.add_argument("--cmdline", default="/proc/cmdline", help="kernel command line file (for tests)")
        s.add_argument("--atexit", choices=cmdline.ATEXIT_CHOICES, help="override the answer file's atexit")
        s.add_argument("--no-atexit", action="store_true", help="do not reboot/poweroff/shell at the end")
        if name == "install":
            s.add_argument("--answerfile", required=True, help="http(s)://, file:// URL or a path")
            s.add_argument("--target-images", metavar="A.img,B.img",
                           help="test mode: install onto these image files, called /dev/xh-image0, "
                                "/dev/xh-image1, ... in the answer file; never runs the atexit action")
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    if getattr(args, "target_images", None):
        args.no_atexit = True           # test mode runs on a build host: never reboot it
    if args.command == "validate":
        return cmd_validate(args)
    if args.command == "network-device":
        from . import netdevice
        try:
            netdevice.apply(args.cmdline)
        except InstallerError as exc:   # the installer itself reports a bad command line
            _print("xenhost-installer: network-device: %s" % exc)
        return 0
    logmod.setup()
    log.info("xenhost-installer %s (pid %d)", " ".join(sys.argv[1:] if argv is None else argv), os.getpid())
    hold = args.command == "boot"
    try:
        boot_opts = cmdline.read(args.cmdline)
    except (OSError, XenhostError) as exc:
        _fail(exc)
        return hold_after_failure() if hold else 1
    location = getattr(args, "answerfile", None) or (boot_opts.answerfile if args.command == "boot" else None)
    if not location:
        return run_interactive(args, boot_opts, hold)
    return answer_file_install(location, args, boot_opts, hold)


if __name__ == "__main__":
    sys.exit(main())
