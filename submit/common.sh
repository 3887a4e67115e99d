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
