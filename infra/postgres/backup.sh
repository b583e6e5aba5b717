#!/usr/bin/env bash
# Backs up Guichet's PostgreSQL databases, one pg_dump archive (custom format) per database, into
# a new folder, with a manifest of checksums that restore.sh verifies.
#
#   infra/postgres/backup.sh BACKUP_DIR [DATABASE ...]
#
# The server is named the libpq way: PGHOST, PGPORT, PGUSER, PGPASSWORD (or ~/.pgpass). The
# databases default to every service's. Each dump is a consistent snapshot of its database
# (pg_dump reads in one repeatable-read transaction) taken while the services keep running.
# pg_dump must be of the server's major version or newer: PG_BIN names the folder that has it.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BACKUP_DIR [DATABASE ...]" >&2
  exit 2
fi
target="$1"
shift
databases=("$@")
if [[ ${#databases[@]} -eq 0 ]]; then
  databases=(catalog booking payment ticketing gate identity query notification)
fi
bin="${PG_BIN:+$PG_BIN/}"

if [[ -e "$target" && -n "$(ls -A "$target" 2>/dev/null)" ]]; then
  echo "$target exists and is not empty: a backup never overwrites another" >&2
  exit 1
fi
mkdir -p "$target"
umask 077

{
  echo "# Guichet backup"
  echo "taken: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "pg_dump: $("${bin}pg_dump" --version)"
  echo "server: $("${bin}psql" -X -At -d postgres -c 'SHOW server_version')"
} > "$target/MANIFEST"

for database in "${databases[@]}"; do
  "${bin}pg_dump" --format=custom --compress=6 --no-owner --no-privileges \
    --dbname="$database" --file="$target/$database.dump"
  echo "$(sha256sum "$target/$database.dump" | cut -d' ' -f1)  $database.dump" >> "$target/SHA256SUMS"
  echo "backed up $database ($(du -h "$target/$database.dump" | cut -f1))"
done
echo "backup complete in $target"
