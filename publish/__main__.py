"""python -m publish --out OUT --record RECORD.json --to DIR: publish one finished build.

What `./build.py nightly` does after its build and test steps; on its own it republishes a
build's out/ folder with the record of how it went (and is what the atomicity tests kill).
"""
import argparse
import sys
from pathlib import Path

from buildlib.config import BuildConfig
from buildlib.errors import XenhostBuildError
from buildlib.signing import Signer
from .publisher import Publisher
from .record import BuildRecord
from .retention import Policy


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m publish", description=__doc__)
    parser.add_argument("--out", required=True, help="the finished build's out/ folder")
    parser.add_argument("--record", required=True, help="the build record (JSON, publish/record.py)")
    parser.add_argument("--to", required=True, help="the snapshot tree")
    parser.add_argument("--keep", type=int, default=Policy.finished, help="FINISHED snapshots to keep")
    args = parser.parse_args(argv)
    config = BuildConfig()
    try:
        publisher = Publisher(Path(args.to), Signer(config), config.repo_root,
                              Policy(finished=args.keep), progress=lambda m: print(m, flush=True))
        publisher.publish(Path(args.out), BuildRecord.load(Path(args.record)))
    except XenhostBuildError as exc:
        print(f"publish: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
