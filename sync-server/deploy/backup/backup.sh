#!/usr/bin/env bash
# Backs up the clinic's sync server: the database (SQLite online backup by the server
# itself, or pg_dump for PostgreSQL) and the audit log's signing keys, into a new folder
# DEST/clinique-sync-<UTC time>/ with SHA256SUMS. Safe while the server runs.
#
#   DATA_DIR=/var/lib/clinique-sync [DATABASE_URL=postgres://… DATABASE_SCHEMA=public] \
#     backup.sh /srv/backups
#
# SYNC_SERVER: the server bundle (default /opt/clinique-sync/dist/sync-server/main.js).
# Prints the folder it wrote. Exits non-zero on any failure (nothing half-reported).
set -euo pipefail
dest=${1:?usage: backup.sh DEST_DIR}
data_dir=${DATA_DIR:?DATA_DIR must name the server data folder (audit signing key, SQLite file)}
server=${SYNC_SERVER:-/opt/clinique-sync/dist/sync-server/main.js}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$dest/clinique-sync-$stamp"
umask 077
mkdir -p "$out"

if [ -n "${DATABASE_URL:-}" ]; then
  pg_dump --format=custom --no-owner --schema="${DATABASE_SCHEMA:-public}" \
    --file="$out/database.dump" "$DATABASE_URL"
  echo postgresql >"$out/engine"
else
  DATABASE_URL= node "$server" backup --to "$out/sync.sqlite" --data-dir "$data_dir" >/dev/null
  echo sqlite >"$out/engine"
fi

for key in audit-signing-key.pem audit-signing-key.pub.pem; do
  if [ -f "$data_dir/$key" ]; then cp -p "$data_dir/$key" "$out/$key"; fi
done
if [ ! -f "$out/audit-signing-key.pem" ]; then
  echo "warning: no audit signing key in $data_dir (a server that never started has none)" >&2
fi
(cd "$out" && sha256sum -- * >SHA256SUMS)
echo "$out"
