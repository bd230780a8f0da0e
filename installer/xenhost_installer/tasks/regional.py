"""Keymap, time zone and NTP servers, written into the target by the installer itself (first boot
does not touch them: DESIGN.md, "Installer -> first boot contract").

- keymap: /etc/default/keyboard, which Debian's console-setup (keyboard-setup.service) applies to
  the consoles at boot, in XKB terms from answers/keymaps.yaml; /etc/vconsole.conf keeps the kbd
  name the installer used (Debian's systemd does not apply it; upgrades and `localectl` read it).
- time zone: /etc/localtime -> /usr/share/zoneinfo/NAME and /etc/timezone, as Debian's tzdata does.
- NTP: a systemd-timesyncd drop-in; with no servers given timesyncd uses Debian's pool.
The dom0 image carries console-setup, tzdata and systemd-timesyncd (iso/images.yaml). Defaults (us,
UTC, no servers) work without them, so an older image still installs; anything else needs them, which
preflight checks in the image (image_needs) before the disk is touched: these tasks run after the wipe.
"""
import glob
import logging
import os
import shutil

from ..answers.catalog import keymaps
from ..errors import CommandFailed, InstallerError

log = logging.getLogger(__name__)

KERNEL_KEYMAP = "us"        # the console's map when nothing is loaded
GLIBC_ZONE = "UTC"           # what glibc falls back to without zone files

KEYBOARD = "etc/default/keyboard"
VCONSOLE = "etc/vconsole.conf"
KEYBOARD_CACHES = "etc/console-setup/cached_*"   # console-setup's caches (an upgrade keeps the old host's)
KEYMAP_CACHES = ("etc/console-setup/cached_*.kmap.gz", "etc/console-setup/cached_setup_keyboard.sh")
CONSOLE_SETUP = "etc/console-setup"
# What console-setup.service compares its caches with: a cache not strictly newer than both is
# rebuilt at boot (setupcon --save, ckbcomp: ~25 s of the first boot's CPU under emulation).
CONSOLE_SETUP_CONFIG = ("etc/default/keyboard", "etc/default/console-setup")
# Every keymap of answers/keymaps.yaml compiled by setupcon when the image was built (its config.sh):
# compiling at install time (ckbcomp) took ~11 s under emulation.
PRECOMPILED = "usr/share/xenhost/keymaps"
SETUPCON = "bin/setupcon"
ZONEINFO = "usr/share/zoneinfo"
TIMESYNCD = "lib/systemd/systemd-timesyncd"
TIMESYNCD_DROPIN = "etc/systemd/timesyncd.conf.d/50-xenhost.conf"
REBUILD = "fix: rebuild the dom0 image with %s (iso/images.yaml lists it)"


def keymap_written(plan):
    """install writes the keymap; upgrade only one the answers give (else the host keeps its own);
    restore never (the backup comes back as it was)."""
    return plan.mode == "install" or (plan.mode == "upgrade" and "keymap" in (plan.answers_redacted or {}))


def image_needs(plan):
    """[(path in the image, package, what needs it)] for the plan's keymap, time zone and NTP servers."""
    needs = []
    if plan.keymap != KERNEL_KEYMAP and keymap_written(plan):     # the kernel's own map is US
        needs.append((SETUPCON, "console-setup", "the keymap %s" % plan.keymap))
    if plan.timezone != GLIBC_ZONE:           # without zone files glibc falls back to UTC
        needs.append((os.path.join(ZONEINFO, plan.timezone), "tzdata", "the time zone %s" % plan.timezone))
    if plan.ntp_servers:
        needs.append((TIMESYNCD, "systemd-timesyncd", "the NTP servers"))
    return needs


def missing_from_image(relpath, package, what):
    return "the dom0 image has no /%s, so %s cannot be set; %s" % (relpath, what, REBUILD % package)


def keyboard_text(keymap):
    return ("# Written by xenhost-installer (keymap %s); console-setup applies it at boot.\n"
            "# Change: dpkg-reconfigure keyboard-configuration\n"
            'XKBMODEL="pc105"\nXKBLAYOUT="%s"\nXKBVARIANT="%s"\nXKBOPTIONS=""\nBACKSPACE="guess"\n'
            % (keymap.name, keymap.xkb, keymap.variant))


def write_keymap(ctx):
    name = ctx.plan.keymap
    keymap = keymaps().get(name)
    if keymap is None:      # the answer file check refuses it first; this guards the screens' path
        raise InstallerError('keymap %r is not one the installer knows' % (name,), 'choose one from the keymap screen (installer/xenhost_installer/answers/keymaps.yaml)')
    ctx.write(KEYBOARD, keyboard_text(keymap))
    ctx.write(VCONSOLE, "KEYMAP=%s\n" % name)
    # keyboard-setup.service loads the cached map when there is one, however old: drop it, then put
    # the image's compiled one in its place (an older image: compile it). With no cache at all the
    # host compiles the map at boot (setupcon -k).
    for stale in [p for pattern in KEYMAP_CACHES for p in glob.glob(ctx.path(pattern))]:
        os.remove(stale)
    compiled = ctx.path(PRECOMPILED, name)
    if os.path.isdir(compiled):
        for cache in sorted(os.listdir(compiled)):
            shutil.copy2(os.path.join(compiled, cache), ctx.path(CONSOLE_SETUP, cache))
    elif os.path.exists(ctx.path(SETUPCON)):
        try:
            ctx.commands.run(["setupcon", "--force", "--save-only"], chroot=ctx.target)
        except CommandFailed as exc:
            log.warning("keymap cache not built (the host builds it at boot): %s", exc)
    caches_newer_than_config(ctx)


def caches_newer_than_config(ctx):
    """Date console-setup's caches a second after the newest file they were made from: the ones
    copied from the image keep the image's build time, older than the keyboard file just written,
    and console-setup.sh (`cached_setup_terminal.sh -nt /etc/default/keyboard`) would then compile
    them all again on the first boot."""
    configs = [ctx.path(p) for p in CONSOLE_SETUP_CONFIG if os.path.exists(ctx.path(p))]
    if not configs:
        return
    stamp = max(os.stat(p).st_mtime for p in configs) + 1
    for cache in glob.glob(ctx.path(KEYBOARD_CACHES)):
        os.utime(cache, (stamp, stamp), follow_symlinks=False)


def write_timezone(ctx):
    name = ctx.plan.timezone
    zone = os.path.join(ZONEINFO, name)
    link = ctx.path("etc/localtime")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink("/" + zone, link)
    ctx.write("etc/timezone", name + "\n")


def write_ntp(ctx):
    servers = ctx.plan.ntp_servers
    if not servers:
        log.info("no NTP servers given: systemd-timesyncd uses Debian's pool")
        return
    ctx.write(TIMESYNCD_DROPIN, "# Written by xenhost-installer: the answer file's ntp-servers.\n"
                                  "[Time]\nNTP=%s\n" % " ".join(servers))
