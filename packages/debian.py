"""Turn a binary RPM into a .deb whose dependencies are Debian package names.

The payload is unpacked as rpm wrote it; the control data comes from the RPM header with every
Requires mapped through packages/debian-names.yaml, merged with the shared-library Depends
dpkg-shlibdeps computes for the payload's ELF programs and libraries, and the spec's
scriptlets become the maintainer scripts.
"""
import gzip
import os
import shutil
import subprocess
import time
import tempfile
from pathlib import Path

from buildlib import hosttools
from buildlib.errors import CommandFailed
from .names import NameMap
from buildlib.run import run

ARCHES = {"x86_64": "amd64", "noarch": "all"}

# rpm scriptlet -> (Debian maintainer script, the dpkg action that corresponds to rpm's call,
# the instance count rpm passes then: 1 on first install, 0 on erase)
SCRIPTLETS = {
    "PREIN": ("preinst", "install", 1),
    "POSTIN": ("postinst", "configure", 1),
    "PREUN": ("prerm", "remove", 0),
    "POSTUN": ("postrm", "remove", 0),
}


def read_header(rpm_path: Path):
    import rpm  # noqa: PLC0415 - Debian's python3-rpm
    ts = rpm.TransactionSet()
    ts.setVSFlags(rpm._RPMVSF_NOSIGNATURES | rpm._RPMVSF_NODIGESTS)
    with open(rpm_path, "rb") as f:
        return ts.hdrFromFdno(f.fileno())


def _deps(header, tag, names: NameMap, needed_by: str, skip: set[str]) -> list[str]:
    out = []
    for name in header[tag]:
        if name.startswith(("rpmlib(", "/")) or "(" in name or name in skip:
            continue
        mapped = names.debian(name, needed_by)
        if mapped not in out:
            out.append(mapped)
    return out


def merge_depends(shared: list[str], named: list[str]) -> list[str]:
    """Shared-library Depends first (as Debian's ${shlibs:Depends} comes first), then the named
    ones, each package once: a clause with a version wins over a bare name for the same package."""
    merged: dict[str, str] = {}
    for clause in (*shared, *named):
        # Alternatives ("a | b") are kept whole; a simple clause is keyed by its package name.
        key = clause if "|" in clause else clause.split()[0]
        if key not in merged or ("(" in clause and "(" not in merged[key]):
            merged[key] = clause
    return list(merged.values())


def control_text(header, names: NameMap, shared_depends: list[str] = ()) -> str:
    import rpm  # noqa: PLC0415
    name = header[rpm.RPMTAG_NAME]
    needed_by = f"{name} (Requires)"
    depends = merge_depends(list(shared_depends),
                            _deps(header, rpm.RPMTAG_REQUIRENAME, names, needed_by, {name}))
    provides = [p for p in header[rpm.RPMTAG_PROVIDENAME] if p != name and "(" not in p]
    conflicts = list(header[rpm.RPMTAG_CONFLICTNAME])
    description = header[rpm.RPMTAG_DESCRIPTION].strip().splitlines()
    body = "\n".join(" " + (line if line.strip() else ".") for line in description)
    fields = {
        "Package": name,
        "Version": f"{header[rpm.RPMTAG_VERSION]}-{header[rpm.RPMTAG_RELEASE]}",
        "Architecture": ARCHES.get(header[rpm.RPMTAG_ARCH], header[rpm.RPMTAG_ARCH]),
        "Maintainer": "xenhost developers <dev@xenhost.invalid>",
        "Installed-Size": str(max(1, (header[rpm.RPMTAG_SIZE] or 0) // 1024)),
        "Depends": ", ".join(depends),
        "Provides": ", ".join(provides),
        "Conflicts": ", ".join(conflicts),
        "Replaces": ", ".join(conflicts),
        "Section": "admin",
        "Priority": "optional",
        "Homepage": header[rpm.RPMTAG_URL] or "",
    }
    lines = [f"{k}: {v}" for k, v in fields.items() if v]
    return "\n".join(lines) + f"\nDescription: {header[rpm.RPMTAG_SUMMARY]}\n{body}\n"


def maintainer_scripts(header) -> dict[str, str]:
    import rpm  # noqa: PLC0415
    scripts = {}
    for tag, (script, action, count) in SCRIPTLETS.items():
        body = header[getattr(rpm, f"RPMTAG_{tag}")]
        if not body:
            continue
        # rpm passes an instance count; dpkg passes an action. Run the rpm body once, on the
        # action that matches, with the count rpm would have given.
        scripts[script] = (f"#!/bin/sh\nset -e\nif [ \"$1\" = \"{action}\" ]; then\n"
                           f"set -- {count}\n{body.strip()}\nfi\nexit 0\n")
    return scripts


# ELF object types that link shared libraries at run time (kernel modules are ET_REL).
ELF_LINKED_TYPES = (2, 3)   # ET_EXEC, ET_DYN


def linked_elf_files(root: Path) -> list[Path]:
    """Programs and shared libraries in the payload (relative to root), not debug files."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_symlink() or not path.is_file() or relative.parts[:3] == ("usr", "lib", "debug"):
            continue
        with open(path, "rb") as f:
            head = f.read(18)
        if head[:4] == b"\x7fELF" and len(head) == 18 and int.from_bytes(head[16:18], "little") in ELF_LINKED_TYPES:
            found.append(relative)
    return found


def shlibdeps_command(package_dir: str, elf_files: list[Path]) -> list[str]:
    """dpkg-shlibdeps over the files, printing the substitution variable instead of writing
    debian/substvars; run from the folder holding debian/control."""
    return ["dpkg-shlibdeps", "-O", *(f"-e{package_dir}/{f}" for f in elf_files)]


def parse_shlibdeps(output: str) -> list[str]:
    for line in output.splitlines():
        if line.startswith("shlibs:Depends="):
            return [c.strip() for c in line.split("=", 1)[1].split(",") if c.strip()]
    return []


def host_shlibdeps(workdir: Path, elf_files: list[Path]) -> str:
    """Runs dpkg-shlibdeps on this host (its installed libraries and dpkg database)."""
    hosttools.require("dpkg-shlibdeps")
    name = next(p.name for p in (workdir / "debian").iterdir() if p.is_dir())
    return run(shlibdeps_command(f"debian/{name}", elf_files), cwd=workdir, capture=True,
               fix="install the -dev packages of the libraries named above as BuildRequires")


def rpm_to_deb(rpm_path: Path, names: NameMap, dest_dir: Path, shlibdeps=None) -> Path:
    """shlibdeps(workdir, elf_files) -> dpkg-shlibdeps' output, or None: no shared-library
    Depends (only for tests of other parts; a package with ELF files then says so)."""
    import rpm  # noqa: PLC0415
    header = read_header(rpm_path)
    with tempfile.TemporaryDirectory(prefix="rpm2deb-") as tmp:
        # dpkg-shlibdeps' layout: debian/control beside debian/<package>/ (the payload).
        root = Path(tmp) / "debian" / header[rpm.RPMTAG_NAME]
        root.mkdir(parents=True)
        payload = subprocess.Popen(["rpm2cpio", str(rpm_path)], stdout=subprocess.PIPE)
        _unpack(payload, root)
        _drop_build_id_links(root)
        shared = _shared_depends(Path(tmp), root, shlibdeps)
        _write_docs(root, header)
        control = root / "DEBIAN"
        control.mkdir()
        (control / "control").write_text(control_text(header, names, shared))
        conffiles = [f for f, flags in zip(header[rpm.RPMTAG_FILENAMES], header[rpm.RPMTAG_FILEFLAGS])
                     if flags & rpm.RPMFILE_CONFIG and f.startswith("/etc/")]
        if conffiles:
            (control / "conffiles").write_text("\n".join(conffiles) + "\n")
        for script, text in maintainer_scripts(header).items():
            (control / script).write_text(text)
            (control / script).chmod(0o755)
        control_fields = dict(ln.split(": ", 1) for ln in (control / "control").read_text().splitlines()
                              if ": " in ln and not ln.startswith(" "))
        deb = dest_dir / f"{control_fields['Package']}_{control_fields['Version']}_{control_fields['Architecture']}.deb"
        dest_dir.mkdir(parents=True, exist_ok=True)
        epoch = header[rpm.RPMTAG_BUILDTIME] or 0
        normalise_tree(root, epoch, dict(zip(header[rpm.RPMTAG_FILENAMES],
                                                 header[rpm.RPMTAG_FILEMODES])))
        # dpkg-deb sorts the file list itself, writes root:root with --root-owner-group, and
        # takes the ar members' dates (and its tar mtime clamp) from SOURCE_DATE_EPOCH.
        run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", root, deb], capture=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch)})
        return deb


def normalise_tree(root: Path, epoch: int, modes: dict[str, int]) -> None:
    """Make the .deb a function of the RPM alone: every time is the RPM's build time (rpm set it
    from SOURCE_DATE_EPOCH, the spec's newest changelog entry); a path the RPM lists gets the
    mode rpm recorded, and what we made here (folders cpio created, docs, control files) gets
    0755 for folders and programs, 0644 for the rest, whatever the umask was."""
    for path in sorted(root.rglob("*")) + [root]:
        if path.is_symlink():
            os.utime(path, (epoch, epoch), follow_symlinks=False)
            continue
        recorded = modes.get("/" + str(path.relative_to(root)))
        if recorded is not None:
            path.chmod(recorded & 0o7777)
        else:
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
        os.utime(path, (epoch, epoch))


def _shared_depends(workdir: Path, root: Path, shlibdeps) -> list[str]:
    elf_files = linked_elf_files(root)
    if not elf_files:
        return []
    if shlibdeps is None:
        raise CommandFailed(f"{root.name} holds ELF files ({elf_files[0]}, ...) but no way to "
                            "compute their shared-library Depends was given",
                            "pass shlibdeps= to rpm_to_deb (the pipeline passes its backend's)")
    (workdir / "debian" / "control").write_text(f"Source: {root.name}\n\nPackage: {root.name}\n"
                                                "Architecture: any\n")
    return parse_shlibdeps(shlibdeps(workdir, elf_files))


def _drop_build_id_links(root: Path) -> None:
    # rpm's .build-id links (under /usr/lib/debug, or /usr/lib without debuginfo packages)
    # serve RPM debuginfo tooling; Debian ships debug symbols in -dbgsym packages, and the long
    # relative links are lintian errors.
    for build_id in (root / "usr" / "lib" / "debug" / ".build-id", root / "usr" / "lib" / ".build-id"):
        if build_id.is_dir():
            shutil.rmtree(build_id)


def _write_docs(root: Path, header) -> None:
    """Debian policy: every package has a copyright file and a changelog, made from the spec's
    License tag and %changelog."""
    import rpm  # noqa: PLC0415
    name = header[rpm.RPMTAG_NAME]
    doc = root / "usr" / "share" / "doc" / name
    doc.mkdir(parents=True, exist_ok=True)
    changed = header[rpm.RPMTAG_CHANGELOGTIME]
    year = time.gmtime(changed[0]).tm_year if changed else 1970
    (doc / "copyright").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        f"Upstream-Name: {name}\n\nFiles: *\nCopyright: {year} the {name} authors\n"
        f"License: {header[rpm.RPMTAG_LICENSE]}\n")
    version = f"{header[rpm.RPMTAG_VERSION]}-{header[rpm.RPMTAG_RELEASE]}"
    entries = []
    for when, who, text in zip(header[rpm.RPMTAG_CHANGELOGTIME], header[rpm.RPMTAG_CHANGELOGNAME],
                               header[rpm.RPMTAG_CHANGELOGTEXT]):
        author = who.rsplit(" - ", 1)[0].strip()
        stamp = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(when))
        body = "\n".join(_changelog_line(line) for line in text.splitlines() if line.strip())
        entries.append(f"{name} ({version}) xenhost; urgency=medium\n\n{body}\n\n -- {author}  {stamp}\n")
    with gzip.GzipFile(doc / "changelog.Debian.gz", "wb", mtime=0) as gz:
        gz.write("\n".join(entries or [f"{name} ({version}) xenhost; urgency=medium\n\n  * Built.\n"]).encode())


def _changelog_line(line: str) -> str:
    # rpm: "- change"; Debian: "  * change", continuation lines indented further.
    return f"  * {line[1:].strip()}" if line.startswith("-") else f"    {line.strip()}"


def _unpack(payload: subprocess.Popen, root: Path) -> None:
    cpio = subprocess.run(["cpio", "-idm", "--quiet", "--no-absolute-filenames"], cwd=root,
                          stdin=payload.stdout, capture_output=True, text=True)
    payload.stdout.close()
    if payload.wait() != 0 or cpio.returncode != 0:
        raise CommandFailed(f"cannot unpack the RPM payload: {cpio.stderr.strip()}",
                            "check that rpm2cpio and cpio are installed (./setup-host.sh)")
    # rpm2cpio writes ./usr/...; directories become 0755 root-owned in the .deb.
    os.chmod(root, 0o755)
