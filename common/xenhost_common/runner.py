"""The one way runtime components run external programs.

Every call goes through Runner.run (capture) or Runner.stream (line by line): logged (secrets
never), stdin from /dev/null unless given, LC_ALL=C where output is parsed, a timeout, optional
chroot, and a missing program raised as ProgramMissing naming the package to install. Tests pass
testing.FakeRunner instead: the process boundary is the seam, nothing is patched.
"""
import logging
import os
import shutil
import signal
import subprocess
import threading
from dataclasses import dataclass

from .errors import CommandFailed, ProgramMissing

log = logging.getLogger("xenhost.run")


@dataclass
class Result:
    argv: list
    returncode: int
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False

    @property
    def ok(self):
        return self.returncode == 0

    def lines(self):
        return self.stdout.splitlines()


def command_env(parse, env=None):
    """The environment of a command: the caller's, with LC_ALL=C when its output is parsed
    (a translated message or a localised number would break the parser)."""
    merged = dict(os.environ if env is None else env)
    if parse:
        merged["LC_ALL"] = "C"
    return merged


class Runner:
    default_timeout = 3600

    def which(self, program):
        return shutil.which(program) is not None

    def run(self, argv, *, check=True, input=None, secret=False, chroot=None, timeout=None,
            parse=True, env=None, cwd=None, fix=""):
        """Run argv to completion, capturing stdout and stderr; return a Result.

        input: text for stdin (else /dev/null). secret: input is a password, never logged.
        check: raise CommandFailed on a non-zero exit. parse: LC_ALL=C (default: callers parse).
        """
        argv = [str(a) for a in argv]
        if chroot:
            argv = ["chroot", str(chroot)] + argv
        log.info("run: %s%s", " ".join(argv), " (stdin: <secret>)" if secret and input else "")
        try:
            proc = subprocess.run(argv, input=input, capture_output=True, text=True, errors="replace",
                                  stdin=None if input is not None else subprocess.DEVNULL,
                                  timeout=timeout or self.default_timeout, env=command_env(parse, env), cwd=cwd)
            result = Result(argv, proc.returncode, proc.stdout, proc.stderr)
        except FileNotFoundError as exc:
            raise ProgramMissing(exc.filename or argv[0]) from None
        except subprocess.TimeoutExpired as exc:
            result = Result(argv, 124, _text(exc.stdout), _text(exc.stderr), timed_out=True)
        if result.stdout.strip():
            log.debug("stdout: %s", result.stdout.strip()[-4000:])
        if result.stderr.strip():
            log.info("stderr: %s", result.stderr.strip()[-4000:])
        if check and not result.ok:
            raise CommandFailed(result, fix)
        return result

    def stream(self, argv, on_line, *, env=None, timeout=None):
        """Run argv, passing each output line (stdout and stderr merged) to on_line as it comes;
        return the exit code (124 after `timeout` seconds, 126 when it cannot be executed)."""
        argv = [str(a) for a in argv]
        log.info("stream: %s", " ".join(argv))
        try:
            proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, env=env, text=True, errors="replace",
                                    start_new_session=True)
        except OSError as e:
            on_line(f"cannot execute {argv[0]}: {e.strerror}")
            return 126
        killed = []

        def kill():
            # the whole process group: a child left holding the pipe would keep us reading
            killed.append(True)
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        try:
            for line in proc.stdout:
                on_line(line.rstrip("\n"))
            code = proc.wait()
        finally:
            if timer:
                timer.cancel()
        if killed:
            on_line(f"killed after {timeout}s")
            return 124
        return code


def _text(value):
    if value is None:
        return ""
    return value.decode(errors="replace") if isinstance(value, bytes) else value
