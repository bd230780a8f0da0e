"""rpm -> deb: a real RPM built on this host by rpmbuild, converted, and read back with dpkg-deb."""
import subprocess

import pytest

from packages.debian import rpm_to_deb
from packages.errors import DependencyError
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


@pytest.fixture(scope="module")
def demo_rpm(tmp_path_factory):
    top = tmp_path_factory.mktemp("rpmbuild")
    spec = top / "demo.spec"
    spec.write_text(SPEC)
    subprocess.run(["rpmbuild", "-bb", "--define", f"_topdir {top}", str(spec)],
                   check=True, capture_output=True)
    return next((top / "RPMS").glob("*/demo-2.0-3.noarch.rpm"))


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
