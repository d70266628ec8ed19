#!/usr/bin/env bash
# Installs everything the test suite needs, checks the import contracts, then runs all the tests (unit, data
# rebuild, app and browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q -r requirements-dev.txt
# Browser tests drive Debian's Chromium (never a downloaded browser); the replica tests run nginx; strace watches
# the image export's Chromium for outside requests (tests/test_no_outside_calls.py). Install what is missing when we can (root on Debian), so a fresh machine runs every test.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# image exports render in the headless shell (compat/kaleido.py: it makes no request outside the machine)
command -v chromium-headless-shell >/dev/null 2>&1 || missing+=(chromium-headless-shell)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v strace >/dev/null 2>&1 || missing+=(strace)
if [ "${#missing[@]}" -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Before any test runs: the layers hold (.importlinter: app_pages > export > prep > charts > i18n > loaders, no
# Streamlit below app_pages, no import cycles) and the linter passes (ruff.toml: pyflakes, import order, McCabe
# complexity at most 15).
lint-imports --no-cache
ruff check .
python -m pytest -q "$@"
