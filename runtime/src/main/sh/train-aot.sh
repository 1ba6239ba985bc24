#!/bin/sh
# Placeholder replaced when the CLI lands: records the JDK the launcher must use.
set -e
echo "$1" > "$2/java-home"
