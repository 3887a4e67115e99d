#!/usr/bin/env bash
# Regenerates docs/operators.md and docs/images/ops/*.jpg from the operator registry.
set -euo pipefail
usage() { echo "usage: docs/generate-operators.sh   (no arguments; run from anywhere)"; }
[ $# -eq 0 ] || { usage >&2; exit 2; }
# shellcheck source=submit/common.sh
source "$(dirname "$0")/../submit/common.sh"
ts_build_if_needed
java -cp "$TS_JAR" io.tilespark.tools.OperatorDocs "$TS_ROOT/sample-images/harbour-3000x2000.jpg" "$TS_ROOT/docs"
