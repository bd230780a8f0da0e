"""An exported package made into a Debian source package by obs-build's own debtransform and
built with dpkg-buildpackage on this Debian 12 host: the generated debian/rules, rpmbuild with
our macros and the bundled converter, without a chroot (the slow tier adds obs-build's chroot)."""
import subprocess
from pathlib import Path

from buildlib import hosttools

DEBTRANSFORM = "/usr/lib/obs-build/debtransform"


def _run(cmd, cwd: Path) -> str:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), "LC_ALL": "C.UTF-8"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def _field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", deb, name], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_debtransform_and_dpkg_buildpackage_make_the_debs(tiny_export, tmp_path):
    hosttools.require("obs-build", "dpkg-buildpackage", "rpmbuild", "rpm2cpio")
    folder = tiny_export.packages_dir / "tiny-app"
    _run(["perl", "-I/usr/lib/obs-build", DEBTRANSFORM, folder, folder / "tiny-app.dsc", tmp_path],
         tmp_path)
    [dsc] = tmp_path.glob("*.dsc")
    _run(["dpkg-source", "-x", dsc, tmp_path / "tree"], tmp_path)
    # -d: build dependencies are the host's here (obs-build installs them in the slow tier)
    _run(["dpkg-buildpackage", "-us", "-uc", "-b", "-d"], tmp_path / "tree")
    app = tmp_path / "tiny-app_2.0-1.xh_all.deb"
    files = subprocess.run(["dpkg-deb", "-c", app], capture_output=True, text=True, check=True).stdout
    assert "./usr/lib/xenhost/tiny-app/README" in files       # %{xenhost_datadir}: our macros
    # Requires mapped by debian-names.yaml (util-linux -> fdisk), ours kept: the converter's work.
    assert _field(app, "Depends") == "tiny-lib, fdisk"
    changes = next(tmp_path.glob("*.changes")).read_text()
    assert "tiny-app_2.0-1.xh_all.deb" in changes             # listed for obs-build to collect
