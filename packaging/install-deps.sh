#!/usr/bin/env bash
# Installs whatever Debian packages from packaging/debian-packages.txt are missing.
# Idempotent: with everything present it only checks and returns.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mapfile -t wanted < <(grep -vE '^\s*(#|$)' "$here/debian-packages.txt")

missing=()
for pkg in "${wanted[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#wanted[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
sudo_cmd=()
if ((EUID != 0)); then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"

# Debian's libtorch runs on whichever BLAS alternative is selected; reference BLAS is ~50x
# slower than OpenBLAS, so prefer the pthread OpenBLAS build when both are installed.
for lib in libblas.so.3 liblapack.so.3; do
  alt="/usr/lib/x86_64-linux-gnu/openblas-pthread/${lib}"
  if [[ -e "$alt" ]]; then
    "${sudo_cmd[@]}" update-alternatives --set "${lib}-x86_64-linux-gnu" "$alt" >/dev/null || true
  fi
done
