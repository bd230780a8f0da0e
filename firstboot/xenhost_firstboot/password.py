"""Step: the root password, when the installer left it to first boot (`root-password: ask`; the
installer then leaves root's password locked). First boot never waits for it: the setup wizard
asks on the console (wizard/pending.py), so the host comes up either way."""
from .files import read_text


def root_is_locked(ctx):
    """True when root cannot log in with a password (locked, or no password field)."""
    for line in (read_text(ctx.path("/etc/shadow")) or "").splitlines():
        fields = line.split(":")
        if fields[0] == "root" and len(fields) > 1:
            return fields[1] == "" or fields[1][0] in "!*"
    return True


def set_root_password(ctx):
    if not ctx.config.ask_root_password:
        return "set by the installer"
    if not root_is_locked(ctx):
        return "already set"
    return "left to the setup wizard (root stays locked until it is answered on the console)"
