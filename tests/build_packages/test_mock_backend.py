"""The mock backend, as far as it runs on a Debian host: config, command, results, and build()
against a fake `mock` script (the real one exists only on RPM build hosts)."""
import configparser
import os
import stat
import textwrap
from pathlib import Path

import pytest

from packages.backends import BuildRequest, backend_named
from packages.backends import mock as mock_backend
from packages.backends.mock import (MockBackend, collect_results, failed_log, mock_command,
                                    python_literal, rpmbuild_failed)
from buildlib.errors import HostToolMissing, PackageBuildFailed, XenhostBuildError
from packages.specs import MACRO_FILES, Spec

RESULTS = ("demo-1.0-1.el9.x86_64.rpm", "demo-tools-1.0-1.el9.noarch.rpm",
           "demo-1.0-1.el9.src.rpm", "demo-debuginfo-1.0-1.el9.x86_64.rpm",
           "demo-debugsource-1.0-1.el9.x86_64.rpm")
KEPT = ["demo-1.0-1.el9.x86_64.rpm", "demo-tools-1.0-1.el9.noarch.rpm"]

# Stands in for mock: records its arguments and config, then behaves as FAKE_MOCK_MODE says.
FAKE_MOCK = textwrap.dedent("""\
    #!/bin/sh
    PATH=/usr/bin:/bin
    echo "$@" > "$FAKE_MOCK_RECORD/args"
    while [ $# -gt 0 ]; do
      case "$1" in
        --root) cp "$2" "$FAKE_MOCK_RECORD/config.cfg"; shift ;;
        --resultdir) out="$2"; shift ;;
      esac
      shift
    done
    mkdir -p "$out"
    echo "INFO: Mock Version: 5.0" > "$out/root.log"
    echo "INFO: Mock Version: 5.0" > "$out/build.log"
    case "$FAKE_MOCK_MODE" in
      ok)
        for f in %(results)s; do echo rpm > "$out/$f"; done
        echo "Finish: rpmbuild demo"; exit 0 ;;
      build-fails)
        printf 'Executing command: rpmbuild -bb demo.spec\\nmake: *** [all] Error 2\\n' >> "$out/build.log"
        echo "DEBUG util.py:446:  Child return code was: 1" >> "$out/build.log"
        echo "ERROR: Exception(demo.src.rpm) Config(xenhost) 0 minutes 3 seconds"; exit 30 ;;
      root-fails)
        echo "DEBUG util.py:446:  Child return code was: 0" >> "$out/build.log"
        echo "No match for argument: libfoo-devel" >> "$out/root.log"
        echo "ERROR: Command failed"; exit 30 ;;
      early)
        rm -f "$out/root.log" "$out/build.log"
        echo "ERROR: You are not in the mock group"; exit 2 ;;
    esac
    """) % {"results": " ".join(RESULTS)}


def exec_config(text: str) -> dict:
    """Run a rendered config the way mock does: a preset config_opts, then the file."""
    config_opts = {"files": {}, "macros": {}, "plugin_conf": {}, "environment": {}}
    exec(compile(text, "mock.cfg", "exec"), {"config_opts": config_opts})
    return config_opts


def repo_sections(dnf_conf: str) -> dict[str, dict[str, str]]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(dnf_conf)
    return {s: dict(parser[s]) for s in parser.sections()}


@pytest.fixture
def backend(layout, monkeypatch) -> MockBackend:
    for name in ("XENHOST_MOCK_TARGET", "XENHOST_MOCK_BASEURL", "XENHOST_MOCK_TARGETS"):
        monkeypatch.delenv(name, raising=False)
    return MockBackend(layout)


@pytest.fixture
def request_for(layout, tmp_path):
    def make(local_repo: Path | None = None) -> BuildRequest:
        srpm = tmp_path / "demo-1.0-1.src.rpm"
        srpm.write_text("srpm")
        spec = Spec(path=tmp_path / "demo.spec", name="demo", version="1.0", release="1",
                    build_requires=(), sources=(), patches=())
        return BuildRequest(spec=spec, srpm=srpm, build_requires=("debian-name",),
                            result_dir=tmp_path / "store" / "rpms", log=tmp_path / "logs" / "demo.log",
                            local_repo=local_repo)
    return make


@pytest.fixture
def fake_mock(tmp_path, monkeypatch):
    """Put the fake mock first on PATH; returns the directory where it records its call."""
    bin_dir, record = tmp_path / "fakebin", tmp_path / "record"
    bin_dir.mkdir()
    record.mkdir()
    script = bin_dir / "mock"
    script.write_text(FAKE_MOCK)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_MOCK_RECORD", str(record))
    monkeypatch.setenv("FAKE_MOCK_MODE", "ok")
    return record


# --- config ------------------------------------------------------------------------------------

def test_backend_named_mock_is_this_backend(layout):
    assert isinstance(backend_named("mock", layout), MockBackend)


def test_rendered_config_is_python_mock_can_read(backend, tmp_path):
    opts = exec_config(backend.render_config(tmp_path / "local"))
    assert opts["root"] == "xenhost-rocky-9-x86_64"
    assert opts["target_arch"] == "x86_64"
    assert opts["package_manager"] == "dnf"
    assert opts["dist"] == "el9" and opts["releasever"] == "9"
    assert "rpm-build" in opts["chroot_setup_cmd"].split()
    assert opts["rpmbuild_networking"] is False


def test_config_has_our_repo_with_priority_over_the_distro(backend, tmp_path):
    local = tmp_path / "local"
    repos = repo_sections(exec_config(backend.render_config(local))["dnf.conf"])
    ours = repos["xenhost-local"]
    assert ours["baseurl"] == local.as_uri()
    distro = [r for name, r in repos.items() if name not in ("main", "xenhost-local")]
    assert {"baseos", "appstream", "crb"} <= set(repos)
    # dnf: the lower priority number wins.
    assert all(int(ours["priority"]) < int(r["priority"]) for r in distro)
    assert all(r["gpgcheck"] == "1" and r["gpgkey"].startswith("file://") for r in distro)


def test_config_without_local_repo_has_only_distro_repos(backend):
    repos = repo_sections(exec_config(backend.render_config(None))["dnf.conf"])
    assert "xenhost-local" not in repos and "baseos" in repos


def test_config_carries_our_macro_file_verbatim_and_build_macros(backend):
    opts = exec_config(backend.render_config(None))
    macro_text = MACRO_FILES["common"].read_text()
    # Multi-line macros (trailing backslashes) must survive exactly.
    assert "\\\n" in macro_text
    assert opts["files"]["etc/rpm/macros.xenhost"] == macro_text
    assert opts["macros"]["%source_date_epoch_from_changelog"] == "1"
    assert opts["macros"]["%_buildhost"] == "xenhost-build"


@pytest.mark.parametrize("text", ["plain", "two\nlines\n", "cont \\\nnext\n", 'ends in "',
                                  'has """ inside\n', "ends in \\", "cr\r\nlf\n"])
def test_python_literal_round_trips(text):
    assert eval(python_literal(text)) == text


def test_baseurl_comes_from_environment(layout, monkeypatch):
    monkeypatch.setenv("XENHOST_MOCK_BASEURL", "http://mirror.internal/rocky/")
    repos = repo_sections(exec_config(MockBackend(layout).render_config(None))["dnf.conf"])
    assert repos["baseos"]["baseurl"] == "http://mirror.internal/rocky/$releasever/BaseOS/$basearch/os/"


def test_second_target_renders(layout, monkeypatch):
    monkeypatch.setenv("XENHOST_MOCK_TARGET", "fedora-40")
    opts = exec_config(MockBackend(layout).render_config(None))
    assert opts["dist"] == "fc40" and opts["root"] == "xenhost-fedora-40-x86_64"


def test_unknown_target_names_the_known_ones(layout):
    with pytest.raises(XenhostBuildError, match="rocky-9"):
        MockBackend(layout, target="nope")


def test_root_key_ignores_per_build_paths_but_not_the_distro(layout, backend, request_for, tmp_path,
                                                             monkeypatch):
    key = backend.root_key(request_for())
    assert key == backend.root_key(request_for(local_repo=tmp_path / "elsewhere"))
    assert len(key) == 16
    monkeypatch.setenv("XENHOST_MOCK_TARGET", "fedora-40")
    assert MockBackend(layout).root_key(request_for()) != key


# --- command and results -----------------------------------------------------------------------

def test_mock_command():
    cmd = mock_command(Path("/c/x.cfg"), Path("/s/demo.src.rpm"), Path("/r"))
    assert cmd == ["mock", "--root", "/c/x.cfg", "--resultdir", "/r", "--rebuild", "/s/demo.src.rpm"]
    assert not any("network" in a for a in cmd)


def test_collect_results_keeps_binaries_drops_source_and_debug_packages(tmp_path):
    resultdir = tmp_path / "result"
    resultdir.mkdir()
    for name in (*RESULTS, "build.log", "root.log"):
        (resultdir / name).write_text("x")
    collected = collect_results(resultdir, tmp_path / "dest")
    assert [p.name for p in collected] == KEPT
    assert sorted(p.name for p in (tmp_path / "dest").iterdir()) == KEPT


def test_failed_log_chooses_by_rpmbuild_exit(tmp_path):
    (tmp_path / "root.log").write_text("No match for argument: x\n")
    (tmp_path / "build.log").write_text("Child return code was: 0\n")
    assert failed_log(tmp_path).name == "root.log"
    (tmp_path / "build.log").write_text("Child return code was: 0\nChild return code was: 1\n")
    assert failed_log(tmp_path).name == "build.log"
    assert not rpmbuild_failed("Mock Version: 5.0\n")
    assert failed_log(tmp_path / "missing") is None


# --- build() -----------------------------------------------------------------------------------

def test_missing_mock_says_use_chroot_backend(backend, request_for, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(HostToolMissing) as info:
        backend.build(request_for())
    assert "mock" in info.value.problem
    assert "--backend chroot" in info.value.fix


def test_build_with_fake_mock_collects_rpms(backend, request_for, fake_mock):
    request = request_for()
    built = backend.build(request)
    assert [p.name for p in built] == KEPT
    assert all(p.parent == request.result_dir for p in built)
    args = (fake_mock / "args").read_text().split()
    assert args[0] == "--root" and args[-2:] == ["--rebuild", str(request.srpm)]
    opts = exec_config((fake_mock / "config.cfg").read_text())
    assert opts["root"] == f"xenhost-rocky-9-x86_64-{backend.root_key(request)}"
    assert "Finish: rpmbuild demo" in request.log.read_text()
    # The per-build result dir is gone on success; the config stays for mock's root cache.
    assert list((backend.config.cache_dir / "mock" / "results").iterdir()) == []


def test_config_file_is_reused_unchanged_between_builds(backend, request_for, fake_mock):
    backend.build(request_for())
    first = Path((fake_mock / "args").read_text().split()[1])
    mtime = first.stat().st_mtime_ns
    backend.build(request_for())
    assert Path((fake_mock / "args").read_text().split()[1]) == first
    assert first.stat().st_mtime_ns == mtime


def test_build_indexes_local_repo_and_uses_it(backend, request_for, fake_mock, tmp_path):
    local = tmp_path / "local"
    local.mkdir()
    backend.build(request_for(local_repo=local))
    assert (local / "repodata" / "repomd.xml").exists()
    repos = repo_sections(exec_config((fake_mock / "config.cfg").read_text())["dnf.conf"])
    assert repos["xenhost-local"]["baseurl"] == local.resolve().as_uri()


def test_local_repo_without_createrepo_is_skipped_with_a_note(backend, request_for, fake_mock,
                                                              tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "fakebin"))   # the fake mock, and nothing else
    request = request_for(local_repo=tmp_path / "local")
    backend.build(request)
    assert "createrepo_c is not installed" in request.log.read_text()
    repos = repo_sections(exec_config((fake_mock / "config.cfg").read_text())["dnf.conf"])
    assert "xenhost-local" not in repos


def test_rpmbuild_failure_names_build_log(backend, request_for, fake_mock, monkeypatch):
    monkeypatch.setenv("FAKE_MOCK_MODE", "build-fails")
    request = request_for()
    with pytest.raises(PackageBuildFailed) as info:
        backend.build(request)
    assert "build.log" in info.value.fix and "%build" in info.value.fix
    assert "Error 2" in info.value.problem
    # mock's logs are kept, and copied into the package's log the pipeline points to.
    assert "Error 2" in request.log.read_text()
    assert Path(info.value.fix.split()[1].rstrip(":")).exists()


def test_root_setup_failure_names_root_log(backend, request_for, fake_mock, monkeypatch):
    monkeypatch.setenv("FAKE_MOCK_MODE", "root-fails")
    with pytest.raises(PackageBuildFailed) as info:
        backend.build(request_for())
    assert "root.log" in info.value.fix and "BuildRequires" in info.value.fix
    assert "No match for argument: libfoo-devel" in info.value.problem


def test_mock_failing_before_logging_points_to_package_log(backend, request_for, fake_mock,
                                                            monkeypatch):
    monkeypatch.setenv("FAKE_MOCK_MODE", "early")
    request = request_for()
    with pytest.raises(PackageBuildFailed) as info:
        backend.build(request)
    assert str(request.log) in info.value.fix and "mock group" in info.value.fix
    assert "not in the mock group" in request.log.read_text()


def test_macro_file_with_jinja_markers_is_refused(monkeypatch, tmp_path, backend):
    bad = tmp_path / "bad.macros"
    bad.write_text("%x {{ y }}\n")
    monkeypatch.setitem(mock_backend.MACRO_FILES, "common", bad)
    with pytest.raises(XenhostBuildError, match="template"):
        backend.render_config(None)
