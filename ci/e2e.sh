#!/bin/sh
# The slow tiers: build the ISO (cached by inputs), lintian and a network-off build check, then
# install the ISO in qemu and boot the host under BIOS and UEFI.
# Takes tens of minutes under TCG on 2 cores. Serial logs land in out/e2e/.
set -eu
cd "$(dirname "$0")/.."
./setup-host.sh
.venv/bin/python build.py iso
exec .venv/bin/python -m pytest -m "e2e or slow" -v -s "$@"
