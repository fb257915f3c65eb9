#!/usr/bin/env bash
# Container health check for every Retab Runs service image (the image has no curl).
#   gateway:                    GET http://127.0.0.1:${ASPNETCORE_HTTP_PORTS}<path> must answer 200
#                               (path: first argument, default /health/live; /health/ready also checks broker and store)
#   orchestrator and worker:    generic hosts without HTTP: healthy while their process (PID 1) runs and is not a zombie
set -u
case "${RETAB_SERVICE:-}" in
  *.Gateway)
    port="${ASPNETCORE_HTTP_PORTS:-8080}"
    port="${port%%[,;]*}"
    path="${1:-/health/live}"
    exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
    printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "${path}" >&3
    IFS= read -r -t 4 status <&3 || exit 1
    case "${status}" in
      "HTTP/"*" 200 "*) exit 0 ;;
      *) echo "gateway ${path}: ${status}"; exit 1 ;;
    esac
    ;;
  ?*)
    tr '\0' ' ' < /proc/1/cmdline | grep -q "${RETAB_SERVICE}.dll" || { echo "${RETAB_SERVICE} is not running"; exit 1; }
    ! grep -q '^State:[[:space:]]*Z' /proc/1/status
    ;;
  *)
    echo "RETAB_SERVICE is not set"; exit 1
    ;;
esac
