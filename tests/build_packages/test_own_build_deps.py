"""Slow tier: a spec that BuildRequires another of our specs builds against the .deb of it,
and a program linking a shared library gets its Depends from dpkg-shlibdeps.

xhtest-zcrc compiles a C program that links zlib; its .deb must Depend on zlib1g and libc6
(computed: the spec names neither). xhtest-consumer BuildRequires xhtest-zcrc and, in its
%build, runs that program on a file xhtest-zcrc installs: it can only succeed if the chroot
backend installed our fresh .deb into its clean build root (offline, network off).
"""
import os
import subprocess
import zlib

import pytest

from buildlib.config import BuildConfig
from packages.pipeline import PackageBuilder

pytestmark = pytest.mark.slow

GREETING = "hello from xhtest-zcrc"

ZCRC = """\
%global debug_package %{nil}
Name:           xhtest-zcrc
Version:        1.0
Release:        1
Summary:        prints the CRC-32 of its input, computed by zlib
License:        MIT
BuildRequires:  gcc
BuildRequires:  glibc-devel
BuildRequires:  zlib-devel

%description
Test package: a program linking libz.

%prep

%build
cat > zcrc.c <<'SOURCE'
#include <stdio.h>
#include <zlib.h>
int main(void) {
    unsigned char buf[4096];
    size_t n;
    uLong crc = crc32(0L, Z_NULL, 0);
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
        crc = crc32(crc, buf, n);
    printf("%%08lx\\n", crc);
    return 0;
}
SOURCE
gcc -O2 -o xhtest-zcrc zcrc.c -lz

%install
install -D -m 0755 xhtest-zcrc %{buildroot}/usr/bin/xhtest-zcrc
mkdir -p %{buildroot}/usr/share/xhtest-zcrc
echo "GREETING" > %{buildroot}/usr/share/xhtest-zcrc/greeting

%files
/usr/bin/xhtest-zcrc
/usr/share/xhtest-zcrc/greeting

%changelog
* Sun Nov 22 2026 tests <t@example.invalid> - 1.0-1
- test
""".replace("GREETING", GREETING)

CONSUMER = """\
Name:           xhtest-consumer
Version:        1.0
Release:        1
Summary:        built with xhtest-zcrc
License:        MIT
BuildArch:      noarch
BuildRequires:  xhtest-zcrc

%description
Test package: its build runs a program of another of our packages.

%prep

%build
xhtest-zcrc < /usr/share/xhtest-zcrc/greeting > crc

%install
install -D -m 0644 crc %{buildroot}/usr/share/xhtest-consumer/crc

%files
/usr/share/xhtest-consumer/crc

%changelog
* Sun Nov 22 2026 tests <t@example.invalid> - 1.0-1
- test
"""


def _field(deb, name):
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.fixture
def project(tmp_path):
    real = BuildConfig()
    config = BuildConfig(repo_root=tmp_path, cache_dir=tmp_path / "cache", out_dir=tmp_path / "out")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "xhtest-zcrc.spec").write_text(ZCRC)
    (tmp_path / "specs" / "xhtest-consumer.spec").write_text(CONSUMER)
    (tmp_path / "specs" / "sources.yaml").write_text("xhtest-zcrc: {}\nxhtest-consumer: {}\n")
    # Build roots and the signing key are shared with real builds (roots take minutes).
    config.cache_dir.mkdir()
    for shared in ("buildroots", "gnupg"):
        os.symlink(real.cache(shared), config.cache_dir / shared, target_is_directory=True)
    return config


def test_our_package_is_in_the_build_root_and_shlibs_are_computed(project):
    summary = PackageBuilder(project, backend="chroot", progress=print).run()
    assert summary.ok, summary.table()
    pool = summary.repos["apt"] / "pool" / "main"
    zcrc = pool / "xhtest-zcrc_1.0-1_amd64.deb"
    depends = [c.strip() for c in _field(zcrc, "Depends").split(",")]
    assert any(c.startswith("libc6 (>= ") for c in depends), depends
    assert any(c.startswith("zlib1g (>= ") for c in depends), depends

    consumer_log = (project.logs_dir / "xhtest-consumer.log").read_text()
    assert "dpkg -i /build/own/xhtest-zcrc_1.0-1_amd64.deb" in consumer_log
    tree = project.out_dir / "consumer"
    subprocess.run(["dpkg-deb", "-x", str(pool / "xhtest-consumer_1.0-1_all.deb"), str(tree)], check=True)
    expected = f"{zlib.crc32((GREETING + chr(10)).encode()):08x}\n"
    assert (tree / "usr" / "share" / "xhtest-consumer" / "crc").read_text() == expected
