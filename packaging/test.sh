#!/usr/bin/env bash
# Installs what is missing, builds, checks formatting and runs the whole test suite (Qt Test
# suites under CTest; widget tests offscreen). `.ci/run` calls exactly this.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash packaging/install-deps.sh
bash packaging/check-format.sh
bash packaging/build.sh
QT_QPA_PLATFORM=offscreen ctest --preset default -j "$(nproc)"
