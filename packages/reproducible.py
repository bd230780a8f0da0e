"""What makes two builds of one spec give the same bytes, declared once for every backend.

rpm 4.18 does the work once told to: SOURCE_DATE_EPOCH comes from the spec's newest %changelog
entry (a commit date would change every package's bytes on every commit and defeat the cache),
it becomes the build time, every payload mtime is clamped to it and the build host has a
fixed name. The .debs inherit it from the RPM (packages/debian.py). Two builds of one commit
were compared byte for byte by `tests/build_packages/test_reproducible_slow.py` (-m slow).
"""

BUILD_MACROS = {
    "%_buildhost": "xenhost-build",
    "%source_date_epoch_from_changelog": "1",
    "%use_source_date_epoch_as_buildtime": "1",
    "%clamp_mtime_to_source_date_epoch": "1",
}


def rpmbuild_defines() -> list[str]:
    """BUILD_MACROS as rpmbuild arguments (--define 'name value')."""
    return [a for name, value in BUILD_MACROS.items() for a in ("--define", f"{name[1:]} {value}")]


def at_fixed_paths(argv: list, paths: dict) -> list:
    """argv run with each folder of paths (host path -> path seen) at the same place in every
    build, under a private /tmp: temporary folders get random names, and rpmbuild writes the
    paths it saw into the SRPM."""
    binds = [a for host, seen in paths.items() for a in ("--bind", str(host), seen)]
    return ["bwrap", "--dev-bind", "/", "/", "--tmpfs", "/tmp", *binds, "--die-with-parent", *argv]
