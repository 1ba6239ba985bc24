#!/bin/sh
# Writes io/jruntime/version.txt (version, commit) for `jruntime --version`.
set -e
dir="$2/io/jruntime"
mkdir -p "$dir"
commit=$(git -C "$(dirname "$0")" rev-parse HEAD 2>/dev/null || echo unknown)
printf '%s\n%s\n' "$1" "$commit" > "$dir/version.txt"
