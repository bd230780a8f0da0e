"""Build profiles (specs/profiles.yaml): which specs a run builds.

The default profile leaves out what is too slow for every run (the dom0 kernel); `full`
builds every spec. Cache keys do not depend on the profile, so a package built by one
profile is reused by the other.
"""
import yaml

from buildlib.config import BuildConfig
from buildlib.errors import SpecError
from .specs import Spec

DEFAULT = "default"
# Declared once: what one profile entry holds.
FIELDS = {"description": str, "without": list}


def load_profiles(config: BuildConfig) -> dict[str, dict]:
    path = config.specs_dir / "profiles.yaml"
    if not path.exists():
        return {DEFAULT: {"description": "every spec", "without": []}}
    profiles = yaml.safe_load(path.read_text()) or {}
    for name, entry in profiles.items():
        wrong = [f for f, kind in FIELDS.items() if not isinstance((entry or {}).get(f), kind)]
        if wrong:
            raise SpecError(f"{path}: profile {name!r} lacks or mistypes {', '.join(wrong)}",
                            "give every profile `description: text` and `without: [spec names]`")
    return profiles


def select(config: BuildConfig, specs: dict[str, Spec], profile: str) -> dict[str, Spec]:
    """The specs the profile builds. An unknown profile, or one leaving out a spec that does
    not exist, is refused (a typo would otherwise build the wrong set silently)."""
    profiles = load_profiles(config)
    if profile not in profiles:
        raise SpecError(f"no build profile named {profile!r}",
                        f"use one of {', '.join(sorted(profiles))} (specs/profiles.yaml)")
    without = set(profiles[profile]["without"])
    unknown = without - set(specs)
    if unknown:
        raise SpecError(f"profile {profile!r} leaves out {', '.join(sorted(unknown))}, which no spec builds",
                        "correct the names under `without:` in specs/profiles.yaml")
    return {name: spec for name, spec in specs.items() if name not in without}
