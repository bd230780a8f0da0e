"""Fixtures for firstboot tests: a temp target root and a recording fake runner."""
import pytest

from firstboot_helpers import DHCP_YAML, SR_PART, make_runner, write


@pytest.fixture
def runner():
    return make_runner()


@pytest.fixture
def root(tmp_path):
    """A target root holding the installer's firstboot.yaml and the SR device."""
    write(tmp_path, "etc/xenhost/firstboot.yaml", DHCP_YAML)
    write(tmp_path, SR_PART.lstrip("/"), "")  # stands in for the partition
    return tmp_path
