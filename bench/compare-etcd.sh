#!/usr/bin/env bash
# raftkv next to etcd on this machine, at the same durability (fsync on), one system at a time.
#
#   bench/compare-etcd.sh                 # the full table: 1,16,64,256 clients x 100 B,1 KiB x 3 workloads
#   bench/compare-etcd.sh --quick         # 1 and 64 clients, 100 B, 5 s per cell
#   bench/compare-etcd.sh --failover --catchup --restart   # the long raftkv scenarios instead of the table
#   bench/compare-etcd.sh --table --failover               # the table, then a scenario
#   bench/compare-etcd.sh --help
#
# Builds what it needs (mvn), installs Debian's etcd-server if `etcd` is missing, measures the
# physical floor (raw fsync, loopback round trip), starts a 3-node raftkv cluster (release jar,
# data under a temporary directory), drives it with every load shape, stops it, then does the same
# with a 3-member etcd cluster (its defaults otherwise), and prints a Markdown table with both
# figures and their ratio. Raw JSON per cell, server logs and the table go to --out.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

clients="1,16,64,256"
sizes="100,1024"
workloads="writes,linearizable,stale"
duration="20s"
warmup="5s"
server_warmup="20s"
keys=1000
connections_max=64
floor_seconds=5
trials=20
systems="raftkv,etcd"
build=1
failover=0
catchup=0
restart=0
table=""
base_port=17100
out=""

usage() {
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<USAGE
Options:
  --quick               clients 1,64; values 100 B; 5 s per cell after 2 s warm-up; floor 2 s
  --clients LIST        closed-loop clients per cell (default $clients)
  --sizes LIST          value sizes in bytes (default $sizes)
  --workloads LIST      writes, linearizable (reads), stale (raftkv READONLY / etcd serializable reads)
                        (default $workloads)
  --duration TIME       measured time per cell, e.g. 20s (default $duration)
  --warmup TIME         unmeasured time before each cell (default $warmup)
  --server-warmup TIME  unmeasured writes (16 clients) right after each system starts, so that no
                        cell measures a server still compiling its code; 0 for none (default
                        $server_warmup, 10s with --quick)
  --keys N              key space per value size, preloaded before reads (default $keys)
  --connections N       at most N connections per cell, shared by the clients, for both systems
                        (default $connections_max)
  --only SYSTEM         raftkv or etcd: run one system only
  --out DIR             where the JSON, logs and table go (default runs/compare-etcd-<time>)
  --base-port N         ports N+1.. (raftkv clients), N+11.. (raftkv raft), N+21.. (etcd clients),
                        N+31.. (etcd peers) (default $base_port)
  --floor-seconds S     seconds per physical-floor measurement (default $floor_seconds)
  --no-build            use the jars already built
  --table               the comparison table; the default unless a scenario below is chosen
  --failover            raftkv: kill -9 the leader under load, --trials times (median, p99)
  --catchup             raftkv: a wiped node catches up from a snapshot of 1 GiB of state, --trials times
  --restart             raftkv: restart a node after 1,000,000 commands, --trials times
  --trials N            trials of each scenario (default $trials)
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) clients="1,64"; sizes="100"; duration="5s"; warmup="2s"; server_warmup="10s"; floor_seconds=2 ;;
    --clients) clients="$2"; shift ;;
    --sizes) sizes="$2"; shift ;;
    --workloads) workloads="$2"; shift ;;
    --duration) duration="$2"; shift ;;
    --warmup) warmup="$2"; shift ;;
    --server-warmup) server_warmup="$2"; shift ;;
    --keys) keys="$2"; shift ;;
    --connections) connections_max="$2"; shift ;;
    --only) systems="$2"; shift ;;
    --out) out="$2"; shift ;;
    --base-port) base_port="$2"; shift ;;
    --floor-seconds) floor_seconds="$2"; shift ;;
    --no-build) build=0 ;;
    --failover) failover=1 ;;
    --catchup) catchup=1 ;;
    --restart) restart=1 ;;
    --table) table=1 ;;
    --trials) trials="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare-etcd: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ -z "$table" ]; then
  table=1
  [ "$failover$catchup$restart" != 000 ] && table=0
fi
[ "$table" = 1 ] || systems="raftkv"

raftkv_jar="$here/cli/target/raftkv.jar"
etcd_jar="$here/bench-etcd/target/raftkv-bench-etcd.jar"
out="${out:-$here/runs/compare-etcd-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/raftkv-compare.XXXXXX")"
pids=()

log() { printf '%s\n' "$*" | tee -a "$out/run.log" >&2; }

stop_servers() {
  local pid
  for pid in "${pids[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]:-}"; do
    [ -n "$pid" ] || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  pids=()
}

cleanup() {
  stop_servers
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- build and tools --------------------------------------------------------------------------
if [ "$build" = 1 ] || [ ! -f "$raftkv_jar" ] || { [ "$table" = 1 ] && [ ! -f "$etcd_jar" ]; }; then
  command -v mvn >/dev/null 2>&1 || { echo "compare-etcd: Maven (mvn) is needed: apt-get install maven" >&2; exit 2; }
  log "building raftkv and the etcd driver (mvn package, tests skipped)..."
  (cd "$here" && mvn -B -q -DskipTests package -pl cli,bench-etcd -am) 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
fi
if [[ ",$systems," == *",etcd,"* ]] && ! command -v etcd >/dev/null 2>&1; then
  log "installing etcd-server (Debian package)..."
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q etcd-server >&2
fi

java_bench=(java -Xms1g -Xmx2g)
java_server=(java -Xms1g -Xmx1g -XX:+ExitOnOutOfMemoryError)

{
  echo "date: $(date -Is)"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -srm)"
  echo "java: $(java -version 2>&1 | head -1)"
  command -v etcd >/dev/null 2>&1 && echo "etcd: $(etcd --version 2>/dev/null | head -1)"
  echo "disk of the data: $(df -hT "$scratch" | awk 'NR==2{print $1" "$2" "$3" size, "$5" free"}')"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cells: clients $clients x values $sizes x $workloads; $duration each after $warmup warm-up;" \
       "keys $keys; at most $connections_max connections; server warm-up $server_warmup"
} | tee "$out/machine.txt" >&2

# ---- physical floor ---------------------------------------------------------------------------
run_floor() {
  log ""
  java -jar "$raftkv_jar" bench floor --dir "$scratch" --seconds "$floor_seconds" --json "$out/floor.json" \
    | tee "$out/floor.txt"
}

# ---- one load cell ----------------------------------------------------------------------------
# run_cell SYSTEM ENDPOINTS WORKLOAD SIZE CLIENTS
run_cell() {
  local system="$1" endpoints="$2" workload="$3" size="$4" n="$5"
  local ratio=0 mode=linearizable
  case "$workload" in
    writes) ratio=0 ;;
    linearizable) ratio=1 ;;
    stale) ratio=1; mode=stale ;;
    *) echo "compare-etcd: unknown workload $workload" >&2; exit 2 ;;
  esac
  local conns=$(( n < connections_max ? n : connections_max ))
  local name="$system-$workload-v$size-c$n"
  local args=(--endpoints "$endpoints" --clients "$n" --connections "$conns" --value-size "$size"
              --keys "$keys" --key-prefix "v$size-" --read-ratio "$ratio" --read-mode "$mode"
              --duration "$duration" --warmup "$warmup" --await-ready 60s --json "$out/$name.json")
  log "---- $name (load average $(cut -d' ' -f1 /proc/loadavg))"
  local tool
  if [ "$system" = raftkv ]; then
    tool=("${java_bench[@]}" -jar "$raftkv_jar" bench kv)
  else
    tool=("${java_bench[@]}" -jar "$etcd_jar")
  fi
  if ! "${tool[@]}" "${args[@]}" >"$out/$name.txt" 2>&1; then
    log "     FAILED, see $out/$name.txt"
  fi
  grep -E '^(write|read) ' "$out/$name.txt" | sed 's/^/     /' >&2 || true
}

# warm_up SYSTEM ENDPOINTS: unmeasured writes right after a system starts (--server-warmup).
warm_up() {
  local system="$1" endpoints="$2"
  [ "$server_warmup" = 0 ] || [ "$server_warmup" = 0s ] && return 0
  local tool
  if [ "$system" = raftkv ]; then
    tool=("${java_bench[@]}" -jar "$raftkv_jar" bench kv)
  else
    tool=("${java_bench[@]}" -jar "$etcd_jar")
  fi
  log "---- $system: $server_warmup of unmeasured writes (16 clients) to warm the servers up"
  "${tool[@]}" --endpoints "$endpoints" --clients 16 --value-size 100 --keys "$keys" --key-prefix warm- \
    --read-ratio 0 --duration "$server_warmup" --warmup 0s --await-ready 60s >"$out/$system-server-warmup.txt" 2>&1 \
    || log "     warm-up FAILED, see $out/$system-server-warmup.txt"
}

run_cells() {
  local system="$1" endpoints="$2" workload size n
  warm_up "$system" "$endpoints"
  for workload in ${workloads//,/ }; do
    for size in ${sizes//,/ }; do
      for n in ${clients//,/ }; do
        run_cell "$system" "$endpoints" "$workload" "$size" "$n"
      done
    done
  done
}

# ---- raftkv -----------------------------------------------------------------------------------
start_raftkv() {
  local peers="" endpoints="" i
  for i in 1 2 3; do
    peers+="${peers:+,}n$i=127.0.0.1:$((base_port + 10 + i))"
    endpoints+="${endpoints:+,}127.0.0.1:$((base_port + i))"
  done
  for i in 1 2 3; do
    mkdir -p "$scratch/raftkv/n$i"
    "${java_server[@]}" -jar "$raftkv_jar" server --id "n$i" --data-dir "$scratch/raftkv/n$i" \
      --raft-addr "127.0.0.1:$((base_port + 10 + i))" --client-addr "127.0.0.1:$((base_port + i))" \
      --peers "$peers" >"$out/raftkv-n$i.log" 2>&1 </dev/null &
    pids+=("$!")
  done
  raftkv_endpoints="$endpoints"
  log "raftkv: 3 nodes at $endpoints, data under $scratch/raftkv, logs in $out"
}

# ---- etcd -------------------------------------------------------------------------------------
start_etcd() {
  local cluster="" endpoints="" i
  for i in 1 2 3; do
    cluster+="${cluster:+,}e$i=http://127.0.0.1:$((base_port + 30 + i))"
    endpoints+="${endpoints:+,}127.0.0.1:$((base_port + 20 + i))"
  done
  for i in 1 2 3; do
    mkdir -p "$scratch/etcd"
    etcd --name "e$i" --data-dir "$scratch/etcd/e$i" \
      --listen-client-urls "http://127.0.0.1:$((base_port + 20 + i))" \
      --advertise-client-urls "http://127.0.0.1:$((base_port + 20 + i))" \
      --listen-peer-urls "http://127.0.0.1:$((base_port + 30 + i))" \
      --initial-advertise-peer-urls "http://127.0.0.1:$((base_port + 30 + i))" \
      --initial-cluster "$cluster" --initial-cluster-token raftkv-compare --initial-cluster-state new \
      >"$out/etcd-e$i.log" 2>&1 </dev/null &
    pids+=("$!")
  done
  etcd_endpoints="$endpoints"
  log "etcd: 3 members at $endpoints, data under $scratch/etcd, logs in $out"
}

if [ "$table" = 1 ]; then
  run_floor
  if [[ ",$systems," == *",raftkv,"* ]]; then
    log ""
    start_raftkv
    run_cells raftkv "$raftkv_endpoints"
    stop_servers
  fi
  if [[ ",$systems," == *",etcd,"* ]]; then
    log ""
    start_etcd
    run_cells etcd "$etcd_endpoints"
    stop_servers
  fi
  echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt" >&2
  {
    echo
    cat "$out/machine.txt"
    echo
    cat "$out/floor.txt"
    echo
    java -jar "$raftkv_jar" bench compare --dir "$out" --first raftkv --second etcd
  } | tee "$out/table.md"
fi

# ---- long scenarios (raftkv) ------------------------------------------------------------------
scenario() {
  local name="$1"; shift
  log ""
  log "---- $name: $*"
  local status=0
  java -jar "$raftkv_jar" bench "$name" --trials "$trials" --dir "$scratch/$name" --json "$out/$name.json" "$@" \
    | tee "$out/$name.txt" || status=$?
  mkdir -p "$out/$name-logs"
  cp "$scratch/$name"/*.log "$out/$name-logs/" 2>/dev/null || true
  rm -rf "${scratch:?}/$name"
  if [ "$status" != 0 ]; then
    log "$name FAILED (status $status); server logs in $out/$name-logs"
    return "$status"
  fi
}
[ "$failover" = 1 ] && scenario failover
[ "$catchup" = 1 ] && scenario catchup --state 1g
[ "$restart" = 1 ] && scenario restart --entries 1000000
log ""
log "results in $out"
