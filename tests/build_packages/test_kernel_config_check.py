"""hypervisor/linux/check-config.sh, the guard the kernel spec's %build runs after olddefconfig:
every line of the fragment must hold in the final .config, `# ... is not set` lines included."""
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "hypervisor" / "linux" / "check-config.sh"
FRAGMENT = REPO / "hypervisor" / "linux" / "config.fragment"


def _check(tmp_path, fragment: str, config: str) -> subprocess.CompletedProcess:
    (tmp_path / "fragment").write_text(fragment)
    (tmp_path / "config").write_text(config)
    return subprocess.run(["sh", str(SCRIPT), str(tmp_path / "fragment"), str(tmp_path / "config")],
                          capture_output=True, text=True)


def test_fragment_that_holds_passes_whatever_its_last_line(tmp_path):
    # A satisfied "is not set" as the last line once ended the script with status 1 and no message.
    for fragment in ("CONFIG_A=y\n# CONFIG_B is not set\n", "# CONFIG_B is not set\nCONFIG_A=y\n"):
        done = _check(tmp_path, fragment, "CONFIG_A=y\n# CONFIG_B is not set\n")
        assert done.returncode == 0, done.stderr


def test_lost_lines_are_listed_with_the_fix(tmp_path):
    done = _check(tmp_path, "# comment\nCONFIG_A=m\n# CONFIG_B is not set\nCONFIG_C=y\n",
                  "CONFIG_A=y\nCONFIG_B=m\nCONFIG_C=y\n")
    assert done.returncode == 1
    assert done.stderr.splitlines()[1:3] == ["CONFIG_A=m", "# CONFIG_B is not set"]
    assert "fix:" in done.stderr


def test_an_option_not_offered_at_all_counts_as_not_set(tmp_path):
    assert _check(tmp_path, "# CONFIG_GONE is not set\n", "CONFIG_A=y\n").returncode == 0


def test_the_fragment_leaves_out_what_a_server_never_uses():
    """The trim is declared in the fragment (README "Dom0 kernel": dropped families)."""
    lines = set(FRAGMENT.read_text().splitlines())
    for option in ("DRM_I915", "SOUND", "CFG80211", "WLAN", "MEDIA_SUPPORT", "FTRACE", "DEBUG_KERNEL"):
        assert f"# CONFIG_{option} is not set" in lines, option
