"""ci/pxe_figures.py's reading of an e2e run folder."""
from ci import pxe_figures


def test_the_image_task_is_the_runs_speed_reference_in_either_format(tmp_path):
    (tmp_path / "installer-serial.log").write_bytes(
        b"[ 3/19] Creating filesystems ... done (0.9s)\r\n"
        b"[ 4/19] Writing dom0 image to the root partition ... done (21.3s)\r\n")
    assert pxe_figures.image_task(tmp_path) == ("Writing dom0 image to the root partition", 21.3)
    (tmp_path / "installer-serial.log").write_bytes(b"[ 5/19] Extracting dom0 image ... done (58.9s)\r\n")
    assert pxe_figures.image_task(tmp_path) == ("Extracting dom0 image", 58.9)
    assert pxe_figures.image_task(tmp_path / "none") is None


def test_login_is_the_sum_up_to_dom0_ready():
    phases = {"firmware": 5.0, "install": 50.0, "dom0 ready": 4.0, "login": 0.7, "toolstack": 3.0}
    assert pxe_figures.to_login(phases) == 59.0
