#!/bin/sh
# Build the EU act files into a copy of data/, validate the copy, and only then copy the
# generated files into data/acts/EU (data/ must always validate: others depend on it).
set -e
cd "$(dirname "$0")/../../../../.."
rm -rf /tmp/sanctionscope-eu-check && cp -r data /tmp/sanctionscope-eu-check
.venv/bin/python -m sanctionscope.importers.eu_annex build --out /tmp/sanctionscope-eu-check/acts/EU
.venv/bin/sanctionscope validate /tmp/sanctionscope-eu-check > /tmp/sanctionscope-eu-check.log 2>&1 || true
before=$(.venv/bin/sanctionscope validate data 2>&1 | grep -c "problem" || true)
if grep -q "^[^ ]*acts/EU/EU-REG-202[2-3]-" /tmp/sanctionscope-eu-check.log; then
  grep "^[^ ]*acts/EU/EU-REG-202[2-3]-" /tmp/sanctionscope-eu-check.log | head -30
  tail -1 /tmp/sanctionscope-eu-check.log
  echo "NOT copied"; exit 1
fi
.venv/bin/python -m sanctionscope.importers.eu_annex build
tail -1 /tmp/sanctionscope-eu-check.log
