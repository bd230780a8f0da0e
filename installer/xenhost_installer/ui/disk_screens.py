"""Primary disk, guest-storage disks, storage type, and the confirmation of what is erased (install)
or kept and replaced (upgrade, restore)."""
import urwid

from xenhost_common.ui.widgets import GiB, ChoiceScreen, Screen, gib

from ..answers.declared import given
from ..layout import MIN_DISK_BYTES

ROW_WIDTH = 64              # a disk row in the dialog's list on an 80-column console ("[ ] " before it)


def contents(disk):
    # Disk.contents comes from the disk probe (lsblk FSTYPE/LABEL/PARTLABEL); older probes lack it
    return getattr(disk, "contents", None) or "contents unknown"


def disk_row(disk):
    return ("%-12s %9s %-16.16s %s" % (disk.path, gib(disk.size), disk.model or "", contents(disk)))[:ROW_WIDTH]


def disk_line(flow, path):
    disk = flow.context.disk(path)
    return disk_row(disk) if disk else "%s (not found on this machine)" % path


def disk_brief(flow, path):
    disk = flow.context.disk(path)
    return "%s, %s, %s" % (path, gib(disk.size), disk.model or "no model") if disk else "%s (not found)" % path


class PrimaryDiskScreen(ChoiceScreen):
    TITLE = "Primary disk"
    HELP = ("xenhost is installed on one whole disk: it is repartitioned (boot, root, backup root, logs, "
            "swap) and the rest becomes the local storage repository for VM disks. The medium the "
            "installer booted from and disks smaller than %.0f GiB cannot be chosen. The last column "
            "says what is on each disk now. Nothing is erased before you confirm." % (MIN_DISK_BYTES / GiB))

    def __init__(self, flow, done, back):
        self.flow, self.done = flow, done
        choices = [(self.label(disk, flow.context.boot_media), self.value(disk, flow.context.boot_media))
                   for disk in flow.context.disks]
        after = []
        if not any(value for _l, value in choices):
            after = [urwid.Divider(), urwid.Text("No usable disk: attach a disk of at least %.0f GiB (F10 leaves "
                                                 "the installer)." % (MIN_DISK_BYTES / GiB))]
        current = (flow.answers.get("disk") or {}).get("primary")
        super().__init__("Choose the disk to install xenhost on. ALL data on it will be erased.", choices,
                         self.choose, current=current, on_back=back, after=after)

    @staticmethod
    def value(disk, boot_media):
        return None if disk.path in boot_media or disk.size < MIN_DISK_BYTES else disk.path

    @staticmethod
    def label(disk, boot_media):
        if disk.path in boot_media:
            return disk_row(disk) + "\n      ^ installer boot medium: never written"
        if disk.size < MIN_DISK_BYTES:
            return disk_row(disk) + "\n      ^ too small: xenhost needs %.0f GiB" % (MIN_DISK_BYTES / GiB)
        return disk_row(disk)

    def choose(self, path):
        disk = self.flow.answers.setdefault("disk", {})
        disk["primary"] = path
        disk["guest"] = [g for g in disk.get("guest", []) if g != path]
        self.done()


class GuestDisksScreen(Screen):
    TITLE = "Guest storage disks"
    HELP = ("Extra disks for virtual machines: each one chosen here is erased and added to the local "
            "storage repository, together with the free part of the primary disk. Space or Enter "
            "ticks a disk; Next goes on (choosing none is fine). The primary disk and the installer's "
            "boot medium are not offered.")

    def __init__(self, flow, done, back):
        self.flow, self.done = flow, done
        disk = flow.answers.get("disk") or {}
        chosen = set(disk.get("guest", []))
        self.boxes = [(d.path, urwid.CheckBox(disk_row(d), state=d.path in chosen)) for d in flow.context.disks
                      if d.path != disk.get("primary") and d.path not in flow.context.boot_media]
        rows = [urwid.AttrMap(box, None, focus_map="focus") for _p, box in self.boxes]
        if not self.boxes:
            rows.append(urwid.Text("No other disks: the storage repository uses the primary disk's free space."))
        super().__init__(rows, on_back=back, focus_buttons=True, framed=True,
                         intro="Tick extra disks for the virtual machines' storage (optional):")

    def submit(self):
        disk = dict(self.flow.answers.get("disk") or {})
        disk["guest"] = [path for path, box in self.boxes if box.get_state()]
        self.commit({"disk": disk})


class StorageScreen(ChoiceScreen):
    TITLE = "Storage type"
    HELP = ("How the local storage repository keeps VM disks. LVM: one logical volume per virtual disk, "
            "fast, the usual choice. ext: an ext4 filesystem holding one image file per virtual disk, "
            "easy to inspect and copy, thin-provisioned.")
    CHOICES = (("LVM: one logical volume per VM disk (recommended)", "lvm"),
               ("ext: an ext4 filesystem with one file per VM disk", "ext"))

    def __init__(self, flow, done, back):
        self.flow, self.done = flow, done
        current = given(flow.answers, "storage.type")
        super().__init__("Local storage repository type:", self.CHOICES, self.choose, current=current, on_back=back)

    def choose(self, kind):
        self.flow.answers["storage"] = {"type": kind}
        self.done()


def _existing(flow):
    primary = (flow.answers.get("disk") or {}).get("primary")
    return next((e for e in flow.context.existing if e.disk == primary), None)


def erase_rows(flow):
    disk = flow.answers.get("disk") or {}
    paths = [disk.get("primary")] + list(disk.get("guest", []))
    return [urwid.Text(disk_line(flow, p)) for p in paths if p]


def upgrade_rows(flow):
    e = _existing(flow)
    primary = (flow.answers.get("disk") or {}).get("primary")
    old = "xenhost %s" % e.version if e else "the xenhost install"
    return [urwid.Text("Upgrade %s on %s." % (old, primary)), urwid.Divider(),
            urwid.Text("Replaced: the dom0 root (system files) by the new version; the backup partition "
                       "first receives a copy of the current root (replacing what it held)."),
            urwid.Divider(),
            urwid.Text("Kept: host name, network settings, passwords, SSH host keys, /etc/xenhost, logs, "
                       "the local storage repository and the virtual machines' disks, guest disks.")]


def restore_rows(flow):
    e = _existing(flow)
    primary = (flow.answers.get("disk") or {}).get("primary")
    current = "xenhost %s" % e.version if e else "the current version"
    backup = "xenhost %s" % e.backup_version if e and e.backup_version else "the backed-up version"
    return [urwid.Text("Restore %s from the backup partition of %s." % (backup, primary)), urwid.Divider(),
            urwid.Text("Replaced: the dom0 root (%s) by the copy on the backup partition; the current "
                       "root's contents are lost." % current),
            urwid.Divider(),
            urwid.Text("Kept: the backup partition itself, logs, the local storage repository and the "
                       "virtual machines' disks, guest disks.")]


class ConfirmScreen(Screen):
    TITLE = "Confirm disks"
    HELP = ("Check the list: it is exactly what the installer will write. \"Erase and continue\" (or "
            "\"Continue\" for an upgrade or restore) only moves on; nothing is written until you start "
            "the installation on the summary screen. Back is the default button here.")
    ROWS = {"install": erase_rows, "upgrade": upgrade_rows, "restore": restore_rows}
    INTROS = {"install": "These disks will be ERASED (every partition and filesystem on them):",
              "upgrade": "The upgrade replaces the system and keeps your data:",
              "restore": "The restore brings the backed-up system back:"}

    def __init__(self, flow, done, back):
        self.done = done
        rows = self.ROWS[flow.mode](flow) + [urwid.Divider(), urwid.Text("Nothing has been written yet.")]
        label = "Erase and continue" if flow.mode == "install" else "Continue"
        super().__init__(rows, on_back=back, next_label=label, back_first=True, intro=self.INTROS[flow.mode])

    def submit(self):
        self.done()
