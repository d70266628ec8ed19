#!/usr/bin/env bash
# The translation catalogues, with Babel's standard steps:
#   bash scripts/i18n.sh extract   # refresh locales/footprint.pot from the code, then update every .po from it
#   bash scripts/i18n.sh compile   # compile every .po into the .mo the app reads
# Translate in locales/<lang>/LC_MESSAGES/footprint.po (any PO editor), then compile and commit both files.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  extract)
    pybabel extract -F babel.cfg -k N_ -k tr --no-location --sort-output --omit-header --no-wrap -o locales/footprint.pot . 2>/dev/null
    for dir in locales/*/; do
      lang=$(basename "$dir")
      pybabel update -i locales/footprint.pot -d locales -D footprint -l "$lang" --no-fuzzy-matching --no-wrap \
        --ignore-obsolete 2>/dev/null
    done
    ;;
  compile)
    pybabel compile -d locales -D footprint --statistics
    ;;
  *) echo "usage: bash scripts/i18n.sh extract|compile" >&2; exit 2 ;;
esac
