#!/usr/bin/env bash
# Runs the job in Spark local mode on the Maven build's own Spark jars: no Spark install needed.
#
# With a local master (local, local[N], local[N,F], local[*]) Spark runs inside the driver's JVM,
# so the driver is started directly: java -cp JAR:SPARK_JARS io.tilespark.Main, which reads
# --master, --conf and --properties-file as spark-submit would. That skips spark-submit's argument
# handling and the copy of the jar that the in-process executor would fetch: about 0.4 s and
# 0.7 CPU-s less per run with the class-data archive, a second or more without (docs/benchmarks.md).
# spark-submit (Spark's SparkSubmit class, on the same jars) still starts the driver for any other
# master (spark://..., local-cluster[...]), and whenever there is a spark-defaults.conf that it
# would read and Main would not: $SPARK_CONF_DIR/spark-defaults.conf, or
# $SPARK_HOME/conf/spark-defaults.conf when SPARK_CONF_DIR is unset.
set -euo pipefail

usage() {
  cat <<'TXT'
usage: submit/local.sh [--master local[N]] [--conf key=value]... [--properties-file F] JOB-ARGS

Runs tilespark in local mode, like spark-submit would, on Spark's jars from the Maven build.
Builds the jar first if it is missing or older than the sources.

  --master M        Spark master (default: local[*])
  --conf k=v        any Spark setting, passed to Spark as spark-submit does (repeatable)
  --properties-file F  Spark settings from a file (key value per line): keeps secrets off argv;
                    --conf overrides it
  JOB-ARGS          the job's own arguments: --input URI --output URI --ops CHAIN ...
                    (run with --help for the full list and the operators)

With a local master the driver starts straight from the jar, without spark-submit (a little
faster). Any other master goes through spark-submit, and so does every run while a
spark-defaults.conf exists in $SPARK_CONF_DIR (or, with SPARK_CONF_DIR unset, in
$SPARK_HOME/conf): spark-submit reads that file, the direct start would not.

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
props=""
job=()
while [ $# -gt 0 ]; do
  case "$1" in
    --conf) [ $# -ge 2 ] || { echo "local.sh: --conf needs key=value" >&2; exit 2; }
            confs+=(--conf "$2"); shift 2 ;;
    --conf=*) confs+=(--conf "${1#--conf=}"); shift ;;
    --properties-file) [ $# -ge 2 ] || { echo "local.sh: --properties-file needs a file" >&2; exit 2; }
                       props="$2"; shift 2 ;;
    --properties-file=*) props="${1#--properties-file=}"; shift ;;
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

if [ -n "$props" ]; then
  # The last one wins, as with spark-submit. Checked here so that both launches fail alike.
  if [ ! -f "$props" ] || [ ! -r "$props" ]; then
    echo "local.sh: cannot read the properties file $props" >&2
    exit 2
  fi
  confs+=(--properties-file "$props")
fi

ts_build_if_needed
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"
log_conf="$TS_ROOT/submit/log4j2.properties"

# The spark-defaults.conf spark-submit would read (Spark's Utils.getDefaultPropertiesFile).
if [ -n "${SPARK_CONF_DIR+set}" ]; then
  spark_defaults="$SPARK_CONF_DIR/spark-defaults.conf"
elif [ -n "${SPARK_HOME+set}" ]; then
  spark_defaults="$SPARK_HOME/conf/spark-defaults.conf"
else
  spark_defaults=""
fi
if [[ "$master" =~ ^local(\[([0-9]+|\*)([[:space:]]*,[[:space:]]*[0-9]+)?\])?$ ]] \
   && { [ -z "$spark_defaults" ] || [ ! -f "$spark_defaults" ]; }; then
  classpath="$TS_JAR:$TS_SPARK_JARS/*"
  launch=(io.tilespark.Main --master "$master" ${confs[@]+"${confs[@]}"})
else
  classpath="$TS_SPARK_JARS/*"
  launch=(org.apache.spark.deploy.SparkSubmit
    --master "$master" --conf spark.ui.showConsoleProgress=false ${confs[@]+"${confs[@]}"}
    --class io.tilespark.Main "$TS_JAR")
fi
ts_cds_flags "$classpath"
exec java "${TS_JAVA_FLAGS[@]}" "${TS_LOCAL_JVM_FLAGS[@]}" ${TS_CDS_FLAGS[@]+"${TS_CDS_FLAGS[@]}"} ${TS_DRIVER_OPTS:-} \
  -Dlog4j2.configurationFile="$log_conf" \
  -cp "$classpath" "${launch[@]}" "${job[@]}"
