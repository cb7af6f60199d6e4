#!/usr/bin/env bash
# The RESP bar of issue 8, in one run on this machine:
#   redis-benchmark -t set -c 256 -d 100 -r 10000
# against one Redis server with appendonly yes / appendfsync always (every write fsynced before the
# reply), and against the leader of a 3-node TinyKV cluster (every write fsynced on a majority
# before the reply). Order: Redis, TinyKV, Redis again, to bracket the noise of a shared machine.
# TinyKV's JVMs first get a warm-up pass of the same command (not reported). The nodes run with a
# 1 s election timeout (--election-ticks 100, --heartbeat-ticks 10; SOFAJRaft's default) instead
# of the default 150-300 ms: on two cores shared with other work an election in the middle of a
# pass makes redis-benchmark give up at the first -NOLEADER. Durability is unchanged.
#
# Usage: benchmarks/scripts/resp-vs-redis.sh [requests per measured pass, default 200000]
#   WARMUP_REQUESTS (default 300000) sizes TinyKV's warm-up pass.
# Needs redis-server and redis-benchmark (Debian: apt-get install redis-server).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-200000}
WARMUP=${WARMUP_REQUESTS:-300000}
JAR=raft-node/target/tinykv.jar
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
REDIS_PORT=6390
PORTS=(18201 18202 18203)
BENCH=(-t set -c 256 -d 100 -r 10000 -q)

for tool in redis-server redis-benchmark; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install redis-server)" >&2; exit 2; }
done
[[ -f $JAR ]] || ./tinykv build

WORK=$(mktemp -d /tmp/resp-vs-redis.XXXXXX)
PIDS=()
cleanup() {
  [[ ${#PIDS[@]} -gt 0 ]] && kill "${PIDS[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Sends one inline command to 127.0.0.1:$1 and prints the first reply line (bounded wait).
ask() {
  local reply=""
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf '%s\r\n' "$2" >&3
  read -r -t 2 reply <&3 || true
  if [[ $reply == '$'* || $reply == '*'* ]]; then read -r -t 2 reply <&3 || true; fi
  if [[ $reply == '$'* ]]; then read -r -t 2 reply <&3 || true; fi
  exec 3>&-
  echo "${reply%$'\r'}"
}

wait_for() { # port, command, expected prefix
  local i
  for i in $(seq 1 300); do
    [[ $(ask "$1" "$2" 2>/dev/null || true) == "$3"* ]] && return 0
    sleep 0.2
  done
  echo "127.0.0.1:$1 did not answer $2 with $3" >&2
  return 1
}

redis_pass() {
  mkdir -p "$WORK/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" --save "" \
    --appendonly yes --appendfsync always --daemonize no >"$WORK/redis.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  wait_for "$REDIS_PORT" PING +PONG
  echo "--- Redis $(redis-server --version | awk '{print $3}'), appendonly yes, appendfsync always"
  redis-benchmark -p "$REDIS_PORT" -n "$N" "${BENCH[@]}" | tr '\r' '\n' | grep -v '^$' | tail -1
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$WORK/redis"
}

tinykv_pass() {
  local secret cluster p i leader status nodes=()
  secret=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  cluster=$(printf '127.0.0.1:%s,' "${PORTS[@]}"); cluster=${cluster%,}
  for i in "${!PORTS[@]}"; do
    p=${PORTS[$i]}
    TINYKV_SECRET=$secret "$JAVA" -Xms1g -Xmx1g -XX:+UseG1GC -jar "$JAR" --host 127.0.0.1 \
      --port "$p" --root "$WORK/tinykv/$p" --initial-cluster "$cluster" \
      --election-ticks 100 --heartbeat-ticks 10 >"$WORK/tinykv-$p.log" 2>&1 &
    PIDS+=("$!")
    nodes+=("$!")
  done
  for p in "${PORTS[@]}"; do wait_for "$p" PING +PONG; done
  leader=""
  for i in $(seq 1 150); do
    leader=$(ask "${PORTS[0]}" GET_MASTER || true)
    [[ $leader == 127.0.0.1:* ]] && break
    sleep 0.2
  done
  [[ $leader == 127.0.0.1:* ]] || { echo "no TinyKV leader" >&2; return 1; }
  p=${leader##*:}
  echo "--- TinyKV, 3 nodes, through the leader 127.0.0.1:$p (warm-up pass of $WARMUP requests first)"
  redis-benchmark -p "$p" -n "$WARMUP" "${BENCH[@]}" >/dev/null
  redis-benchmark -p "$p" -n "$N" "${BENCH[@]}" | tr '\r' '\n' | grep -v '^$' | tail -1
  status=$(printf 'GET_STATUS\r\n' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p; cat >&3; timeout 1 cat <&3" || true)
  echo "$status" | grep -E 'entries_per_fsync|^fsyncs|entries_written' | tr -d '\r' | paste -sd' '
  kill "${nodes[@]}"
  wait "${nodes[@]}" 2>/dev/null || true
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
redis_pass
tinykv_pass
redis_pass
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
