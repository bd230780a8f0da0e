"""Write the signed repositories: apt (the .debs) and rpm (RPMS and SRPMS, createrepo_c)."""
import gzip
import shutil
from pathlib import Path

from buildlib import hosttools
from buildlib.config import BuildConfig
from buildlib.run import run
from buildlib.signing import Signer

SUITE = "xenhost"
COMPONENT = "main"


def _replace_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def write_apt_repo(config: BuildConfig, debs: list[Path], signer: Signer) -> Path:
    hosttools.require("dpkg-scanpackages", "apt-ftparchive", "gpg")
    root = _replace_dir(config.repo_dir / "deb")
    pool = root / "pool" / COMPONENT
    pool.mkdir(parents=True)
    for deb in debs:
        shutil.copy2(deb, pool)
    binary = root / "dists" / SUITE / COMPONENT / f"binary-{config.arch}"
    binary.mkdir(parents=True)
    packages = run(["dpkg-scanpackages", "--multiversion", f"pool/{COMPONENT}", "/dev/null"],
                   cwd=root, capture=True)
    (binary / "Packages").write_text(packages)
    with gzip.GzipFile(binary / "Packages.gz", "wb", mtime=0) as gz:
        gz.write(packages.encode())
    dists = root / "dists" / SUITE
    release = run(["apt-ftparchive",
                   "-o", f"APT::FTPArchive::Release::Suite={SUITE}",
                   "-o", f"APT::FTPArchive::Release::Codename={SUITE}",
                   "-o", "APT::FTPArchive::Release::Origin=xenhost",
                   "-o", "APT::FTPArchive::Release::Label=xenhost",
                   "-o", f"APT::FTPArchive::Release::Architectures={config.arch} all",
                   "-o", f"APT::FTPArchive::Release::Components={COMPONENT}",
                   "release", "."], cwd=dists, capture=True)
    (dists / "Release").write_text(release)
    signer.clearsign(dists / "Release", dists / "InRelease")
    signer.detach_sign(dists / "Release", dists / "Release.gpg", armor=True)
    return root


def write_rpm_repo(config: BuildConfig, rpms: list[Path], srpms: list[Path], signer: Signer) -> Path:
    hosttools.require("createrepo_c", "gpg")
    root = _replace_dir(config.repo_dir / "rpm")
    for sub, files in (("RPMS", rpms), ("SRPMS", srpms)):
        target = root / sub
        target.mkdir()
        for f in files:
            shutil.copy2(f, target)
        # sha256 everywhere: weaker digests are refused by modern dnf and by our own policy.
        run(["createrepo_c", "--quiet", "--checksum", "sha256", "--set-timestamp-to-revision",
             "--revision", "0", target], capture=True)
        repomd = target / "repodata" / "repomd.xml"
        signer.detach_sign(repomd, repomd.with_name("repomd.xml.asc"), armor=True)
    return root


def write_repositories(config: BuildConfig, debs, rpms, srpms) -> dict[str, Path]:
    signer = Signer(config)
    config.repo_dir.mkdir(parents=True, exist_ok=True)
    keyring = signer.export_public(config.repo_dir)
    return {"apt": write_apt_repo(config, debs, signer),
            "rpm": write_rpm_repo(config, rpms, srpms, signer),
            "keyring": keyring}
