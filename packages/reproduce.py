"""Rebuild packages from scratch and compare their bytes with the stored build.

The rebuild runs in a scratch cache that shares only what is not the package itself (build
root tarballs, verified sources, the signing key, and the stored builds of the other specs,
which the rebuilt spec may build-depend on), so the package really is built again while the
reference in the shared cache stays untouched.
"""
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from buildlib import hosttools
from buildlib.config import BuildConfig
from buildlib.profiles import DEFAULT
from .pipeline import PackageBuilder

SHARED = ("buildroots", "sources", "apt-src", "gnupg")
# What one stored build holds, compared file by file.
PATTERNS = ("srpms/*.src.rpm", "rpms/*.rpm")


@dataclass
class Comparison:
    name: str
    identical: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)
    explanation: str = ""

    @property
    def reproducible(self) -> bool:
        return bool(self.identical) and not self.differing


def _stored_files(store) -> dict[str, Path]:
    files = {f"{p.parent.name}/{p.name}": p for pattern in PATTERNS for p in store.files(pattern)}
    files.update({f"debs/{p.name}": p for p in store.debs()})
    return files


def _scratch_config(config: BuildConfig, tmp: Path, rebuilt: set[str]) -> BuildConfig:
    scratch = replace(config, cache_dir=tmp / "cache", out_dir=tmp / "out")
    (scratch.cache_dir / "packages").mkdir(parents=True)
    for name in SHARED:
        (scratch.cache_dir / name).symlink_to(config.cache(name))
    for stored in sorted(config.cache("packages").iterdir()):
        if stored.name not in rebuilt:
            (scratch.cache_dir / "packages" / stored.name).symlink_to(stored)
    return scratch


def explain(first: Path, second: Path) -> str:
    """diffoscope's account of how two files differ (its text report)."""
    hosttools.require("diffoscope")
    import subprocess  # noqa: PLC0415 - diffoscope exits 1 when the files differ
    done = subprocess.run(["diffoscope", "--no-progress", "--text", "-", str(first), str(second)],
                          capture_output=True, text=True)
    return done.stdout or done.stderr


def _scratch_build(config: BuildConfig, names: list[str], tmp: Path, backend: str, progress,
                   profile: str = DEFAULT):
    builder = PackageBuilder(_scratch_config(config, tmp, set(names)), backend=backend, progress=progress,
                             profile=profile)
    builder.run(only=set(names))
    return builder


def compare(name: str, before: dict[str, Path], after: dict[str, Path]) -> Comparison:
    result = Comparison(name)
    for relative in sorted(set(before) | set(after)):
        same = (relative in before and relative in after
                and before[relative].read_bytes() == after[relative].read_bytes())
        (result.identical if same else result.differing).append(relative)
        if not same and relative in before and relative in after and not result.explanation:
            result.explanation = f"{relative}:\n" + explain(before[relative], after[relative])
    return result


def rebuild_and_compare(config: BuildConfig, names: list[str], backend: str = "chroot",
                        progress=print, twice: bool = False, profile: str = DEFAULT) -> list[Comparison]:
    """Build names again and compare with the shared cache's stored builds (made or reused by
    the build before), or with twice=True build them twice from scratch and compare those."""
    with tempfile.TemporaryDirectory(dir=config.cache("work"), prefix="reproduce-") as tmp:
        if twice:
            reference = _scratch_build(config, names, Path(tmp) / "first", backend, progress, profile)
        else:
            reference = PackageBuilder(config, backend=backend, progress=progress, profile=profile)
            reference.run(only=set(names))         # normally cached: locates the stored builds
        again = _scratch_build(config, names, Path(tmp) / "again", backend, progress, profile)
        return [compare(n, _stored_files(reference.stores[n]), _stored_files(again.stores[n]))
                for n in names]


def main(argv=None) -> int:
    """python -m packages.reproduce [--twice] [--json FILE] NAME...: exit 1 if any differs."""
    import argparse  # noqa: PLC0415
    import json  # noqa: PLC0415
    parser = argparse.ArgumentParser(prog="python -m packages.reproduce", description=main.__doc__)
    parser.add_argument("names", nargs="+")
    parser.add_argument("--twice", action="store_true", help="build twice from scratch")
    parser.add_argument("--json", help="write the result here")
    parser.add_argument("--profile", default=DEFAULT, help="build profile (full: linux-dom0)")
    args = parser.parse_args(argv)
    results = rebuild_and_compare(BuildConfig(), args.names, twice=args.twice, profile=args.profile)
    for r in results:
        print(f"{r.name}: {'reproducible' if r.reproducible else 'DIFFERS'} "
              f"({len(r.identical)} identical, differing: {', '.join(r.differing) or 'none'})")
        if r.explanation:
            print(r.explanation[:20000])
    if args.json:
        Path(args.json).write_text(json.dumps({r.name: {"reproducible": r.reproducible, "identical": r.identical,
                                                        "differing": r.differing} for r in results}, indent=2))
    return 0 if all(r.reproducible for r in results) else 1


if __name__ == "__main__":
    import sys  # noqa: PLC0415
    sys.exit(main())
