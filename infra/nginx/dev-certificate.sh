#!/usr/bin/env bash
# Writes a self-signed development certificate for localhost into infra/nginx/certs (ignored by
# git), for the compose stack's nginx. Browsers will warn: it is for development only.
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/certs"
mkdir -p "$dir"
if [[ -s "$dir/guichet-dev.crt" && -s "$dir/guichet-dev.key" ]]; then
  echo "kept the certificate in $dir"
  exit 0
fi
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$dir/guichet-dev.key" -out "$dir/guichet-dev.crt" 2>/dev/null
chmod 600 "$dir/guichet-dev.key"
chmod 644 "$dir/guichet-dev.crt"
echo "wrote $dir/guichet-dev.crt and its key"
