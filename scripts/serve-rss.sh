#!/bin/sh
# serve-rss.sh MUSTER STORE [VAR=value...]: the memory of a first start of
# `muster serve` (README, "The first start's catch-up").
#
# Copies STORE (a bolt file written by `go run ./server/load -write-store`)
# to a fresh data directory, starts `/usr/bin/time -v MUSTER serve` on it
# with the given environment, samples VmRSS, RssAnon and RssFile from
# /proc/PID/status every 0.1 s, and stops the server 5 s after every
# catch-up job it started has finished. Prints the peaks (MiB), the
# reminder run's duration and time's maximum resident set size (and, with
# GODEBUG=gctrace=1, the highest Go heap live after a collection).
set -eu
bin=$1 store=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$store" "$dir/muster.db"
env "$@" MUSTER_DATA_DIR="$dir" MUSTER_SECRET=serve-rss-secret-0123456789abcdef MUSTER_ADDR=127.0.0.1:0 \
	/usr/bin/time -v -o "$dir/time.txt" "$bin" serve >"$dir/out" 2>"$dir/err" &
tpid=$!
pid=
while [ -z "$pid" ]; do
	sleep 0.05
	pid=$(pgrep -P "$tpid" || true)
done
rss=0 anon=0 file=0 done_at=
while kill -0 "$pid" 2>/dev/null; do
	eval "$(awk '/^VmRSS/{printf "r=%d;", $2} /^RssAnon/{printf "a=%d;", $2} /^RssFile/{printf "f=%d;", $2}' "/proc/$pid/status" 2>/dev/null || echo 'r=0;a=0;f=0;')"
	[ "$r" -gt "$rss" ] && rss=$r
	[ "$a" -gt "$anon" ] && anon=$a
	[ "$f" -gt "$file" ] && file=$f
	started=$(grep -c 'catching up a missed run' "$dir/err" || true)
	finished=$(grep 'run finished' "$dir/err" | grep -vc '"job":"\(sender\|prune\)"' || true)
	if [ -z "$done_at" ] && [ "$started" -gt 0 ] && [ "$finished" -ge "$started" ]; then
		done_at=$(date +%s)
	fi
	if [ -n "$done_at" ] && [ -z "${stopped:-}" ] && [ $(($(date +%s) - done_at)) -ge 5 ]; then
		kill -TERM "$pid" 2>/dev/null || true
		stopped=1
	fi
	sleep 0.1
done
wait "$tpid" || true
echo "peak RSS $((rss / 1024)) MiB, anonymous $((anon / 1024)) MiB, file-backed $((file / 1024)) MiB"
grep '"job":"reminders"' "$dir/err" | grep 'run finished' | head -1 || true
grep 'Maximum resident\|Elapsed' "$dir/time.txt"
# With GODEBUG=gctrace=1: the Go heap live after each collection, highest.
if grep -q '^gc ' "$dir/err"; then
	echo "highest live heap after a GC: $(sed -n 's/^gc .* [0-9]*->[0-9]*->\([0-9]*\) MB.*/\1/p' "$dir/err" | sort -n | tail -1) MB"
fi
