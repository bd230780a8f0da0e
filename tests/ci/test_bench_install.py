"""The install benchmark's own parsing and its package-by-package repository (real dpkg-deb,
dpkg-scanpackages and apt-ftparchive; the qemu part runs only as ci/bench_install.py)."""
import subprocess

import pytest

from ci import bench_install, package_by_package


def test_systemd_times_as_seconds():
    line = "Startup finished in 7.870s (kernel) + 31.070s (initrd) + 1min 3.032s (userspace) = 1min 41.973s"
    parts = bench_install.STARTUP_PART.findall(bench_install.STARTUP.search(line).group(1))
    assert [(bench_install.seconds_of(v), p) for v, p in parts] == [(7.87, "kernel"), (31.07, "initrd"),
                                                                     (63.032, "userspace")]
    assert bench_install.seconds_of("870ms") == 0.87


def fake_deb(pool, name, version):
    root = pool / f"{name}-src"
    (root / "DEBIAN").mkdir(parents=True)
    (root / "DEBIAN" / "control").write_text(f"Package: {name}\nVersion: {version}\nArchitecture: all\n"
                                             "Maintainer: t <t@t>\nDescription: test\n")
    subprocess.run(["dpkg-deb", "-b", "-Zgzip", str(root), str(pool / f"{name}_{version.replace(':', '%3a')}_all.deb")],
                   check=True, capture_output=True)


def test_repository_of_exactly_the_manifest(tmp_path):
    pool = tmp_path / "pool"
    pool.mkdir()
    fake_deb(pool, "xh-bench-a", "1.0")
    fake_deb(pool, "xh-bench-b", "1:2.0")
    fake_deb(pool, "xh-bench-c", "3.0")                     # not in the manifest: left out
    manifest = tmp_path / "dom0.packages"
    manifest.write_text("xh-bench-a|1.0|all\nxh-bench-b|1:2.0|all\n")
    names = package_by_package.package_repo(manifest, pool, tmp_path / "repo")
    assert names == ["xh-bench-a", "xh-bench-b"]
    index = (tmp_path / "repo" / "Packages").read_text()
    assert "Package: xh-bench-a\n" in index and "Version: 1:2.0\n" in index and "xh-bench-c" not in index
    assert "Packages" in (tmp_path / "repo" / "Release").read_text()


def test_a_package_in_no_cache_names_itself(tmp_path):
    (tmp_path / "pool").mkdir()
    manifest = tmp_path / "dom0.packages"
    manifest.write_text("xh-bench-missing|9.9|all\n")
    with pytest.raises(SystemExit, match=r"xh-bench-missing_9\.9_all\.deb is in no cache.*run ./build.py iso"):
        package_by_package.package_repo(manifest, tmp_path / "pool", tmp_path / "repo")


def test_patterns_match_in_a_bytes_mode_vm_console():
    """The VM's pexpect child is in bytes mode: a compiled str regex raised TypeError there."""
    import pexpect
    line = "Startup finished in 4.4s (kernel) + 17.3s (initrd) + 32.7s (userspace) = 54.4s; PBP-SECONDS 812"
    child = pexpect.spawn("echo", [line])
    child.expect(bench_install.STARTUP.pattern, timeout=10)
    assert b"(userspace)" in child.match.group(1)
    child.expect(package_by_package.DONE.pattern, timeout=10)
    assert float(child.match.group(2)) == 812


def test_reboot_bench_answers_leave_only_ntp_to_the_screens():
    """A section missing from the answers is asked as well: the benchmark's file gives the rest."""
    import yaml
    from ci import bench_reboot
    from xenhost_installer.answers import validation
    from xenhost_installer.ui.flow import sections_to_ask
    answers = yaml.safe_load(bench_install.ANSWERS.read_text() + bench_reboot.ANSWERED)
    assert validation.problems(answers) == []
    assert sections_to_ask(answers) == {"ntp"}


def test_pxe_power_on_to_login_stops_at_the_login_prompt():
    from ci import pxe_figures
    phases = {"firmware, DHCP, TFTP": 5.0, "install": 40.0, "first boot": 70.0, "dom0 ready": 4.0,
              "login": 0.7, "toolstack": 3.6, "power off": 11.7}
    assert pxe_figures.to_login(phases) == 119.0


def test_holding_a_machine_lock_keeps_others_out_until_the_block_ends(tmp_path):
    import fcntl
    from buildlib.locks import holding
    lock = tmp_path / "qemu.lock"

    def free():
        with open(lock, "a") as other:
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                return False
    with holding(lock):
        assert not free()
    assert free()
