#!/usr/bin/env bash
# The nightly bulk run: processes one dated folder incrementally, so that a re-run (after a crash,
# or a second cron attempt) does only what is left.
set -euo pipefail

usage() {
  cat <<'TXT'
usage: submit/nightly.sh --input-root URI --output-root URI --ops CHAIN [options] [-- JOB-ARGS...]

Runs tilespark over <input-root>/YYYY/MM/DD/ (today, or --date) with --incremental --recursive,
writing <output-root>/YYYY/MM/DD/ and its manifest under <output-root>/YYYY/MM/DD/_tilespark/.

  --input-root URI    folder that holds YYYY/MM/DD/ folders (file:, abfss://, wasbs://, hdfs://)
  --output-root URI   where the dated output folders go
  --ops CHAIN         operators, e.g. filter or grey,blur:5
  --date YYYY-MM-DD   the day to process (default: today, local time)
  --master URL        Spark master (default: local[*]); any master when submit/submit.sh exists
  --conf k=v          a Spark setting (repeatable)
  -- JOB-ARGS         further job options, e.g. -- --max-failures 5% --format jpg

Runs through submit/submit.sh when it exists (any master, spark-submit), else submit/local.sh.
Exit codes are the job's: 0 all ok or skipped, 3 some images failed (within --max-failures),
1 the run failed, 2 usage error (also: the dated input folder does not exist).

example (cron, 02:30 every night):
  30 2 * * * /opt/tilespark/submit/nightly.sh --input-root abfss://in@acct.dfs.core.windows.net/uploads \
      --output-root abfss://out@acct.dfs.core.windows.net/processed --ops filter >> /var/log/tilespark.log 2>&1
TXT
}

here=$(cd "$(dirname "$0")" && pwd)
input_root="" output_root="" ops="" day="" master="local[*]"
confs=()
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --input-root|--output-root|--ops|--date|--master|--conf)
      [ $# -ge 2 ] || { echo "nightly.sh: $1 needs a value" >&2; exit 2; }
      case "$1" in
        --input-root) input_root="$2" ;;
        --output-root) output_root="$2" ;;
        --ops) ops="$2" ;;
        --date) day="$2" ;;
        --master) master="$2" ;;
        --conf) confs+=(--conf "$2") ;;
      esac
      shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "nightly.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if [ -z "$input_root" ] || [ -z "$output_root" ] || [ -z "$ops" ]; then
  echo "nightly.sh: --input-root, --output-root and --ops are required" >&2
  usage >&2
  exit 2
fi

if [ -z "$day" ]; then
  day=$(date +%Y-%m-%d)
fi
if ! [[ "$day" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || ! dated=$(date -d "$day" +%Y/%m/%d 2>/dev/null) \
   || [ "$(date -d "$day" +%Y-%m-%d)" != "$day" ]; then
  echo "nightly.sh: --date must be a real day as YYYY-MM-DD, got '$day'" >&2
  exit 2
fi

in_dir="${input_root%/}/$dated"
out_dir="${output_root%/}/$dated"
job=(--input "$in_dir" --output "$out_dir" --ops "$ops" --incremental --recursive ${extra[@]+"${extra[@]}"})

# TS_RUNNER replaces the launcher (tests use it to check the command without starting Spark).
if [ -n "${TS_RUNNER:-}" ]; then
  runner=("$TS_RUNNER" --master "$master" ${confs[@]+"${confs[@]}"} -- "${job[@]}")
elif [ -x "$here/submit.sh" ]; then
  runner=("$here/submit.sh" --master "$master" ${confs[@]+"${confs[@]}"} -- "${job[@]}")
else
  runner=("$here/local.sh" --master "$master" ${confs[@]+"${confs[@]}"} "${job[@]}")
fi

echo "nightly.sh: $(date -Is) processing $in_dir -> $out_dir" >&2
set +e
"${runner[@]}"
code=$?
set -e
echo "nightly.sh: $(date -Is) finished $dated with exit code $code" >&2
exit "$code"
