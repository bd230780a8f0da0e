"""Build profiles (specs/profiles.yaml), read by every step: which specs a run builds
(packages/profiles.py), which kernel the images ship (iso/kiwi.py) and where a profile's
outputs go. Cache keys never depend on the profile: what one profile built the other reuses.
"""
from pathlib import Path

import yaml

from .config import BuildConfig
from .errors import SpecError

DEFAULT = "default"
# Declared once: what one profile entry holds (`kernel:` only where images are built from it).
FIELDS = {"description": str, "without": list}
OPTIONAL_FIELDS = {"kernel": str}


def load_profiles(config: BuildConfig) -> dict[str, dict]:
    path = config.specs_dir / "profiles.yaml"
    if not path.exists():
        return {DEFAULT: {"description": "every spec", "without": []}}
    profiles = yaml.safe_load(path.read_text()) or {}
    for name, entry in profiles.items():
        entry = entry or {}
        wrong = [f for f, kind in FIELDS.items() if not isinstance(entry.get(f), kind)]
        wrong += [f for f, kind in OPTIONAL_FIELDS.items() if f in entry and not isinstance(entry[f], kind)]
        if wrong:
            raise SpecError(f"{path}: profile {name!r} lacks or mistypes {', '.join(wrong)}",
                            "give every profile `description: text` and `without: [spec names]` "
                            "(and `kernel: package name` for the images)")
    return profiles


def profile(config: BuildConfig, name: str) -> dict:
    """One profile's entry; an unknown name is refused (a typo would build the wrong set)."""
    profiles = load_profiles(config)
    if name not in profiles:
        raise SpecError(f"no build profile named {name!r}",
                        f"use one of {', '.join(sorted(profiles))} (specs/profiles.yaml)")
    return profiles[name]


def kernel(config: BuildConfig, name: str) -> str:
    """The kernel package both images of this profile install (dom0 image and installer)."""
    entry = profile(config, name)
    if "kernel" not in entry:
        raise SpecError(f"build profile {name!r} names no kernel for the images",
                        f"add `kernel: PACKAGE` to {name!r} in specs/profiles.yaml")
    return entry["kernel"]


def out_dir(config: BuildConfig, name: str) -> Path:
    """The default profile writes out/ (or XENHOST_OUT), another one out/<profile>/: its
    repositories hold other packages and its images another kernel, so neither overwrites the
    other's ISO, PXE tree or repositories."""
    profile(config, name)
    return config.out_dir if name == DEFAULT else config.out_dir / name
