"""Step: the root password, asked on the console when the installer left it to first boot
(`root-password: ask`; the installer then leaves root's password locked)."""
from .console import NO_TERMINAL_FIX, TtyConsole
from .errors import FirstbootError
from .files import read_text

INTRO = ("This host has no root password yet (the installer was told to ask at first boot).\n"
         "Choose one now; it is not shown while you type.")


def password_problem(first, second):
    """None when the two entries make a usable password, else what to tell the operator."""
    if not first:
        return "An empty password is refused."
    if not first.isprintable():
        return "The password contains control characters or bytes that are not UTF-8 (arrow keys?)."
    if first != second:
        return "The two entries differ."
    return None


def ask_new_password(console):
    while True:
        first = console.ask_secret("New root password: ")
        second = None if first is None else console.ask_secret("Type it again: ")
        if second is None:
            raise FirstbootError("the console closed while the root password was asked", NO_TERMINAL_FIX)
        problem = password_problem(first, second)
        if problem is None:
            return first
        console.tell(problem + " Please try again.")


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
    if not ctx.live:
        return "WARNING: not the running system (--root), root password left locked"
    console = ctx.console or TtyConsole()
    console.tell(INTRO)
    while True:
        password = ask_new_password(console)
        # stdin, never argv: argv is visible in ps and in error messages; chpasswd hashes
        # with the system's method (yescrypt on Debian 12)
        result = ctx.runner.run(["chpasswd"], check=False, input=f"root:{password}\n", secret=True)
        if result.returncode == 0:
            console.tell("Root password set.")
            return "set on the console"
        # e.g. PAM's password rules: say why (chpasswd never echoes the password) and ask again
        console.tell(f"That password was refused: {result.stderr.strip() or 'chpasswd failed'}. Please try again.")
