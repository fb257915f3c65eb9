#!/bin/sh
# Entrypoint of the compose stack's Grafana: no default admin password. The admin password is RETAB_RUNS_GRAFANA_PASSWORD
# when given; otherwise one is generated on first start. Either way it is kept in the grafana-data volume (mode 600),
# which Grafana reads through GF_SECURITY_ADMIN_PASSWORD__FILE, then the image's own entrypoint takes over.
# Grafana applies the admin password when it creates its database, i.e. on the first start of an empty volume.
set -eu
file=/var/lib/grafana/admin-password
umask 077
if [ -n "${RETAB_RUNS_GRAFANA_PASSWORD:-}" ]; then
  printf '%s' "$RETAB_RUNS_GRAFANA_PASSWORD" > "$file"
elif [ ! -s "$file" ]; then
  head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$file"
  echo "grafana: generated the admin password into $file (docker compose exec grafana cat $file)"
fi
unset RETAB_RUNS_GRAFANA_PASSWORD
exec /run.sh "$@"
