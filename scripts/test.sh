#!/usr/bin/env bash
# Installs everything the test suite needs, then runs all of it (unit, data rebuild, app and browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q -r requirements-dev.txt
# Browser tests drive Debian's Chromium; install it when we can (root on Debian), never a downloaded browser.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
python -m pytest -q "$@"
