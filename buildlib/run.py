"""The one way the build side runs external programs: logged, and failures made readable."""
import logging
import shlex
import subprocess
from pathlib import Path

from .errors import CommandFailed

log = logging.getLogger("xenhost.run")


def run(cmd, *, cwd=None, env=None, log_file: Path | None = None, input_text=None,
        fix: str = "", capture: bool = False) -> str:
    """Run cmd; return its stdout when capture, else stream output to log_file (or inherit).

    On failure raise CommandFailed with the last lines of output, so the message alone
    usually says what went wrong.
    """
    printable = " ".join(shlex.quote(str(c)) for c in cmd)
    log.debug("run: %s", printable)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(log_file, "a") as out:
            out.write(f"\n$ {printable}\n")
            out.flush()
            proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, text=True,
                                  input=input_text, stdout=out, stderr=subprocess.STDOUT)
        if proc.returncode != 0:
            tail = "".join(log_file.read_text(errors="replace").splitlines(True)[-15:])
            raise CommandFailed(f"`{printable}` failed (exit {proc.returncode}); last lines of "
                                f"{log_file}:\n{tail}", fix or f"read the full log: {log_file}")
        return ""
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, text=True, input=input_text,
                          stdout=subprocess.PIPE if capture else None,
                          stderr=subprocess.PIPE if capture else None)
    if proc.returncode != 0:
        detail = (proc.stderr or "").strip()[-2000:] if capture else ""
        raise CommandFailed(f"`{printable}` failed (exit {proc.returncode})"
                            + (f": {detail}" if detail else ""), fix)
    return proc.stdout if capture else ""
