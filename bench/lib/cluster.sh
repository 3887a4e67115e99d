#!/usr/bin/env bash
# A throw-away Spark standalone cluster on 127.0.0.1 for the benchmark, from the build's own
# Spark jars (target/spark-home/jars), after PLATFORM.md's recipe: one master and N workers, each
# its own JVM. Every pid goes to STATE_DIR/pids and `stop` kills exactly those (executors are the
# workers' children and end with them).
set -euo pipefail

usage() {
  cat <<'TXT'
usage: bench/lib/cluster.sh start STATE_DIR --workers N --cores C --memory M [--port P]
       bench/lib/cluster.sh stop STATE_DIR

start   master on 127.0.0.1:P (default 17177, web UI P+1000), N workers with C cores and M memory
        each (web UIs from P+1001); prints the master URL. Waits until every worker registered.
stop    kills the pids recorded in STATE_DIR/pids
TXT
}

root=$(cd "$(dirname "$0")/../.." && pwd)
jars="$root/target/spark-home/jars"
[ $# -ge 2 ] || { usage >&2; exit 2; }
cmd=$1 state=$2
shift 2

case "$cmd" in
  stop)
    [ -f "$state/pids" ] || exit 0
    while read -r pid; do
      kill "$pid" 2>/dev/null || true
    done < "$state/pids"
    for _ in $(seq 1 50); do
      alive=0
      while read -r pid; do kill -0 "$pid" 2>/dev/null && alive=1; done < "$state/pids"
      [ $alive = 0 ] && break
      sleep 0.2
    done
    rm -f "$state/pids"
    exit 0 ;;
  start) ;;
  *) usage >&2; exit 2 ;;
esac

workers=2 cores=1 memory=4g port=17177
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) workers=$2; shift 2 ;;
    --cores) cores=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[ -d "$jars" ] || { echo "cluster.sh: $jars missing: run mvn package first" >&2; exit 1; }
if [ -s "$state/pids" ]; then
  echo "cluster.sh: $state/pids exists: stop that cluster first" >&2
  exit 1
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "cluster.sh: port $port is taken (another cluster?); pass --port" >&2
  exit 1
fi
mkdir -p "$state/logs"
: > "$state/pids"
export SPARK_HOME="$root/target/spark-home" SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13
java -Xmx512m -cp "$jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
  --webui-port $((port + 1000)) > "$state/logs/master.log" 2>&1 &
echo $! >> "$state/pids"
master="spark://127.0.0.1:$port"
for _ in $(seq 1 100); do
  grep -q "I have been elected leader" "$state/logs/master.log" 2>/dev/null && break
  sleep 0.3
done
for i in $(seq 1 "$workers"); do
  mkdir -p "$state/work/w$i"
  java -Xmx512m -cp "$jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
    --cores "$cores" --memory "$memory" --webui-port $((port + 1000 + i)) --work-dir "$state/work/w$i" \
    "$master" > "$state/logs/worker$i.log" 2>&1 &
  echo $! >> "$state/pids"
done
for _ in $(seq 1 150); do
  n=$(grep -c "Registering worker" "$state/logs/master.log" 2>/dev/null || true)
  [ "${n:-0}" -ge "$workers" ] && { echo "$master"; exit 0; }
  sleep 0.3
done
echo "cluster.sh: workers did not register; see $state/logs" >&2
exit 1
