"""Keymap, welcome, and the install / upgrade / restore choice."""
import logging

import urwid

from xenhost_common.ui.widgets import ChoiceScreen, Screen, gib

from ..answers.declared import default
from ..errors import XenhostError

log = logging.getLogger(__name__)


class KeymapScreen(ChoiceScreen):
    TITLE = "Keyboard layout"
    HELP = ("The keyboard layout of this console, used from now on by the installer and written to the "
            "installed host. Type the first letter of a layout to jump to it; Enter chooses. Over a serial "
            "line the layout is your terminal's: any choice works there.")

    def __init__(self, flow, done, back):
        self.flow, self.done = flow, done
        keymaps = flow.context.keymaps
        current = flow.answers.get("keymap") or flow.context.keymap_default or default("keymap")
        choices = [("%-22s %s" % (name, km.title), name) for name, km in keymaps.items()]
        super().__init__("Choose the keyboard layout of this console (a letter jumps to it):", choices,
                         self.choose, current=current,
                         on_back=back)

    def choose(self, name):
        self.flow.answers["keymap"] = name
        load_keymap(self.flow.context.commands, name)
        self.done()


def load_keymap(commands, name):
    """Switch the console's keymap now; a serial line has no keymap, so failing is only logged."""
    if commands is None:
        return
    try:
        commands.run(["loadkeys", name])
    except XenhostError as exc:
        log.warning("loadkeys %s: %s (fine on a serial console)", name, exc)


class WelcomeScreen(Screen):
    TITLE = "Welcome to xenhost"
    HELP = ("This installs xenhost, a Xen virtualization host, on this machine. The next screens ask "
            "which disks to use (they are erased, after a confirmation), the root password, the "
            "management network, the time zone and time servers; a summary comes before anything is "
            "written. F10 leaves the installer before the install starts.")

    def __init__(self, flow, done, back):
        self.done = done
        ctx = flow.context
        linked = sum(1 for n in ctx.nics if n.carrier)
        rows = [urwid.Text("This machine: %d disk%s (%s), %d network interface%s (%d with link)."
                           % (len(ctx.disks), "" if len(ctx.disks) == 1 else "s",
                              gib(sum(d.size for d in ctx.disks)), len(ctx.nics),
                              "" if len(ctx.nics) == 1 else "s", linked)),
                urwid.Divider()]
        rows += [urwid.Text("Found: %s." % e.describe()) for e in ctx.existing]
        rows.append(urwid.Text("Nothing is written to any disk before you confirm on the summary screen."))
        super().__init__(rows, on_back=back, focus_buttons=True,
                         intro="Welcome to the xenhost installer: Next begins, F1 explains any screen.")

    def submit(self):
        self.done()


class ModeScreen(ChoiceScreen):
    """Shown only when an existing xenhost install was found. Upgrade and restore pick the disk too."""
    TITLE = "Install, upgrade or restore"
    HELP = ("A xenhost installation was found on this machine. Install erases the disks you choose and "
            "installs anew. Upgrade keeps the host's name, network, passwords, storage repository and "
            "virtual machines and installs the new dom0; the old one is copied to the backup partition "
            "first. Restore boots the version kept on the backup partition again.")

    def __init__(self, flow, done, back):
        self.flow, self.done = flow, done
        choices = [("Install xenhost, erasing the disks you choose", ("install", None))]
        for e in flow.context.existing:
            # an unreadable root or an unfinished upgrade can only be restored (preflight refuses the rest)
            if e.version and not getattr(e, "unfinished_upgrade", None):
                choices.append(("Upgrade xenhost %s on %s (host %s)" % (e.version, e.disk, e.hostname or "?"),
                                ("upgrade", e.disk)))
            if e.backup_version:
                choices.append(("Restore xenhost %s from the backup on %s" % (e.backup_version, e.disk),
                                ("restore", e.disk)))
        primary = (flow.answers.get("disk") or {}).get("primary")
        current = (flow.mode, None if flow.mode == "install" else primary)
        super().__init__("What should the installer do?", choices, self.choose, current=current, on_back=back)

    def choose(self, value):
        mode, disk = value
        self.flow.answers["mode"] = mode
        if disk:
            self.flow.answers["disk"] = {"primary": disk}
        self.done()
