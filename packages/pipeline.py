"""Build every spec in dependency order, reusing cached results, then write the repositories.

The repositories (out/repo) are rewritten only by a run that covered every spec and in which
every package built or was cached: a failed package or an `only=` run leaves the previous
repositories untouched, so they never hold a partial or mixed set.
"""
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from buildlib import hosttools
from . import graph
from .backends import Backend, BuildRequest, backend_named
from .cache import StoredBuild, cache_key, conversion_key, package_key
from buildlib.config import BuildConfig
from .debian import rpm_to_deb
from buildlib.errors import XenhostBuildError
from .names import NameMap
from .profiles import DEFAULT, select
from .repos import write_repositories
from .reproducible import at_fixed_paths, rpmbuild_defines
from buildlib.run import run
from .sources import gather_sources
from .specs import MACRO_FILES, load_specs


@dataclass
class Outcome:
    name: str
    state: str            # built | cached | failed | skipped
    seconds: float = 0.0
    detail: str = ""


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    repos: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(o.state in ("built", "cached") for o in self.outcomes)

    def table(self) -> str:
        rows = [f"  {o.name:<22} {o.state:<8} {o.seconds:7.1f}s  {o.detail}" for o in self.outcomes]
        counts = {s: sum(o.state == s for o in self.outcomes) for s in ("built", "cached", "failed", "skipped")}
        return "\n".join(["packages:", *rows, "  " + ", ".join(f"{v} {k}" for k, v in counts.items())])


def _with_build_deps(deps: dict[str, set[str]], names: set[str]) -> set[str]:
    """names plus every spec they build-depend on, transitively."""
    result, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name not in result:
            result.add(name)
            todo.extend(deps.get(name, ()))
    return result


def make_srpm(spec, sources_dir: Path, out_dir: Path, log: Path, flavor: str) -> Path:
    hosttools.require("rpmbuild", "bwrap")
    out_dir.mkdir(parents=True, exist_ok=True)      # bwrap binds it: it must exist beforehand
    with tempfile.TemporaryDirectory(prefix="srpm-") as top:
        macro_files = [MACRO_FILES["common"]] + ([MACRO_FILES[flavor]] if flavor in MACRO_FILES else [])
        # The SRPM header records the expanded build scripts, paths included: rpmbuild sees the
        # same paths in every build (see reproducible.at_fixed_paths). The macro files are bound
        # in too: the sandbox's private /tmp hides a checkout that lives under /tmp.
        loads = [a for p in macro_files for a in ("--load", f"/tmp/srpm/macros/{Path(p).name}")]
        specs = _dated_inputs(spec, sources_dir, Path(top) / "specs")
        paths = {top: "/tmp/srpm/top", sources_dir: "/tmp/srpm/SOURCES", out_dir: "/tmp/srpm/out",
                 specs: "/tmp/srpm/specs", Path(macro_files[0]).parent: "/tmp/srpm/macros"}
        run(at_fixed_paths(["rpmbuild", "-bs", *loads, "--define", "_topdir /tmp/srpm/top",
                            "--define", "_sourcedir /tmp/srpm/SOURCES", "--define", "_srcrpmdir /tmp/srpm/out",
                            *rpmbuild_defines(), f"/tmp/srpm/specs/{spec.path.name}"], paths),
            log_file=log, env={"SOURCE_DATE_EPOCH": str(spec.changelog_time), "PATH": "/usr/bin:/bin"})
    return next(out_dir.glob("*.src.rpm"))


def _dated_inputs(spec, sources_dir: Path, specs: Path) -> Path:
    """The SRPM's files (the spec, its sources) dated SOURCE_DATE_EPOCH: rpm stores their mtimes
    and clamps only later ones, so a checkout's or a fresh tarball's time made two SRPMs of one
    commit differ. Returns the folder holding the dated copy of the spec."""
    specs.mkdir()
    shutil.copyfile(spec.path, specs / spec.path.name)
    for path in [specs / spec.path.name, *sources_dir.iterdir()]:
        os.utime(path, (spec.changelog_time, spec.changelog_time))
    return specs


class PackageBuilder:
    def __init__(self, config: BuildConfig, backend: "str | Backend" = "chroot", progress=print,
                 profile: str = DEFAULT):
        self.config = config
        # A name (chroot, mock) or a ready Backend instance (tests, other callers).
        self.backend = backend if isinstance(backend, Backend) else backend_named(backend, config)
        self.progress = progress
        self.specs = select(config, load_specs(config.specs_dir, self.backend.flavor), profile)
        self.order = graph.build_order(self.specs, self.backend.flavor)
        self.deps = graph.build_deps(self.specs, self.backend.flavor)
        self.names = NameMap.load(set(graph.providers(self.specs)))
        self.conversion = conversion_key()
        self.keys: dict[str, str] = {}                # package keys (build + conversion)
        self.stores: dict[str, StoredBuild] = {}

    def run(self, only: set[str] | None = None, force: set[str] = frozenset()) -> Summary:
        """Build the specs in `only` (default: all) plus what they build-depend on, transitively
        (usually cached; a package is never built against stale dependencies). `force` rebuilds
        the named specs even when cached, and nothing else."""
        summary = Summary()
        failed: set[str] = set()
        unknown = set(only or ()) | set(force)
        unknown -= set(self.specs)
        if unknown:
            raise XenhostBuildError(f"no spec named {', '.join(sorted(unknown))}",
                                    f"use the Name of one of the specs in {self.config.specs_dir}")
        wanted = _with_build_deps(self.deps, set(only)) if only else set(self.order)
        selected = [n for n in self.order if n in wanted]
        for index, name in enumerate(selected, 1):
            prefix = f"[{index}/{len(selected)}] {name}"
            blocked = self.deps[name] & failed
            if blocked:
                failed.add(name)
                summary.outcomes.append(Outcome(name, "skipped", detail=f"needs failed {sorted(blocked)}"))
                self.progress(f"{prefix}: skipped (build-depends on failed {', '.join(sorted(blocked))})")
                continue
            started = time.monotonic()
            try:
                state = self._one(name, force=name in force, prefix=prefix)
                summary.outcomes.append(Outcome(name, state, time.monotonic() - started))
            except XenhostBuildError as exc:
                failed.add(name)
                summary.outcomes.append(Outcome(name, "failed", time.monotonic() - started,
                                                f"see {self.config.logs_dir / name}.log"))
                self.progress(f"{prefix}: FAILED\n{exc}")
        if failed:
            self.progress(f"repositories not written: {len(failed)} package(s) failed or were "
                          f"skipped; {self.config.repo_dir} keeps the previous complete set")
        elif len(selected) < len(self.order):
            self.progress(f"repositories not written: only {len(selected)} of {len(self.order)} "
                          f"specs were part of this run (build without --only to write them)")
        else:
            summary.repos = self._write_repos(self.order)
        return summary

    def _one(self, name: str, force: bool, prefix: str) -> str:
        spec = self.specs[name]
        log = self.config.logs_dir / f"{name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.config.cache("work"), prefix=f"{name}-") as tmp:
            sources = gather_sources(self.config, spec, Path(tmp) / "SOURCES")
            build_requires = self._external_build_requires(spec)
            # Before the SRPM exists only the build root's inputs are known; that is all the
            # backend's root key needs.
            request = BuildRequest(spec=spec, srpm=Path(), build_requires=build_requires,
                                   result_dir=Path(), log=log, local_debs=self._own_debs(name))
            key = cache_key(spec, sources, self.backend.root_key(request),
                            {d: self.keys[d] for d in sorted(self.deps[name]) if d in self.keys},
                            {"backend": self.backend.name})
            self.keys[name] = package_key(key, self.conversion)
            stored = self.stores[name] = StoredBuild.at(self.config, name, key, self.conversion)
            if stored.complete and not force:
                if stored.debs_complete:
                    self.progress(f"{prefix}: cached ({key})")
                else:
                    self._convert(stored, request)
                    self.progress(f"{prefix}: cached ({key}); .debs remade (the rpm->deb code changed)")
                return "cached"
            self.progress(f"{prefix}: building {spec.evr} with {self.backend.name} (log: {log})")
            log.write_text(f"# {name} {spec.evr} key {key}\n")
            if stored.root.exists():
                shutil.rmtree(stored.root)
            (stored.root / "srpms").mkdir(parents=True)
            srpm = make_srpm(spec, Path(tmp) / "SOURCES", stored.root / "srpms", log, self.backend.flavor)
            request = replace(request, srpm=srpm, result_dir=stored.root / "rpms",
                              local_repo=self._local_repo(name, Path(tmp) / "local-repo"))
            rpms = self.backend.build(request)
            stored.mark_complete()
            self._convert(stored, request)
            self.progress(f"{prefix}: built {len(rpms)} package(s)")
            return "built"

    def _convert(self, stored: StoredBuild, request: BuildRequest) -> None:
        """The stored RPMs -> .debs, shared-library Depends computed where the build ran."""
        hosttools.require("rpm2cpio", "cpio", "dpkg-deb")
        if stored.debs_dir.exists():
            shutil.rmtree(stored.debs_dir)
        for rpm_file in stored.files("rpms/*.rpm"):
            rpm_to_deb(rpm_file, self.names, stored.debs_dir,
                       shlibdeps=lambda work, elf: self.backend.shared_library_depends(request, work, elf))
        stored.debs_dir.mkdir(parents=True, exist_ok=True)
        stored.mark_debs_complete()

    def _external_build_requires(self, spec) -> tuple[str, ...]:
        """The BuildRequires a Debian build root gets from Debian, by their Debian names; ours
        come from this run's .debs instead (local_debs). RPM backends resolve all of them
        themselves, ours from the local repository."""
        if self.backend.flavor != "debian":
            return spec.build_requires
        return tuple(self.names.debian(r, spec.path.name) for r in spec.build_requires
                     if r not in self.names.own)

    def _own_debs(self, name: str) -> tuple[Path, ...]:
        """The .debs of ours that name's build root installs (BuildRequires on our specs, and
        what those Require of ours), as this run built or cached them."""
        wanted = graph.build_root_packages(self.specs, name)
        found = {}
        for dep in sorted(self.deps[name]):
            for deb in self.stores[dep].debs():
                package = deb.name.split("_", 1)[0]
                if package in wanted:
                    found[package] = deb
        return tuple(found[p] for p in sorted(found))

    def _local_repo(self, name: str, path: Path) -> Path | None:
        """The RPMs of every spec name build-depends on (transitively), as this run built or
        cached them: what the mock backend installs for BuildRequires our own specs provide."""
        needed = _with_build_deps(self.deps, self.deps[name]) if self.deps[name] else set()
        if not needed:
            return None
        path.mkdir(parents=True, exist_ok=True)
        for dep in sorted(needed):
            for rpm_file in self.stores[dep].files("rpms/*.rpm"):
                shutil.copy2(rpm_file, path)
        return path

    def _write_repos(self, names: list[str]) -> dict:
        stores = [self.stores[n] for n in names if n in self.stores]
        debs = [f for s in stores for f in s.debs()]
        rpms = [f for s in stores for f in s.files("rpms/*.rpm")]
        srpms = [f for s in stores for f in s.files("srpms/*.src.rpm")]
        repos = write_repositories(self.config, debs, rpms, srpms)
        self.progress(f"repositories: apt {repos['apt']}, rpm {repos['rpm']} (key {repos['keyring']})")
        return repos
