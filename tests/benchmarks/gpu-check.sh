#!/usr/bin/env bash
# The GPU check: on a machine with an NVIDIA GPU and PyTorch's CUDA-enabled libtorch (no Qt, no
# OpenCV needed), builds core and the CLI with the `headless` preset against the libtorch inside
# the torch package, then prints
#   1. training throughput: one epoch of the default project on the GPU (views/s),
#   2. the default project trained for at most GPU_CHECK_SECONDS (default 240) of wall time,
#      kNN top-1 of each epoch against wall time,
#   3. the device's utilisation and memory while training (nvidia-smi, once a second).
# Everything fits in about 8 minutes. Fashion-MNIST comes from CRL_FASHION_MNIST_DIR (a copy of
# Debian's /usr/share/datasets/fashion-mnist where the package is not installed).
# Usage: CRL_FASHION_MNIST_DIR=DIR bash tests/benchmarks/gpu-check.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
budget="${GPU_CHECK_SECONDS:-240}"

data="${CRL_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
if [[ ! -f "$data/train-images-idx3-ubyte.gz" ]]; then
  echo "gpu-check: no Fashion-MNIST in $data; set CRL_FASHION_MNIST_DIR to a copy of Debian's" \
       "/usr/share/datasets/fashion-mnist" >&2
  exit 2
fi
export CRL_FASHION_MNIST_DIR="$data"
command -v nvidia-smi >/dev/null || { echo "gpu-check: nvidia-smi not found; is this a GPU machine?" >&2; exit 2; }

torch_dir="$(python3 -c 'import os, torch; print(os.path.join(torch.utils.cmake_prefix_path, "Torch"))')"
start=$(date +%s)
cmake --preset headless -DTorch_DIR="$torch_dir" >/dev/null
cmake --build --preset headless -j "$(nproc)"
echo "gpu-check: build $(( $(date +%s) - start )) s"
crl=build-headless/app/cli/crl

out="$(mktemp -d)"
nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader,nounits -l 1 \
  >"$out/utilisation.csv" &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT

"$crl" train projects/simclr-fashion-mnist --device cuda --epochs 1 --out "$out/throughput" --quiet
# SIGINT is the trainer's Stop: it ends after the current step and keeps a checkpoint.
timeout -s INT "$budget" "$crl" train projects/simclr-fashion-mnist --device cuda \
  --out "$out/default" --quiet || true
kill "$sampler" 2>/dev/null || true

python3 - "$out" <<'EOF'
import json, sys
out = sys.argv[1]
summary = json.load(open(f"{out}/throughput/summary.json"))
print(f"\n| GPU check | value |\n|---|---|")
print(f"| training views/s (1 epoch, 60k images, {summary['device']}) | {summary['views_per_s']:.0f} |")
rows = [l.split(",") for l in open(f"{out}/utilisation.csv") if "," in l]
busy = [float(r[0]) for r in rows if r[0].strip().replace(".", "").isdigit()]
if busy:
    print(f"| device utilisation while training (mean / max, %) | {sum(busy) / len(busy):.0f} / {max(busy):.0f} |")
    print(f"| device memory used (max, MiB) | {max(float(r[1]) for r in rows):.0f} |")
for line in open(f"{out}/default/metrics.jsonl"):
    event = json.loads(line)
    if event.get("event") == "epoch" and "knn_top1" in event:
        print(f"| kNN top-1 after epoch {event['epoch']} at {event.get('seconds', 0):.0f} s | {event['knn_top1']:.4f} |")
EOF
