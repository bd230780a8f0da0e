"""Screen flow: disk -> confirm erase -> root password. The screens fill an answers dict that goes
through the same validation and plan builder as an answer file, so both paths install the same way.
Progress is then the console task runner (same lines as unattended), and atexit defaults to reboot."""
import urwid

from .. import answers as answersmod
from .. import plan as planmod
from .screens import ConfirmScreen, DiskScreen, PasswordScreen

PALETTE = [("focus", "black", "light gray"), ("header", "white,bold", "dark blue")]


class InstallerUI:
    def __init__(self, disks, boot_media, image=planmod.DEFAULT_IMAGE, on_finished=None):
        self.disks, self.boot_media, self.image = disks, boot_media, image
        self.on_finished = on_finished or self._exit_loop
        self.disk = None
        self.plan = None
        self.frame = urwid.Frame(urwid.SolidFill(" "), header=urwid.AttrMap(
            urwid.Text(" xenhost installer   (arrows/Tab move, Enter selects)"), "header"))
        self.show_disks()

    @property
    def screen(self):
        return self.frame.body

    def show_disks(self):
        self.frame.body = DiskScreen(self.disks, self.boot_media, self.choose_disk)

    def choose_disk(self, disk):
        self.disk = disk
        self.frame.body = ConfirmScreen(disk, self.confirmed, self.show_disks)

    def confirmed(self):
        self.frame.body = PasswordScreen(self.password_done, lambda: self.choose_disk(self.disk))

    def password_done(self, password):
        data = {"version": 1, "disk": {"primary": self.disk.path}, "root-password": {"plaintext": password},
                "network": {"interface": "auto", "mode": "dhcp"}, "atexit": "reboot"}
        answersmod.validate(data, "screens")
        self.plan = planmod.from_answers(data, image=self.image)
        self.on_finished()

    @staticmethod
    def _exit_loop():
        raise urwid.ExitMainLoop()


def run_screens(probe, image=planmod.DEFAULT_IMAGE):
    """Run the screens on the terminal; return an InstallPlan, or None if the user quit (F10/Ctrl-C)."""
    ui = InstallerUI(probe.list_disks(), probe.boot_media(), image)

    def unhandled(key):
        if key in ("f10",):
            raise urwid.ExitMainLoop()
    try:
        urwid.MainLoop(ui.frame, PALETTE, unhandled_input=unhandled).run()
    except KeyboardInterrupt:
        return None
    return ui.plan
