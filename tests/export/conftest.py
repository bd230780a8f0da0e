"""Exports shared by the export tests (once per session): the real specs whose sources need
no download, and the two tiny fixture specs."""
import pytest

from buildlib.config import BuildConfig
from export.obs import export_obs
from export_fixtures import LOCAL_SPECS, tiny_config


@pytest.fixture(scope="session")
def real_export(tmp_path_factory):
    dest = tmp_path_factory.mktemp("obs")
    return export_obs(BuildConfig(out_dir=dest / "out"), dest, only=LOCAL_SPECS)


@pytest.fixture(scope="session")
def tiny_export(tmp_path_factory):
    dest = tmp_path_factory.mktemp("obs-tiny")
    return export_obs(tiny_config(dest), dest, project="home:test:tiny")
