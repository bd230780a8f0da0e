"""Step: give the host the name chosen in the installer."""
from .files import read_text, write_if_changed

# Debian maps the host's own name to 127.0.1.1 so it resolves without DNS.
_HOSTS_ADDR = "127.0.1.1"
_DEFAULT_HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"


def set_hostname(ctx):
    name = ctx.config.hostname
    changed = write_if_changed(ctx.path("/etc/hostname"), name + "\n")
    changed |= _update_hosts(ctx, name)
    if ctx.live:
        # /etc/hostname is only read at boot; set the running kernel's name too.
        current = ctx.runner.run(["hostname"]).stdout.strip()
        if current != name:
            ctx.runner.run(["hostname", name])
            changed = True
    return f"set to {name}" if changed else f"already {name}"


def _update_hosts(ctx, name):
    path = ctx.path("/etc/hosts")
    short = name.split(".")[0]
    entry = f"{_HOSTS_ADDR}\t{name}" + (f"\t{short}" if short != name else "")
    lines = (read_text(path) or _DEFAULT_HOSTS).splitlines()
    kept = [line for line in lines if not line.split() or line.split()[0] != _HOSTS_ADDR]
    # keep the Debian layout: localhost first, then our line, then the rest
    insert_at = 1 if kept and kept[0].startswith("127.0.0.1") else 0
    kept.insert(insert_at, entry)
    return write_if_changed(path, "\n".join(kept) + "\n")
