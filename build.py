#!/usr/bin/env python3
"""xenhost's build command line. Each subcommand is one step of the data flow; no logic lives here.

  ./build.py graph            build order of the specs (text; --dot FILE for Graphviz)
  ./build.py packages         specs -> RPMs/.debs -> signed apt + rpm repositories (out/repo);
                              --profile full adds the dom0 kernel (specs/profiles.yaml)
  ./build.py iso              repositories -> dom0 image + installer -> hybrid ISO (out/iso)
                              and the PXE tree (out/pxe)
  ./build.py pxe              the PXE tree only (out/pxe): --url of its HTTP server, --host MAC=FILE
"""
import argparse
import logging
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_PYTHON = HERE / ".venv" / "bin" / "python"


def _reexec_in_venv() -> None:
    # The build needs kiwi and friends from the project's venv (made by setup-host.sh).
    if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (HERE / ".venv").resolve():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])


def cmd_graph(args, config) -> int:
    from packages import graph
    from packages.profiles import select
    from packages.specs import load_specs
    specs = select(config, load_specs(config.specs_dir), args.profile)
    deps = graph.build_deps(specs)
    for index, name in enumerate(graph.build_order(specs), 1):
        needs = ", ".join(sorted(deps[name])) or "-"
        print(f"{index:2}. {name:<22} build-depends on: {needs}")
    if args.dot:
        Path(args.dot).write_text(graph.to_dot(specs))
        print(f"wrote {args.dot}")
    return 0


def cmd_packages(args, config) -> int:
    from packages.pipeline import PackageBuilder
    builder = PackageBuilder(config, backend=args.backend, profile=args.profile)
    summary = builder.run(only=set(args.only) or None, force=set(args.force))
    print(summary.table())
    return 0 if summary.ok else 1


def _packages_unless_skipped(args, config) -> int:
    if args.skip_packages:
        return 0
    return cmd_packages(argparse.Namespace(backend="chroot", only=[], force=[], profile="default"), config)


def cmd_iso(args, config) -> int:
    from iso.media import build_iso
    rc = _packages_unless_skipped(args, config)
    if rc:
        return rc
    result = build_iso(config)
    print(f"ISO: {result}")
    from iso.pxe import build_pxe
    build_pxe(config, iso=result)       # the PXE tree from the same ISO (README "Serve the PXE tree")
    return 0


def cmd_pxe(args, config) -> int:
    from iso.pxe import build_pxe
    rc = _packages_unless_skipped(args, config)
    if rc:
        return rc
    build_pxe(config, url=args.url, host_specs=args.host, default_answers=args.default_answers)
    return 0


def main(argv=None) -> int:
    _reexec_in_venv()
    sys.path.insert(0, str(HERE))
    from buildlib.config import BuildConfig
    from buildlib.errors import XenhostBuildError

    parser = argparse.ArgumentParser(prog="build.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("graph", help="print the specs' build order")
    p.add_argument("--dot", help="also write a Graphviz file")
    p.add_argument("--profile", default="default", help="build profile (specs/profiles.yaml)")
    p.set_defaults(func=cmd_graph)
    p = sub.add_parser("packages", help="build the packages and repositories")
    p.add_argument("--backend", choices=["chroot", "mock"], default="chroot")
    p.add_argument("--only", action="append", default=[], metavar="NAME")
    p.add_argument("--force", action="append", default=[], metavar="NAME")
    p.add_argument("--profile", default="default",
                   help="build profile (specs/profiles.yaml): default, or full (adds the dom0 kernel)")
    p.set_defaults(func=cmd_packages)
    p = sub.add_parser("iso", help="build packages (if stale), images and the ISO")
    p.add_argument("--skip-packages", action="store_true", help="use out/repo as it is")
    p.set_defaults(func=cmd_iso)
    p = sub.add_parser("pxe", help="build the PXE tree (out/pxe) from the ISO (built if stale)")
    p.add_argument("--skip-packages", action="store_true", help="use out/repo as it is")
    p.add_argument("--url", default=None,
                   help="HTTP URL at which out/pxe/ will be served, written into the boot configs "
                        "(default http://10.0.2.2:8000, the build host as qemu user networking shows it)")
    p.add_argument("--host", action="append", default=[], metavar="MAC=ANSWERFILE",
                   help="a per-host answer file, chosen by MAC (repeatable)")
    p.add_argument("--default-answers", metavar="FILE", help="the answer file of hosts without their own")
    p.set_defaults(func=cmd_pxe)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    try:
        return args.func(args, BuildConfig())
    except XenhostBuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
