"""The single way the toolstack runs external commands (tests inject a fake)."""
import subprocess
from dataclasses import dataclass


@dataclass
class Result:
    returncode: int
    stdout: str = ""
    stderr: str = ""


class SystemRunner:
    def run(self, argv):
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        except FileNotFoundError:
            return Result(127, "", f"{argv[0]}: command not found")
        except subprocess.TimeoutExpired:
            return Result(124, "", f"{argv[0]}: timed out after 60s")
        return Result(proc.returncode, proc.stdout, proc.stderr)
