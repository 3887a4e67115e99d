#!/usr/bin/env bash
# The benchmark: the Spark job against a plain 2-thread Java/OpenCV loop and, where installed,
# python3-opencv, the libvips CLI and ImageMagick, on the same generated JPEGs and chains.
# See bench/README.md for what each part measures and docs/benchmarks.md for results.
set -euo pipefail

usage() {
  cat <<'TXT'
usage: bench/run.sh [--quick] [--repeat N] [--parts LIST] [--chains LIST] [--contenders LIST]
                    [--master spark://HOST:PORT] [--results DIR] [--profile] [--before DIR]

Generates the corpus under bench/corpus/ (kept between runs), runs every contender and writes
bench/results/<time>/{results.jsonl,summary.md,plot.png,machine.txt}.

  --quick          16 images (not 120), a 50 MP image (not 200 MP), fewer images for the slow tools
  --repeat N       run each measurement N times back to back and keep the fastest (default 1)
  --parts LIST     comma-separated, any of: many,huge,memory (default: all three)
                     many    the many-images corpus, every chain, every contender (targets 1)
                     huge    one huge image, heavy chain, standalone cluster, 1 then 2 executors (target 2)
                     memory  driver heap with 10x more images; executor RSS on the huge image (target 3)
  --chains LIST    ';'-separated chains for "many" (default: filter;grey;canny:50:150;median:7,blur:9,canny:50:150)
  --contenders L   comma-separated, any of: spark,before,plain,python,vips,magick (default: all that
                   are installed, "before" only with --before)
  --master URL     use this standalone cluster for "huge" and "memory" (it needs >= 2 free cores);
                   default: start one here (bench/lib/cluster.sh) and stop it at the end
  --results DIR    where to write (default: bench/results/<yyyymmdd-hhmmss>)
  --profile        also write Spark event logs for the Spark runs, and per-phase times from them
  --before DIR     another built checkout (e.g. an older commit): its submit/local.sh runs as the
                   contender "before", next to this one's, for before/after numbers
TXT
}

bench=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$bench")
# shellcheck source=submit/common.sh
source "$root/submit/common.sh"

quick=0 repeat=1 parts="many,huge,memory" master="" results="" profile=0 before=""
chains="filter;grey;canny:50:150;median:7,blur:9,canny:50:150"
contenders="spark,plain,python,vips,magick"
contenders_given=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --repeat) [ $# -ge 2 ] || { usage >&2; exit 2; }; repeat=$2; shift 2 ;;
    --parts) [ $# -ge 2 ] || { usage >&2; exit 2; }; parts=$2; shift 2 ;;
    --chains) [ $# -ge 2 ] || { usage >&2; exit 2; }; chains=$2; shift 2 ;;
    --contenders) [ $# -ge 2 ] || { usage >&2; exit 2; }; contenders=$2; contenders_given=1; shift 2 ;;
    --master) [ $# -ge 2 ] || { usage >&2; exit 2; }; master=$2; shift 2 ;;
    --results) [ $# -ge 2 ] || { usage >&2; exit 2; }; results=$2; shift 2 ;;
    --profile) profile=1; shift ;;
    --before) [ $# -ge 2 ] || { usage >&2; exit 2; }; before=$(cd "$2" && pwd); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if [ -n "$before" ] && [ "$contenders_given" = 0 ]; then
  contenders="spark,before,plain,python,vips,magick"
fi
case "$repeat" in ''|*[!0-9]*|0) echo "bench/run.sh: --repeat needs a positive number, got '$repeat'" >&2; exit 2 ;; esac

# Corpus sizes. The slow tools get a subset of the same files: ImageMagick needs seconds per
# 12 MP image where the others need a fraction of one.
if [ "$quick" = 1 ]; then
  many=16 heavy=8 slow=8 magick_n=4 huge_w=8192 huge_h=6144 tiny_few=50 tiny_many=500
else
  many=120 heavy=40 slow=24 magick_n=8 huge_w=16384 huge_h=12288 tiny_few=100 tiny_many=1000
fi
width=4000 height=3000
heavy_chain="median:7,blur:9,canny:50:150"
has() { case ",$1," in *",$2,"*) return 0 ;; *) return 1 ;; esac; }

results=${results:-"$bench/results/$(date +%Y%m%d-%H%M%S)"}
mkdir -p "$results/logs"
results=$(cd "$results" && pwd)  # absolute: Spark's event-log URI needs it
out_root="$results/out"
jsonl="$results/results.jsonl"
measure=("$bench/lib/measure.py")
cluster_state="$results/cluster"
started_cluster=0

cleanup() {
  if [ "$started_cluster" = 1 ]; then
    "$bench/lib/cluster.sh" stop "$cluster_state" || true
  fi
  rm -rf "$out_root"
}
trap cleanup EXIT

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

# ---- build and corpus --------------------------------------------------------------------
ts_build_if_needed
java_cp=(java -cp "$TS_JAR")
corpus="$bench/corpus"
log "corpus: $many images of ${width}x${height}, one of ${huge_w}x${huge_h} (generated once, kept in $corpus)"
"${java_cp[@]}" io.tilespark.bench.Corpus "$corpus/many" "$many" "$width" "$height" >&2
# A set of the first N images, as hard links, so that every contender lists exactly those files.
set_of() {  # set_of N -> prints the folder
  local n=$1
  local dir="$corpus/sets/many-$n"
  if [ ! -d "$dir" ] || [ "$(find "$dir" -name '*.jpg' | wc -l)" != "$n" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    find "$corpus/many" -maxdepth 1 -name "img-*-${width}x${height}.jpg" | sort | awk -v n="$n" 'NR <= n' \
      | while read -r f; do ln -f "$f" "$dir/"; done
  fi
  echo "$dir"
}
megapixels() {  # megapixels N W H
  awk -v n="$1" -v w="$2" -v h="$3" 'BEGIN { printf "%.3f", n * w * h / 1e6 }'
}

# ---- machine facts -----------------------------------------------------------------------
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "git: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "cores: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "kernel: $(uname -r)"
  echo "jvm: $(java -version 2>&1 | sed -n 2p)"
  echo "opencv (job, plain loop): $("${java_cp[@]}" io.tilespark.bench.OpenCvInfo 2>/dev/null || echo unknown)"
  echo "python3-opencv: $(/usr/bin/python3 -c 'import cv2; print(cv2.__version__)' 2>/dev/null || echo 'not installed')"
  echo "libvips: $(vips --version 2>/dev/null || echo 'not installed')"
  echo "imagemagick: $(/usr/bin/convert -version 2>/dev/null | head -1 || echo 'not installed')"
  echo "gnu parallel: $(parallel --version 2>/dev/null | head -1 || echo 'not installed')"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "top processes before:"
  # Program names only: another process's arguments may hold anything, credentials included.
  ps -eo pid,pcpu,pmem,rss,comm --sort=-pcpu | head -6
} > "$results/machine.txt"
log "machine: $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg); facts in $results/machine.txt"

# Which contenders can run here.
runnable=""
for c in ${contenders//,/ }; do
  case "$c" in
    spark|plain) ok=1 ;;
    before) [ -n "$before" ] && [ -x "$before/submit/local.sh" ] && ok=1 || ok=0 ;;
    python) /usr/bin/python3 -c 'import cv2' 2>/dev/null && ok=1 || ok=0 ;;
    vips) command -v vips >/dev/null && command -v parallel >/dev/null && ok=1 || ok=0 ;;
    magick) [ -x /usr/bin/convert ] && command -v parallel >/dev/null && ok=1 || ok=0 ;;
    *) echo "bench/run.sh: unknown contender '$c'" >&2; exit 2 ;;
  esac
  if [ "$ok" = 1 ]; then runnable="$runnable,$c"; else log "skipping $c: not installed"; fi
done
runnable=${runnable#,}

# ---- one measurement ---------------------------------------------------------------------
# measure LABEL MP [measure.py options...] -- COMMAND...: appends one JSON line, prints a summary.
measure() {
  local label=$1 mp=$2
  shift 2
  local logf="$results/logs/${label//[^A-Za-z0-9_.-]/_}.log"
  if ! "${measure[@]}" --label "$label" --mp "$mp" --out "$jsonl" "$@" >> "$logf" 2>&1; then
    log "FAILED: $label (see $logf)"
    return 1
  fi
  log "$(tail -1 "$jsonl" | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print("%-48s %7.2f s %7.1f MP/s  peak RSS %6.0f MB (tree %6.0f MB)" % (r["label"], r["wall_s"], r.get("mp_per_s", 0), r["max_single_rss_mb"], r["peak_tree_rss_mb"]))')"
}

spark_conf=()
if [ "$profile" = 1 ]; then
  mkdir -p "$results/events"
  # One plain JSON file per application (Spark 4 otherwise rolls and zstd-compresses event logs).
  spark_conf=(--conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=file:$results/events"
    --conf spark.eventLog.compress=false --conf spark.eventLog.rolling.enabled=false)
fi

run_contender() {  # run_contender NAME CHAIN SET_DIR N
  local c=$1 chain=$2 set=$3 n=$4 out="$out_root/$1"
  local mp
  mp=$(megapixels "$n" "$width" "$height")
  rm -rf "$out" && mkdir -p "$out"
  local label="many/$chain/$c/n=$n"
  case "$c" in
    spark) measure "$label" "$mp" -- "$root/submit/local.sh" --master 'local[2]' ${spark_conf[@]+"${spark_conf[@]}"} \
             --input "$set" --output "$out" --ops "$chain" --quiet ;;
    before) measure "$label" "$mp" -- "$before/submit/local.sh" --master 'local[2]' \
              --input "$set" --output "$out" --ops "$chain" --quiet ;;
    plain) measure "$label" "$mp" -- java -cp "$TS_JAR" io.tilespark.bench.PlainLoop \
             --input "$set" --output "$out" --ops "$chain" --threads 2 ;;
    python) measure "$label" "$mp" -- /usr/bin/python3 "$bench/contenders/cv_loop.py" "$set" "$out" "$chain" 2 90 ;;
    vips) measure "$label" "$mp" -- env VIPS_CONCURRENCY=1 TMPDIR=/dev/shm parallel -j2 --halt now,fail=1 \
            "$bench/contenders/vips_one.sh" {} "$out/{/}" "$chain" 90 ::: "$set"/*.jpg ;;
    magick) measure "$label" "$mp" -- env MAGICK_THREAD_LIMIT=1 parallel -j2 --halt now,fail=1 \
              "$bench/contenders/im_one.sh" {} "$out/{/}" "$chain" 90 ::: "$set"/*.jpg ;;
  esac
}

# Spark and the plain loop run the same operators through the same codec, so their outputs must
# be byte-identical; a difference means they did different work.
compare_outputs() {  # compare_outputs CHAIN N
  local a="$out_root/spark" b="$out_root/plain" same=0 total=0
  [ -d "$a" ] && [ -d "$b" ] || return 0
  for f in "$b"/*; do
    total=$((total + 1))
    cmp -s "$f" "$a/$(basename "$f")" && same=$((same + 1))
  done
  echo "{\"label\": \"check/$1/n=$2\", \"identical\": $same, \"total\": $total}" >> "$jsonl"
  log "spark vs plain outputs for $1: $same of $total byte-identical"
}

# The first driver started after a build records its class-data archive (submit/common.sh),
# seconds of extra work at exit. warm_up MASTER starts one untimed run on two images first, so
# that no timed run pays for it (local masters and spark:// start differently: one archive each).
warm_up() {
  local out="$out_root/warm-up"
  rm -rf "$out"
  if "$root/submit/local.sh" --master "$1" --conf spark.cores.max=1 --input "$(set_of 2)" --output "$out" \
      --ops grey --quiet >> "$results/logs/warm-up.log" 2>&1; then
    log "warm-up run on $1 done (untimed)"
  else
    log "warm-up run on $1 failed (see $results/logs/warm-up.log)"
  fi
  rm -rf "$out"
}

# ---- part 1: many images -----------------------------------------------------------------
if has "$parts" many; then
  case ",$runnable," in *,spark,*) warm_up 'local[2]' ;; esac
  IFS=';' read -r -a chain_list <<< "$chains"
  for chain in "${chain_list[@]}"; do
    n=$many
    [ "$chain" = "$heavy_chain" ] && n=$heavy
    for c in ${runnable//,/ }; do
      cn=$n
      case "$c" in
        vips) cn=$(( slow < n ? slow : n )) ;;
        magick) cn=$(( magick_n < n ? magick_n : n )) ;;
      esac
      # ImageMagick's -canny takes minutes per 12 MP image (0.07 MP/s in a trial): not run.
      if [ "$c" = magick ] && [ "${chain#*canny}" != "$chain" ]; then
        log "skipping magick for $chain: its -canny needs minutes per image"
        continue
      fi
      set=$(set_of "$cn")
      for _ in $(seq 1 "$repeat"); do
        run_contender "$c" "$chain" "$set" "$cn" || true
      done
      if [ "$c" != spark ] && [ "$c" != plain ]; then rm -rf "${out_root:?}/$c"; fi
    done
    compare_outputs "$chain" "$n"
    rm -rf "$out_root"
  done
fi

# ---- parts 2 and 3: standalone cluster ----------------------------------------------------
start_cluster() {
  if [ -n "$master" ]; then return 0; fi
  master=$("$bench/lib/cluster.sh" start "$cluster_state" --workers 2 --cores 1 --memory 6g)
  started_cluster=1
  log "started standalone cluster $master (pids in $cluster_state/pids)"
}
watch_args() {  # the workers' trees, so executor RSS is sampled
  [ "$started_cluster" = 1 ] || return 0
  local i=0
  while read -r pid; do
    i=$((i + 1))
    [ $i -gt 1 ] && printf -- '--watch %s ' "$pid"
  done < "$cluster_state/pids"
}
on_cluster() {  # on_cluster LABEL MP CORES [measure options] -- JOB ARGS
  local label=$1 mp=$2 cores=$3
  shift 3
  local opts=()
  while [ "$1" != "--" ]; do opts+=("$1"); shift; done
  shift
  # Event logs always: the report takes the image job's own duration from them.
  mkdir -p "$results/events"
  # shellcheck disable=SC2046
  measure "$label" "$mp" ${opts[@]+"${opts[@]}"} $(watch_args) -- "$root/submit/local.sh" --master "$master" \
    --conf spark.cores.max="$cores" --conf spark.executor.cores=1 --conf spark.executor.memory=3g \
    --conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=file:$results/events" \
    --conf spark.eventLog.compress=false --conf spark.eventLog.rolling.enabled=false "$@"
}

if has "$parts" huge || has "$parts" memory; then
  start_cluster
  warm_up "$master"
  "${java_cp[@]}" io.tilespark.bench.Corpus "$corpus/huge" 1 "$huge_w" "$huge_h" --prefix huge --threads 1 >&2
  huge_file=$(find "$corpus/huge" -name "huge-000-${huge_w}x${huge_h}.jpg")
  huge_dir="$corpus/sets/huge-${huge_w}x${huge_h}"
  mkdir -p "$huge_dir" && ln -f "$huge_file" "$huge_dir/"
  huge_mp=$(megapixels 1 "$huge_w" "$huge_h")
fi

if has "$parts" huge; then
  for _ in $(seq 1 "$repeat"); do
    for cores in 1 2; do
      rm -rf "$out_root/huge-$cores"
      on_cluster "huge/$heavy_chain/spark-cluster/executors=$cores" "$huge_mp" "$cores" -- \
        --input "$huge_dir" --output "$out_root/huge-$cores" --ops "$heavy_chain" --quiet || true
    done
    rm -rf "$out_root/huge-plain"
    measure "huge/$heavy_chain/plain/threads=1" "$huge_mp" -- java -cp "$TS_JAR" io.tilespark.bench.PlainLoop \
      --input "$huge_dir" --output "$out_root/huge-plain" --ops "$heavy_chain" --threads 1 || true
  done
  for cores in 1 2; do
    f="$out_root/huge-$cores/$(basename "$huge_file")"
    if [ -f "$f" ] && cmp -s "$f" "$out_root/huge-plain/$(basename "$huge_file")"; then same=1; else same=0; fi
    echo "{\"label\": \"check/huge/executors=$cores\", \"identical\": $same, \"total\": 1}" >> "$jsonl"
    log "huge image, $cores executor(s): tiled result byte-identical to the whole-image loop: $same"
  done
  rm -rf "$out_root"
fi

if has "$parts" memory; then
  "${java_cp[@]}" io.tilespark.bench.Corpus "$corpus/tiny" "$tiny_many" 640 480 --prefix tiny >&2
  for n in "$tiny_few" "$tiny_many"; do
    dir="$corpus/sets/tiny-$n"
    if [ ! -d "$dir" ] || [ "$(find "$dir" -name '*.jpg' | wc -l)" != "$n" ]; then
      rm -rf "$dir" && mkdir -p "$dir"
      find "$corpus/tiny" -maxdepth 1 -name 'tiny-*.jpg' | sort | awk -v n="$n" 'NR <= n' | while read -r f; do ln -f "$f" "$dir/"; done
    fi
    rm -rf "$out_root/tiny"
    on_cluster "memory/grey/driver-heap/images=$n" "$(megapixels "$n" 640 480)" 2 --heap -- \
      --input "$dir" --output "$out_root/tiny" --ops grey --quiet || true
  done
  rm -rf "$out_root"
fi

# ---- summary -----------------------------------------------------------------------------
/usr/bin/python3 "$bench/lib/report.py" "$results" >&2 || log "report failed (results are in $jsonl)"
if [ "$profile" = 1 ] && [ -d "$results/events" ]; then
  /usr/bin/python3 "$bench/lib/phases.py" "$results" >&2 || true
fi
log "done: $results/summary.md"
