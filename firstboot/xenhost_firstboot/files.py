"""Small file helpers shared by the steps (idempotency lives here)."""
import os

from xenhost_common.files import write_atomic


def write_if_changed(path, content, mode=0o644):
    """Write `content` atomically; return True only if the file changed.

    Comparing first is what makes every step safe to run again.
    """
    try:
        with open(path, encoding="utf-8") as existing:
            if existing.read() == content:
                return False
    except FileNotFoundError:
        pass
    write_atomic(path, content, mode)  # a power cut never leaves half a config
    return True


def read_text(path, default=None):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return default


def ensure_symlink(link, target):
    """Create link -> target; return True if it had to be created or fixed."""
    if os.path.islink(link) and os.readlink(link) == target:
        return False
    os.makedirs(os.path.dirname(link), exist_ok=True)
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(target, link)
    return True
