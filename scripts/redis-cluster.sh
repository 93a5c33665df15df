#!/bin/sh
# redis-cluster.sh: a throw-away 3-master Redis Cluster on loopback ports,
# for trying Muster's redis-cluster:// form by hand (the Go tests start
# their own). Needs redis-server and redis-cli (Debian: redis-server).
#
#   scripts/redis-cluster.sh start [DIR] [FIRST_PORT]   # default /tmp/muster-redis-cluster 7000
#   scripts/redis-cluster.sh stop  [DIR]
#
# Then: MUSTER_REDIS_URL=redis-cluster://127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002
set -eu
cmd=${1:-}
dir=${2:-/tmp/muster-redis-cluster}
port=${3:-7000}

case "$cmd" in
start)
	mkdir -p "$dir"
	addrs=""
	for i in 0 1 2; do
		p=$((port + i))
		mkdir -p "$dir/$p"
		redis-server --port "$p" --bind 127.0.0.1 --dir "$dir/$p" --daemonize yes \
			--pidfile "$dir/$p/redis.pid" --logfile "$dir/$p/redis.log" \
			--cluster-enabled yes --cluster-config-file "$dir/$p/nodes.conf" \
			--cluster-node-timeout 5000 --save "" --appendonly no
		addrs="$addrs 127.0.0.1:$p"
	done
	for a in $addrs; do
		until redis-cli -h 127.0.0.1 -p "${a#*:}" ping >/dev/null 2>&1; do sleep 0.1; done
	done
	# shellcheck disable=SC2086
	redis-cli --cluster create $addrs --cluster-replicas 0 --cluster-yes >"$dir/create.log"
	for a in $addrs; do
		until redis-cli -h 127.0.0.1 -p "${a#*:}" cluster info | grep -q cluster_state:ok; do sleep 0.1; done
	done
	echo "MUSTER_REDIS_URL=redis-cluster://$(echo $addrs | tr ' ' ',')"
	;;
stop)
	for pidfile in "$dir"/*/redis.pid; do
		[ -f "$pidfile" ] || continue
		kill "$(cat "$pidfile")" 2>/dev/null || true
	done
	sleep 0.5
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start|stop [DIR] [FIRST_PORT]" >&2
	exit 2
	;;
esac
