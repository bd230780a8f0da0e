"""The PXE tree (out/pxe/): the ISO's installer as a network boot, for BIOS and UEFI, one folder
served by TFTP (the loaders and their small configs) and by any static HTTP server (the rest).

  undionly.kpxe, ipxe.efi   iPXE for BIOS / UEFI (Debian's ipxe); boot.ipxe its script
  lpxelinux.0, ldlinux.c32  pxelinux for BIOS (HTTP-capable); pxelinux.cfg/default
  grubx64.efi               GRUB netboot for UEFI (grub-mkimage, net modules); grub/grub.cfg
  installer-kernel, installer-initrd   the ISO's own kernel and kiwi/dracut initrd
  pxe-root-hook.cpio        a second initrd: a dracut hook that loop-attaches the root ISO (below)
  installer-root.cpio       the installer's root as a third initrd: an ISO with the ISO's label
                            and only its LiveOS/squashfs.img (kernel, initrd and dom0 image come
                            by HTTP already: inside the root they were 240 MiB fetched for nothing)
  dom0.img.zst              the dom0 image the installer fetches with image_url= and verifies
  SHA256SUMS, SHA256SUMS.sig  every file above, signed with the project key (buildlib.signing)
  answers/                  per-host answer files by MAC (--host MAC=FILE), default.yaml
  dnsmasq.conf.example      DHCP + TFTP for both firmwares by client-arch tag

Why the ISO as the root (README "Serve the PXE tree"): Debian's kiwi-dracut-live (9.24) boots
only from a CD label or AoE (no root=live:http), and the initrd has no HTTP client. The boot
loaders do have one, so they fetch the root ISO as an initrd; the kernel unpacks it and a dracut
hook attaches it as a loop device that kiwi's module treats like the CD (it needs only the label
and LiveOS/squashfs.img). The same squashfs as the ISO's, no second installer build.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from buildlib import hosttools
from buildlib.profiles import DEFAULT
from buildlib.config import BuildConfig
from buildlib.errors import XenhostBuildError
from buildlib.files import sha256_of, write_atomic
from buildlib.run import run
from buildlib.signing import Signer
from xenhost_common.dom0image import NAME as DOM0_IMAGE_NAME

TEMPLATES = Path(__file__).resolve().parent / "templates" / "pxe"
FILES = {"kernel": "installer-kernel", "initrd": "installer-initrd", "hook": "pxe-root-hook.cpio",
         "root": "installer-root.cpio"}
ISO_IN_INITRD = "xenhost/installer.iso"             # pxe-root-hook.sh attaches /xenhost/installer.iso
# usr/lib, not lib: in the initrd lib is a link to usr/lib, and a cpio directory entry "lib" would
# replace that link (the kernel makes each entry what the archive says), breaking the initrd.
HOOK_IN_INITRD = "usr/lib/dracut/hooks/pre-udev/10-xenhost-pxe-root.sh"
DOM0 = DOM0_IMAGE_NAME
FORMER_NAMES = ("dom0.tar.zst",)        # the image before it was a filesystem: not left in a rebuilt tree
SUMS, SIGNATURE = "SHA256SUMS", "SHA256SUMS.sig"      # installer/xenhost_installer/imagesource.py
SERIAL_ENTRY = "xenhost-installer (serial console ttyS0)"   # iso/templates/installer/edit_boot_config.sh
DEFAULT_URL = "http://10.0.2.2:8000"                  # qemu user networking's view of the build host
MAC = re.compile(r"([0-9a-f]{2}[:-]){5}[0-9a-f]{2}")
# Loaders from Debian packages: tree name -> (path on the build host, the program that proves the package)
LOADERS = {
    "undionly.kpxe": "/usr/lib/ipxe/undionly.kpxe",
    "ipxe.efi": "/boot/ipxe.efi",
    "lpxelinux.0": "/usr/lib/PXELINUX/lpxelinux.0",
    "ldlinux.c32": "/usr/lib/syslinux/modules/bios/ldlinux.c32",
}
# GRUB netboot: the network stack, http and tftp, what the config and Linux boot need.
GRUB_MODULES = ["efinet", "net", "tftp", "http", "linux", "normal", "configfile", "echo", "serial", "terminal",
                "test", "true", "gzio", "part_gpt", "fat", "all_video", "efi_gop", "sleep", "regexp"]


@dataclass(frozen=True)
class BootEntry:
    kernel: str                 # path of the kernel in the ISO
    initrd: str                 # path of the initrd in the ISO
    args: str                   # the kernel arguments, without GRUB variables


def iso_entry(grub_cfg: str, title: str = SERIAL_ENTRY) -> BootEntry:
    """The ISO's menu entry titled `title`: kernel, initrd and arguments (GRUB `${...}` words dropped)."""
    marker = f'menuentry "{title}"'
    if marker not in grub_cfg:
        raise XenhostBuildError(f"the ISO's grub.cfg has no menu entry {title!r}",
                                "rebuild the ISO (iso/templates/installer/edit_boot_config.sh adds it)")
    entry = grub_cfg[grub_cfg.index(marker):].split("\n}", 1)[0]
    linux = re.search(r"^\s*linux\w*\s+(\S+)(.*)$", entry, re.M)
    initrd = re.search(r"^\s*initrd\w*\s+(\S+)", entry, re.M)
    if not linux or not initrd:
        raise XenhostBuildError(f"menu entry {title!r} of the ISO has no linux/initrd line", "rebuild the ISO")
    strip = lambda path: re.sub(r"^\(\$?\w*\)", "", path)      # noqa: E731 - (cd0) / ($root) prefixes
    args = " ".join(w for w in linux.group(2).split() if not w.startswith("${"))
    return BootEntry(strip(linux.group(1)), strip(initrd.group(1)), args)


@dataclass
class Tree:
    """What the boot configs are rendered from."""
    url: str                                    # HTTP URL of the tree's folder, no trailing /
    kernel_args: str
    root_bytes: int = 0
    hosts: dict = field(default_factory=dict)   # mac (dashes) -> answer file name under answers/
    default_answers: bool = False

    def answer_arg(self, mac=None):
        if mac:
            return f"answerfile={self.url}/answers/{self.hosts[mac]}"
        return f"answerfile={self.url}/answers/default.yaml" if self.default_answers else ""

    def grub_base(self):
        """GRUB's name for the HTTP server: (http,HOST[:PORT])/path."""
        m = re.fullmatch(r"https?://([^/]+)(/.*)?", self.url)
        if not m:
            raise XenhostBuildError(f"PXE URL {self.url} is not an http:// URL", "give --url http://SERVER/path")
        return f"(http,{m.group(1)}){m.group(2) or ''}"


def render_configs(tree: Tree, dest: Path) -> dict[str, str]:
    """Every boot config for `tree`, written under dest; returns {relative path: text}."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    common = {"url": tree.url, "files": FILES, "kernel_args": tree.kernel_args, "root_mib": tree.root_bytes >> 20,
              "grub_base": tree.grub_base(), "tree": str(dest)}
    out = {"boot.ipxe": env.get_template("boot.ipxe.j2").render(**common),
           "dnsmasq.conf.example": env.get_template("dnsmasq.conf.j2").render(**common)}
    for mac in [None, *sorted(tree.hosts)]:
        ctx = dict(common, answer_arg=tree.answer_arg(mac))
        suffix = f"01-{mac}" if mac else None
        out[f"pxelinux.cfg/{suffix or 'default'}"] = env.get_template("pxelinux.cfg.j2").render(**ctx)
        out["grub/grub.cfg" + (f"-{suffix}" if suffix else "")] = env.get_template("grub.cfg.j2").render(**ctx)
    for relative, text in out.items():
        write_atomic(dest / relative, text)
        (dest / relative).chmod(0o644)          # served by TFTP and HTTP daemons, not only root
    return out


def normal_mac(text: str) -> str:
    mac = text.strip().lower().replace(":", "-")
    if not MAC.fullmatch(mac):
        raise XenhostBuildError(f"--host {text}: not a MAC address", "write it as 52:54:00:12:34:56=answers.yaml")
    return mac


def parse_hosts(specs: list[str]) -> dict[str, Path]:
    """['52:54:00:12:34:56=a.yaml', ...] -> {'52-54-00-12-34-56': Path('a.yaml')}."""
    hosts = {}
    for spec in specs:
        mac, sep, path = spec.partition("=")
        if not sep or not Path(path).is_file():
            raise XenhostBuildError(f"--host {spec}: expected MAC=ANSWERFILE with an existing file",
                                    "e.g. --host 52:54:00:12:34:56=rack1/xh1.yaml")
        hosts[normal_mac(mac)] = Path(path)
    return hosts


def _link(source: Path, dest: Path) -> None:
    """Hard link when on the same filesystem (the ISO and image are hundreds of MiB), else copy."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        dest.unlink()
    try:
        os.link(source, dest)
    except OSError:
        shutil.copy2(source, dest)


def newc_archive(members: dict[str, Path], dest: Path) -> Path:
    """An uncompressed cpio (newc, what the kernel unpacks as an initrd) holding members
    {path in the archive: file}; parent directories included, owned by root."""
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".cpio-") as tmp:
        root = Path(tmp)
        for inside, source in members.items():
            _link(source, root / inside)
        names = sorted({str(p.relative_to(root)) for p in root.rglob("*")})
        partial = dest.with_name(dest.name + ".partial")
        with open(partial, "wb") as out:
            subprocess.run(["cpio", "--quiet", "-o", "-H", "newc", "-R", "0:0", "--reproducible"],
                           input="\n".join(names) + "\n", text=True, cwd=root, stdout=out, check=True)
        partial.rename(dest)
    return dest


def write_signed_sums(folder: Path, names: list[str], signer) -> Path:
    """SHA256SUMS over names (sha256sum's format) and its detached signature SHA256SUMS.sig."""
    lines = "".join(f"{sha256_of(folder / name)}  {name}\n" for name in sorted(names))
    write_atomic(folder / SUMS, lines)
    (folder / SUMS).chmod(0o644)
    signer.detach_sign(folder / SUMS, folder / SIGNATURE)
    return folder / SUMS


def grub_netboot_image(dest: Path) -> Path:
    """grubx64.efi whose prefix is the TFTP server's grub/ folder (GRUB then reads grub/grub.cfg-01-MAC,
    ..., grub/grub.cfg from it)."""
    run(["grub-mkimage", "-O", "x86_64-efi", "-p", "(tftp)/grub", "-o", dest, *GRUB_MODULES],
        fix="install grub-efi-amd64-bin (./setup-host.sh)")
    return dest


def extract_from_iso(iso: Path, path: str, dest: Path) -> Path:
    """Extract to a new file and rename it into place: a server (or test) still reading the old
    file keeps reading the old one."""
    partial = dest.with_name(dest.name + ".partial")
    run(["xorriso", "-osirrox", "on", "-indev", iso, "-extract", path, partial], capture=True,
        fix=f"check that {iso} is the ISO ./build.py iso wrote")
    partial.chmod(0o644)
    partial.rename(dest)
    return dest


GRUB_CFG_CANDIDATES = ("/boot/grub2/grub.cfg", "/boot/grub/grub.cfg", "/EFI/BOOT/grub.cfg")


def read_iso_text(iso: Path, path: str) -> str | None:
    """A text file of the ISO, or None when it has none at path."""
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "f"
        proc = subprocess.run(["xorriso", "-osirrox", "on", "-indev", str(iso), "-extract", path, str(dest)],
                              capture_output=True, text=True)
        return dest.read_text(errors="replace") if proc.returncode == 0 and dest.exists() else None


def iso_grub_cfg(iso: Path) -> str:
    """The ISO's GRUB menu (kiwi writes it under boot/grub2 or boot/grub)."""
    for candidate in GRUB_CFG_CANDIDATES:
        text = read_iso_text(iso, candidate)
        if text and "menuentry" in text:
            return text
    raise XenhostBuildError(f"{iso}: no grub.cfg with a menu entry at {', '.join(GRUB_CFG_CANDIDATES)}",
                            "rebuild the ISO with ./build.py iso")


ROOT_FORMAT = 2     # 1: the whole ISO as the root; 2: its squashfs only (an older tree is remade)
LIVE_SQUASHFS = "/LiveOS/squashfs.img"              # kiwi's live module: rd.live.dir / rd.live.squashimg defaults
LABEL = re.compile(r"root=live:CDLABEL=(\S+)")


def live_root_iso(iso: Path, kernel_args: str, dest: Path) -> Path:
    """An ISO holding only the installer ISO's squashfs, under the label the boot entry names."""
    label = LABEL.search(kernel_args)
    if not label:
        raise XenhostBuildError(f"{iso}: its boot entry has no root=live:CDLABEL= ({kernel_args})",
                                "rebuild the ISO with ./build.py iso (kiwi's live boot names its label)")
    squashfs = extract_from_iso(iso, LIVE_SQUASHFS, dest.with_name("squashfs.img"))
    try:
        run(["xorriso", "-outdev", dest, "-volid", label.group(1), "-map", squashfs, LIVE_SQUASHFS],
            capture=True, fix="install xorriso (./setup-host.sh)")
    finally:
        squashfs.unlink()
    return dest


def build_tree(config: BuildConfig, iso: Path, dom0: Path, url: str = DEFAULT_URL, hosts: dict | None = None,
               default_answers: Path | None = None, signer=None, progress=print) -> Path:
    """out/pxe/ from a built ISO and its dom0 image; returns the folder."""
    hosttools.require("xorriso", "cpio", "grub-mkimage")
    missing = [p for p in LOADERS.values() if not Path(p).exists()]
    if missing:
        raise XenhostBuildError("the build host lacks the network boot loaders " + ", ".join(missing),
                                "run ./setup-host.sh (it installs ipxe, pxelinux and syslinux-common)")
    dest = config.out_dir / "pxe"
    dest.mkdir(parents=True, exist_ok=True)
    entry = iso_entry(iso_grub_cfg(iso))
    extract_from_iso(iso, entry.kernel, dest / FILES["kernel"])
    extract_from_iso(iso, entry.initrd, dest / FILES["initrd"])
    newc_archive({HOOK_IN_INITRD: TEMPLATES / "pxe-root-hook.sh"}, dest / FILES["hook"])
    if not _up_to_date(dest / FILES["root"], iso):
        with tempfile.TemporaryDirectory(dir=dest, prefix=".root-") as tmp:
            root_iso = live_root_iso(iso, entry.args, Path(tmp) / "installer.iso")
            progress(f"PXE: the installer's squashfs as the root initrd ({root_iso.stat().st_size >> 20} MiB)")
            newc_archive({ISO_IN_INITRD: root_iso}, dest / FILES["root"])
    _link(dom0, dest / DOM0)
    for old in FORMER_NAMES:
        (dest / old).unlink(missing_ok=True)
    for name, source in LOADERS.items():
        shutil.copy2(source, dest / name)
    grub_netboot_image(dest / "grubx64.efi")
    answers = dest / "answers"
    answers.mkdir(exist_ok=True)
    for mac, path in (hosts or {}).items():
        shutil.copy2(path, answers / f"{mac}.yaml")
    if default_answers:
        shutil.copy2(default_answers, answers / "default.yaml")
    tree = Tree(url=url.rstrip("/"), kernel_args=entry.args, root_bytes=(dest / FILES["root"]).stat().st_size,
                hosts={mac: f"{mac}.yaml" for mac in (hosts or {})}, default_answers=bool(default_answers))
    render_configs(tree, dest)
    # what a test or a site script needs to render the configs for another URL (render_configs)
    write_atomic(dest / "tree.json", json.dumps({"kernel_args": tree.kernel_args, "root_bytes": tree.root_bytes,
                                                 "root_format": ROOT_FORMAT}, indent=2) + "\n")
    (dest / "tree.json").chmod(0o644)
    write_signed_sums(dest, [DOM0, *FILES.values()], signer or Signer(config))
    progress(f"PXE tree: {dest} (HTTP URL in the boot configs: {tree.url}/)")
    return dest


def _up_to_date(target: Path, source: Path) -> bool:
    """The root initrd is newer than the ISO and made the current way (ROOT_FORMAT in tree.json)."""
    try:
        made = json.loads((target.parent / "tree.json").read_text()).get("root_format")
    except (OSError, ValueError):
        made = None
    return made == ROOT_FORMAT and target.exists() and target.stat().st_mtime >= source.stat().st_mtime


def build_pxe(config: BuildConfig, url: str | None = None, host_specs: list[str] = (),
              default_answers: str | None = None, iso: Path | None = None, progress=print,
              profile: str = DEFAULT) -> Path:
    """out/pxe/ from the ISO (built, or found cached, unless `iso` is given) and its dom0 image,
    both of the build profile (config.out_dir is the profile's)."""
    from .media import build_dom0, build_iso
    hosts = parse_hosts(list(host_specs))
    answers = Path(default_answers) if default_answers else None
    if answers and not answers.is_file():
        raise XenhostBuildError(f"--default-answers {answers}: no such file", "give an existing answer file")
    iso = iso or build_iso(config, progress, profile)
    return build_tree(config, iso, build_dom0(config, progress, profile), url or DEFAULT_URL, hosts, answers,
                      progress=progress)
