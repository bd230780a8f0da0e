"""RPM build hosts (Fedora, CentOS, Rocky): each SRPM is rebuilt by `mock --rebuild` in a fresh chroot.

The mock configuration is rendered from templates/mock.cfg.j2 for one target distribution
(templates/mock-targets.yaml). It points dnf at the distribution's repositories plus our local
repository of earlier results (so later specs build against earlier ones), copies our macro
file into the root and turns the network off for rpmbuild. mock resolves the SRPM's own
BuildRequires, so request.build_requires (Debian names, for the chroot backend) is not used.
"""
import hashlib
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

import jinja2
import yaml

from buildlib.config import BuildConfig
from buildlib.errors import CommandFailed, HostToolMissing, PackageBuildFailed, XenhostBuildError
from buildlib.run import run
from ..specs import MACRO_FILES
from ..reproducible import BUILD_MACROS
from .base import Backend, BuildRequest

log = logging.getLogger("xenhost.mock")

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "mock.cfg.j2"
TARGETS_FILE = TEMPLATES_DIR / "mock-targets.yaml"

LOCAL_REPO_ID = "xenhost-local"
# dnf: the lower number wins. 99 is dnf's default; ours must beat it.
DISTRO_PRIORITY = 99
LOCAL_PRIORITY = 10

# Where our macro file lands inside the root. Relative, like mock's own examples of 'files'.
MACRO_FILE_IN_ROOT = "etc/rpm/macros.xenhost"

# Debian architecture names (BuildConfig.arch) -> RPM ones.
RPM_ARCH = {"amd64": "x86_64", "arm64": "aarch64", "i386": "i686", "ppc64el": "ppc64le"}

# Stands in for per-build paths when hashing the config: they must not change the cache key.
PATH_PLACEHOLDER = "/xenhost/per-build-path"

REQUIRED_TARGET_KEYS = ("dist", "releasever", "module_platform_id", "chroot_setup_cmd", "repos")
REQUIRED_REPO_KEYS = ("id", "name", "baseurl")

MOCK_MISSING_FIX = ("mock is only available on RPM build hosts (dnf install mock, and add your "
                    "user to the mock group); on Debian hosts use --backend chroot")


class MockBackend(Backend):
    flavor = "rpm"
    name = "mock"

    def __init__(self, config: BuildConfig, target: str | None = None):
        self.config = config
        # Read at construction, not import, so a caller (or a test) can set them first.
        targets = load_targets(Path(os.environ.get("XENHOST_MOCK_TARGETS", TARGETS_FILE)))
        self.target_name = target or os.environ.get("XENHOST_MOCK_TARGET") or targets["default"]
        self.target = resolve_target(targets, self.target_name,
                                     os.environ.get("XENHOST_MOCK_BASEURL") or None)
        self.arch = RPM_ARCH.get(config.arch, config.arch)

    # --- configuration ---------------------------------------------------------------------

    def base_root_name(self) -> str:
        return f"xenhost-{self.target_name}-{self.arch}"

    def render_config(self, local_repo: Path | None, root: str | None = None) -> str:
        """The whole mock config as text; local_repo None leaves our repository out."""
        return render_config(self.target, self.target_name, self.arch,
                             root or self.base_root_name(), local_repo, _macro_files())

    def root_key(self, request: BuildRequest) -> str:
        # Always rendered as if a local repository were present, at a placeholder path: where
        # the earlier results live, and whether this build had any, is not what the root is.
        # Their content is in the cache key already (the dependencies' keys).
        text = self.render_config(Path(PATH_PLACEHOLDER))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def _write_config(self, request: BuildRequest, local_repo: Path | None) -> Path:
        # The root name carries the key so roots (and mock's root caches) of different
        # configurations never mix.
        root = f"{self.base_root_name()}-{self.root_key(request)}"
        text = self.render_config(local_repo, root=root)
        # Named by content and written once: mock discards its root cache whenever the
        # config file is newer than the cache, so rewriting it per build would defeat it.
        path = self.config.cache("mock", "configs") / f"{root}-{_digest(text)}.cfg"
        if not path.exists():
            partial = path.with_suffix(".partial")
            partial.write_text(text)
            partial.rename(path)
        return path

    # --- building ---------------------------------------------------------------------------

    def build(self, request: BuildRequest) -> list[Path]:
        require_mock()
        local_repo = prepare_local_repo(request.local_repo, request.log)
        cfg = self._write_config(request, local_repo)
        resultdir = Path(tempfile.mkdtemp(prefix=f"{request.spec.name}-",
                                          dir=self.config.cache("mock", "results")))
        try:
            run(mock_command(cfg, request.srpm, resultdir), log_file=request.log)
        except CommandFailed as exc:
            raise build_failure(resultdir, request.log, cfg) from exc
        built = collect_results(resultdir, request.result_dir)
        if not built:
            raise PackageBuildFailed(
                f"mock succeeded for {request.srpm.name} but left no binary RPM in {resultdir}",
                f"check the spec's %files sections and mock's output in {request.log}")
        # Success: mock's own output is in request.log; the result dir has nothing more.
        shutil.rmtree(resultdir, ignore_errors=True)
        return built


# --- targets --------------------------------------------------------------------------------

def load_targets(path: Path = TARGETS_FILE) -> dict:
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise XenhostBuildError(f"cannot read the mock targets file {path}: {exc}",
                                f"restore {TARGETS_FILE.name} from git or fix its YAML") from exc
    if not isinstance(data, dict) or not isinstance(data.get("targets"), dict) \
            or data.get("default") not in data["targets"]:
        raise XenhostBuildError(f"{path} must map `targets` to named targets and name one as `default`",
                                f"compare it with {TARGETS_FILE}")
    return data


def resolve_target(targets: dict, name: str, baseurl_override: str | None = None) -> dict:
    """One target with `{mirror}` in its repository URLs filled in."""
    if name not in targets["targets"]:
        raise XenhostBuildError(f"unknown mock target {name!r}",
                                f"set XENHOST_MOCK_TARGET to one of {sorted(targets['targets'])}")
    target = dict(targets["targets"][name])
    missing = [k for k in REQUIRED_TARGET_KEYS if k not in target]
    missing += [f"repos[{i}].{k}" for i, repo in enumerate(target.get("repos") or [])
                for k in REQUIRED_REPO_KEYS if k not in repo]
    if missing:
        raise XenhostBuildError(f"mock target {name!r} lacks {', '.join(missing)}",
                                f"add them in {TARGETS_FILE}")
    mirror = (baseurl_override or target.get("mirror", "")).rstrip("/")
    target["repos"] = [{**repo, "baseurl": repo["baseurl"].replace("{mirror}", mirror),
                        "gpgkey": repo.get("gpgkey", "")} for repo in target["repos"]]
    return target


# --- rendering ------------------------------------------------------------------------------

def python_literal(value) -> str:
    """A Python literal for value; multi-line text stays readable when that is safe.

    A raw triple-quoted string keeps backslash-newline (rpm's macro continuation) as written;
    it cannot hold three quotes or end in a quote or backslash, so those fall back to repr.
    """
    if isinstance(value, str) and "\n" in value and '"""' not in value and "\r" not in value \
            and not value.endswith(('"', "\\")):
        return 'r"""' + value + '"""'
    return repr(value)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters["py"] = python_literal
    return env


def _macro_files() -> dict[str, str]:
    text = Path(MACRO_FILES["common"]).read_text()
    # mock expands Jinja in config values; our macros must reach rpm untouched.
    for marker in ("{{", "{%", "{#"):
        if marker in text:
            raise XenhostBuildError(f"{MACRO_FILES['common']} contains {marker!r}, which mock "
                                    "would treat as a template", "rewrite that macro without it")
    return {MACRO_FILE_IN_ROOT: text}


def render_config(target: dict, target_name: str, arch: str, root: str,
                  local_repo: Path | None, files: dict[str, str]) -> str:
    return _environment().get_template(TEMPLATE_NAME).render(
        target_name=target_name, description=target.get("description", target_name),
        root=root, target_arch=arch, dist=target["dist"], releasever=str(target["releasever"]),
        chroot_setup_cmd=" ".join(target["chroot_setup_cmd"].split()),
        module_platform_id=target["module_platform_id"],
        bootstrap_image=target.get("bootstrap_image", ""),
        repos=target["repos"], distro_priority=DISTRO_PRIORITY,
        local_repo_id=LOCAL_REPO_ID, local_priority=LOCAL_PRIORITY,
        local_repo_url=local_repo.resolve().as_uri() if local_repo else "",
        macros=BUILD_MACROS, files=files)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


# --- host and local repository --------------------------------------------------------------

def require_mock() -> None:
    if shutil.which("mock") is None:
        raise HostToolMissing("the mock backend needs the `mock` program, which is not on PATH",
                              MOCK_MISSING_FIX)


def _needs_index(repo: Path) -> bool:
    repomd = repo / "repodata" / "repomd.xml"
    if not repomd.exists():
        return True
    # An index older than a package in the directory would hide that package from dnf.
    newest = max((f.stat().st_mtime for f in repo.rglob("*.rpm")), default=0)
    return newest > repomd.stat().st_mtime


def prepare_local_repo(repo: Path | None, build_log: Path) -> Path | None:
    """The local repository to give dnf, indexed; None when there is none or it has no index."""
    if repo is None:
        return None
    repo.mkdir(parents=True, exist_ok=True)
    if _needs_index(repo):
        if shutil.which("createrepo_c") is None:
            _note(build_log, f"createrepo_c is not installed: {repo} cannot be indexed")
        else:
            run(["createrepo_c", "--quiet", "--checksum", "sha256", repo], log_file=build_log,
                fix=f"check that {repo} holds only readable RPMs")
    if not (repo / "repodata" / "repomd.xml").exists():
        # dnf refuses a repository without an index; build without it rather than fail here.
        _note(build_log, f"building without the local repository {repo} (it has no repodata)")
        return None
    return repo


def _note(build_log: Path, message: str) -> None:
    log.warning("%s", message)
    build_log.parent.mkdir(parents=True, exist_ok=True)
    with open(build_log, "a") as out:
        out.write(f"# note: {message}\n")


# --- mock's command line and results --------------------------------------------------------

def mock_command(cfg_path: Path, srpm: Path, resultdir: Path) -> list[str]:
    # No --enable-network (rpmbuild_networking is off in the config) and no --no-clean:
    # every build starts from a scrubbed root. Cleanup after a failure is off in the config.
    return ["mock", "--root", str(cfg_path), "--resultdir", str(resultdir),
            "--rebuild", str(srpm)]


# Debug packages are dropped: the pipeline turns every result into a .deb for dom0, and the
# chroot backend produces none, so both backends yield the same package set.
_DEBUG_PACKAGE = re.compile(r"-debug(info|source)(-|$)")


def rpm_name(file_name: str) -> str:
    """Package name from an N-V-R.A.rpm file name."""
    nvr = file_name[:-len(".rpm")].rsplit(".", 1)[0]
    return nvr.rsplit("-", 2)[0]


def is_wanted_result(path: Path) -> bool:
    return (path.name.endswith(".rpm") and not path.name.endswith(".src.rpm")
            and not _DEBUG_PACKAGE.search(rpm_name(path.name)))


def collect_results(resultdir: Path, dest: Path) -> list[Path]:
    """Copy the binary RPMs mock left in resultdir to dest; return the copies, sorted."""
    dest.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy2(f, dest)) for f in sorted(resultdir.glob("*.rpm"))
            if is_wanted_result(f)]


# --- failures -------------------------------------------------------------------------------

_CHILD_RETURN = re.compile(r"Child return code was: (\d+)")


def rpmbuild_failed(build_log_text: str) -> bool:
    """mock logs each command's exit code; a non-zero last one means rpmbuild itself failed.

    build.log exists (with mock's version line, and maybe `rpmbuild -bs`) even when the root
    could not be set up, so its mere presence says nothing.
    """
    codes = _CHILD_RETURN.findall(build_log_text)
    return bool(codes) and codes[-1] != "0"


def _tail(path: Path, lines: int = 20) -> str:
    return "".join(path.read_text(errors="replace").splitlines(True)[-lines:])


def failed_log(resultdir: Path) -> Path | None:
    """The mock log that says why the build failed, or None if mock stopped before logging."""
    build_log, root_log = resultdir / "build.log", resultdir / "root.log"
    if build_log.exists() and rpmbuild_failed(build_log.read_text(errors="replace")):
        return build_log
    if root_log.exists():
        return root_log
    return None


def build_failure(resultdir: Path, request_log: Path, cfg: Path) -> PackageBuildFailed:
    culprit = failed_log(resultdir)
    # Copy mock's logs into the package's log, which the pipeline's summary points to.
    with open(request_log, "a") as out:
        for name in ("root.log", "build.log"):
            if (resultdir / name).exists():
                out.write(f"\n# ---- mock {name} ({resultdir / name}) ----\n")
                out.write((resultdir / name).read_text(errors="replace"))
    if culprit is None:
        return PackageBuildFailed(
            f"mock stopped before building anything; its output is in {request_log}",
            f"read {request_log}; check that your user is in the mock group and that "
            f"`mock -r {cfg} --debug-config` accepts the config")
    if culprit.name == "build.log":
        fix = (f"read {culprit}: the spec's %prep, %build, %install or %check failed inside "
               "mock; fix the spec or its patches")
    else:
        fix = (f"read {culprit}: mock could not install the build root, usually a BuildRequires "
               "no repository provides (see 'No match for argument' or 'nothing provides') or an "
               "unreachable mirror (set XENHOST_MOCK_BASEURL)")
    return PackageBuildFailed(f"mock failed; last lines of {culprit}:\n{_tail(culprit)}", fix)
