#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the browser tests need when it is missing
# (Debian's chromium and chromium-driver, for the pages' tests in headless Chromium), then runs
# every test, unit and integration: ./mvnw -B -ntp verify (extra arguments go to Maven).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "installing Debian's chromium and chromium-driver for the browser tests"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi
exec ./mvnw -B -ntp verify "$@"
