#!/usr/bin/env bash
# Runs the job in Spark local mode on the Maven build's own Spark jars: no Spark install needed.
set -euo pipefail

usage() {
  cat <<'TXT'
usage: submit/local.sh [--master local[N]] [--conf key=value]... JOB-ARGS

Runs tilespark in local mode, like spark-submit would, on Spark's jars from the Maven build.
Builds the jar first if it is missing or older than the sources.

  --master M        Spark master (default: local[*])
  --conf k=v        any Spark setting, passed to Spark as spark-submit does (repeatable)
  --properties-file F  Spark settings from a file (key value per line): keeps secrets off argv
  JOB-ARGS          the job's own arguments: --input URI --output URI --ops CHAIN ...
                    (run with --help for the full list and the operators)

environment:
  TS_DRIVER_OPTS    extra JVM options for the driver (in local mode also the executor)
  TS_CDS=off        no class-data-sharing archive (by default the first run records one under
                    target/cds/ and later runs start from it: see submit/common.sh)

example:
  submit/local.sh --input sample-images --output out --ops filter
TXT
}

# shellcheck source=submit/common.sh
source "$(dirname "$0")/common.sh"

master="local[*]"
confs=()
job=()
while [ $# -gt 0 ]; do
  case "$1" in
    --conf) [ $# -ge 2 ] || { echo "local.sh: --conf needs key=value" >&2; exit 2; }
            confs+=(--conf "$2"); shift 2 ;;
    --conf=*) confs+=(--conf "${1#--conf=}"); shift ;;
    --properties-file) [ $# -ge 2 ] || { echo "local.sh: --properties-file needs a file" >&2; exit 2; }
                       confs+=(--properties-file "$2"); shift 2 ;;
    --master) [ $# -ge 2 ] || { echo "local.sh: --master needs a URL" >&2; exit 2; }
              master="$2"; shift 2 ;;
    --master=*) master="${1#--master=}"; shift ;;
    -h|--usage) usage; exit 0 ;;
    *) job+=("$1"); shift ;;
  esac
done
if [ ${#job[@]} -eq 0 ]; then
  usage >&2
  exit 2
fi

ts_build_if_needed
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"
log_conf="$TS_ROOT/submit/log4j2.properties"
ts_cds_flags
exec java "${TS_JAVA_FLAGS[@]}" "${TS_LOCAL_JVM_FLAGS[@]}" ${TS_CDS_FLAGS[@]+"${TS_CDS_FLAGS[@]}"} ${TS_DRIVER_OPTS:-} \
  -Dlog4j2.configurationFile="$log_conf" \
  -cp "$TS_SPARK_JARS/*" org.apache.spark.deploy.SparkSubmit \
  --master "$master" --conf spark.ui.showConsoleProgress=false ${confs[@]+"${confs[@]}"} \
  --class io.tilespark.Main "$TS_JAR" "${job[@]}"
