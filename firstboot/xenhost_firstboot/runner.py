"""The single way firstboot runs external commands.

Steps never call subprocess directly: tests inject a fake runner and check
the commands issued, so the whole sequence runs without root.
"""
import os
import shutil
import signal
import subprocess
import threading
from dataclasses import dataclass

from .errors import FirstbootError


@dataclass
class Result:
    returncode: int
    stdout: str = ""
    stderr: str = ""


class SystemRunner:
    def which(self, name):
        return shutil.which(name) is not None

    def run(self, argv, check=True, input=None):
        """Run argv, capturing its output. `input` goes to stdin and is never
        shown: the root password reaches chpasswd this way, not in argv."""
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, input=input)
        except FileNotFoundError:
            result = Result(127, "", f"{argv[0]}: command not found")
        else:
            result = Result(proc.returncode, proc.stdout, proc.stderr)
        if check and result.returncode != 0:
            raise FirstbootError(
                f"command `{' '.join(argv)}` failed (exit {result.returncode}): "
                f"{result.stderr.strip() or result.stdout.strip()}",
                "see the message above; after fixing it run `xenhost-firstboot` again")
        return result

    def stream(self, argv, on_line, env=None, timeout=None):
        """Run argv, passing each output line (stdout and stderr merged) to
        on_line as it comes, so a long hook shows progress; return the exit
        code (124 after `timeout` seconds, 126 when it cannot be executed)."""
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
