#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests need beyond a JDK when it is missing
# (Debian's chromium and chromium-driver, for the pages' tests in headless Chromium; Node.js and
# the OpenAPI 3.1 schema validator from npm, for the API document's test), then runs every test,
# unit and integration: ./mvnw -B -ntp -T 2 verify (extra arguments go to Maven). Two modules build at a
# time: the services do not depend on each other, and their integration tests mostly wait (README).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "installing Debian's chromium and chromium-driver for the browser tests"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "installing Debian's nodejs and npm for the OpenAPI document's validation"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -d infra/openapi/node_modules ]; then
  npm ci --prefix infra/openapi --no-audit --no-fund --loglevel=error
fi
exec ./mvnw -B -ntp -T 2 verify "$@"
