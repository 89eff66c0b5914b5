#!/usr/bin/env bash
# Measures the local stack: cold start (empty data dir) to "up", warm restart, and resident memory of every
# process it runs (the stack JVM, the registry JVM, PostgreSQL). Usage: bench/stack-footprint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
export THRUSTLINE_DATA_DIR=$work/data

rss_mb() { # total proportional set size (PSS: shared pages split between sharers) in MB of a pid and its descendants
  local pids=$1 frontier=$1 next
  while [ -n "$frontier" ]; do
    next=$(for p in $frontier; do pgrep -P "$p" || true; done | tr '\n' ' ')
    pids="$pids $next"; frontier=$next
  done
  for p in $pids; do awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true; done | awk '{s+=$1} END {printf "%.0f", s/1024}'
}

start_and_time() {
  local log=$work/up-$1.log begin
  begin=$(date +%s%N)
  ./thrustline up > "$log" 2>&1 &
  STACK_PID=$!
  until grep -q "local stack up in" "$log"; do
    kill -0 $STACK_PID 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.2
  done
  echo "$1 start: $(( ($(date +%s%N) - begin) / 1000000 )) ms wall (stack reports: $(grep -o 'up in [0-9]* ms' "$log"))"
}

./thrustline build # outside the timing
start_and_time cold
sleep 5
# Peak over 10 s while idle after start
# PostgreSQL daemonizes away from the stack's process tree, so its postmaster is found by its pid file.
postmaster=$(head -1 "$THRUSTLINE_DATA_DIR/postgres/postmaster.pid")
peak=0; for i in $(seq 10); do
  r=$(( $(rss_mb $STACK_PID) + $(rss_mb "$postmaster") )); [ "$r" -gt "$peak" ] && peak=$r; sleep 1
done
echo "memory (PSS of the stack JVM, registry JVM and every PostgreSQL process): ${peak} MB"
kill -TERM $STACK_PID; wait $STACK_PID || true
start_and_time warm
kill -TERM $STACK_PID; wait $STACK_PID || true
rm -rf "$work"
