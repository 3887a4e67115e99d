#!/usr/bin/env bash
# The ImageMagick contender for one image: one `convert` per image, JPEG q90 out. Run under GNU
# parallel -j2 with MAGICK_THREAD_LIMIT=1 (one thread per process, like the others). Calls
# /usr/bin/convert, the Debian package's binary, by its full path. Sigmas are OpenCV's for the
# kernel size; ImageMagick's -canny thresholds are percentages, here LO/255 and HI/255.
set -euo pipefail

usage() {
  echo "usage: im_one.sh IN.jpg OUT.jpg CHAIN QUALITY   (CHAIN: filter | grey | canny:LO:HI | median:7,blur:9,canny:LO:HI)" >&2
}
[ $# -eq 4 ] || { usage; exit 2; }
in=$1 out=$2 chain=$3 q=$4
im=/usr/bin/convert

canny_pct() {  # canny:LO:HI -> 0x0.5+LO%+HI% of 255
  local lo hi
  lo=$(echo "$1" | awk -F: '{print $(NF-1)}')
  hi=$(echo "$1" | awk -F: '{print $NF}')
  awk -v lo="$lo" -v hi="$hi" 'BEGIN { printf "0x0.5+%.1f%%+%.1f%%", lo * 100 / 255, hi * 100 / 255 }'
}

case "$chain" in
  filter) "$im" "$in" -gaussian-blur 5x1.1 -morphology Convolve '3x3: 0,-1,0 -1,5,-1 0,-1,0' -quality "$q" "$out" ;;
  grey) "$im" "$in" -colorspace Gray -quality "$q" "$out" ;;
  canny:*) "$im" "$in" -canny "$(canny_pct "$chain")" -quality "$q" "$out" ;;
  median:7,blur:9,canny:*)
    "$im" "$in" -statistic Median 7x7 -gaussian-blur 9x1.7 -canny "$(canny_pct "$chain")" -quality "$q" "$out" ;;
  *) echo "im_one.sh: no ImageMagick form for chain '$chain'" >&2; exit 2 ;;
esac
