#!/usr/bin/env bash
# Benchmarks, each measured side by side with its peer in one run, printed as a markdown table:
#   training throughput  crl train vs a torchvision/DataLoader SimCLR script (same model, batch,
#                        augmentations, optimiser and thread count; Debian's python3-torch 1.13,
#                        the same ATen as our libtorch)
#   GUI stall            the workbench's event loop while it trains (p50/p99 of timer lateness)
#   kNN baseline         the raw-pixel kNN the default project must beat
# Python: Debian's /usr/bin/python3 (the packages above), whatever python3 comes first on PATH.
# Usage: bash tests/benchmarks/run-benchmarks.sh [SAMPLES]   (default 10240 training images)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
samples="${1:-10240}"
threads="$(nproc)"
project=projects/simclr-fashion-mnist/simclr-fashion-mnist.crl.json
# The peer trains with the default project's batch size, whatever the project file says today.
batch="$(python3 -c "import json;print(json.load(open('$project'))['run']['batch_size'])")"

bash packaging/install-deps.sh
mapfile -t extra < <(grep -vE '^\s*(#|$)' packaging/debian-packages-bench.txt)
missing=()
for pkg in "${extra[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo_cmd=(); ((EUID == 0)) || sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
bash packaging/build.sh >/dev/null

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# Training throughput, ours then the peer's, alternated twice to even out machine noise.
ours=() peer=()
for round in 1 2; do
  build/app/cli/crl train projects/simclr-fashion-mnist --epochs 1 --max-samples "$samples" \
    --threads "$threads" --device cpu --out "$out/run$round" --quiet >/dev/null
  ours+=("$(python3 -c "import json;print(json.load(open('$out/run$round/summary.json'))['views_per_s'])")")
  peer+=("$(/usr/bin/python3 tests/benchmarks/peer_simclr.py --samples "$samples" --threads "$threads" \
            --workers "$threads" --batch-size "$batch" | python3 -c "import json,sys;print(json.loads(sys.stdin.read())['views_per_s'])")")
done
best() { printf '%s\n' "$@" | sort -g | tail -1; }
o="$(best "${ours[@]}")"; p="$(best "${peer[@]}")"
pixel="$(build/tests/benchmarks/crl_bench_pixel_knn | sed -E 's/.*: ([0-9.]+) .*/\1/')"

echo
echo "| benchmark | CRL Workbench | peer | ratio |"
echo "|---|---|---|---|"
printf '| training views/s (CPU, %s threads, batch %s, %s images, best of 2) | %.0f | %.0f (torchvision + DataLoader) | %.2fx |\n' \
  "$threads" "$batch" "$samples" "$o" "$p" "$(python3 -c "print($o/$p)")"
QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" build/tests/benchmarks/crl_bench_gui_stall "$samples" 2>/dev/null
printf '| raw-pixel kNN top-1 (k=20, T=0.07) | - | %s | - |\n' "$pixel"
