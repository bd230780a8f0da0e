"""Keymap, time zone and NTP written into a temp target (tasks/regional.py)."""
import os

import pytest
import yaml

from xenhost_installer import plan as planmod
from xenhost_installer.errors import InstallerError
from xenhost_installer.tasks.context import InstallContext
from xenhost_installer.tasks.regional import image_needs, write_keymap, write_ntp, write_timezone

from installer_fixtures import E2E_ANSWERS, FakeCommands


def make_ctx(target, host, commands=None, **answers):
    data = yaml.safe_load(E2E_ANSWERS)
    data.update(answers)
    return InstallContext(plan=planmod.from_answers(data), commands=commands or FakeCommands(), host=host,
                          target=target)


def touch(target, relpath, text=""):
    path = os.path.join(target, relpath)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def read(target, relpath):
    with open(os.path.join(target, relpath)) as f:
        return f.read()


# --- keymap ----------------------------------------------------------------

def test_keymap_written_in_xkb_terms_and_stale_cache_rebuilt(target, host):
    touch(target, "bin/setupcon")
    touch(target, "etc/console-setup/cached_setup_keyboard.sh", "loadkeys us-from-the-image")
    touch(target, "etc/console-setup/cached_UTF-8_del.kmap.gz")
    ctx = make_ctx(target, host, keymap="de-latin1-nodeadkeys")
    write_keymap(ctx)
    keyboard = read(target, "etc/default/keyboard")
    assert 'XKBLAYOUT="de"\n' in keyboard and 'XKBVARIANT="nodeadkeys"\n' in keyboard
    assert "(keymap de-latin1-nodeadkeys)" in keyboard
    assert read(target, "etc/vconsole.conf") == "KEYMAP=de-latin1-nodeadkeys\n"
    assert os.listdir(os.path.join(target, "etc/console-setup")) == []     # the image's us cache is gone
    assert ctx.commands.calls == [["chroot", target, "setupcon", "--force", "--save-only"]]


def test_keymap_compiled_at_build_time_is_copied_not_compiled(target, host):
    touch(target, "bin/setupcon")
    touch(target, "etc/console-setup/cached_setup_keyboard.sh", "loadkeys us-from-the-image")
    touch(target, "etc/console-setup/cached_ISO-8859-15_del.kmap.gz", "us map")
    touch(target, "etc/console-setup/cached_setup_font.sh", "font")          # not the keyboard's: kept
    touch(target, "usr/share/xenhost/keymaps/fr/cached_ISO-8859-15_del.kmap.gz", "fr map")
    touch(target, "usr/share/xenhost/keymaps/fr/cached_setup_keyboard.sh", "loadkeys fr")
    ctx = make_ctx(target, host, keymap="fr")
    write_keymap(ctx)
    assert ctx.commands.calls == []
    assert read(target, "etc/console-setup/cached_ISO-8859-15_del.kmap.gz") == "fr map"
    assert read(target, "etc/console-setup/cached_setup_keyboard.sh") == "loadkeys fr"
    assert read(target, "etc/console-setup/cached_setup_font.sh") == "font"


def test_caches_are_newer_than_the_keyboard_file_so_first_boot_does_not_compile_them(target, host):
    touch(target, "bin/setupcon")
    touch(target, "etc/default/console-setup", "CHARMAP=ISO-8859-15")
    for cache in ("cached_setup_terminal.sh", "cached_setup_font.sh"):   # the image's, from its build
        touch(target, "etc/console-setup/" + cache)
        os.utime(os.path.join(target, "etc/console-setup", cache), (1_000_000, 1_000_000))
    touch(target, "usr/share/xenhost/keymaps/us/cached_setup_keyboard.sh", "loadkeys us")
    os.utime(os.path.join(target, "usr/share/xenhost/keymaps/us/cached_setup_keyboard.sh"), (1_000_000, 1_000_000))
    write_keymap(make_ctx(target, host, keymap="us"))
    keyboard = os.stat(os.path.join(target, "etc/default/keyboard")).st_mtime
    caches = os.listdir(os.path.join(target, "etc/console-setup"))
    assert sorted(caches) == ["cached_setup_font.sh", "cached_setup_keyboard.sh", "cached_setup_terminal.sh"]
    for cache in caches:      # console-setup.sh's test: `cached_setup_terminal.sh -nt /etc/default/keyboard`
        assert os.stat(os.path.join(target, "etc/console-setup", cache)).st_mtime > keyboard


def test_keymap_cache_failure_is_only_a_warning(target, host, caplog):
    touch(target, "bin/setupcon")
    write_keymap(make_ctx(target, host, FakeCommands(fail_on="chroot"), keymap="fr"))
    assert 'XKBLAYOUT="fr"' in read(target, "etc/default/keyboard")
    assert "keymap cache not built (the host builds it at boot)" in caplog.text


def test_default_keymap_works_on_an_image_without_console_setup(target, host):
    ctx = make_ctx(target, host)
    write_keymap(ctx)
    assert 'XKBLAYOUT="us"\nXKBVARIANT=""' in read(target, "etc/default/keyboard")
    assert ctx.commands.calls == []


def test_unknown_keymap_is_refused_with_the_fix(target, host):
    ctx = make_ctx(target, host)
    ctx.plan.keymap = "klingon"
    with pytest.raises(InstallerError, match="keymap 'klingon' is not one the installer knows\n  fix:"):
        write_keymap(ctx)


# --- time zone ---------------------------------------------------------------

def test_timezone_link_and_name(target, host):
    touch(target, "usr/share/zoneinfo/Europe/Berlin")
    os.symlink("../usr/share/zoneinfo/UTC", os.path.join(target, "etc/localtime"))     # as kiwi leaves it
    write_timezone(make_ctx(target, host, timezone="Europe/Berlin"))
    assert os.readlink(os.path.join(target, "etc/localtime")) == "/usr/share/zoneinfo/Europe/Berlin"
    assert read(target, "etc/timezone") == "Europe/Berlin\n"


def test_utc_timezone(target, host):
    write_timezone(make_ctx(target, host))
    assert os.readlink(os.path.join(target, "etc/localtime")) == "/usr/share/zoneinfo/UTC"
    assert read(target, "etc/timezone") == "UTC\n"


# --- NTP ---------------------------------------------------------------------

def test_ntp_servers_become_a_timesyncd_drop_in(target, host):
    touch(target, "lib/systemd/systemd-timesyncd")
    write_ntp(make_ctx(target, host, **{"ntp-servers": ["ntp1.example.net", "192.0.2.123"]}))
    dropin = read(target, "etc/systemd/timesyncd.conf.d/50-xenhost.conf")
    assert "[Time]\nNTP=ntp1.example.net 192.0.2.123\n" in dropin


def test_no_ntp_servers_leaves_debians_pool(target, host):
    write_ntp(make_ctx(target, host))
    assert not os.path.exists(os.path.join(target, "etc/systemd/timesyncd.conf.d"))



# --- what the image must carry (checked by preflight, before the disk is erased) -------------------------

def plan_of(**answers):
    return planmod.from_answers(dict({"version": 1, "disk": {"primary": "/dev/vda"}}, **answers))


def test_image_needs_only_for_non_defaults():
    assert image_needs(plan_of(**{"root-password": {"ask-at-first-boot": True}})) == []
    needs = image_needs(plan_of(keymap="uk", timezone="Asia/Tokyo", **{"ntp-servers": ["192.0.2.123"],
                                                                       "root-password": {"hash": "$6$x$y"}}))
    assert needs == [("bin/setupcon", "console-setup", "the keymap uk"),
                     ("usr/share/zoneinfo/Asia/Tokyo", "tzdata", "the time zone Asia/Tokyo"),
                     ("lib/systemd/systemd-timesyncd", "systemd-timesyncd", "the NTP servers")]


def test_upgrade_needs_console_setup_only_for_a_keymap_the_answers_give():
    assert image_needs(plan_of(mode="upgrade")) == []
    assert image_needs(plan_of(mode="upgrade", keymap="uk")) == [("bin/setupcon", "console-setup", "the keymap uk")]
    assert image_needs(plan_of(mode="restore", keymap="uk")) == []       # the installer's console only

