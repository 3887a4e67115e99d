#!/usr/bin/env bash
# A real Spark standalone cluster on this machine, on loopback addresses only, from the build's
# own Spark jars (no Spark download): one master, N workers and a History Server. Every pid it
# starts is recorded in the state folder; `stop` and `kill-worker` signal only those pids.
set -euo pipefail

usage() {
  cat <<'TXT'
usage: submit/cluster.sh start [--workers N] [--cores C] [--memory M] [--distinct-hosts]
       submit/cluster.sh add-worker [--cores C] [--memory M] [--host 127.x.y.z]
       submit/cluster.sh kill-worker N
       submit/cluster.sh status
       submit/cluster.sh stop

  start        master (spark://127.0.0.1:7077, UI :8080), N workers (UIs :8081 up) and a History
               Server (:18080) reading the event-log folder that submit/submit.sh writes to.
               Defaults: 2 workers, 1 core and 2g each. --distinct-hosts puts worker i on
               127.0.0.i, so that Spark sees separate hosts (speculative copies of a task never
               run on the host of its first attempt).
  add-worker   one more worker joining the running master; running applications get an
               executor on it at once.
  kill-worker  SIGKILL worker N and let Spark cope: its executor goes, and its tasks run again
               elsewhere.
  status       workers (alive or dead, cores, memory) and running applications, from the
               master's JSON endpoint; plus the processes this script started.
  stop         ends the processes this script started (TERM, then KILL after 30 s).

environment (each has a default; `start` records them for the other commands):
  TILESPARK_CLUSTER_DIR      state: pids, logs, work and scratch dirs, event logs (default: <repo>/.cluster)
  TILESPARK_MASTER_PORT      7077     TILESPARK_MASTER_UI_PORT  8080
  TILESPARK_WORKER_UI_PORT   8081     TILESPARK_HISTORY_PORT    18080
  TILESPARK_EVENT_LOG_DIR    event logs (default: $TILESPARK_CLUSTER_DIR/events)
  TILESPARK_DAEMON_MEMORY    heap of master, workers and History Server (default: 512m)
  TILESPARK_JAR              the tilespark jar (default: target/..., built when missing or stale)
TXT
}

# shellcheck source=submit/common.sh
source "$(dirname "$0")/common.sh"

STATE=${TILESPARK_CLUSTER_DIR:-$TS_ROOT/.cluster}
ENV_FILE="$STATE/cluster.env"

die() { echo "cluster.sh: $*" >&2; exit 1; }
usage_error() { echo "cluster.sh: $*" >&2; echo "try 'submit/cluster.sh --help'" >&2; exit 2; }

# Settings: recorded by `start`, so that later commands talk to the same ports.
load_settings() {
  MASTER_PORT=${TILESPARK_MASTER_PORT:-7077}
  MASTER_UI_PORT=${TILESPARK_MASTER_UI_PORT:-8080}
  WORKER_UI_PORT=${TILESPARK_WORKER_UI_PORT:-8081}
  HISTORY_PORT=${TILESPARK_HISTORY_PORT:-18080}
  EVENT_LOG_DIR=${TILESPARK_EVENT_LOG_DIR:-$STATE/events}
  DAEMON_MEMORY=${TILESPARK_DAEMON_MEMORY:-512m}
  if [ -f "$ENV_FILE" ] && [ "${1:-}" != fresh ]; then
    # shellcheck disable=SC1090
    source "$ENV_FILE"
  fi
  MASTER_URL="spark://127.0.0.1:$MASTER_PORT"
  MASTER_UI="http://127.0.0.1:$MASTER_UI_PORT"
  HISTORY_UI="http://127.0.0.1:$HISTORY_PORT"
}

save_settings() {
  cat >"$ENV_FILE" <<EOF
MASTER_PORT=$MASTER_PORT
MASTER_UI_PORT=$MASTER_UI_PORT
WORKER_UI_PORT=$WORKER_UI_PORT
HISTORY_PORT=$HISTORY_PORT
EVENT_LOG_DIR='$EVENT_LOG_DIR'
DAEMON_MEMORY=$DAEMON_MEMORY
EOF
}

# The Scala version of the build's Spark jars; without SPARK_SCALA_VERSION every executor dies
# with "Cannot find any build directories" (the launcher looks for a source build otherwise).
scala_version() {
  local jars=("$TS_SPARK_JARS"/spark-core_*.jar) core
  [ -f "${jars[0]}" ] || die "no spark-core jar in $TS_SPARK_JARS (run mvn package)"
  core=${jars[0]##*/spark-core_}
  echo "${core%%-*}"
}

pid_of() { cat "$STATE/pids/$1.pid" 2>/dev/null || true; }

cmdline_of() {
  if [ -r "/proc/$1/cmdline" ]; then tr '\0' ' ' <"/proc/$1/cmdline"; else ps -o args= -p "$1" 2>/dev/null; fi
}

# True when the recorded pid still runs one of Spark's daemons (guards against pid reuse).
is_ours() {
  local pid=$1 cmd
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  cmd=$(cmdline_of "$pid") || return 1
  [[ $cmd == *org.apache.spark.deploy.* ]]
}

running_names() {
  local f name
  for f in "$STATE"/pids/*.pid; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pid)
    if is_ours "$(pid_of "$name")"; then echo "$name"; fi
  done
}

port_busy() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

is_loopback() { [[ $1 =~ ^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]]; }

# Starts a daemon in its own session (so a Ctrl-C in this terminal does not reach it) and
# records its pid. Runs in a subshell so that the environment stays per daemon.
launch() {
  local name=$1 host=$2; shift 2
  local log="$STATE/logs/$name.log"
  (
    export SPARK_HOME="$STATE/spark-home" SPARK_LOCAL_IP="$host" SPARK_SCALA_VERSION="$SCALA_VERSION"
    # Executors' scratch (shuffle files, fetched jars) under the state folder, not /tmp, so that
    # what a killed executor leaves behind goes away with the folder.
    export SPARK_LOCAL_DIRS="$STATE/local"
    if command -v setsid >/dev/null; then
      setsid java "${TS_JAVA_FLAGS[@]}" "-Xmx$DAEMON_MEMORY" -cp "$STATE/spark-home/jars/*" "$@" >"$log" 2>&1 </dev/null &
    else
      nohup java "${TS_JAVA_FLAGS[@]}" "-Xmx$DAEMON_MEMORY" -cp "$STATE/spark-home/jars/*" "$@" >"$log" 2>&1 </dev/null &
    fi
    echo $! >"$STATE/pids/$name.pid"
  )
  echo "started $name (pid $(pid_of "$name"), log $log)"
}

status_tool() {
  java -cp "$TS_SPARK_JARS/*:${TILESPARK_JAR:-$TS_JAR}" io.tilespark.tools.ClusterStatus "$@"
}

next_worker_index() {
  local f n max=0
  for f in "$STATE"/pids/worker-*.pid; do
    [ -e "$f" ] || continue
    n=$(basename "$f" .pid); n=${n#worker-}
    [ "$n" -gt "$max" ] && max=$n
  done
  echo $((max + 1))
}

start_worker() {
  local index=$1 host=$2 cores=$3 memory=$4 port
  port=$((WORKER_UI_PORT + index - 1))
  while port_busy "$host" "$port"; do port=$((port + 1)); done
  mkdir -p "$STATE/work/worker-$index"
  launch "worker-$index" "$host" org.apache.spark.deploy.worker.Worker --host "$host" --cores "$cores" \
    --memory "$memory" --webui-port "$port" --work-dir "$STATE/work/worker-$index" "$MASTER_URL"
}

cmd_start() {
  local workers=2 cores=1 memory=2g distinct=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --workers) [ $# -ge 2 ] || usage_error "--workers needs a number"; workers=$2; shift 2 ;;
      --cores) [ $# -ge 2 ] || usage_error "--cores needs a number"; cores=$2; shift 2 ;;
      --memory) [ $# -ge 2 ] || usage_error "--memory needs a size like 2g"; memory=$2; shift 2 ;;
      --distinct-hosts) distinct=1; shift ;;
      *) usage_error "unknown start option '$1'" ;;
    esac
  done
  [[ $workers =~ ^[0-9]+$ ]] && [ "$workers" -le 200 ] || usage_error "--workers must be 0..200, got '$workers'"
  [[ $cores =~ ^[1-9][0-9]*$ ]] || usage_error "--cores must be >= 1, got '$cores'"
  [[ $memory =~ ^[1-9][0-9]*[mMgG]$ ]] || usage_error "--memory must look like 1024m or 2g, got '$memory'"

  mkdir -p "$STATE/pids"
  if [ -n "$(running_names)" ]; then
    die "a cluster from $STATE is already running ($(running_names | tr '\n' ' ')); stop it first"
  fi
  rm -f "$STATE"/pids/*.pid
  load_settings fresh
  local p
  for p in "$MASTER_PORT" "$MASTER_UI_PORT" "$HISTORY_PORT"; do
    port_busy 127.0.0.1 "$p" && die "port $p on 127.0.0.1 is in use (set TILESPARK_*_PORT to move)"
  done
  [ -n "${TILESPARK_JAR:-}" ] || ts_build_if_needed
  SCALA_VERSION=$(scala_version)
  mkdir -p "$STATE/logs" "$STATE/work" "$STATE/local" "$STATE/spark-home" "$EVENT_LOG_DIR"
  ln -sfn "$TS_SPARK_JARS" "$STATE/spark-home/jars"
  save_settings

  launch master 127.0.0.1 org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_UI_PORT"
  launch history 127.0.0.1 "-Dspark.history.fs.logDirectory=file:$EVENT_LOG_DIR" \
    "-Dspark.history.ui.port=$HISTORY_PORT" -Dspark.history.fs.update.interval=2s \
    org.apache.spark.deploy.history.HistoryServer
  local i host
  for ((i = 1; i <= workers; i++)); do
    host=127.0.0.1
    [ "$distinct" = 1 ] && host="127.0.0.$i"
    start_worker "$i" "$host" "$cores" "$memory"
  done
  echo "waiting for the master, $workers worker(s) and the History Server..."
  status_tool wait "$MASTER_UI" "$workers" 180 "$HISTORY_UI" || die "cluster did not come up; logs in $STATE/logs"
  echo
  status_tool print "$MASTER_UI" "$HISTORY_UI"
  echo
  echo "submit with: submit/submit.sh --master $MASTER_URL -- --input sample-images --output out --ops filter"
}

cmd_add_worker() {
  local cores=1 memory=2g host=127.0.0.1
  while [ $# -gt 0 ]; do
    case "$1" in
      --cores) [ $# -ge 2 ] || usage_error "--cores needs a number"; cores=$2; shift 2 ;;
      --memory) [ $# -ge 2 ] || usage_error "--memory needs a size like 2g"; memory=$2; shift 2 ;;
      --host) [ $# -ge 2 ] || usage_error "--host needs an address"; host=$2; shift 2 ;;
      *) usage_error "unknown add-worker option '$1'" ;;
    esac
  done
  [[ $cores =~ ^[1-9][0-9]*$ ]] || usage_error "--cores must be >= 1, got '$cores'"
  [[ $memory =~ ^[1-9][0-9]*[mMgG]$ ]] || usage_error "--memory must look like 1024m or 2g, got '$memory'"
  is_loopback "$host" || usage_error "--host must be a loopback address 127.x.y.z, got '$host'"
  [ -f "$ENV_FILE" ] || die "no cluster state in $STATE; run start first"
  load_settings
  is_ours "$(pid_of master)" || die "the master is not running; run start first"
  SCALA_VERSION=$(scala_version)
  local before index
  before=$(status_tool alive "$MASTER_UI") || die "the master at $MASTER_UI does not answer"
  index=$(next_worker_index)
  start_worker "$index" "$host" "$cores" "$memory"
  status_tool wait "$MASTER_UI" "$((before + 1))" 180 || die "worker-$index did not register; see $STATE/logs/worker-$index.log"
  echo "worker-$index registered with $MASTER_URL"
}

cmd_kill_worker() {
  [ $# -eq 1 ] && [[ $1 =~ ^[0-9]+$ ]] || usage_error "kill-worker needs a worker number, e.g. kill-worker 1"
  local pid
  pid=$(pid_of "worker-$1")
  is_ours "$pid" || die "worker-$1 is not running (recorded pid: ${pid:-none})"
  kill -KILL "$pid"
  echo "killed worker-$1 (pid $pid); its executor exits when it loses the worker, and Spark reruns its tasks"
}

cmd_status() {
  [ -f "$ENV_FILE" ] || die "no cluster state in $STATE; run start first"
  load_settings
  local rc=0
  status_tool print "$MASTER_UI" "$HISTORY_UI" || rc=$?
  echo "processes started by cluster.sh (state in $STATE):"
  local f name pid
  for f in "$STATE"/pids/*.pid; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pid); pid=$(pid_of "$name")
    if is_ours "$pid"; then echo "  $name pid $pid running"; else echo "  $name pid $pid not running"; fi
  done
  echo "event logs: $EVENT_LOG_DIR"
  return $rc
}

cmd_stop() {
  [ -d "$STATE/pids" ] || { echo "no cluster state in $STATE"; return 0; }
  local names=() name pid
  # Workers first (each ends its executors), then the History Server and the master.
  for name in $(running_names | sort -r); do names+=("$name"); done
  if [ ${#names[@]} -eq 0 ]; then
    rm -f "$STATE"/pids/*.pid
    echo "nothing running from $STATE"
    return 0
  fi
  for name in "${names[@]}"; do
    pid=$(pid_of "$name")
    kill -TERM "$pid" 2>/dev/null || true
    echo "stopping $name (pid $pid)"
  done
  local waited=0 left
  while :; do
    left=()
    for name in "${names[@]}"; do
      pid=$(pid_of "$name")
      kill -0 "$pid" 2>/dev/null && left+=("$name")
    done
    [ ${#left[@]} -eq 0 ] && break
    if [ "$waited" -ge 30 ]; then
      for name in "${left[@]}"; do
        pid=$(pid_of "$name")
        echo "killing $name (pid $pid): still running after 30 s"
        kill -KILL "$pid" 2>/dev/null || true
      done
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  rm -f "$STATE"/pids/*.pid
  echo "stopped"
}

[ $# -ge 1 ] || { usage >&2; exit 2; }
command=$1; shift
case "$command" in
  start) cmd_start "$@" ;;
  add-worker) cmd_add_worker "$@" ;;
  kill-worker) cmd_kill_worker "$@" ;;
  status) cmd_status "$@" ;;
  stop) [ $# -eq 0 ] || usage_error "stop takes no options"; cmd_stop ;;
  -h|--help|help) usage ;;
  *) usage_error "unknown command '$command'" ;;
esac
