"""The package pipeline end to end with a fake backend: incremental rebuilds, failure isolation,
the summary, and the signed repositories (checked with gpgv and a real `apt-get update`).

The fake backend rebuilds the pipeline's SRPM with the host's rpmbuild (tiny noarch specs), so
the RPMs, the .debs made from them and the repositories are all real; no build root is made.
"""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from buildlib import hosttools
from packages.backends import Backend, BuildRequest
from buildlib.config import BuildConfig
from buildlib.errors import HostToolMissing, PackageBuildFailed, XenhostBuildError
from packages.pipeline import PackageBuilder
from buildlib.signing import Signer

PROGRAMS = ("rpmbuild", "rpm2cpio", "cpio", "dpkg-deb", "dpkg-scanpackages", "apt-ftparchive",
            "createrepo_c", "gpg", "gpgv", "apt-get")
pytestmark = pytest.mark.skipif(any(shutil.which(p) is None for p in PROGRAMS),
                                reason="needs the build host's tools (./setup-host.sh)")

# base <- lib <- app (BuildRequires), and solo on its own.
GRAPH = {"base": "", "lib": "BuildRequires: base", "app": "BuildRequires: lib", "solo": ""}


class FakeBackend(Backend):
    """Builds on the host with rpmbuild --rebuild; records what it built; fails on request."""
    name = "fake"
    flavor = "debian"

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.built: list[str] = []
        self.requests: list[BuildRequest] = []
        self.fail: set[str] = set()
        self.local_repos: dict[str, list[str] | None] = {}
        self.local_debs: dict[str, list[str]] = {}
        self.build_requires: dict[str, tuple[str, ...]] = {}

    def root_key(self, request: BuildRequest) -> str:
        return "fake-root:" + ",".join(sorted(request.build_requires))

    def build(self, request: BuildRequest) -> list[Path]:
        name = request.spec.name
        self.built.append(name)
        self.requests.append(request)
        self.local_repos[name] = (sorted(p.name for p in request.local_repo.iterdir())
                                  if request.local_repo else None)
        self.local_debs[name] = [p.name for p in request.local_debs]
        self.build_requires[name] = request.build_requires
        if name in self.fail:
            request.log.write_text(request.log.read_text() + "error: the fake build failed\n")
            raise PackageBuildFailed(f"{name} failed to build", f"read {request.log}")
        top = self.workdir / f"{name}-{len(self.built)}"
        subprocess.run(["rpmbuild", "--rebuild", "--nodeps", "--quiet", "--define", f"_topdir {top}",
                        str(request.srpm)], check=True, capture_output=True,
                       env={"PATH": "/usr/bin:/bin", "HOME": str(self.workdir),
                            "SOURCE_DATE_EPOCH": str(request.spec.changelog_time)})
        request.result_dir.mkdir(parents=True, exist_ok=True)
        return [Path(shutil.copy2(f, request.result_dir)) for f in sorted((top / "RPMS").glob("*/*.rpm"))]


def _kill_agent(home: Path) -> None:
    if home.exists():
        subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"],
                       capture_output=True, check=False)


@pytest.fixture(scope="session")
def gnupg_home(tmp_path_factory):
    """One signing key per session (rsa3072 takes seconds), shared by every test's cache."""
    cache = tmp_path_factory.mktemp("keycache")
    Signer(BuildConfig(repo_root=cache, cache_dir=cache, out_dir=cache / "out"))
    yield cache / "gnupg"
    _kill_agent(cache / "gnupg")


def _share_key(config: BuildConfig, gnupg_home: Path) -> None:
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    (config.cache_dir / "gnupg").symlink_to(gnupg_home, target_is_directory=True)


def _write_project(config: BuildConfig, write_spec) -> None:
    for name, tags in GRAPH.items():
        write_spec(config, name, tags)
    (config.specs_dir / "sources.yaml").write_text("".join(f"{n}: {{}}\n" for n in GRAPH))


@pytest.fixture(scope="session")
def prebuilt(tmp_path_factory, gnupg_home):
    """GRAPH built once per session: tests start from a copy of its package cache (the keys do
    not depend on where the checkout is), so most runs only build what a test changes."""
    from tests.build_packages.conftest import _write_spec
    root = tmp_path_factory.mktemp("prebuilt")
    (root / "specs").mkdir()
    config = BuildConfig(repo_root=root, cache_dir=root / "cache", out_dir=root / "out")
    _share_key(config, gnupg_home)
    _write_project(config, _write_spec)
    backend = FakeBackend(root / "fake-work")
    backend.workdir.mkdir()
    summary = PackageBuilder(config, backend=backend, progress=lambda _m: None).run()
    assert summary.ok, summary.table()
    yield {"packages": config.cache_dir / "packages", "order": list(backend.built),
           "summary": summary, "local_repos": dict(backend.local_repos),
           "local_debs": dict(backend.local_debs), "build_requires": dict(backend.build_requires),
           "config": config}
    _kill_agent(config.cache_dir / "gnupg")


@pytest.fixture
def config(layout, gnupg_home, monkeypatch) -> BuildConfig:
    monkeypatch.delenv("XENHOST_SIGNING_KEY", raising=False)
    _share_key(layout, gnupg_home)
    yield layout
    _kill_agent(layout.cache_dir / "gnupg")


def _project(config, write_spec, tmp_path):
    """The four specs of GRAPH, their sources.yaml, and a builder factory with a fake backend."""
    _write_project(config, write_spec)
    backend = FakeBackend(tmp_path / "fake-work")
    backend.workdir.mkdir()
    messages: list[str] = []

    def builder() -> PackageBuilder:
        backend.built.clear()
        messages.clear()
        return PackageBuilder(config, backend=backend, progress=messages.append)

    builder.backend = backend
    builder.messages = messages
    return builder


@pytest.fixture
def fresh(config, write_spec, tmp_path):
    """GRAPH with an empty package cache."""
    return _project(config, write_spec, tmp_path)


@pytest.fixture
def project(config, write_spec, tmp_path, prebuilt):
    """GRAPH with every package already in the cache (as after a first full run)."""
    shutil.copytree(prebuilt["packages"], config.cache_dir / "packages")
    return _project(config, write_spec, tmp_path)


def edit(config: BuildConfig, write_spec, name: str, note: str = "edited") -> None:
    write_spec(config, name, GRAPH[name] + f"\n# {note}\n")


def states(summary) -> dict[str, str]:
    return {o.name: o.state for o in summary.outcomes}


# --- 1. incremental -------------------------------------------------------------------------

def test_first_run_builds_all_in_dependency_order(prebuilt):
    # The session's prebuilt cache came from a first run over an empty cache.
    summary, built = prebuilt["summary"], prebuilt["order"]
    assert summary.ok
    assert states(summary) == {n: "built" for n in GRAPH}
    assert sorted(built) == sorted(GRAPH)
    assert built.index("base") < built.index("lib") < built.index("app")


def test_second_run_builds_nothing(project):
    summary = project().run()
    assert summary.ok
    assert states(summary) == {n: "cached" for n in GRAPH}
    assert project.backend.built == []


def test_editing_a_leaf_rebuilds_only_it(project, config, write_spec):
    edit(config, write_spec, "app")
    summary = project().run()
    assert project.backend.built == ["app"]
    assert states(summary) == {"base": "cached", "lib": "cached", "app": "built", "solo": "cached"}


def test_editing_a_build_dependency_rebuilds_it_and_its_dependents_only(project, config, write_spec):
    edit(config, write_spec, "lib")
    summary = project().run()
    assert project.backend.built == ["lib", "app"]
    assert states(summary)["base"] == states(summary)["solo"] == "cached"

    edit(config, write_spec, "base")
    project().run()
    assert project.backend.built == ["base", "lib", "app"]


def test_reverting_an_edit_reuses_the_earlier_build(project, config, write_spec):
    original = (config.specs_dir / "lib.spec").read_text()
    edit(config, write_spec, "lib")
    project().run()
    (config.specs_dir / "lib.spec").write_text(original)
    project().run()
    assert project.backend.built == []


def test_force_rebuilds_exactly_that_one(project):
    summary = project().run(force={"lib"})
    # lib's inputs did not change, so its key did not either: dependents stay cached.
    assert project.backend.built == ["lib"]
    assert states(summary) == {"base": "cached", "lib": "built", "app": "cached", "solo": "cached"}


def test_builds_see_the_rpms_of_their_build_dependencies(prebuilt):
    assert prebuilt["local_repos"] == {
        "base": None, "solo": None, "lib": ["base-1.0-1.noarch.rpm"],
        "app": ["base-1.0-1.noarch.rpm", "lib-1.0-1.noarch.rpm"]}


def test_build_roots_get_the_debs_of_what_they_build_require(prebuilt):
    # lib BuildRequires base; app BuildRequires lib only (lib does not Require base to run).
    assert prebuilt["local_debs"] == {"base": [], "solo": [], "lib": ["base_1.0-1_all.deb"],
                                      "app": ["lib_1.0-1_all.deb"]}
    # ... and do not ask the Debian mirror for them.
    assert prebuilt["build_requires"] == {"base": (), "solo": (), "lib": (), "app": ()}


def test_changed_conversion_code_remakes_debs_without_rebuilding(project, monkeypatch):
    import packages.pipeline as pipeline
    monkeypatch.setattr(pipeline, "conversion_key", lambda: "changed")
    summary = project().run()
    # base and solo: the stored RPMs are converted again. lib and app: their build roots hold
    # .debs made by the changed code, so their keys change and they are rebuilt.
    assert project.backend.built == ["lib", "app"]
    assert states(summary) == {"base": "cached", "lib": "built", "app": "built", "solo": "cached"}
    assert any("base: cached" in m and ".debs remade" in m for m in project.messages)
    assert summary.repos and (summary.repos["apt"] / "pool" / "main" / "base_1.0-1_all.deb").is_file()
    project().run()
    assert project.backend.built == [] and not any(".debs remade" in m for m in project.messages)


def test_only_limits_the_build(fresh):
    project = fresh
    summary = project().run(only={"solo"})
    assert project.backend.built == ["solo"]
    assert list(states(summary)) == ["solo"]
    assert summary.ok


def test_only_brings_in_build_dependencies_and_keys_match_a_full_run(fresh):
    project = fresh
    summary = project().run(only={"lib"})
    assert project.backend.built == ["base", "lib"]
    assert states(summary) == {"base": "built", "lib": "built"}
    # The same keys as a full run: only what was left out is built now.
    project().run()
    assert sorted(project.backend.built) == ["app", "solo"]
    # And after a full run, --only of a dependent is all cached.
    summary = project().run(only={"app"})
    assert project.backend.built == []
    assert states(summary) == {"base": "cached", "lib": "cached", "app": "cached"}


def test_only_does_not_rewrite_repositories(project, config, write_spec):
    project().run()
    packages_file = config.repo_dir / "deb" / "dists" / "xenhost" / "main" / "binary-amd64" / "Packages"
    before = packages_file.read_text()
    edit(config, write_spec, "solo")
    summary = project().run(only={"solo"})
    assert summary.ok and summary.repos == {}
    assert packages_file.read_text() == before
    assert any("repositories not written" in m for m in project.messages)


def test_unknown_names_are_refused(project):
    with pytest.raises(XenhostBuildError, match="no spec named nosuch"):
        project().run(only={"nosuch"})
    with pytest.raises(XenhostBuildError, match="no spec named nosuch"):
        project().run(force={"nosuch"})


def test_a_build_left_incomplete_is_rebuilt(project, config):
    for marker in (config.cache_dir / "packages" / "solo").glob("*/complete"):
        marker.unlink()
    project().run()
    assert project.backend.built == ["solo"]


# --- 2. failure isolation -------------------------------------------------------------------

def test_a_failure_skips_dependents_and_spares_the_rest(fresh, config):
    project = fresh
    project.backend.fail = {"lib"}
    summary = project().run()
    assert states(summary) == {"base": "built", "lib": "failed", "app": "skipped", "solo": "built"}
    assert "app" not in project.backend.built
    assert not summary.ok
    assert summary.repos == {}
    assert not (config.repo_dir / "deb").exists()
    assert "fake build failed" in (config.logs_dir / "lib.log").read_text()
    assert any("lib: FAILED" in m for m in project.messages)
    assert any("repositories not written" in m for m in project.messages)

    # Fixed: only the failed package and what it blocked are built next time.
    project.backend.fail = set()
    summary = project().run()
    assert summary.ok
    assert project.backend.built == ["lib", "app"]
    assert (config.repo_dir / "deb").is_dir()


def test_a_failure_keeps_the_previous_repositories(project, config, write_spec):
    project().run()
    inrelease = config.repo_dir / "deb" / "dists" / "xenhost" / "InRelease"
    before = inrelease.read_text()
    edit(config, write_spec, "base")
    project.backend.fail = {"base"}
    summary = project().run()
    assert states(summary) == {"base": "failed", "lib": "skipped", "app": "skipped", "solo": "cached"}
    assert inrelease.read_text() == before


# --- 3. the summary -------------------------------------------------------------------------

def test_summary_table_counts_every_state(project, config, write_spec):
    edit(config, write_spec, "base")
    edit(config, write_spec, "solo")
    project.backend.fail = {"base"}
    # solo built, base failed, lib and app skipped; then a run with everything cached.
    table = project().run().table()
    assert table.splitlines()[0] == "packages:"
    assert "1 built, 0 cached, 1 failed, 2 skipped" in table
    for name, state in (("base", "failed"), ("lib", "skipped"), ("app", "skipped"), ("solo", "built")):
        assert any(line.split()[:2] == [name, state] for line in table.splitlines())
    assert f"see {config.logs_dir / 'base'}.log" in table

    project.backend.fail = set()
    assert "3 built, 1 cached" in project().run().table()
    assert "0 built, 4 cached, 0 failed, 0 skipped" in project().run().table()


# --- 4. the repositories --------------------------------------------------------------------

@pytest.fixture
def repos(prebuilt):
    """The repositories of the session's full run (read only: tests that alter one copy it)."""
    return prebuilt["summary"].repos


def gpgv(keyring: Path, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["gpgv", "--keyring", str(keyring), *map(str, files)],
                          capture_output=True, text=True)


def test_apt_repository_is_signed_and_lists_the_debs(repos, prebuilt):
    config = prebuilt["config"]
    keyring = config.repo_dir / "xenhost-archive-keyring.gpg"
    assert repos["keyring"] == keyring and repos["apt"] == config.repo_dir / "deb"
    dists = repos["apt"] / "dists" / "xenhost"
    assert gpgv(keyring, dists / "InRelease").returncode == 0
    assert gpgv(keyring, dists / "Release.gpg", dists / "Release").returncode == 0
    packages = (dists / "main" / "binary-amd64" / "Packages").read_text()
    listed = {ln.split(": ", 1)[1] for ln in packages.splitlines() if ln.startswith("Package: ")}
    assert listed == set(GRAPH)
    for name in GRAPH:
        assert f"Filename: pool/main/{name}_1.0-1_all.deb" in packages
        assert (repos["apt"] / "pool" / "main" / f"{name}_1.0-1_all.deb").is_file()
    assert "Packages" in (dists / "Release").read_text()


def test_a_tampered_release_does_not_verify(repos, tmp_path):
    keyring = repos["keyring"]
    dists = repos["apt"] / "dists" / "xenhost"
    release = tmp_path / "Release"
    release.write_text((dists / "Release").read_text().replace("Origin: xenhost", "Origin: evil"))
    assert gpgv(keyring, dists / "Release.gpg", release).returncode != 0


def test_rpm_repository_has_signed_metadata(repos, prebuilt):
    config = prebuilt["config"]
    keyring = repos["keyring"]
    rpm_root = repos["rpm"]
    assert (config.repo_dir / "RPM-GPG-KEY-xenhost").read_text().startswith(
        "-----BEGIN PGP PUBLIC KEY BLOCK-----")
    expected = {"RPMS": {f"{n}-1.0-1.noarch.rpm" for n in GRAPH},
                "SRPMS": {f"{n}-1.0-1.src.rpm" for n in GRAPH}}
    for sub, files in expected.items():
        assert {p.name for p in (rpm_root / sub).glob("*.rpm")} == files
        repomd = rpm_root / sub / "repodata" / "repomd.xml"
        assert repomd.is_file()
        assert gpgv(keyring, repomd.with_name("repomd.xml.asc"), repomd).returncode == 0
        assert 'type="primary"' in repomd.read_text()


def apt_update(tmp_path: Path, deb_root: Path, keyring: Path) -> subprocess.CompletedProcess:
    state = tmp_path / "apt-state"
    if state.exists():
        shutil.rmtree(state)
    (state / "lists" / "partial").mkdir(parents=True)
    (state / "cache" / "archives" / "partial").mkdir(parents=True)
    sources = state / "sources.list"
    # signed-by, no [trusted=yes]: apt checks the signature.
    sources.write_text(f"deb [signed-by={keyring}] file://{deb_root} xenhost main\n")
    return subprocess.run(
        ["apt-get", "-q", "-o", f"Dir::Etc::SourceList={sources}", "-o", "Dir::Etc::SourceParts=/dev/null",
         "-o", f"Dir::State::Lists={state / 'lists'}", "-o", f"Dir::Cache={state / 'cache'}",
         "-o", "Dir::State::status=/dev/null", "-o", "Debug::NoLocking=1",
         "-o", "APT::Architecture=amd64", "-o", "APT::Sandbox::User=root",
         "-o", "APT::Update::Error-Mode=any", "-o", "Acquire::GzipIndexes=false", "update"],
        capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"})


def test_apt_get_update_accepts_the_signed_repository(repos, tmp_path):
    keyring = repos["keyring"]
    result = apt_update(tmp_path, repos["apt"], keyring)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "W:" not in result.stdout + result.stderr and "E:" not in result.stdout + result.stderr
    fetched = list((tmp_path / "apt-state" / "lists").glob("*_Packages"))
    assert fetched and "Package: app" in fetched[0].read_text()


def test_apt_get_update_refuses_a_tampered_release(repos, tmp_path):
    keyring = repos["keyring"]
    deb_root = tmp_path / "deb"
    shutil.copytree(repos["apt"], deb_root)
    inrelease = deb_root / "dists" / "xenhost" / "InRelease"
    inrelease.write_text(inrelease.read_text().replace("Origin: xenhost", "Origin: evil"))
    release = deb_root / "dists" / "xenhost" / "Release"
    release.write_text(release.read_text().replace("Origin: xenhost", "Origin: evil"))
    result = apt_update(tmp_path, deb_root, keyring)
    assert result.returncode != 0
    assert "BADSIG" in result.stdout + result.stderr, result.stdout + result.stderr


def test_apt_get_update_refuses_another_key(repos, tmp_path):
    other = tmp_path / "other.gpg"
    other.write_bytes(b"")   # a keyring without our key
    result = apt_update(tmp_path, repos["apt"], other)
    assert result.returncode != 0


# --- 5. host tools --------------------------------------------------------------------------

def test_missing_program_names_package_and_setup_script(monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(hosttools.shutil, "which",
                        lambda p, *a, **kw: None if p in ("createrepo_c", "mmdebstrap") else real_which(p, *a, **kw))
    with pytest.raises(HostToolMissing) as info:
        hosttools.require("gpg", "createrepo_c", "mmdebstrap")
    message = str(info.value)
    assert "createrepo_c: from Debian package createrepo-c" in message
    assert "mmdebstrap: from Debian package mmdebstrap" in message
    assert "gpg:" not in message
    assert "./setup-host.sh" in message
    assert "apt-get install createrepo-c mmdebstrap" in message
    assert isinstance(info.value, XenhostBuildError)


def test_present_programs_pass(monkeypatch):
    monkeypatch.setattr(hosttools.shutil, "which", lambda p, *a, **kw: f"/usr/bin/{p}")
    hosttools.require(*hosttools.HOST_TOOLS)


def test_undeclared_program_still_gives_a_readable_error(monkeypatch):
    monkeypatch.setattr(hosttools.shutil, "which", lambda p, *a, **kw: None)
    with pytest.raises(HostToolMissing) as info:
        hosttools.require("frobnicate")
    assert "frobnicate" in str(info.value) and "./setup-host.sh" in str(info.value)


def test_apt_packages_cover_every_declared_tool():
    packages = hosttools.apt_packages()
    assert packages == sorted(set(packages))
    assert {pkg for pkg, _ in hosttools.HOST_TOOLS.values()} <= set(packages)
