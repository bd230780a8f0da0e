#!/bin/sh
# Install what xenhost's build and tests need on a Debian 12 host, idempotently:
# the Debian packages declared in buildlib/hosttools.py and a .venv (kiwi, urwid, ...)
# that also sees Debian's python3-rpm. Run as root. Safe to run again: it only adds what's missing.
set -eu
cd "$(dirname "$0")"

if [ "$(id -u)" != 0 ]; then
    echo "setup-host.sh: run as root (it installs Debian packages)" >&2
    exit 1
fi

packages=$(/usr/bin/python3 -m buildlib.hosttools apt-packages)
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup-host.sh: installing Debian packages:$missing"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

# The venv uses Debian's python so `import rpm` (python3-rpm) works; pip adds kiwi and friends.
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import rpm" 2>/dev/null; then
    rm -rf .venv
    /usr/bin/python3 -m venv --system-site-packages .venv
fi
if ! .venv/bin/python -c "import kiwi, urwid, specfile, jsonschema, pytest, pexpect, jinja2, yaml" 2>/dev/null \
   || ! cmp -s requirements.txt .venv/.requirements.installed; then
    .venv/bin/pip install -q -r requirements.txt
    cp requirements.txt .venv/.requirements.installed
fi
echo "setup-host.sh: ready (.venv: $(.venv/bin/python --version))"
