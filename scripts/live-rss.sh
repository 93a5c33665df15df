#!/bin/bash
# live-rss.sh MUSTER LOAD STORE DURATION [load flags...]: the memory of
# `muster serve` under completion posts with readers (README, "Ten minutes
# of posts with readers").
#
# Copies STORE (a bolt file written by `go run ./server/load -write-store`)
# to a fresh data directory and serves it with MUSTER (reminders and
# digests off, GODEBUG=gctrace=1) on a free loopback port; runs LOAD
# (a build of ./server/load) in live mode against it for DURATION: 4
# clients posting 50 completions a second in all, 2 reading one BCU's
# figures 20 times a second (add -read-today to read today's figures, what
# a dashboard reads, instead of the generated force's date). Samples
# RssAnon from /proc/PID/status every 5 s and prints the highest and the
# last, the load tool's table, and the lowest and highest Go heap live
# after a collection.
set -eu
bin=$1 load=$2 store=$3 dur=$4
shift 4
port=$((18500 + RANDOM % 400))
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$store" "$dir/muster.db"
MUSTER_DATA_DIR="$dir" MUSTER_SCHEDULE_REMINDERS=off MUSTER_SCHEDULE_DIGESTS=off \
	MUSTER_SECRET=live-rss-secret-0123456789abcdef MUSTER_ADDR=127.0.0.1:$port GODEBUG=gctrace=1 \
	"$bin" serve >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 100); do
	grep -q '"msg":"listening"' "$dir/err" && break
	sleep 0.1
done
"$load" -mode live -url "http://127.0.0.1:$port" -posters 4 -readers 2 -rate 50 -read-rate 20 -duration "$dur" "$@" >"$dir/load.txt" 2>&1 &
lp=$!
max=0 a=0
while kill -0 "$lp" 2>/dev/null; do
	sleep 5
	a=$(awk '/^RssAnon/{print $2}' "/proc/$pid/status")
	[ "${a:-0}" -gt "$max" ] && max=$a
done
wait "$lp" || { cat "$dir/load.txt"; kill "$pid"; exit 1; }
echo "anonymous RSS: highest $((max / 1024)) MiB, last $((a / 1024)) MiB"
tail -3 "$dir/load.txt"
grep '^gc ' "$dir/err" | awk '{split($11, h, "->"); print h[3]}' | sort -n | sed -n '1p;$p' | tr '\n' ' '
echo "(lowest and highest MB live after a collection)"
kill "$pid"
wait "$pid" 2>/dev/null || true
