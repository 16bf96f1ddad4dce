#!/usr/bin/env bash
# Start and stop the real Cassandra node N times plain and N times with --auth --tls
# (default N=25), checking after every stop (and every failed start) that no java of the run
# folder is left, no watchdog of it runs, cluster.json is gone and 127.0.0.1:9042/:7000 are
# free. Prints the counts and the wall time; exits 1 on any failure.
#
#   tests/harness/start_stop_loop.sh [N]
#
# Env: CQLPP_CASSANDRA_RUN (default: /tmp/cqlpp-harness-loop-$UID, not the default run
# folder, so a cluster of the default folder is not touched). Needs the jars (scripts/setup)
# and nothing else listening on 127.0.0.1:9042/7000/7199.
set -uo pipefail
N=${1:-25}
cd "$(dirname "$0")/../.."
export CQLPP_CASSANDRA_RUN="${CQLPP_CASSANDRA_RUN:-/tmp/cqlpp-harness-loop-$(id -u)}"
RUN=$CQLPP_CASSANDRA_RUN
FAIL_DIR="$RUN-failures"
rm -rf "$FAIL_DIR"
trap 'scripts/cassandra stop >/dev/null 2>&1' EXIT
trap 'exit 130' INT TERM

leftovers() {  # prints what of $RUN still runs or listens; nothing if clean
    local p st
    for p in /proc/[0-9]*; do
        st=$(cut -d')' -f2 "$p/stat" 2>/dev/null | cut -c2) || continue
        [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ] || continue
        if tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -qE -- "-Dcqlpp.node.dir=$RUN/|_watchdog $RUN( |\$)"; then
            echo "pid ${p#/proc/} ($st): $(tr '\0' ' ' < "$p/cmdline" | cut -c1-120)"
        fi
    done
    [ -e "$RUN/cluster.json" ] && echo "$RUN/cluster.json still there"
    ss -Hltn '( sport = :9042 or sport = :7000 )' 2>/dev/null | grep -E '127\.0\.0\.1:(9042|7000)' \
        | sed 's/^/listening: /'
    return 0
}

save_failure() {  # $1 label, $2 output file
    mkdir -p "$FAIL_DIR/$1"
    cp "$2" "$FAIL_DIR/$1/output.txt"
    cp -r "$RUN"/node1/logs "$RUN"/node1/stdout.log "$RUN"/watchdog.log "$FAIL_DIR/$1/" 2>/dev/null
}

t0=$(date +%s)
attempted=0; succeeded=0; failed=0; dirty=0
declare -A ok=() ko=()
out=$(mktemp)
for config in plain auth-tls; do
    flags=(); [ "$config" = auth-tls ] && flags=(--auth --tls)
    ok[$config]=0; ko[$config]=0
    for i in $(seq 1 "$N"); do
        attempted=$((attempted + 1))
        ts=$(date +%s)
        if scripts/cassandra start "${flags[@]}" --owner-pid $$ --max-lifetime 600 >"$out" 2>&1 \
           && scripts/cassandra status >>"$out" 2>&1; then
            succeeded=$((succeeded + 1)); ok[$config]=$((ok[$config] + 1)); res=ok
        else
            failed=$((failed + 1)); ko[$config]=$((ko[$config] + 1)); res=FAILED
            save_failure "$config-$i" "$out"
            sed 's/^/    /' "$out" | tail -15
        fi
        ready=$(grep -o 'ready in [0-9.]*s' "$out" | tail -1)
        scripts/cassandra stop >>"$out" 2>&1
        left=$(leftovers)
        if [ -n "$left" ]; then
            dirty=$((dirty + 1)); res="$res, NOT CLEAN after stop"
            echo "$left" | sed 's/^/    /'
            save_failure "$config-$i-dirty" "$out"
        fi
        printf '%-8s %2d/%d  start %s (%s), stop+checks, %ss\n' "$config" "$i" "$N" "$res" \
            "${ready:-no ready line}" "$(( $(date +%s) - ts ))"
    done
done
rm -f "$out"
wall=$(( $(date +%s) - t0 ))
echo "starts attempted $attempted, succeeded $succeeded, failed $failed" \
     "(plain ${ok[plain]} ok/${ko[plain]} failed, auth+tls ${ok[auth-tls]} ok/${ko[auth-tls]} failed);" \
     "stops leaving something behind: $dirty; wall time ${wall}s"
[ "$failed" -eq 0 ] && [ "$dirty" -eq 0 ]
