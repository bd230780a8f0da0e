"""/boot/grub/grub.cfg written by the installer in the form Debian's grub-mkconfig gives it.

Why not update-grub: grub-mkconfig runs grub-probe a dozen times to learn what the installer
already knows (root filesystem UUID, ext4 on GPT), which took 82-105 s under emulation. The
entries are those of Debian's 00_header + 20_linux_xen, read from the same settings files
(/etc/default/grub, /etc/default/grub.d/*.cfg: xenhost-release's defaults and the installer's
boot options), so `update-grub` on the host later (a kernel or Xen upgrade) rewrites the same
menu with Debian's own scripts. Left out: 10_linux's bare-Linux entries (a xenhost host boots
Xen; the recovery entry is the way in without the toolstack) and 30_uefi-firmware.
"""
import gzip
import os
import re
import struct

from .errors import InstallerError

GRUB_CFG = "boot/grub/grub.cfg"
SETTINGS_FILES = ("etc/default/grub", "etc/default/grub.d/*.cfg")
# Sourced as grub-mkconfig does (the defaults file, then grub.d in name order), then printed.
_SETTINGS_SCRIPT = ('set -a; [ -f "$1/etc/default/grub" ] && . "$1/etc/default/grub"; '
                    'for f in "$1"/etc/default/grub.d/*.cfg; do [ -e "$f" ] && . "$f"; done; env -0')
MULTIBOOT2_MAGIC = struct.pack("<I", 0xE85250D6)
MULTIBOOT2_SEARCH = 32768        # the header lies in the image's first 32 KiB, 8-byte aligned
RECOVERY_TITLE = "recovery mode"
CLASSES = "--class gnu-linux --class gnu --class os --class xen"


def grub_settings(commands, root):
    """GRUB_* variables as the target's settings files give them (host sh, no chroot: the files
    are shell assignments)."""
    out = commands.run(["sh", "-c", _SETTINGS_SCRIPT, "sh", root])
    pairs = (item.split("=", 1) for item in out.stdout.split("\0") if "=" in item)
    return {k: v for k, v in pairs if k.startswith("GRUB_")}


def _version_key(text):
    """sort -V's order, enough for kernel and Xen versions (6.1.0-10 after 6.1.0-9)."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.findall(r"\d+|\D+", text)]


def is_multiboot2(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        head = f.read(MULTIBOOT2_SEARCH)
    return any(head[i:i + 4] == MULTIBOOT2_MAGIC for i in range(0, len(head) - 3, 8))


def dom0_kernels(boot):
    """(version, vmlinuz, initrd or None) of kernels whose config has Xen dom0 support, newest first."""
    found = []
    for name in os.listdir(boot):
        if not name.startswith(("vmlinuz-", "vmlinux-")):
            continue
        version = name.split("-", 1)[1]
        try:
            with open(os.path.join(boot, "config-" + version)) as f:
                dom0 = "CONFIG_XEN_DOM0=y\n" in f.read()
        except OSError:
            dom0 = False
        if dom0:
            initrd = "initrd.img-" + version
            found.append((version, name, initrd if os.path.exists(os.path.join(boot, initrd)) else None))
    return sorted(found, key=lambda k: _version_key(k[0]), reverse=True)


def hypervisors(boot):
    """(version, file) of Xen images in /boot, newest first (20_linux_xen's filter)."""
    found = [n for n in os.listdir(boot) if n.startswith("xen")
             and not n.startswith(("xen-syms-", "xenpolicy-")) and not n.endswith(".config")
             and os.path.isfile(os.path.join(boot, n))]
    versions = [(re.sub(r"^xen-", "", re.sub(r"\.gz$", "", n)), n) for n in found]
    return sorted(versions, key=lambda v: _version_key(v[0]), reverse=True)


def quote(text):
    return "'%s'" % text.replace("'", "'\\''")


def _words(*parts):
    return " ".join(" ".join(parts).split())


def header(settings, root_uuid):
    default = settings.get("GRUB_DEFAULT", "0")
    default = "${saved_entry}" if default == "saved" else default
    lines = ["insmod part_gpt", "insmod ext2", "search --no-floppy --fs-uuid --set=root %s" % root_uuid,
             "if [ -s $prefix/grubenv ]; then", "  load_env", "fi",
             'if [ "${next_entry}" ] ; then', '   set default="${next_entry}"', "   set next_entry=",
             "   save_env next_entry", "   set boot_once=true", "else", '   set default="%s"' % default, "fi",
             'if [ x"${feature_menuentry_id}" = xy ]; then', '  menuentry_id_option="--id"', "else",
             '  menuentry_id_option=""', "fi", "export menuentry_id_option"]
    terminal = settings.get("GRUB_TERMINAL", "")
    terminal_in = settings.get("GRUB_TERMINAL_INPUT", terminal)
    terminal_out = settings.get("GRUB_TERMINAL_OUTPUT", terminal)
    if "serial" in (terminal_in + " " + terminal_out).split():
        lines.append(settings.get("GRUB_SERIAL_COMMAND") or "serial")
    if terminal_in:
        lines.append("terminal_input %s" % terminal_in)
    if terminal_out:
        lines.append("terminal_output %s" % terminal_out)
    if settings.get("GRUB_TIMEOUT_STYLE"):
        lines.append("set timeout_style=%s" % settings["GRUB_TIMEOUT_STYLE"])
    lines.append("set timeout=%s" % settings.get("GRUB_TIMEOUT", "5"))
    return lines


def _loaders(xen_path):
    return ("multiboot2", "module2") if is_multiboot2(xen_path) else ("multiboot", "module")


def entry(title, entry_id, settings, root_uuid, xen, kernel, args, xen_args, indent=""):
    """One menuentry as 20_linux_xen's linux_entry_xsm writes it (/boot on the root filesystem)."""
    (xen_version, xen_file, xen_loader, module_loader), (version, vmlinuz, initrd) = xen, kernel
    # without an initrd nothing parses root=UUID=: 20_linux_xen names the device then; ours always has one
    body = ["insmod part_gpt", "insmod ext2", "search --no-floppy --fs-uuid --set=root %s" % root_uuid,
            "echo\t%s" % quote("Loading Xen %s ..." % xen_version),
            'if [ "$grub_platform" = "pc" -o "$grub_platform" = "" ]; then',
            "    xen_rm_opts=", "else", '    xen_rm_opts="no-real-mode edd=off"', "fi",
            "%s\t/boot/%s placeholder %s ${xen_rm_opts}" % (xen_loader, xen_file, _words(xen_args)),
            "echo\t%s" % quote("Loading Linux %s ..." % version),
            "%s\t/boot/%s placeholder %s" % (module_loader, vmlinuz,
                                            _words("root=UUID=%s ro" % root_uuid, args))]
    if initrd:
        body += ["echo\t%s" % quote("Loading initial ramdisk ..."), "%s\t--nounzip   /boot/%s" % (module_loader, initrd)]
    if settings.get("GRUB_SAVEDEFAULT") == "true" and not title.endswith("(%s)" % RECOVERY_TITLE):
        body.insert(0, "savedefault")
    head = "menuentry %s %s $menuentry_id_option %s {" % (quote(title), classes(settings), quote(entry_id))
    return [indent + head] + [indent + "\t" + line for line in body] + [indent + "}"]


def classes(settings):
    distributor = settings.get("GRUB_DISTRIBUTOR", "")
    if not distributor:
        return CLASSES
    return "--class %s %s" % (re.sub(r"[^A-Za-z0-9_]", "_", distributor.split()[0].lower()), CLASSES)


def os_name(settings):
    distributor = settings.get("GRUB_DISTRIBUTOR", "")
    return "%s GNU/Linux" % distributor if distributor else "GNU/Linux"


def command_lines(settings):
    """(normal, recovery) pairs of (dom0 args, Xen args), as 20_linux_xen composes them."""
    linux = settings.get("GRUB_CMDLINE_LINUX_XEN_REPLACE") or settings.get("GRUB_CMDLINE_LINUX", "")
    linux_default = (settings.get("GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT")
                     or settings.get("GRUB_CMDLINE_LINUX_DEFAULT", ""))
    xen, xen_default = settings.get("GRUB_CMDLINE_XEN", ""), settings.get("GRUB_CMDLINE_XEN_DEFAULT", "")
    return (_words(linux, linux_default), _words(xen, xen_default)), (_words("single", linux), _words(xen))


def menu(settings, root_uuid, xens, kernels):
    """The Xen entries: the simple default entry, then an advanced submenu per Xen version with every
    dom0 kernel, normal and (unless GRUB_DISABLE_RECOVERY) recovery."""
    name = os_name(settings)
    (args, xen_args), (rescue_args, rescue_xen) = command_lines(settings)
    lines = entry("%s, with Xen hypervisor" % name, "xen-gnulinux-simple-%s" % root_uuid, settings, root_uuid,
                  xens[0], kernels[0], args, xen_args)
    lines.append("submenu %s $menuentry_id_option %s {" % (
        quote("Advanced options for %s (with Xen hypervisor)" % name), quote("gnulinux-advanced-%s" % root_uuid)))
    for xen in xens:
        xen_version = xen[0]
        lines.append("\tsubmenu %s $menuentry_id_option %s {" % (
            quote("Xen hypervisor, version %s" % xen_version), quote("xen-hypervisor-%s-%s" % (xen_version, root_uuid))))
        for kernel in kernels:
            title = "%s, with Xen %s and Linux %s" % (name, xen_version, kernel[0])
            lines += entry(title, "xen-gnulinux-%s-advanced-%s" % (kernel[0], root_uuid), settings, root_uuid,
                           xen, kernel, args, xen_args, "\t\t")
            if settings.get("GRUB_DISABLE_RECOVERY") != "true":
                lines += entry("%s (%s)" % (title, RECOVERY_TITLE), "xen-gnulinux-%s-recovery-%s" % (kernel[0], root_uuid),
                               settings, root_uuid, xen, kernel, rescue_args, rescue_xen, "\t\t")
        lines.append("\t}")
    lines.append("}")
    return lines


def grub_cfg_text(root, settings, root_uuid):
    """The whole grub.cfg for the root filesystem mounted at root (UUID root_uuid)."""
    boot = os.path.join(root, "boot")
    kernels = dom0_kernels(boot)
    xens = [(version, name, *_loaders(os.path.join(boot, name))) for version, name in hypervisors(boot)]
    if not kernels or not xens:
        raise InstallerError("the dom0 image has no %s in /boot, so the host could not boot; fix: rebuild the "
                             "dom0 image (iso/images.yaml: linux-image-amd64, xenhost-core)"
                             % ("Linux kernel with CONFIG_XEN_DOM0=y" if not kernels else "Xen hypervisor"))
    return "\n".join(["#", "# Written by xenhost-installer in the form of Debian's grub-mkconfig",
                      "# (00_header, 20_linux_xen). Edit /etc/default/grub.d/*.cfg, then run update-grub.", "#",
                      *header(settings, root_uuid), "", *menu(settings, root_uuid, xens, kernels), ""])
