"""The one wrapper every external command goes through: logs it, raises CommandError with stderr.

Tests replace Commands with a fake that records argv, so the task sequence can be asserted
without root or real disks.
"""
import logging
import subprocess

from .errors import CommandError

log = logging.getLogger(__name__)


class Commands:
    def run(self, argv, *, input=None, secret_input=False, chroot=None, check=True):
        """Run argv; return stdout as text.

        secret_input: the input is a secret (password) and is never logged.
        chroot: run inside this directory via chroot(8).
        """
        argv = [str(a) for a in argv]
        if chroot:
            argv = ["chroot", str(chroot)] + argv
        log.info("run: %s%s", " ".join(argv), " (stdin: <secret>)" if secret_input and input else "")
        try:
            proc = subprocess.run(argv, input=input, capture_output=True, text=True)
        except FileNotFoundError as exc:
            raise CommandError(argv, 127, "%s: not found; install it in the installer image" % exc.filename)
        if proc.stdout.strip():
            log.debug("stdout: %s", proc.stdout.strip()[-4000:])
        if proc.stderr.strip():
            log.info("stderr: %s", proc.stderr.strip()[-4000:])
        if check and proc.returncode != 0:
            raise CommandError(argv, proc.returncode, proc.stderr)
        return proc.stdout
