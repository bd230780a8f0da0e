#!/bin/sh
# The slow tiers: build the ISO (cached by inputs), lintian and a network-off build check, then
# install the ISO in qemu and boot the host under BIOS and UEFI.
# Takes tens of minutes under TCG on 2 cores. Serial logs land in out/e2e/.
# XENHOST_PROFILE=full ci/e2e.sh: the full profile's ISO (our dom0 kernel), outputs in out/full/.
set -eu
cd "$(dirname "$0")/.."
./setup-host.sh
.venv/bin/python build.py iso --profile "${XENHOST_PROFILE:-default}"
exec .venv/bin/python -m pytest -m "e2e or slow" -v -s "$@"
