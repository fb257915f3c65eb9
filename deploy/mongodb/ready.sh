#!/usr/bin/env bash
# Health check of the compose stack's MongoDB. Authenticates as the root user (credentials from the container's
# environment, so the health check's definition carries none), initiates the single-node replica set on first start
# (idempotent), and answers healthy once this node is a writable primary.
set -u
exec mongosh --quiet --host 127.0.0.1 --port 27017 --authenticationDatabase admin \
  --username "${MONGO_INITDB_ROOT_USERNAME:?}" --password "${MONGO_INITDB_ROOT_PASSWORD:?}" \
  --eval "
    try { rs.status() } catch (e) { rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: 'mongodb:27017' }] }) }
    if (!db.hello().isWritablePrimary) { quit(1) }
  "
