#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install what is missing, build, and run the
# default project — in the workbench GUI when there is a display, else with the headless
# trainer (progress on the terminal, final metrics at the end). Extra arguments go to the
# program, e.g. `bash packaging/run.sh --epochs 1 --max-samples 5000` without a display.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash packaging/install-deps.sh
bash packaging/build.sh

project="projects/simclr-fashion-mnist"
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  exec build/app/workbench/crl-workbench "$project" "$@"
fi
echo "no display: training $project with the headless trainer (build/app/cli/crl train)"
exec build/app/cli/crl train "$project" "$@"
