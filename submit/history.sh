#!/usr/bin/env bash
# Runs Spark's History Server on event logs written with --event-log, so a finished run's Spark UI
# (jobs, stages, accumulators, timeline) can be browsed. Uses the Maven build's Spark jars.
set -euo pipefail

usage() {
  cat <<'TXT'
usage: submit/history.sh [--port N] [--properties-file FILE] DIR

Serves the Spark UI of every run whose event log is in DIR (a folder, or a file:/abfs:/hdfs: URI),
at http://127.0.0.1:N/ (REST: /api/v1/applications). Stops with Ctrl-C.

  --port N                 port to listen on (default 18080)
  --properties-file FILE   Spark settings for reading DIR, e.g. the storage account's
                           spark.hadoop.fs.azure.* keys (kept in a file, out of the process list)
  DIR                      the folder given to the job as --event-log DIR (or spark.eventLog.dir)

example:
  submit/local.sh --input sample-images --output out --ops filter --event-log /tmp/spark-events
  submit/history.sh /tmp/spark-events
TXT
}

# shellcheck source=submit/common.sh
source "$(dirname "$0")/common.sh"

port=18080
dir=""
props=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port) [ $# -ge 2 ] || { echo "history.sh: --port needs a number" >&2; exit 2; }
            port="$2"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    --properties-file) [ $# -ge 2 ] || { echo "history.sh: --properties-file needs a file" >&2; exit 2; }
                       [ -f "$2" ] || { echo "history.sh: no such file: $2" >&2; exit 2; }
                       props=(--properties-file "$2"); shift 2 ;;
    -h|--help|--usage) usage; exit 0 ;;
    -*) echo "history.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [ -z "$dir" ] || { echo "history.sh: one DIR only" >&2; exit 2; }
       dir="$1"; shift ;;
  esac
done
if [ -z "$dir" ]; then
  usage >&2
  exit 2
fi
case "$port" in
  ''|*[!0-9]*) echo "history.sh: --port must be a number, got '$port'" >&2; exit 2 ;;
esac
case "$dir" in
  *://*|file:*) log_dir="$dir" ;;
  *) [ -d "$dir" ] || { echo "history.sh: no such folder: $dir" >&2; exit 2; }
     log_dir="file:$(cd "$dir" && pwd)" ;;
esac

if [ ! -d "$TS_SPARK_JARS" ]; then
  echo "building Spark's jars folder (mvn package, tests skipped)..." >&2
  (cd "$TS_ROOT" && mvn -q -B -DskipTests package) >&2
fi
# The job's jar carries the Azure storage connectors, for event logs kept in abfs:// or wasbs://.
classpath="$TS_SPARK_JARS/*"
if [ -f "$TS_JAR" ]; then
  classpath="$classpath:$TS_JAR"
fi

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
echo "History Server for $log_dir on http://127.0.0.1:$port/ (Ctrl-C stops it)" >&2
# exec: the caller's pid is the server's, so it can be stopped by that pid alone.
exec java "${TS_JAVA_FLAGS[@]}" -Dlog4j2.configurationFile="$TS_ROOT/submit/log4j2.properties" \
  -cp "$classpath" \
  -Dspark.history.fs.logDirectory="$log_dir" \
  -Dspark.history.ui.port="$port" \
  -Dspark.history.fs.update.interval=2s \
  org.apache.spark.deploy.history.HistoryServer ${props[@]+"${props[@]}"}
