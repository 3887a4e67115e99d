#!/usr/bin/env bash
# The libvips contender for one image: the chain as libvips CLI commands, intermediates in vips'
# own uncompressed .v format under a RAM-backed temporary folder, the result as JPEG q90.
# Run under GNU parallel -j2 with VIPS_CONCURRENCY=1 (one thread per process, like the others).
# Gaussian sigmas are OpenCV's for the kernel size (0.3*((K-1)/2-1)+0.8). libvips' canny is its
# own operator (gradient magnitude after non-maximum suppression, no hysteresis thresholds), so the
# canny chains are timed but not equivalent.
set -euo pipefail

usage() {
  echo "usage: vips_one.sh IN.jpg OUT.jpg CHAIN QUALITY   (CHAIN: filter | grey | canny:LO:HI | median:7,blur:9,canny:LO:HI)" >&2
}
[ $# -eq 4 ] || { usage; exit 2; }
in=$1 out=$2 chain=$3 q=$4
tmp=$(mktemp -d "${TMPDIR:-/dev/shm}/vips-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

case "$chain" in
  filter)
    printf '3 3 1 0\n0 -1 0\n-1 5 -1\n0 -1 0\n' > "$tmp/sharpen.mat"
    vips gaussblur "$in" "$tmp/a.v" 1.1 --precision integer
    vips conv "$tmp/a.v" "${out}[Q=${q}]" "$tmp/sharpen.mat" --precision integer ;;
  grey)
    vips colourspace "$in" "${out}[Q=${q}]" b-w ;;
  canny:*)
    vips canny "$in" "$tmp/a.v" --sigma 0.8 --precision integer
    vips cast "$tmp/a.v" "${out}[Q=${q}]" uchar ;;
  median:7,blur:9,canny:*)
    vips rank "$in" "$tmp/a.v" 7 7 24
    vips gaussblur "$tmp/a.v" "$tmp/b.v" 1.7 --precision integer
    vips canny "$tmp/b.v" "$tmp/c.v" --sigma 0.8 --precision integer
    vips cast "$tmp/c.v" "${out}[Q=${q}]" uchar ;;
  *) echo "vips_one.sh: no libvips form for chain '$chain'" >&2; exit 2 ;;
esac
