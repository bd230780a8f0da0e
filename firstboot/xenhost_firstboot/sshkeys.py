"""Step: SSH host keys (images ship without them so every host is unique)."""
import os

from .errors import FirstbootError

KEY_TYPES = ("rsa", "ecdsa", "ed25519")


def _missing(ctx):
    return [t for t in KEY_TYPES
            if not os.path.exists(ctx.path(f"/etc/ssh/ssh_host_{t}_key"))]


def generate_ssh_host_keys(ctx):
    if not ctx.runner.which("ssh-keygen"):
        return "ssh-keygen not installed, skipped"
    missing = _missing(ctx)
    if not missing:
        return "host keys present"
    # ssh-keygen -A exits 0 even when it cannot write (e.g. no /etc/ssh),
    # so make sure the directory exists and check the result ourselves.
    os.makedirs(ctx.path("/etc/ssh"), mode=0o755, exist_ok=True)
    argv = ["ssh-keygen", "-A"]
    if ctx.root != "/":
        argv += ["-f", ctx.root]  # -A with -f: keys go under this prefix
    result = ctx.runner.run(argv)
    still_missing = _missing(ctx)
    if still_missing:
        raise FirstbootError(
            f"ssh-keygen -A did not create host keys ({', '.join(still_missing)}): "
            f"{result.stderr.strip()}", "check that /etc/ssh is writable, then run xenhost-firstboot again")
    return f"generated missing host keys ({', '.join(missing)})"
