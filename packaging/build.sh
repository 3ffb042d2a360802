#!/usr/bin/env bash
# Configures (once) and builds the default preset: Release, Ninja, ccache, precompiled torch
# headers. Prints how long the build took.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

start=$(date +%s)
if [[ ! -f build/CMakeCache.txt ]]; then
  cmake --preset default
fi
cmake --build --preset default -j "$(nproc)"
echo "build: $(( $(date +%s) - start )) s"
