"""The comparison for ci/bench_install.py: the dom0 image's package set installed package by
package, the way Debian's installers work (mmdebstrap: download, unpack, configure each .deb,
maintainer scripts and triggers included), in the installer VM right after the image install.

The packages are the image's own manifest at its exact versions, taken from the caches kiwi and
apt filled while building it (and our repository), and served by this host as a flat apt
repository over qemu's user network: the same bits the image was made from, from a local
repository as the image comes from a local medium. The target is the disk's backup partition,
empty after a fresh install (installer/xenhost_installer/layout.py), wiped again afterwards so
the host boots from the same disk an install leaves.
"""
import os
import re
import shutil
import subprocess
from pathlib import Path

DEB_CACHES = (Path("/var/cache/kiwi/apt-get/archives"), Path("/var/cache/apt/archives"))
BACKUP_PARTITION = "/dev/vda4"
DONE = re.compile(r"PBP-(SECONDS (\d+)|FAILED)")
# Runs in the installer's root shell (perl, apt and dpkg are in the installer image; mmdebstrap is
# the build host's, one perl script). --skip=check/empty: a fresh ext4 holds lost+found.
SCRIPT = """set -u
get() {{ python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$1" "$2"; }}
fail() {{ tail -25 /tmp/pbp.log; echo PBP-FAILED; exit 1; }}
get {url}/mmdebstrap /tmp/mmdebstrap && get {url}/packages /tmp/packages && chmod +x /tmp/mmdebstrap || fail
mkfs.ext4 -q -F {part} && mkdir -p /mnt/pbp && mount {part} /mnt/pbp || fail
start=$(date +%s)
/tmp/mmdebstrap --mode=root --variant=custom --skip=check/empty --include="$(cat /tmp/packages)" \\
    bookworm /mnt/pbp "deb [trusted=yes] {url}/repo ./" > /tmp/pbp.log 2>&1 || fail
seconds=$(( $(date +%s) - start ))
echo "installed: $(grep -c '^Status: install ok installed' /mnt/pbp/var/lib/dpkg/status) packages"
umount /mnt/pbp && wipefs -a -q {part}
echo "PBP-SECONDS $seconds"
"""


def package_repo(manifest: Path, our_pool: Path, dest: Path) -> list[str]:
    """A flat apt repository (Packages + Release) of exactly the image's packages; their names."""
    dest.mkdir(parents=True)
    names = []
    for line in manifest.read_text().splitlines():
        name, version, arch = line.split("|")
        filename = f"{name}_{version.replace(':', '%3a')}_{arch}.deb"
        found = [d / filename for d in (*DEB_CACHES, our_pool) if (d / filename).exists()]
        if not found:
            raise SystemExit(f"{filename} is in no cache ({', '.join(map(str, DEB_CACHES))}, {our_pool}): "
                             "run ./build.py iso on this host first")
        try:
            os.link(found[0], dest / filename)
        except OSError:                 # another filesystem
            shutil.copy2(found[0], dest / filename)
        names.append(name)
    scan = subprocess.run(["dpkg-scanpackages", "-m", "."], cwd=dest, capture_output=True, text=True, check=True)
    (dest / "Packages").write_text(scan.stdout)
    release = subprocess.run(["apt-ftparchive", "release", "."], cwd=dest, capture_output=True, text=True,
                             check=True)
    (dest / "Release").write_text(release.stdout)
    return names


def prepare(work: Path, url: str, manifest: Path, our_pool: Path) -> int:
    """Everything the VM fetches from url (= work, served); the number of packages."""
    names = package_repo(manifest, our_pool, work / "repo")
    (work / "packages").write_text(",".join(names))
    shutil.copy2(shutil.which("mmdebstrap"), work / "mmdebstrap")
    (work / "pbp.sh").write_text(SCRIPT.format(url=url, part=BACKUP_PARTITION))
    return len(names)


def run_in_vm(vm, url: str, prompt: str) -> float:
    """In the installer VM's root shell: the package-by-package install; its seconds."""
    vm.send_line(f"python3 -c \"import urllib.request as u; u.urlretrieve('{url}/pbp.sh', '/tmp/pbp.sh')\" "
                 "&& bash /tmp/pbp.sh")
    vm.expect_phase("package-by-package install", DONE.pattern, 5400)   # str: pexpect makes it bytes
    match = vm.child.match
    if not match.group(2):
        raise SystemExit(f"mmdebstrap failed in the VM; serial log: {vm.log_path}\n{vm.tail(30)}")
    seconds = float(match.group(2))
    vm.expect_phase("shell after package by package", prompt, 120)
    return seconds
