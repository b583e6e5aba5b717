#!/usr/bin/env bash
# Copies the browser libraries Guichet's pages use from npm (versions pinned in package.json and
# package-lock.json) into the gateway's pages, where they are committed and served from the jar:
# running Guichet needs no npm and no CDN. Run it after changing a version here, then commit the
# copies and vendor/SHA256SUMS (a test checks the served files against it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../services/gateway/src/main/resources/io/guichet/gateway/pages/vendor"
npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
mkdir -p "$out"
m="$here/node_modules"
cp "$m/jsqr/dist/jsQR.js" "$out/jsQR.js"
cp "$m/jsqr/LICENSE" "$out/jsQR.LICENSE"
cp "$m/qrcode-generator/dist/qrcode.mjs" "$out/qrcode-generator.js"
cp "$m/qrcode-generator/LICENSE" "$out/qrcode-generator.LICENSE" 2>/dev/null \
  || printf 'qrcode-generator %s, MIT License, Copyright (c) 2009 Kazuhiko Arase\nhttps://github.com/kazuhikoarase/qrcode-generator\n' \
    "$(node -p "require('$m/qrcode-generator/package.json').version")" > "$out/qrcode-generator.LICENSE"
cp "$m/@noble/ed25519/index.js" "$out/noble-ed25519.js"
cp "$m/@noble/ed25519/LICENSE" "$out/noble-ed25519.LICENSE"
{
  for lib in jsqr qrcode-generator @noble/ed25519; do
    echo "# $lib $(node -p "require('$m/$lib/package.json').version")"
  done
  (cd "$out" && sha256sum jsQR.js qrcode-generator.js noble-ed25519.js)
} > "$out/SHA256SUMS"
echo "vendored into $out"
