#!/usr/bin/env bash
# Takes the README's screenshot: the workbench training the default project under Xvfb, the
# window grabbed after SECONDS of training (loading the data and the first kNN pass included).
# Usage: bash packaging/screenshot.sh [FILE] [SECONDS]
#        (default packaging/screenshots/workbench-training.png, 150 s)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-packaging/screenshots/workbench-training.png}"
after="${2:-150}"

bash packaging/install-deps.sh
bash packaging/build.sh >/dev/null
mkdir -p "$(dirname "$out")"
xvfb-run -a -s "-screen 0 1600x1000x24" \
  build/app/workbench/crl-workbench --run --screenshot "$out" --screenshot-after "$after" \
  projects/simclr-fashion-mnist
echo "screenshot: $out"
