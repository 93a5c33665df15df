#!/usr/bin/env bash
# Runs every benchmark behind the README's "Measured figures", one package
# at a time (steadier on a small machine), and keeps the raw output in
# bench-out/. Needs redis-server for the Redis figures and python3 with
# pandas + openpyxl for the pandas reference (Debian: redis-server
# python3-pandas python3-openpyxl); without them those parts are skipped.
#
#   scripts/bench.sh            # everything (about 10 minutes on 2 cores)
#   scripts/bench.sh importers  # one part: importers, storage, jobs, server, load
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench-out
mkdir -p "$out"
parts=("${@:-importers storage jobs server load}")
# shellcheck disable=SC2206
parts=(${parts[*]})

{
	echo "# $(date -u +%FT%TZ) $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(go version | cut -d' ' -f3-)"
} | tee "$out/machine.txt"

for part in "${parts[@]}"; do
	case "$part" in
	importers)
		go test ./importers -run '^$' -bench 'RawRead|Import|Pandas' -skip Curve -benchtime 2x -timeout 60m | tee "$out/importers.txt" ;;
	storage)
		go test ./storage/bolt -run '^$' -bench . -benchtime 3x | tee "$out/bolt.txt"
		go test ./storage/redis -run '^$' -bench . -benchtime 3x | tee "$out/redis.txt" ;;
	jobs)
		go test ./jobs -run '^$' -bench . -skip Curve -benchtime 2x | tee "$out/jobs.txt" ;;
	server)
		go test ./server -run '^$' -bench . -benchtime 20x | tee "$out/server.txt" ;;
	load)
		go run ./server/load | tee "$out/load.txt" ;;
	*)
		echo "bench.sh: unknown part $part (importers, storage, jobs, server, load)" >&2
		exit 2 ;;
	esac
done
