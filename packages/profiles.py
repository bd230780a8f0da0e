"""Build profiles (specs/profiles.yaml, read by buildlib/profiles.py): which specs a run builds.

The default profile leaves out what is too slow for every run (the dom0 kernel); `full`
builds every spec. Cache keys do not depend on the profile, so a package built by one
profile is reused by the other.
"""
from buildlib.config import BuildConfig
from buildlib.errors import SpecError
from buildlib.profiles import DEFAULT, profile
from .specs import Spec

__all__ = ["DEFAULT", "select"]


def select(config: BuildConfig, specs: dict[str, Spec], name: str) -> dict[str, Spec]:
    """The specs the profile builds. An unknown profile, or one leaving out a spec that does
    not exist, is refused (a typo would otherwise build the wrong set silently)."""
    without = set(profile(config, name)["without"])
    unknown = without - set(specs)
    if unknown:
        raise SpecError(f"profile {name!r} leaves out {', '.join(sorted(unknown))}, which no spec builds",
                        "correct the names under `without:` in specs/profiles.yaml")
    return {spec_name: spec for spec_name, spec in specs.items() if spec_name not in without}
