#!/usr/bin/env bash
# Prepares a checkout for "docker compose up": a .env with fresh random secrets (kept if it
# exists; never committed) and nginx's development certificate.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
env_file="$root/.env"
if [[ -e "$env_file" ]]; then
  echo "kept $env_file"
else
  umask 077
  {
    echo "POSTGRES_PASSWORD=$(openssl rand -hex 24)"
    echo "TICKETING_MASTER_KEY=$(openssl rand -base64 32)"
    echo "IDENTITY_MASTER_KEY=$(openssl rand -base64 32)"
    echo "NOTIFICATION_MASTER_KEY=$(openssl rand -base64 32)"
    echo "WAITING_ROOM_PASS_KEY=$(openssl rand -base64 32)"
    echo "TICKET_CODE_KEY=$(openssl rand -base64 32)"
    echo "IDENTITY_ADMIN_PASSWORD=$(openssl rand -base64 18)"
    echo "GRAFANA_ADMIN_PASSWORD=$(openssl rand -hex 12)"
  } > "$env_file"
  echo "wrote $env_file (owner-only): the first admin's and Grafana's passwords are in it"
fi
"$root/infra/nginx/dev-certificate.sh"
