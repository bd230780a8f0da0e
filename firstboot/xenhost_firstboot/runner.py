"""The single way firstboot runs external commands.

Steps never call subprocess directly: tests inject a fake runner and check
the commands issued, so the whole sequence runs without root.
"""
import shutil
import subprocess
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

    def run(self, argv, check=True):
        try:
            proc = subprocess.run(argv, capture_output=True, text=True)
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
