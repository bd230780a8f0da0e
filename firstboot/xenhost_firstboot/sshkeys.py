"""Step: SSH host keys (images ship without them so every host is unique)."""
import os

from .errors import FirstbootError

KEY_TYPES = ("rsa", "ecdsa", "ed25519")      # what sshd offers (Debian's default HostKey list)
# Made here, before sshd starts. RSA (3072 bits) took 18-30 s of CPU under TCG, on the two CPUs
# every other first-boot step runs on: RSA_UNIT makes it after the login prompt, at the lowest
# priority (`ssh-keygen -A`: only what is missing). sshd loads its host keys for every connection
# (it re-executes itself), so it offers the RSA key from then on without a restart; until then it
# offers ECDSA and Ed25519 (`sshd -t` passes with the RSA key missing, fails with none).
BOOT_KEY_TYPES = ("ecdsa", "ed25519")
RSA_UNIT = "xenhost-ssh-rsa-key.service"


def key_path(ctx, key_type):
    return ctx.path(f"/etc/ssh/ssh_host_{key_type}_key")


def _missing(ctx, key_types):
    return [t for t in key_types if not os.path.exists(key_path(ctx, t))]


def generate_ssh_host_keys(ctx):
    if not ctx.runner.which("ssh-keygen"):
        return "ssh-keygen not installed, skipped"
    missing = _missing(ctx, BOOT_KEY_TYPES)
    later = "; rsa: after boot (%s)" % RSA_UNIT if _missing(ctx, ["rsa"]) else ""
    if not missing:
        return "host keys present" + later
    os.makedirs(ctx.path("/etc/ssh"), mode=0o755, exist_ok=True)
    results = [ctx.runner.run(["ssh-keygen", "-q", "-t", key_type, "-N", "", "-f", key_path(ctx, key_type)])
               for key_type in missing]
    # ssh-keygen can exit 0 without a key (e.g. no writable /etc/ssh): check the files themselves
    still_missing = _missing(ctx, missing)
    if still_missing:
        errors = " ".join(r.stderr.strip() for r in results if r.stderr.strip())
        raise FirstbootError(
            f"ssh-keygen did not create host keys ({', '.join(still_missing)}): {errors}",
            "check that /etc/ssh is writable, then run xenhost-firstboot again")
    return f"generated missing host keys ({', '.join(missing)})" + later
