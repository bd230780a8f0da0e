"""SRPMs and the koji build sequence, from two tiny specs where one build-depends on the other."""
import subprocess

from export.koji import export_koji
from export_fixtures import tiny_config


def test_srpms_and_the_sequence_in_build_order(tmp_path):
    script = export_koji(tiny_config(tmp_path), tmp_path / "koji")
    srpms = sorted(p.name for p in (tmp_path / "koji" / "SRPMS").iterdir())
    assert srpms == ["tiny-app-2.0-1.src.rpm", "tiny-lib-1.0-1.src.rpm"]
    contents = subprocess.run(["rpm", "-qpl", tmp_path / "koji" / "SRPMS" / "tiny-lib-1.0-1.src.rpm"],
                              capture_output=True, text=True, check=True).stdout.split()
    assert contents == ["tiny-lib.spec", "tiny-lib.txt"]
    commands = [ln for ln in script.read_text().splitlines() if ln.startswith("koji ")]
    # tiny-app build-depends on tiny-lib: tiny-lib is built for real and waited for first.
    assert commands == [
        'koji build "$TARGET" SRPMS/tiny-lib-1.0-1.src.rpm        # tiny-lib: later specs build-depend on it',
        'koji wait-repo "$BUILD_TAG" --build tiny-lib-1.0-1',
        'koji build --scratch "$TARGET" SRPMS/tiny-app-2.0-1.src.rpm        # tiny-app',
    ]
    subprocess.run(["sh", "-n", script], check=True)


def test_a_second_export_replaces_the_srpms(tmp_path):
    export_koji(tiny_config(tmp_path), tmp_path / "koji")
    export_koji(tiny_config(tmp_path), tmp_path / "koji")
    assert len(list((tmp_path / "koji" / "SRPMS").iterdir())) == 2
