#!/usr/bin/env python3
"""xenhost's build command line. Each subcommand is one step of the data flow; no logic lives here.

  ./build.py graph            build order of the specs (text; --dot FILE for Graphviz)
  ./build.py packages         specs -> RPMs/.debs -> signed apt + rpm repositories (out/repo);
                              --profile full adds the dom0 kernel (specs/profiles.yaml)
  ./build.py iso              repositories -> dom0 image + installer -> hybrid ISO (out/iso)
                              and the PXE tree (out/pxe); --profile full: our dom0 kernel in
                              both images, everything in out/full/
  ./build.py pxe              the PXE tree only (out/pxe): --url of its HTTP server, --host MAC=FILE
  ./build.py export-obs DIR   the specs and kiwi descriptions as two OBS projects (osc checkouts)
  ./build.py export-koji DIR  SRPMs + the `koji build` sequence in build order
  ./build.py nightly --publish DIR
                              one commit, checked out clean: build, test, publish a signed
                              snapshot into DIR/snapshots/ (publish/)
  ./build.py fetch-snapshot latest --from URL
                              download a snapshot and verify its signature and every checksum
"""
import argparse
import dataclasses
import functools
import logging
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_PYTHON = HERE / ".venv" / "bin" / "python"
PROFILE_HELP = ("build profile (specs/profiles.yaml): default (Debian's kernel; writes out/), or full "
                "(adds our dom0 kernel, in both images; writes out/full/)")
# The commands that write a profile's outputs: the default profile into out/, another into out/NAME/.
PROFILE_OUTPUTS = {"packages", "iso", "pxe"}


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
    return cmd_packages(argparse.Namespace(backend="chroot", only=[], force=[], profile=args.profile), config)


def cmd_iso(args, config) -> int:
    from iso.media import build_iso, pin_source_date_epoch
    pin_source_date_epoch(config)
    rc = _packages_unless_skipped(args, config)
    if rc:
        return rc
    result = build_iso(config, profile=args.profile)
    print(f"ISO: {result}")
    from iso.pxe import build_pxe
    build_pxe(config, iso=result, profile=args.profile)   # the PXE tree from the same ISO (README "Serve the PXE tree")
    return 0


def cmd_pxe(args, config) -> int:
    from iso.pxe import build_pxe
    rc = _packages_unless_skipped(args, config)
    if rc:
        return rc
    build_pxe(config, url=args.url, host_specs=args.host, default_answers=args.default_answers,
              profile=args.profile)
    return 0


def cmd_export_obs(args, config) -> int:
    from export.obs import export_obs
    result = export_obs(config, Path(args.dir), profile=args.profile, only=set(args.only) or None,
                        project=args.project)
    print(result.summary())
    return 0


def cmd_export_koji(args, config) -> int:
    from export.koji import export_koji
    print(f"wrote {export_koji(config, Path(args.dir), profile=args.profile)}")
    return 0

def cmd_nightly(args, config) -> int:
    from buildlib.signing import Signer
    from publish.nightly import STEPS, run_nightly
    from publish.publisher import Publisher, check_destination
    from publish.retention import Policy
    dest = Path(args.publish).resolve()
    check_destination(dest)
    unknown = set(args.skip) - {s.name for s in STEPS}
    if unknown:
        print(f"build.py: error: no nightly step {', '.join(sorted(unknown))}; steps: "
              f"{', '.join(s.name for s in STEPS)}", file=sys.stderr)
        return 2
    progress = functools.partial(print, flush=True)
    publisher = Publisher(dest, Signer(config), config.repo_root, Policy(finished=args.keep), progress)
    snapshot = run_nightly(config.repo_root, args.commit, publisher, set(args.skip), progress,
                           keep_checkout=args.keep_checkout, config=config,
                           lock_wait=args.lock_wait * 60 if args.lock_wait is not None else None)
    print(f"snapshot: {snapshot} ({(snapshot / 'STATUS').read_text().strip()})")
    return 0


def cmd_fetch_snapshot(args, config) -> int:
    import tempfile
    from buildlib.signing import Signer
    from publish import fetch_snapshot
    argv = [args.snapshot, "--from", args.source, *(["--dest", args.dest] if args.dest else []),
            *(a for name in args.only for a in ("--only", name))]
    with tempfile.TemporaryDirectory() as tmp:
        if args.keyring:
            argv += ["--keyring", args.keyring]
        else:   # the project key from this build host's cache: trusted without the server
            signer = Signer(config)
            argv += ["--keyring", str(signer.export_public(Path(tmp))), "--fingerprint", signer.fingerprint()]
        return fetch_snapshot.main(argv)


def main(argv=None) -> int:
    _reexec_in_venv()
    sys.path.insert(0, str(HERE))
    from buildlib.config import BuildConfig
    from buildlib.errors import XenhostBuildError
    from buildlib.profiles import out_dir

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
    p.add_argument("--profile", default="default", help=PROFILE_HELP)
    p.set_defaults(func=cmd_packages)
    p = sub.add_parser("iso", help="build packages (if stale), images and the ISO")
    p.add_argument("--skip-packages", action="store_true", help="use out/repo as it is")
    p.add_argument("--profile", default="default", help=PROFILE_HELP)
    p.set_defaults(func=cmd_iso)
    p = sub.add_parser("pxe", help="build the PXE tree (out/pxe) from the ISO (built if stale)")
    p.add_argument("--skip-packages", action="store_true", help="use out/repo as it is")
    p.add_argument("--profile", default="default", help=PROFILE_HELP)
    p.add_argument("--url", default=None,
                   help="HTTP URL at which out/pxe/ will be served, written into the boot configs "
                        "(default http://10.0.2.2:8000, the build host as qemu user networking shows it)")
    p.add_argument("--host", action="append", default=[], metavar="MAC=ANSWERFILE",
                   help="a per-host answer file, chosen by MAC (repeatable)")
    p.add_argument("--default-answers", metavar="FILE", help="the answer file of hosts without their own")
    p.set_defaults(func=cmd_pxe)
    p = sub.add_parser("export-obs", help="write the OBS packages and images projects into DIR")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--profile", default="default", help="build profile (specs/profiles.yaml)")
    p.add_argument("--only", action="append", default=[], metavar="NAME", help="only these specs")
    p.add_argument("--project", help="packages project name (default: export/obs.yaml)")
    p.set_defaults(func=cmd_export_obs)
    p = sub.add_parser("export-koji", help="write SRPMs and the koji build sequence into DIR")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--profile", default="default", help="build profile (specs/profiles.yaml)")
    p.set_defaults(func=cmd_export_koji)
    p = sub.add_parser("nightly", help="build, test and publish one commit as a snapshot")
    p.add_argument("--publish", required=True, metavar="DIR", help="the snapshot tree")
    p.add_argument("--commit", default="HEAD", help="what to build (default HEAD; committed work only)")
    p.add_argument("--skip", action="append", default=[], metavar="STEP",
                   help="leave a check out (recorded as not run: the snapshot is FINISHED_INCOMPLETE)")
    p.add_argument("--keep", type=int, default=30, help="FINISHED snapshots to keep (default 30)")
    p.add_argument("--keep-checkout", action="store_true", help="leave the build checkout in the cache")
    p.add_argument("--lock-wait", type=float, metavar="MIN",
                   help="a check (tests) whose machine lock stays busy this long is recorded as not run")
    p.set_defaults(func=cmd_nightly)
    p = sub.add_parser("fetch-snapshot", help="download and verify a published snapshot")
    p.add_argument("snapshot", help="latest, or a snapshot id")
    p.add_argument("--from", dest="source", required=True, metavar="URL", help="the snapshot tree's URL")
    p.add_argument("--dest", help="where to put it (default ./<id>)")
    p.add_argument("--only", action="append", default=[], metavar="PATH")
    p.add_argument("--keyring", help="verify with this key instead of this host's project key")
    p.set_defaults(func=cmd_fetch_snapshot)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    try:
        config = BuildConfig()
        if args.command in PROFILE_OUTPUTS:     # a profile's repositories, images and media
            config = dataclasses.replace(config, out_dir=out_dir(config, args.profile))
        return args.func(args, config)
    except XenhostBuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
