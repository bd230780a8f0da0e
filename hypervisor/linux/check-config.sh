#!/bin/sh
# Usage: check-config.sh FRAGMENT CONFIG
# Fails listing every line of FRAGMENT that the final CONFIG does not have: Kconfig silently
# drops options whose dependencies are unmet, and a dom0 without its backends boots but
# cannot serve guests.
set -eu
fragment=$1 config=$2
missing=$(grep -E '^(CONFIG_|# CONFIG_.* is not set$)' "$fragment" | while IFS= read -r line; do
    case $line in
        "# CONFIG_"*) option=${line#\# }; option=${option%% *}
                      # "not set" holds when the option is disabled or not offered at all.
                      # (if, not &&: a false last test would end the loop, and with set -e
                      # the script, with status 1 and no message)
                      if grep -q "^$option=" "$config"; then echo "$line"; fi ;;
        *) if ! grep -qxF "$line" "$config"; then echo "$line"; fi ;;
    esac
done)
if [ -n "$missing" ]; then
    echo "error: the kernel configuration lost these lines of $fragment:" >&2
    echo "$missing" >&2
    echo "fix: give the options they depend on in the fragment, or change the values" >&2
    exit 1
fi
