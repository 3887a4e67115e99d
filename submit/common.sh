# Shared by the submit/ scripts: where the build puts things, and how to (re)build it.
# shellcheck shell=bash

TS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TS_JAR="$TS_ROOT/target/tilespark-0.1.0-SNAPSHOT.jar"
TS_SPARK_JARS="$TS_ROOT/target/spark-home/jars"

# Spark's own JavaModuleOptions: a driver started with plain `java` needs them on Java 17.
TS_JAVA_FLAGS=(-XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false)

# Builds the shaded jar and the Spark jars folder when either is missing or older than the sources.
ts_build_if_needed() {
  local stale=0
  if [ ! -f "$TS_JAR" ] || [ ! -d "$TS_SPARK_JARS" ]; then
    stale=1
  elif [ -n "$(find "$TS_ROOT/src/main" "$TS_ROOT/pom.xml" -newer "$TS_JAR" -print -quit 2>/dev/null)" ]; then
    stale=1
  fi
  if [ "$stale" = 1 ]; then
    echo "building tilespark (mvn package, tests skipped)..." >&2
    (cd "$TS_ROOT" && mvn -q -B -DskipTests package) >&2
  fi
}

# JVM settings for a driver that runs Spark in local mode: a short-lived process whose heavy work
# is native (OpenCV), so Spark's own start-up dominates its Java cost. Measured on 2 cores with
# eight small images (docs/benchmarks.md): 34 CPU-s with the JVM defaults, 20 with the C1 compiler
# only and the parallel collector, 14 with a class-data-sharing archive on top.
TS_LOCAL_JVM_FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseParallelGC)

# Sets TS_CDS_FLAGS to the class-data-sharing (CDS) flags for a local JVM started with class path
# CLASSPATH, on Java 13+: ts_cds_flags CLASSPATH. Call it in the shell that then execs java (it
# may leave fd 9 open: see below). The first run records the classes it loads into an archive (a
# dynamic AppCDS archive, ~160 MB under target/cds/); later runs map it instead of loading and
# verifying some 17,000 classes again. An archive serves only the class path it was recorded
# with, so each class path has its own (local.sh starts the driver two ways), named by the JVM
# and the jars' sizes and times (a rebuild makes new ones and drops the old) and by the class path.
# Only one run at a time records, holding a lock that the exec'd JVM inherits, into a temporary
# name that the next run with that class path publishes once the lock is free. Anything unusable
# (old JVM, no base archive, a broken file) just means no CDS: the JVM then starts as it would
# without these flags. TS_CDS=off turns it off.
ts_cds_flags() {
  TS_CDS_FLAGS=()
  [ "${TS_CDS:-on}" = off ] && return 0
  local classpath=${1:?ts_cds_flags needs the class path} version major dir="$TS_ROOT/target/cds" build key archive
  version=$(java -version 2>&1)
  major=$(printf '%s\n' "$version" | sed -n '1s/^[^"]*"\([0-9]*\).*/\1/p')
  case "$major" in ''|1|9|10|11|12) return 0 ;; esac
  mkdir -p "$dir" 2>/dev/null || return 0
  build=$( (printf '%s\n' "$version"; ls -l --time-style=+%s "$TS_SPARK_JARS" "$TS_JAR" 2>/dev/null) | cksum | cut -d' ' -f1)
  key=$(printf '%s\n' "$classpath" | cksum | cut -d' ' -f1)
  archive="$dir/local-$build-$key.jsa"
  exec 9>"$dir/.lock" || return 0
  if flock -n 9; then
    if [ ! -s "$archive" ] && [ -s "$archive.tmp" ]; then
      mv -f "$archive.tmp" "$archive"
    fi
    if [ ! -s "$archive" ]; then
      # Other builds' archives go; this build's archives for other class paths stay.
      find "$dir" -name 'local-*.jsa*' ! -name "local-$build-*" -delete 2>/dev/null || true
      TS_CDS_FLAGS=("-XX:ArchiveClassesAtExit=$archive.tmp" "-Xlog:cds*=off")
      return 0
    fi
  fi
  exec 9>&-
  if [ -s "$archive" ]; then
    TS_CDS_FLAGS=("-XX:SharedArchiveFile=$archive" "-Xlog:cds*=off")
  fi
}
