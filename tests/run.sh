#!/usr/bin/env bash
# The whole test suite. Starts what the tests need and stops it again:
#   - a RabbitMQ broker: the one in RETAB_RUNS_RABBITMQ_URI if set; Testcontainers when a Docker engine answers;
#     otherwise a private node from Debian's rabbitmq-server (deploy/rabbitmq/local-broker.sh, installed if missing);
#   - Debian's docker-compose, to validate docker-compose.yml without a Docker engine;
#   - Debian's chromium, for the dashboard's browser tests (RETAB_RUNS_CHROMIUM names another binary).
# MongoDB tests run where RETAB_RUNS_MONGODB_URI is set or a Docker engine answers, and report as skipped elsewhere.
# Extra arguments go to `dotnet test` (e.g. --filter).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

# docker-compose.yml stays valid: Debian's docker-compose (1.29) checks it without a Docker daemon and rejects unknown keys.
if ! command -v docker-compose >/dev/null 2>&1; then
  echo "Installing Debian's docker-compose to validate docker-compose.yml" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >&2
fi
# The stack's passwords are required (it refuses to start without them): placeholders, for this check only.
RETAB_RUNS_RABBITMQ_PASSWORD=validate RETAB_RUNS_MONGODB_PASSWORD=validate RETAB_RUNS_MONGODB_APP_PASSWORD=validate \
  docker-compose -f "$repo/docker-compose.yml" --profile observability config -q
echo "docker-compose.yml: valid" >&2

# The dashboard tests drive Debian's chromium with Playwright (its own browser download cannot work here).
if [ -z "${RETAB_RUNS_CHROMIUM:-}" ] && ! [ -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the dashboard tests" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
fi

docker_answers() {
  command -v docker >/dev/null 2>&1 && timeout 3 docker info >/dev/null 2>&1
}

started_broker=""
broker_dir="$(mktemp -d /tmp/retab-runs-test-broker.XXXXXX)"
cleanup() {
  if [ -n "$started_broker" ]; then
    bash "$repo/deploy/rabbitmq/local-broker.sh" stop --dir "$broker_dir" >&2 || true
  fi
  rm -rf "$broker_dir"
}
trap cleanup EXIT

if [ -z "${RETAB_RUNS_RABBITMQ_URI:-}" ] && ! docker_answers; then
  echo "No broker given and no Docker engine: starting a local RabbitMQ node" >&2
  RETAB_RUNS_RABBITMQ_URI="$(bash "$repo/deploy/rabbitmq/local-broker.sh" start --dir "$broker_dir" | tail -n 1)"
  started_broker=yes
  export RETAB_RUNS_RABBITMQ_URI
  export RETAB_RUNS_RABBITMQ_MANAGEMENT_URI="$(cat "$broker_dir/management-url")"
  export RETAB_RUNS_RABBITMQ_CTL="env RETAB_RABBITMQ_DIR=$broker_dir bash $repo/deploy/rabbitmq/local-broker.sh"
fi

dotnet test "$repo/Retab.Runs.sln" -c Release "$@"
