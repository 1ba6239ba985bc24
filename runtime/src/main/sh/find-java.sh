# Sourced by the launcher and run-tests: prints the home of a JDK >= 25, or explains what is missing.
# Order: $JAVA_HOME, Temurin 25 where these machines have it, the `java` on PATH.
find_java() {
    local candidates=() j home ver
    [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME")
    candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64)
    j=$(command -v java 2>/dev/null) && candidates+=("$(dirname "$(dirname "$(readlink -f "$j")")")")
    for home in "${candidates[@]}"; do
        [[ -x $home/bin/java && -f $home/release ]] || continue
        ver=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
        if [[ -n $ver && $ver -ge 25 ]]; then
            echo "$home"
            return 0
        fi
    done
    echo "jruntime: Java 25 or newer is required: set JAVA_HOME to a JDK 25, or install Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64 (looked at: ${candidates[*]})" >&2
    return 1
}
