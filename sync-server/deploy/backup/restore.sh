#!/usr/bin/env bash
# Restores a backup made by backup.sh, then verifies the audit chain. The server must be
# stopped (systemctl stop clinique-sync). What it replaces is kept aside, never deleted:
#   SQLite: DATA_DIR/sync.sqlite -> DATA_DIR/sync.sqlite.before-restore-<time>
#   PostgreSQL: restored into DATABASE_URL with pg_restore --clean in one transaction
#   (take a pg_dump of the current database first if it holds anything you may want).
#   Run it as the role that owns the tables (the migration role, never the application
#   role): objects come back owned by it, with the dump's GRANT/REVOKE, so the audit
#   tables stay append-only for the application role (sync-server/src/audit/postgres-roles.ts).
#
#   DATA_DIR=/var/lib/clinique-sync [DATABASE_URL=postgres://…] restore.sh /srv/backups/clinique-sync-<time>
set -euo pipefail
src=${1:?usage: restore.sh BACKUP_DIR}
data_dir=${DATA_DIR:?DATA_DIR must name the server data folder}
server=${SYNC_SERVER:-/opt/clinique-sync/dist/sync-server/main.js}
stamp=$(date -u +%Y%m%dT%H%M%SZ)

if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet clinique-sync 2>/dev/null; then
  echo "clinique-sync is running: stop it first (systemctl stop clinique-sync)" >&2
  exit 1
fi
(cd "$src" && sha256sum --quiet -c SHA256SUMS) || { echo "backup $src is damaged (SHA256SUMS)" >&2; exit 1; }
engine=$(cat "$src/engine")
umask 077
mkdir -p "$data_dir"

case "$engine" in
  sqlite)
    if [ -n "${DATABASE_URL:-}" ]; then echo "this is an SQLite backup but DATABASE_URL is set" >&2; exit 1; fi
    for f in sync.sqlite sync.sqlite-wal sync.sqlite-shm; do
      if [ -f "$data_dir/$f" ]; then mv "$data_dir/$f" "$data_dir/$f.before-restore-$stamp"; fi
    done
    cp "$src/sync.sqlite" "$data_dir/sync.sqlite.partial"
    mv "$data_dir/sync.sqlite.partial" "$data_dir/sync.sqlite"
    ;;
  postgresql)
    : "${DATABASE_URL:?DATABASE_URL must name the database to restore into}"
    pg_restore --clean --if-exists --no-owner --single-transaction \
      --dbname="$DATABASE_URL" "$src/database.dump"
    ;;
  *)
    echo "unknown engine '$engine' in $src" >&2
    exit 1
    ;;
esac

for key in audit-signing-key.pem audit-signing-key.pub.pem; do
  if [ -f "$src/$key" ]; then
    if [ -f "$data_dir/$key" ] && ! cmp -s "$src/$key" "$data_dir/$key"; then
      mv "$data_dir/$key" "$data_dir/$key.before-restore-$stamp"
    fi
    cp -p "$src/$key" "$data_dir/$key"
  fi
done

# The restored log must verify end to end (hash chain and signed checkpoints).
node "$server" audit verify --data-dir "$data_dir"
echo "restored $src ($engine); audit chain verified"
