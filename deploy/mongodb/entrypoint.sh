#!/usr/bin/env bash
# Entrypoint of the compose stack's MongoDB: a replica set with authentication needs a key file its members share.
# The key is generated inside the container on first start (kept in the mongodb-config volume, never in the
# repository), readable by mongod only (mode 400, owner mongodb), then the image's own entrypoint takes over.
set -euo pipefail
key=/data/configdb/replica-set.key
if [ ! -s "$key" ]; then
  # 756 random bytes -> 1008 base64 characters (MongoDB accepts 6 to 1024 characters of the base64 set).
  (umask 0377 && head -c 756 /dev/urandom | base64 -w 0 > "$key")
fi
chown mongodb:mongodb "$key"
chmod 0400 "$key"
exec docker-entrypoint.sh "$@"
