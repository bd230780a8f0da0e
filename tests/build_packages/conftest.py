"""Helpers for build-side tests: a throwaway repository layout with specs of our choosing."""
import textwrap
from pathlib import Path

import pytest

from buildlib.config import BuildConfig

SPEC_TEMPLATE = """\
Name:           {name}
Version:        1.0
Release:        1
Summary:        test package {name}
License:        MIT
BuildArch:      noarch
{tags}
%description
A package made by the tests.

%prep
%build
%install
mkdir -p %{{buildroot}}/usr/share/{name}
echo {name} > %{{buildroot}}/usr/share/{name}/marker

%files
/usr/share/{name}/marker

%changelog
* Sun Nov 22 2026 tests <t@example.invalid> - 1.0-1
- test
"""


@pytest.fixture
def layout(tmp_path) -> BuildConfig:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "sources.yaml").write_text("{}\n")
    return BuildConfig(repo_root=tmp_path, cache_dir=tmp_path / "cache", out_dir=tmp_path / "out")


def _write_spec(config: BuildConfig, name: str, tags: str = "", body: str | None = None) -> Path:
    path = config.specs_dir / f"{name}.spec"
    path.write_text(body if body is not None else SPEC_TEMPLATE.format(name=name, tags=textwrap.dedent(tags)))
    return path


@pytest.fixture
def write_spec():
    """write_spec(config, name, tags="", body=None): a spec file in the throwaway layout."""
    return _write_spec
