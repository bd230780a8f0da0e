#!/bin/bash
# Run by each image's config.sh: removes from the packages kiwi installed what dpkg's path-exclude
# list (written from iso/images.yaml) keeps out of every later install, then refreshes the kernel
# module indexes the removal touched.
set -euo pipefail
shopt -s nullglob
sed -n 's/^path-exclude=//p' /etc/dpkg/dpkg.cfg.d/xenhost-exclude | while read -r pattern; do
    for path in $pattern; do rm -rf "$path"; done
done
for dir in /lib/modules/*/; do depmod -a "$(basename "$dir")"; done
