"""Preflight's refusals shown on the summary instead of a dead end: preflight (read-only) runs when
the summary is accepted, before anything is written. Each failure names the screen that fixes it,
and that screen is put back on the way Back goes, also when the answer file had answered its
section (so a disk the file named can be changed on the screens)."""
import re

# preflight.py's failures (their start) -> the answer key whose screen fixes them; first match wins.
# A failure matching none (the dom0 image, the backup's size, ...) is shown with its own fix only.
FIXED_BY = (
    (re.compile(r"guest disk |disk .*\(guest\) |volume group |disk\.guest "), "disk.guest"),
    (re.compile(r"disk |no xenhost installation "), "disk.primary"),
    (re.compile(r"network interface "), "network.interface"),
)
INTRO = "Cannot start; nothing was written. Back (Esc) leads to each screen named:"


def key_for(failure):
    return next((key for pattern, key in FIXED_BY if pattern.match(failure)), None)


def _writer(flow, key):
    return next((s for s in flow.steps if key in s.writes), None)


def screen_for(flow, key):
    """The step that fixes the answer at key, made reachable: the step that writes it, or when that
    one is not shown in this mode (upgrade picks its disk on the mode screen) the first shown step
    of its section."""
    writer = _writer(flow, key)
    if writer is None:
        return None
    flow.reopen(writer.sections)
    if flow.shown(writer):
        return writer
    return next((s for s in flow.steps if flow.shown(s) and set(s.sections) & set(writer.sections)), None)


def explain(flow, failures):
    """The text for the summary's error line: every failure, each with its screen."""
    lines = [INTRO]
    for failure in failures:
        key = key_for(failure)
        step = screen_for(flow, key) if key else None
        lines.append("- %s%s" % (failure, " (screen: %s)" % step.screen.TITLE if step else ""))
    return "\n".join(lines)
