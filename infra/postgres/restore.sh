#!/usr/bin/env bash
# Restores a folder written by backup.sh into a PostgreSQL server, one database per archive.
#
#   infra/postgres/restore.sh BACKUP_DIR
#
# The server is named the libpq way (PGHOST, PGPORT, PGUSER, PGPASSWORD); PG_BIN names the folder
# of pg_restore if it is not on the PATH. Every archive's checksum is verified first. A database
# that does not exist is created; one that exists must be empty (a restore never merges into live
# data: drop it, or restore into a fresh server). Stop the services before restoring, and start
# them after: they go on from the consumed positions and outbox rows the backup holds, so events
# published after the backup are read again and deduplicated, and none is lost.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BACKUP_DIR" >&2
  exit 2
fi
source_dir="$1"
bin="${PG_BIN:+$PG_BIN/}"

if [[ ! -f "$source_dir/SHA256SUMS" ]]; then
  echo "$source_dir has no SHA256SUMS: not a backup.sh folder" >&2
  exit 1
fi
(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS)

while read -r _ file; do
  database="${file%.dump}"
  exists="$("${bin}psql" -X -At -d postgres -v ON_ERROR_STOP=1 \
    -c "SELECT count(*) FROM pg_database WHERE datname = '$database'")"
  if [[ "$exists" == "0" ]]; then
    "${bin}psql" -X -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$database\""
  else
    tables="$("${bin}psql" -X -At -d "$database" -v ON_ERROR_STOP=1 \
      -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
    if [[ "$tables" != "0" ]]; then
      echo "database $database already has tables: drop it first, or restore into a fresh server" >&2
      exit 1
    fi
  fi
  "${bin}pg_restore" --exit-on-error --no-owner --no-privileges --single-transaction \
    --dbname="$database" "$source_dir/$file"
  echo "restored $database"
done < "$source_dir/SHA256SUMS"
echo "restore complete"
