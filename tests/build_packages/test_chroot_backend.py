"""The chroot backend's build root, with the commands recorded instead of run (fast tier).

What is real here: the .debs (made with dpkg-deb) whose Depends decide the root's package set.
The slow tier (test_own_build_deps.py) runs the same path with mmdebstrap, bwrap and rpmbuild.
"""
import subprocess
from pathlib import Path

import pytest

from packages.backends import BuildRequest, chroot
from packages.backends.chroot import ChrootBackend, external_depends
from buildlib.aptindex import depends_names
from buildlib.config import BuildConfig
from packages.specs import Spec


def make_deb(tmp_path: Path, package: str, depends: str = "", provides: str = "") -> Path:
    root = tmp_path / f"src-{package}"
    (root / "DEBIAN").mkdir(parents=True)
    fields = {"Package": package, "Version": "1.0-1", "Architecture": "all",
              "Maintainer": "t <t@example.invalid>", "Depends": depends, "Provides": provides,
              "Description": "test"}
    (root / "DEBIAN" / "control").write_text("".join(f"{k}: {v}\n" for k, v in fields.items() if v))
    deb = tmp_path / f"{package}_1.0-1_all.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "--build", str(root), str(deb)],
                   check=True, capture_output=True)
    return deb


def request_for(tmp_path: Path, debs=()) -> BuildRequest:
    spec = Spec(path=tmp_path / "b.spec", name="b", version="1", release="1",
                build_requires=("b-tool",), sources=(), patches=())
    srpm = tmp_path / "b-1-1.src.rpm"
    srpm.write_bytes(b"srpm")
    return BuildRequest(spec=spec, srpm=srpm, build_requires=("gcc",), result_dir=tmp_path / "rpms",
                        log=tmp_path / "b.log", local_debs=tuple(debs))


@pytest.fixture
def recorded(tmp_path, monkeypatch):
    """ChrootBackend whose external commands are recorded (tar, mmdebstrap, bwrap)."""
    commands: list[list[str]] = []
    real_run = chroot.run

    def fake_run(cmd, **kw):
        if cmd[0] == "dpkg-deb":          # reading our .debs' control fields: real
            return real_run(cmd, **kw)
        commands.append([str(c) for c in cmd])
        if cmd[0] == "mmdebstrap":
            Path(cmd[-2]).write_bytes(b"root")
        return ""

    monkeypatch.setattr(chroot, "run", fake_run)
    monkeypatch.setattr(chroot.hosttools, "require", lambda *p: None)
    config = BuildConfig(repo_root=tmp_path, cache_dir=tmp_path / "cache", out_dir=tmp_path / "out")
    return ChrootBackend(config), commands


def test_depends_names_without_versions_or_architectures():
    field = "libc6 (>= 2.34), initramfs-tools | linux-initramfs-tool, python3:any"
    assert depends_names(field) == ["libc6", "initramfs-tools", "python3"]
    assert depends_names(field, every_alternative=True) == [
        "libc6", "initramfs-tools", "linux-initramfs-tool", "python3"]
    assert depends_names("") == []


def test_external_depends_leave_out_our_own_packages(tmp_path):
    a = make_deb(tmp_path, "a", depends="zlib1g (>= 1:1.1.4), c, a-virtual", provides="a-virtual")
    c = make_deb(tmp_path, "c", depends="python3")
    assert external_depends((a, c)) == {"zlib1g", "python3"}


def test_our_debs_depends_join_the_root_and_its_key(tmp_path, recorded):
    backend, commands = recorded
    plain = request_for(tmp_path)
    a = make_deb(tmp_path, "a", depends="zlib1g (>= 1:1.1.4)")
    with_a = request_for(tmp_path, [a])
    assert backend.root_key(plain) != backend.root_key(with_a)
    assert "zlib1g" in backend._includes(with_a) and "zlib1g" not in backend._includes(plain)
    # Our package itself is not fetched from Debian: it is installed from its .deb.
    assert "a" not in backend._includes(with_a)
    (tmp_path / "other").mkdir()
    a_changed = make_deb(tmp_path / "other", "a", depends="libyaml-0-2")
    assert backend.root_key(request_for(tmp_path, [a_changed])) != backend.root_key(with_a)


def test_build_installs_our_debs_offline_before_rpmbuild(tmp_path, recorded):
    backend, commands = recorded
    a = make_deb(tmp_path, "a", depends="zlib1g")
    backend.build(request_for(tmp_path, [a]))
    programs = [c[0] for c in commands]
    assert programs == ["mmdebstrap", "tar", "bwrap", "bwrap"]
    assert any(arg.startswith("--include=") and "zlib1g" in arg.split("=", 1)[1].split(",")
               for arg in commands[0])
    install, build = commands[2], commands[3]
    for sandboxed in (install, build):
        assert "--unshare-net" in sandboxed
    assert install[install.index("--die-with-parent"):][-3:] == ["dpkg", "-i", "/build/own/a_1.0-1_all.deb"]
    assert "rpmbuild" in build and build[-1] == "/build/b-1-1.src.rpm"


def test_build_without_our_debs_runs_rpmbuild_only(tmp_path, recorded):
    backend, commands = recorded
    backend.build(request_for(tmp_path))
    assert [c[0] for c in commands] == ["mmdebstrap", "tar", "bwrap"]
    assert "dpkg" not in commands[-1]


def test_shared_library_depends_run_inside_the_build_root(tmp_path, recorded):
    backend, commands = recorded
    work = tmp_path / "conv"
    (work / "debian" / "b").mkdir(parents=True)
    backend.shared_library_depends(request_for(tmp_path), work, [Path("usr/bin/b")])
    sandboxed = commands[-1]
    assert sandboxed[0] == "bwrap"
    assert ["--bind", str(work), "/shlibdeps"] == sandboxed[sandboxed.index(str(work)) - 1:][:3]
    assert sandboxed[sandboxed.index("--chdir") + 1] == "/shlibdeps"
    assert sandboxed[-3:] == ["dpkg-shlibdeps", "-O", "-edebian/b/usr/bin/b"]
