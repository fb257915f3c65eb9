#!/usr/bin/env bash
# services.sh — gateway, orchestrator and workers as separate processes on a local RabbitMQ broker, in one command.
#
#   services.sh start [--workers N] [--port P]   build once, start the broker and the services, print the API key
#   services.sh stop                              stop the services (by the PIDs recorded at start) and the broker
#   services.sh status                            which recorded processes still run
#
# State lives in RETAB_RUNS_LOCAL_DIR (default ./data/local): the shared LiteDB file, the API key, one log and one
# PID file per service. The services are started from the build output, not with `dotnet run`: several `dotnet run`
# at once race on the same build outputs.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${RETAB_RUNS_LOCAL_DIR:-$repo/data/local}"
broker_dir="$dir/broker"
configuration=Release
bin() { echo "$repo/services/$1/bin/$configuration/net10.0/$1.dll"; }

log() { printf '[services.sh] %s\n' "$*" >&2; }

start_service() {
  local name="$1" dll="$2"; shift 2
  env "$@" nohup dotnet "$dll" >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
  log "$name: pid $!, log $dir/$name.log"
}

start() {
  local workers=2 port=8080
  while [ $# -gt 0 ]; do
    case "$1" in
      --workers) workers="$2"; shift 2 ;;
      --port) port="$2"; shift 2 ;;
      *) log "unknown option $1"; exit 2 ;;
    esac
  done
  mkdir -p "$dir"
  log "building once ($configuration)"
  dotnet build "$repo/Retab.Runs.sln" -c "$configuration" -v quiet -nologo >&2
  local uri
  uri="$(bash "$repo/deploy/rabbitmq/local-broker.sh" start --dir "$broker_dir" | tail -n 1)"

  # Every service reads the same settings; the gateway and the orchestrator share the LiteDB file.
  local common=(
    DOTNET_ENVIRONMENT=Production
    Bus__Transport=rabbitmq "Bus__RabbitMqUri=$uri"
    "Storage__LiteDb__Path=$dir/retab-runs.db" Storage__LiteDb__Shared=true
  )
  start_service orchestrator "$(bin Retab.Runs.Orchestrator)" "${common[@]}"
  for i in $(seq 1 "$workers"); do
    start_service "worker-$i" "$(bin Retab.Runs.Worker)" "${common[@]}" "Worker__WorkerId=worker-$i"
  done
  start_service gateway "$(bin Retab.Runs.Gateway)" "${common[@]}" \
    "ASPNETCORE_URLS=http://127.0.0.1:$port" "Auth__BootstrapKeyFile=$dir/api-key"

  for _ in $(seq 1 60); do
    if curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && [ -s "$dir/api-key" ]; then
      log "ready: http://127.0.0.1:$port (API key in $dir/api-key)"
      echo "RETAB_RUNS_BASE_URL=http://127.0.0.1:$port"
      echo "RETAB_RUNS_API_KEY=$(cat "$dir/api-key")"
      return 0
    fi
    sleep 1
  done
  log "the gateway did not become ready within 60 s; see $dir/gateway.log"
  exit 1
}

stop() {
  for pid_file in "$dir"/*.pid; do
    [ -e "$pid_file" ] || continue
    local pid name
    pid="$(cat "$pid_file")"; name="$(basename "$pid_file" .pid)"
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
      log "$name (pid $pid) stopped"
    fi
    rm -f "$pid_file"
  done
  bash "$repo/deploy/rabbitmq/local-broker.sh" stop --dir "$broker_dir" >&2 || true
}

status() {
  for pid_file in "$dir"/*.pid; do
    [ -e "$pid_file" ] || continue
    local pid; pid="$(cat "$pid_file")"
    if kill -0 "$pid" 2>/dev/null; then echo "$(basename "$pid_file" .pid): running (pid $pid)"; else echo "$(basename "$pid_file" .pid): exited"; fi
  done
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start [--workers N] [--port P] | stop | status" >&2; exit 2 ;;
esac
