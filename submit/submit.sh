#!/usr/bin/env bash
# Submits the tilespark jar to any Spark master: a standalone cluster (spark://...), YARN, or
# local[N]. Uses a real Spark install's bin/spark-submit when SPARK_HOME has one, otherwise the
# Maven build's own Spark jars. Event logs go, by default, where submit/cluster.sh's History
# Server reads them.
set -euo pipefail

usage() {
  cat <<'TXT'
usage: submit/submit.sh --master URL [--conf key=value]... [SPARK-SUBMIT-OPTION]... -- JOB-ARGS

  --master URL      spark://HOST:7077, yarn, local[N], local[N,F] ... (required)
  --conf k=v        any Spark setting (repeatable)
  --no-event-log    do not turn event logging on
  other options     passed to spark-submit as given, e.g. --total-executor-cores 2
                    --executor-memory 2g --name nightly
  JOB-ARGS          after '--': the job's own arguments (--input URI --output URI --ops CHAIN ...)

Event logs: on by default for spark:// and local masters, written to $TILESPARK_EVENT_LOG_DIR,
else to the folder of the cluster started by submit/cluster.sh (<repo>/.cluster/events), which
its History Server (http://127.0.0.1:18080) shows. A --conf spark.eventLog.* of your own wins.
For YARN the cluster's own settings apply.

Launcher: $SPARK_HOME/bin/spark-submit when SPARK_HOME is set and has one (the jar must match
that Spark: `mvn -Phdinsight package` for Spark 3.3), else the build's jars in
target/spark-home/jars, run with plain java (driver heap: TS_DRIVER_OPTS=-Xmx4g).
The jar is target/tilespark-0.1.0-SNAPSHOT.jar (built if missing) or $TILESPARK_JAR.

example:
  submit/cluster.sh start
  submit/submit.sh --master spark://127.0.0.1:7077 -- --input sample-images --output out --ops filter
TXT
}

# shellcheck source=submit/common.sh
source "$(dirname "$0")/common.sh"

master=""
event_log=1
confs=()
opts=()
job=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; job=("$@"); break ;;
    --master) [ $# -ge 2 ] || { echo "submit.sh: --master needs a URL" >&2; exit 2; }
              master=$2; shift 2 ;;
    --master=*) master=${1#--master=}; shift ;;
    --conf) [ $# -ge 2 ] && [[ $2 == *=* ]] || { echo "submit.sh: --conf needs key=value" >&2; exit 2; }
            confs+=(--conf "$2"); shift 2 ;;
    --conf=*) confs+=(--conf "${1#--conf=}"); shift ;;
    --no-event-log) event_log=0; shift ;;
    -h|--help) usage; exit 0 ;;
    --class|--deploy-mode)
      echo "submit.sh: $1 is fixed by this script (io.tilespark.Main, client mode)" >&2; exit 2 ;;
    *) opts+=("$1"); shift ;;
  esac
done
if [ -z "$master" ] || [ ${#job[@]} -eq 0 ]; then
  [ -z "$master" ] && echo "submit.sh: --master is required" >&2
  [ ${#job[@]} -eq 0 ] && echo "submit.sh: job arguments go after '--'" >&2
  echo "try 'submit/submit.sh --help'" >&2
  exit 2
fi

jar=${TILESPARK_JAR:-}
if [ -z "$jar" ]; then
  ts_build_if_needed
  jar=$TS_JAR
fi
[ -f "$jar" ] || { echo "submit.sh: no jar at $jar" >&2; exit 1; }

user_set_event_log=0
for c in ${confs[@]+"${confs[@]}"}; do
  [[ $c == spark.eventLog.* ]] && user_set_event_log=1
done
case "$master" in
  spark://*|local|local\[*|local-cluster\[*) ;;
  *) event_log=0 ;;
esac
if [ "$event_log" = 1 ] && [ "$user_set_event_log" = 0 ]; then
  dir=${TILESPARK_EVENT_LOG_DIR:-}
  if [ -z "$dir" ]; then
    state=${TILESPARK_CLUSTER_DIR:-$TS_ROOT/.cluster}
    dir="$state/events"
    if [ -f "$state/cluster.env" ]; then
      dir=$(sed -n "s/^EVENT_LOG_DIR='\(.*\)'$/\1/p" "$state/cluster.env")
      dir=${dir:-$state/events}
    fi
  fi
  mkdir -p "$dir"
  confs+=(--conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=file:$(cd "$dir" && pwd)")
fi

if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  exec "$SPARK_HOME/bin/spark-submit" --master "$master" --class io.tilespark.Main \
    ${confs[@]+"${confs[@]}"} ${opts[@]+"${opts[@]}"} "$jar" "${job[@]}"
fi

[ -d "$TS_SPARK_JARS" ] || ts_build_if_needed
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
cores=("$TS_SPARK_JARS"/spark-core_*.jar); scala=${cores[0]##*/spark-core_}
export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-${scala%%-*}}"
# shellcheck disable=SC2086
exec java "${TS_JAVA_FLAGS[@]}" ${TS_DRIVER_OPTS:-} -Dlog4j2.configurationFile="$TS_ROOT/submit/log4j2.properties" \
  -cp "$TS_SPARK_JARS/*" org.apache.spark.deploy.SparkSubmit \
  --master "$master" --class io.tilespark.Main --conf spark.ui.showConsoleProgress=false \
  ${confs[@]+"${confs[@]}"} ${opts[@]+"${opts[@]}"} "$jar" "${job[@]}"
