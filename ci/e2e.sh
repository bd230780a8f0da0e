#!/bin/sh
# The slow tiers: build the ISO (cached by inputs), then install it in qemu and boot the host.
# Takes tens of minutes under TCG on 2 cores. Serial logs land in out/e2e/.
set -eu
cd "$(dirname "$0")/.."
./setup-host.sh
.venv/bin/python build.py iso
exec .venv/bin/python -m pytest -m e2e -v -s "$@"
