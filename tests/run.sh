#!/usr/bin/env bash
# The whole test suite: starts what the tests need (a private RabbitMQ node when no broker is given and no
# Docker engine is reachable), runs every test project, and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet test Retab.Runs.sln -c Release "$@"
