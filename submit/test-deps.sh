#!/usr/bin/env bash
# Installs what the test suite needs beyond JDK 17 and Maven, then returns. Safe to rerun.
#   - Azurite (the Azure Storage emulator), pinned in test-tools/package.json, via npm;
#   - headless Chromium, to render report.html;
#   - Debian's opencv-data (real Haar cascades) and python3-skimage (real photos with faces),
#     which the analysis tests read where Debian installs them; the repository bundles neither.
set -euo pipefail
usage() { echo "usage: submit/test-deps.sh   (no arguments; apt-get needs root)"; }
[ $# -eq 0 ] || { usage >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s opencv-data >/dev/null 2>&1 || missing+=(opencv-data)
dpkg -s python3-skimage >/dev/null 2>&1 || missing+=(python3-skimage)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-deps: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
npm ci --prefix "$root/test-tools" --no-audit --no-fund --loglevel=error
