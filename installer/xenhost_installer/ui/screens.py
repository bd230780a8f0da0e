"""urwid screens for the interactive install. Plain widgets, no terminal access, so tests drive
them headless with widget.keypress(size, key). Works on serial consoles: ASCII, few colours."""
import urwid

from ..layout import MIN_DISK_BYTES

GiB = 1024 ** 3


def _button(label, callback, *user_args):
    b = urwid.Button(label)
    urwid.connect_signal(b, "click", lambda _b: callback(*user_args))
    return urwid.AttrMap(b, None, focus_map="focus")


def _screen(title, widgets):
    body = urwid.ListBox(urwid.SimpleFocusListWalker(widgets))
    return urwid.LineBox(urwid.Padding(body, left=1, right=1), title=title)


def disk_label(disk):
    return "%-14s %8.1f GiB  %s" % (disk.path, disk.size / GiB, disk.model or "")


class DiskScreen(urwid.WidgetWrap):
    """Choose the primary disk; the boot medium and too-small disks are shown but not selectable."""

    def __init__(self, disks, boot_media, on_choose):
        rows = [urwid.Text("Choose the disk to install xenhost on. ALL data on it will be erased."), urwid.Divider()]
        self.selectable_paths = []
        for disk in disks:
            if disk.path in boot_media:
                rows.append(urwid.Text("  " + disk_label(disk) + "  (installer medium)"))
            elif disk.size < MIN_DISK_BYTES:
                rows.append(urwid.Text("  " + disk_label(disk) + "  (too small, need %.0f GiB)" % (MIN_DISK_BYTES / GiB)))
            else:
                rows.append(_button(disk_label(disk), on_choose, disk))
                self.selectable_paths.append(disk.path)
        if not self.selectable_paths:
            rows += [urwid.Divider(), urwid.Text("No usable disk found: attach a disk of at least %.0f GiB."
                                                 % (MIN_DISK_BYTES / GiB))]
        super().__init__(_screen("Primary disk", rows))


class ConfirmScreen(urwid.WidgetWrap):
    def __init__(self, disk, on_yes, on_back):
        rows = [urwid.Text("All data on %s will be ERASED:" % disk.path), urwid.Text("  " + disk_label(disk)),
                urwid.Divider(), _button("Back", on_back), _button("Erase disk and install", on_yes)]
        super().__init__(_screen("Confirm", rows))


class PasswordScreen(urwid.WidgetWrap):
    """Root password, typed twice; on_done(password) only when both match and are non-empty."""

    def __init__(self, on_done, on_back):
        self.on_done = on_done
        self.first = urwid.Edit("Root password:  ", mask="*")
        self.second = urwid.Edit("Again:          ", mask="*")
        self.error = urwid.Text("")
        rows = [self.first, self.second, urwid.Divider(), self.error,
                _button("OK", self.submit), _button("Back", on_back)]
        super().__init__(_screen("Root password", rows))

    def submit(self):
        a, b = self.first.get_edit_text(), self.second.get_edit_text()
        if not a:
            self.error.set_text("The password must not be empty.")
        elif a != b:
            self.error.set_text("The passwords differ; type them again.")
            self.first.set_edit_text("")
            self.second.set_edit_text("")
        else:
            self.on_done(a)
