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
# GODEBUG=gctrace=1, the highest Go heap live after a collection), and
# how much of the store file is in the page cache as it stops (fincore,
# util-linux). With RSS_TRACE=FILE in the script's own environment it
# also writes every sample to FILE ("seconds RSS anonymous file", MiB)
# and the server's log to FILE.log. MUSTER_HEAP_PROFILE=FILE among the
# VARs makes serve write a heap profile at each new high of the live heap.
# SERVE_RSS_WAIT=SECONDS (the script's own environment) waits that long
# after the catch-up instead of 5 s: the sender starts on the next minute
# and sends the queued mail to the .eml drop.
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
	[ -n "${RSS_TRACE:-}" ] && echo "$(date +%s.%N | cut -c1-14) $((r / 1024)) $((a / 1024)) $((f / 1024))" >>"$RSS_TRACE"
	started=$(grep -c 'catching up a missed run' "$dir/err" || true)
	finished=$(grep 'run finished' "$dir/err" | grep -vc '"job":"\(sender\|prune\)"' || true)
	if [ -z "$done_at" ] && [ "$started" -gt 0 ] && [ "$finished" -ge "$started" ]; then
		done_at=$(date +%s)
	fi
	if [ -n "$done_at" ] && [ -z "${stopped:-}" ] && [ $(($(date +%s) - done_at)) -ge "${SERVE_RSS_WAIT:-5}" ]; then
		# How much of the store file is in the page cache (mapped or
		# not) as the server stops, and the file's size.
		if command -v fincore >/dev/null; then
			cached=$(fincore -nb -o RES,SIZE "$dir/muster.db" 2>/dev/null || true)
		fi
		kill -TERM "$pid" 2>/dev/null || true
		stopped=1
	fi
	sleep 0.1
done
wait "$tpid" || true
[ -n "${RSS_TRACE:-}" ] && cp "$dir/err" "$RSS_TRACE.log"
echo "peak RSS $((rss / 1024)) MiB, anonymous $((anon / 1024)) MiB, file-backed $((file / 1024)) MiB"
[ -d "$dir/mail" ] && echo "sent to the .eml drop: $(find "$dir/mail" -name '*.eml' | wc -l) messages"
grep '"job":"reminders"' "$dir/err" | grep 'run finished' | head -1 || true
grep 'Maximum resident\|Elapsed' "$dir/time.txt"
if [ -n "${cached:-}" ]; then
	set -- $cached
	echo "store file in the page cache at the end: $(($1 / 1048576)) MiB of its $(($2 / 1048576)) MiB"
fi
# With GODEBUG=gctrace=1: the Go heap live after each collection, highest.
if grep -q '^gc ' "$dir/err"; then
	echo "highest live heap after a GC: $(sed -n 's/^gc .* [0-9]*->[0-9]*->\([0-9]*\) MB.*/\1/p' "$dir/err" | sort -n | tail -1) MB"
fi
