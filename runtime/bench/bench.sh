#!/usr/bin/env bash
# Side-by-side benchmark: the same busybox bundle through jruntime and, when installed, runc and crun,
# alternating runtimes each round. Prints per-command medians (ms), the waiting init's RSS/PSS, the
# CLI's peak RSS, and ratios to runc. Not a test: numbers depend on the machine.
#   runtime/bench/bench.sh [ROUNDS]        (as root; default 20 rounds)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
top=$(cd "$here/../.." && pwd)
rounds=${1:-20}
[[ $(id -u) -eq 0 ]] || { echo "bench.sh: run as root" >&2; exit 1; }
"$top/config-samples/build-rootfs.sh" >/dev/null
"$top/jruntime" --version >/dev/null   # builds on first use

runtimes=("jruntime=$top/jruntime")
command -v runc >/dev/null && runtimes+=("runc=$(command -v runc)")
command -v crun >/dev/null && runtimes+=("crun=$(command -v crun)")

work=$(mktemp -d /tmp/jrt-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
bundle() { # NAME ARGS-JSON
    mkdir -p "$work/$1"
    python3 - "$top/config-samples/minimal/config.json" "$work/$1/config.json" "$top/config-samples/rootfs" "$2" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["ociVersion"] = "1.0.2"          # crun 1.8 refuses newer versions
c["root"]["path"] = sys.argv[3]
c["process"]["args"] = json.loads(sys.argv[4])
json.dump(c, open(sys.argv[2], "w"))
PY
}
bundle sleep '["sleep","1000"]'
bundle true '["true"]'

now() { date +%s%N; }
declare -A samples
record() { samples[$1]+="$2 "; }
median() { tr ' ' '\n' <<<"$1" | awk 'NF' | sort -n | awk '{a[NR]=$1} END {if (NR==0) print "-"; else printf "%.1f", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)/1e6}'; }

for ((r = 0; r < rounds; r++)); do
    for spec in "${runtimes[@]}"; do
        name=${spec%%=*}; bin=${spec#*=}; root="$work/root-$name"; id="bench-$r"
        t=$(now); "$bin" --root "$root" create --bundle "$work/sleep" "$id" >/dev/null 2>&1 || { echo "$name: create failed" >&2; continue; }; record "$name create" $(( $(now) - t ))
        if (( r == 0 )); then
            pid=$("$bin" --root "$root" state "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
            record "$name initrss" "$(awk '/VmRSS/ {print $2*1e6}' /proc/$pid/status)"
            record "$name initpss" "$(awk '/^Pss:/ {print $2*1e6}' /proc/$pid/smaps_rollup)"
        fi
        t=$(now); "$bin" --root "$root" start "$id"; record "$name start" $(( $(now) - t ))
        t=$(now); "$bin" --root "$root" state "$id" >/dev/null; record "$name state" $(( $(now) - t ))
        t=$(now); "$bin" --root "$root" kill "$id" KILL; record "$name kill" $(( $(now) - t ))
        while "$bin" --root "$root" state "$id" 2>/dev/null | grep -q '"running"'; do sleep 0.01; done
        t=$(now); "$bin" --root "$root" delete "$id"; record "$name delete" $(( $(now) - t ))
        t=$(now); "$bin" --root "$root" run --bundle "$work/true" "run-$r" >/dev/null 2>&1; record "$name run" $(( $(now) - t ))
        if (( r == 0 )) && [[ -x /usr/bin/time ]]; then
            /usr/bin/time -o "$work/rss" -f %M "$bin" --root "$root" state nosuch >/dev/null 2>&1 || true
            record "$name clirss" "$(tail -1 "$work/rss")000000"
        fi
    done
done

printf '%-10s' "command"; for spec in "${runtimes[@]}"; do printf '%12s' "${spec%%=*}"; done; printf '%14s\n' "jruntime/runc"
for cmd in create start state kill delete run; do
    printf '%-10s' "$cmd"
    for spec in "${runtimes[@]}"; do printf '%12s' "$(median "${samples[${spec%%=*} $cmd]:-}")"; done
    j=$(median "${samples[jruntime $cmd]:-}"); rc=$(median "${samples[runc $cmd]:-}")
    [[ $j != - && $rc != - ]] && printf '%14s' "$(awk -v a="$j" -v b="$rc" 'BEGIN {printf "%.1fx", a/b}')"
    echo
done
for m in initrss initpss clirss; do
    printf '%-10s' "$m(MB)"
    for spec in "${runtimes[@]}"; do
        v=$(median "${samples[${spec%%=*} $m]:-}"); [[ $v == - ]] && printf '%12s' - || printf '%12.1f' "$(awk -v v="$v" 'BEGIN {print v/1024}')"
    done
    echo
done
echo "(ms medians of $rounds rounds, $(nproc) cores, $(date -u +%Y-%m-%d))"

# 100 runs of /bin/true in sequence, and list/state with 50 containers present (created, not started).
runs=${RUNS:-100}
printf '%-22s' ""; for spec in "${runtimes[@]}"; do printf '%16s' "${spec%%=*}"; done; echo
declare -A extra
for spec in "${runtimes[@]}"; do
    name=${spec%%=*}; bin=${spec#*=}; root="$work/root-$name"
    t=$(now); ok=0
    for ((i = 0; i < runs; i++)); do "$bin" --root "$root" run --bundle "$work/true" "seq-$i" >/dev/null 2>&1 && ok=$((ok + 1)); done
    extra[$name runs]=$(awk -v ns=$(( $(now) - t )) -v ok=$ok -v n=$runs 'BEGIN {printf "%.2f s%s", ns/1e9, (ok < n ? " (" ok " ok)" : "")}')
    for ((i = 0; i < 50; i++)); do "$bin" --root "$root" create --bundle "$work/sleep" "many-$i" >/dev/null 2>&1 || true; done
    l="" st=""
    for ((i = 0; i < 10; i++)); do
        t=$(now); "$bin" --root "$root" list >/dev/null 2>&1 || true; l+="$(( $(now) - t )) "
        t=$(now); "$bin" --root "$root" state many-7 >/dev/null 2>&1 || true; st+="$(( $(now) - t )) "
    done
    extra[$name list50]=$(median "$l"); extra[$name state50]=$(median "$st")
    for ((i = 0; i < 50; i++)); do "$bin" --root "$root" delete --force "many-$i" >/dev/null 2>&1 || true; done
done
for row in "runs:$runs x run /bin/true" "list50:list, 50 present (ms)" "state50:state, 50 present (ms)"; do
    printf '%-22s' "${row#*:}"
    for spec in "${runtimes[@]}"; do printf '%16s' "${extra[${spec%%=*} ${row%%:*}]:--}"; done
    echo
done
