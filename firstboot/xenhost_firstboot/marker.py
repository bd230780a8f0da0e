"""Step: the marker that stops the unit from running on later boots."""
from datetime import datetime, timezone

from xenhost_common.names import FIRSTBOOT_DONE

from .files import write_if_changed

MARKER_PATH = FIRSTBOOT_DONE


def write_marker(ctx):
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    write_if_changed(ctx.path(MARKER_PATH), f"completed {stamp}\n")
    return f"wrote {MARKER_PATH}"
