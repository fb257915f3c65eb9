#!/usr/bin/env bash
# Container health check for every Retab Runs service image (the image has no curl): GET http://127.0.0.1:<port><path>
# must answer 200. Path: first argument, default /health/live (/health/ready also checks what the service depends on).
#   gateway:                 its API port (ASPNETCORE_HTTP_PORTS)
#   orchestrator and worker: their management listener (Management__Urls, e.g. http://+:8080); without one they serve
#                            no HTTP, and the check falls back to "the service's process (PID 1) runs and is no zombie"
set -u
path="${1:-/health/live}"

process_alive() {
  tr '\0' ' ' < /proc/1/cmdline | grep -q "${RETAB_SERVICE}.dll" || { echo "${RETAB_SERVICE} is not running"; exit 1; }
  ! grep -q '^State:[[:space:]]*Z' /proc/1/status
}

# The port of the first URL in a list such as "http://+:8080;http://localhost:9090" (80 when it names none).
port_of_first_url() {
  local url="${1%%[,;]*}"
  url="${url#*://}"
  url="${url%%/*}"
  case "${url}" in
    *:*) echo "${url##*:}" ;;
    *) echo 80 ;;
  esac
}

case "${RETAB_SERVICE:-}" in
  *.Gateway)
    port="${ASPNETCORE_HTTP_PORTS:-8080}"
    port="${port%%[,;]*}"
    ;;
  ?*)
    if [ -z "${Management__Urls:-}" ]; then
      process_alive
      exit $?
    fi
    port="$(port_of_first_url "${Management__Urls}")"
    ;;
  *)
    echo "RETAB_SERVICE is not set"; exit 1
    ;;
esac

exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "${path}" >&3
IFS= read -r -t 4 status <&3 || exit 1
case "${status}" in
  "HTTP/"*" 200 "*) exit 0 ;;
  *) echo "${RETAB_SERVICE} ${path}: ${status}"; exit 1 ;;
esac
