#!/usr/bin/env bash
# Builds every module and runs all tests (unit, gradient checks, fixture conformance,
# compile errors, end-to-end training).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
mvn -B -ntp install "$@"
