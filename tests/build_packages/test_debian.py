"""rpm -> deb: a real RPM built on this host by rpmbuild, converted, and read back with dpkg-deb."""
import shutil
import subprocess
from pathlib import Path

import pytest

from packages.debian import (host_shlibdeps, linked_elf_files, merge_depends, parse_shlibdeps,
                             rpm_to_deb)
from buildlib.errors import CommandFailed, DependencyError
from packages.names import NameMap

SPEC = """\
Name:           demo
Version:        2.0
Release:        3
Summary:        demo package
License:        MIT
BuildArch:      noarch
Requires:       python3
Requires:       xenhost-release
Requires:       /bin/sh
Provides:       demo-virtual
Conflicts:      demo-old

%description
A demo.

Second paragraph.

%install
install -D -m 0644 /dev/null %{buildroot}/etc/demo.conf
install -D -m 0755 /dev/null %{buildroot}/usr/bin/demo

%post
echo configured-$1 > /tmp/demo-post

%files
%config(noreplace) /etc/demo.conf
/usr/bin/demo

%changelog
* Sun Nov 22 2026 tests <t@example.invalid> - 2.0-3
- test
"""


def build_rpm(top, name: str, text: str):
    """The binary RPM of spec text, built on this host, without debuginfo packages (so rpm
    puts its build-id links for ELF files under /usr/lib/.build-id)."""
    spec = top / f"{name}.spec"
    spec.write_text(text)
    subprocess.run(["rpmbuild", "-bb", "--define", f"_topdir {top}", "--define", "debug_package %{nil}",
                    str(spec)], check=True, capture_output=True)
    return next((top / "RPMS").glob(f"*/{name}-*.rpm"))


@pytest.fixture(scope="module")
def demo_rpm(tmp_path_factory):
    return build_rpm(tmp_path_factory.mktemp("rpmbuild"), "demo", SPEC)


def _field(deb, name):
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_control_fields_are_mapped_to_debian(demo_rpm, tmp_path):
    names = NameMap({"python3": "python3"}, own={"xenhost-release"})
    deb = rpm_to_deb(demo_rpm, names, tmp_path)
    assert deb.name == "demo_2.0-3_all.deb"
    assert _field(deb, "Depends") == "python3, xenhost-release"     # /bin/sh and rpmlib() dropped
    assert _field(deb, "Provides") == "demo-virtual"
    assert _field(deb, "Conflicts") == "demo-old"
    description = subprocess.run(["dpkg-deb", "-f", str(deb), "Description"], capture_output=True,
                                 text=True).stdout
    assert "demo package" in description and " ." in description    # blank line kept as " ."


def test_payload_conffiles_and_scripts(demo_rpm, tmp_path):
    deb = rpm_to_deb(demo_rpm, NameMap({"python3": "python3"}, own={"xenhost-release"}), tmp_path)
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True).stdout
    assert "./etc/demo.conf" in listing and "./usr/bin/demo" in listing
    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "-e", str(deb), str(control)], check=True)
    assert (control / "conffiles").read_text() == "/etc/demo.conf\n"
    postinst = (control / "postinst").read_text()
    assert 'if [ "$1" = "configure" ]' in postinst and "echo configured-$1" in postinst
    # rpm's scriptlet sees 1 (first install) when dpkg says "configure"
    out = subprocess.run(["sh", "-c", postinst.replace("/tmp/demo-post", str(tmp_path / "p")), "postinst",
                          "configure"], capture_output=True, text=True)
    assert out.returncode == 0 and (tmp_path / "p").read_text() == "configured-1\n"


def test_unmapped_requires_stops_the_conversion(demo_rpm, tmp_path):
    with pytest.raises(DependencyError) as err:
        rpm_to_deb(demo_rpm, NameMap({}, own=set()), tmp_path)
    assert "python3" in str(err.value) and "debian-names.yaml" in err.value.fix


def test_policy_docs_come_from_the_spec(demo_rpm, tmp_path):
    import gzip
    deb = rpm_to_deb(demo_rpm, NameMap({"python3": "python3"}, own={"xenhost-release"}), tmp_path)
    tree = tmp_path / "tree"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tree)], check=True)
    doc = tree / "usr" / "share" / "doc" / "demo"
    assert "License: MIT" in (doc / "copyright").read_text()
    changelog = gzip.decompress((doc / "changelog.Debian.gz").read_bytes()).decode()
    assert changelog.startswith("demo (2.0-3) xenhost; urgency=medium")
    assert "  * test" in changelog and " -- tests <t@example.invalid>  Sun, 22 Nov 2026" in changelog


# --- shared-library Depends (dpkg-shlibdeps) ------------------------------------------------

ELF_SPEC = """\
Name:           elfdemo
Version:        1.0
Release:        1
Summary:        a package holding a dynamically linked program
License:        MIT
Requires:       python3

%description
Holds a copy of the host's gzip.

%install
install -D -m 0755 /usr/bin/gzip %{buildroot}/usr/bin/elfdemo

%files
/usr/bin/elfdemo

%changelog
* Sun Nov 22 2026 tests <t@example.invalid> - 1.0-1
- test
"""


@pytest.fixture(scope="module")
def elf_rpm(tmp_path_factory):
    return build_rpm(tmp_path_factory.mktemp("elfbuild"), "elfdemo", ELF_SPEC)


def test_merge_puts_shared_library_depends_first_and_keeps_each_package_once():
    shared = ["libc6 (>= 2.34)", "zlib1g (>= 1:1.1.4)"]
    named = ["python3", "zlib1g", "initramfs-tools | linux-initramfs-tool", "libc6"]
    assert merge_depends(shared, named) == [
        "libc6 (>= 2.34)", "zlib1g (>= 1:1.1.4)", "python3", "initramfs-tools | linux-initramfs-tool"]
    # A versioned clause wins whichever side it comes from; nothing is lost without versions.
    assert merge_depends(["kmod"], ["kmod (>= 30)"]) == ["kmod (>= 30)"]
    assert merge_depends([], ["a", "b"]) == ["a", "b"]


def test_parse_shlibdeps_output():
    assert parse_shlibdeps("shlibs:Depends=libc6 (>= 2.34), zlib1g (>= 1:1.1.4)\n") == [
        "libc6 (>= 2.34)", "zlib1g (>= 1:1.1.4)"]
    assert parse_shlibdeps("dpkg-shlibdeps: warning: nothing\n") == []


def test_linked_elf_files_finds_programs_not_modules_or_debug_files(tmp_path):
    (tmp_path / "usr" / "bin").mkdir(parents=True)
    shutil.copy2("/usr/bin/gzip", tmp_path / "usr" / "bin" / "prog")
    (tmp_path / "usr" / "bin" / "link").symlink_to("prog")
    (tmp_path / "usr" / "lib" / "debug").mkdir(parents=True)
    shutil.copy2("/usr/bin/gzip", tmp_path / "usr" / "lib" / "debug" / "prog.debug")
    module = tmp_path / "lib" / "modules" / "x.ko"
    module.parent.mkdir(parents=True)
    module.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(9) + (1).to_bytes(2, "little") + bytes(40))  # ET_REL
    (tmp_path / "usr" / "bin" / "script").write_text("#!/bin/sh\n")
    assert linked_elf_files(tmp_path) == [Path("usr/bin/prog")]


def test_elf_payload_gets_shared_library_depends_from_the_host(elf_rpm, tmp_path):
    seen = {}

    def shlibdeps(workdir, elf_files):
        seen["files"] = elf_files
        seen["control"] = (workdir / "debian" / "control").read_text()
        return host_shlibdeps(workdir, elf_files)

    deb = rpm_to_deb(elf_rpm, NameMap({"python3": "python3"}, own=set()), tmp_path, shlibdeps=shlibdeps)
    assert seen["files"] == [Path("usr/bin/elfdemo")]
    assert "Package: elfdemo" in seen["control"]
    depends = [c.strip() for c in _field(deb, "Depends").split(",")]
    # gzip links libc: dpkg-shlibdeps names it with the minimum version the symbols need.
    assert depends[0].startswith("libc6 (>= 2.") and depends[-1] == "python3", depends
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True).stdout
    assert "./usr/bin/elfdemo" in listing and ".build-id" not in listing


def test_elf_payload_without_a_shlibdeps_runner_is_refused(elf_rpm, tmp_path):
    with pytest.raises(CommandFailed, match="ELF files"):
        rpm_to_deb(elf_rpm, NameMap({"python3": "python3"}, own=set()), tmp_path)
