#!/usr/bin/env bash
# Builds every module and runs all tests (unit, gradient checks, fixture conformance, compile
# errors, end-to-end training, and kiln-it: user projects built with Maven from the starter
# parent, the BOM and the archetype); installs the artifacts in the local repository; and
# rehearses a release: deploys them to target/staging-deploy, a file repository, and checks it
# (scripts/check-release.sh). Arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
staging="$PWD/target/staging-deploy"
rm -rf "$staging"
# Deployed at the end of the build: a "clean" among the arguments would otherwise remove the
# root's target/ after the first modules had deployed into it.
mvn -B -ntp deploy -DaltDeploymentRepository="staging::file://$staging" -DdeployAtEnd=true "$@"
scripts/check-release.sh "$staging"
