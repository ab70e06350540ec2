#!/usr/bin/env bash
# A MultiAgentRec cluster of real processes on this machine:
#   redis-server   membership (Orleans Redis clustering) and grain storage,       port 6379
#   N silos        --cluster redis://127.0.0.1:6379, gateways 30000.., silo ports 11111..,
#                  Prometheus /metrics on 9464, 9465, ...
#   prometheus     scrapes every silo (monitoring/prometheus.yml) and serves the console
#                  dashboards of monitoring/consoles at http://127.0.0.1:9090/consoles/multiagentrec.html
#
# Usage:
#   eng/cluster.sh up [--silos N] [--redis-port P] [--prometheus-port P] [--silo-port P]
#                     [--gateway-port P] [--metrics-port P] [--advertise IP] [--configuration C]
#   eng/cluster.sh status
#   eng/cluster.sh down
#
# Everything listens on 127.0.0.1 unless --advertise gives another address. Logs and PID files go
# to runs/cluster/ (MULTIAGENTREC_CLUSTER_DIR overrides it); each PID file holds the PID of the
# program itself (redis-server, the silo's dotnet, prometheus), so `down` stops exactly what `up`
# started and nothing else. Missing programs are installed from Debian packages (eng/install-tools.sh);
# on a host whose libstdc++ is too old for TorchSharp every program runs inside eng/modern-runtime.sh.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${MULTIAGENTREC_CLUSTER_DIR:-$REPO/runs/cluster}"
case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac

die() { echo "cluster: $*" >&2; exit 1; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for() { # wait_for SECONDS DESCRIPTION PIDFILE COMMAND...
  local seconds=$1 what=$2 pidfile=$3; shift 3
  local deadline=$(( $(date +%s) + seconds ))
  until "$@"; do
    alive "$pidfile" || die "$what exited during start-up; see ${pidfile%.pid}.log"
    [ "$(date +%s)" -lt "$deadline" ] || die "$what not ready after ${seconds} s; see ${pidfile%.pid}.log"
    sleep 0.5
  done
}

# Starts a program in the background with its log, records its PID. Every wrapper on the way
# (modern-runtime.sh, unshare, chroot, bash -c) replaces itself with exec, so $! is the
# program's own PID.
start() { # start NAME COMMAND...
  local name=$1; shift
  "${WRAP[@]}" "$@" >"$DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$DIR/$name.pid"
}

up() {
  local silos=1 redis_port=6379 prom_port=9090 silo_port=11111 gateway_port=30000 metrics_port=9464
  local address=127.0.0.1 configuration=Release
  while [ $# -gt 0 ]; do
    case "$1" in
      --silos) silos=$2; shift 2 ;;
      --redis-port) redis_port=$2; shift 2 ;;
      --prometheus-port) prom_port=$2; shift 2 ;;
      --silo-port) silo_port=$2; shift 2 ;;
      --gateway-port) gateway_port=$2; shift 2 ;;
      --metrics-port) metrics_port=$2; shift 2 ;;
      --advertise) address=$2; shift 2 ;;
      --configuration) configuration=$2; shift 2 ;;
      *) die "unknown option '$1' for up (see eng/cluster.sh --help)" ;;
    esac
  done
  [[ "$silos" =~ ^[1-9][0-9]*$ ]] || die "--silos needs a positive number, got '$silos'"
  mkdir -p "$DIR"
  for f in "$DIR"/*.pid; do
    [ -e "$f" ] || continue
    alive "$f" && die "a cluster is already up here ($f); run eng/cluster.sh down first"
    rm -f "$f"
  done
  local p
  for p in "$redis_port" "$prom_port"; do port_open "$address" "$p" && die "port $p on $address is already in use"; done
  for ((i = 0; i < silos; i++)); do
    for p in $((silo_port + i)) $((gateway_port + i)) $((metrics_port + i)); do
      port_open "$address" "$p" && die "port $p on $address is already in use"
    done
  done

  "$REPO/eng/install-tools.sh"
  WRAP=()
  if "$REPO/eng/modern-runtime.sh" --needed; then WRAP=("$REPO/eng/modern-runtime.sh" --); fi

  echo "cluster: building the silo ($configuration)"
  dotnet build "$REPO/Silo/Silo.csproj" -c "$configuration" --nologo -v q >"$DIR/build.log" 2>&1 \
    || die "the silo did not build; see $DIR/build.log"
  local dll="$REPO/Silo/bin/$configuration/net10.0/MultiAgentRec.Silo.dll"
  [ -f "$dll" ] || die "no silo at $dll after the build"

  cat >"$DIR/cluster.env" <<ENV
SILOS=$silos
ADDRESS=$address
REDIS_PORT=$redis_port
PROMETHEUS_PORT=$prom_port
GATEWAY_PORT=$gateway_port
METRICS_PORT=$metrics_port
ENV

  # No snapshots: the cluster's membership and grain state live as long as this Redis process.
  start redis redis-server --bind "$address" --port "$redis_port" --save "" --appendonly no --dir "$DIR"
  wait_for 30 redis-server "$DIR/redis.pid" port_open "$address" "$redis_port"

  local targets="" sep=""
  for ((i = 1; i <= silos; i++)); do
    start "silo-$i" dotnet "$dll" --cluster "redis://$address:$redis_port" --advertise "$address" \
      --silo-port $((silo_port + i - 1)) --gateway-port $((gateway_port + i - 1)) \
      --metrics-port $((metrics_port + i - 1)) --metrics-host "$address"
    targets+="$sep\"$address:$((metrics_port + i - 1))\""; sep=", "
  done

  mkdir -p "$DIR/targets" "$DIR/prometheus-data"
  cp "$REPO/monitoring/prometheus.yml" "$DIR/prometheus.yml"
  echo "[{\"targets\": [$targets], \"labels\": {\"cluster\": \"local\"}}]" >"$DIR/targets/silos.json"
  start prometheus prometheus --config.file="$DIR/prometheus.yml" --storage.tsdb.path="$DIR/prometheus-data" \
    --web.listen-address="$address:$prom_port" \
    --web.console.templates="$REPO/monitoring/consoles" --web.console.libraries="$REPO/monitoring/consoles"

  for ((i = 1; i <= silos; i++)); do
    wait_for 180 "silo $i" "$DIR/silo-$i.pid" grep -q "Silo up" "$DIR/silo-$i.log"
  done
  wait_for 60 prometheus "$DIR/prometheus.pid" port_open "$address" "$prom_port"

  cat <<MSG
cluster: up: redis-server $address:$redis_port, $silos silo(s) (gateways $gateway_port..$((gateway_port + silos - 1)), /metrics on $metrics_port..$((metrics_port + silos - 1))), prometheus $address:$prom_port
Run a scenario on it:
  ${WRAP[*]:+eng/modern-runtime.sh -- }dotnet run -c Release --project Client -- run scenarios/quickstart.yaml --cluster redis://$address:$redis_port
Dashboard: http://$address:$prom_port/consoles/multiagentrec.html
Logs and PID files: $DIR
Stop it:   eng/cluster.sh down
MSG
}

status() {
  local any=0 f
  for f in "$DIR"/redis.pid "$DIR"/silo-*.pid "$DIR"/prometheus.pid; do
    [ -e "$f" ] || continue
    any=1
    if alive "$f"; then echo "$(basename "$f" .pid): running (pid $(cat "$f"))"
    else echo "$(basename "$f" .pid): stopped (pid $(cat "$f") is gone; see ${f%.pid}.log)"; fi
  done
  [ "$any" = 1 ] || { echo "cluster: nothing started from $DIR"; return 3; }
  [ -f "$DIR/cluster.env" ] && . "$DIR/cluster.env" && echo "dashboard: http://$ADDRESS:$PROMETHEUS_PORT/consoles/multiagentrec.html"
  return 0
}

stop_one() { # stop_one PIDFILE: TERM, then KILL after 20 s; only the PID recorded by up
  local f=$1 pid
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "cluster: $(basename "$f" .pid) ignored TERM; killing it" >&2; kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$f"
}

down() {
  local f any=0
  # Prometheus and the silos first (side by side), Redis (their membership table) last.
  for f in "$DIR"/prometheus.pid "$DIR"/silo-*.pid; do
    [ -e "$f" ] || continue
    any=1; stop_one "$f" &
  done
  wait
  [ -e "$DIR/redis.pid" ] && { any=1; stop_one "$DIR/redis.pid"; }
  [ "$any" = 1 ] && echo "cluster: down" || echo "cluster: nothing to stop in $DIR"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  status) status ;;
  down) down ;;
  -h|--help|"") sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (up, status, down)" ;;
esac
