#!/usr/bin/env bash
# Redraws the sample images with the project's own generator (seeded: same pictures every time).
# Files starting with '_' are skipped by the job's listing, so this script and _README.md are not inputs.
set -euo pipefail
usage() { echo "usage: sample-images/_generate.sh   (no arguments)"; }
[ $# -eq 0 ] || { usage >&2; exit 2; }
# shellcheck source=submit/common.sh
source "$(dirname "$0")/../submit/common.sh"
ts_build_if_needed
java -cp "$TS_JAR" io.tilespark.tools.SampleImages "$TS_ROOT/sample-images"
