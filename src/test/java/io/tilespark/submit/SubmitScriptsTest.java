package io.tilespark.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit.sh and cluster.sh as a person calls them, without starting Spark: the command line
 * submit.sh hands to a real install's spark-submit (a stand-in that records its arguments), and
 * the usage errors of both scripts.
 */
class SubmitScriptsTest {

    @TempDir
    Path tmp;

    private record Result(int code, String out) {
    }

    private Result run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Paths.get("").toAbsolutePath().toFile())
                .redirectErrorStream(true);
        pb.environment().remove("SPARK_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }

    private Path fakeSparkHome() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("spark/bin"));
        Path submit = home.resolve("spark-submit");
        Files.writeString(submit, "#!/usr/bin/env bash\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home.getParent();
    }

    @Test
    void withASparkInstallSubmitUsesItsSparkSubmitAndTurnsEventLogsOn() throws Exception {
        Path jar = Files.createFile(tmp.resolve("app.jar"));
        Path events = tmp.resolve("events");
        Result r = run(Map.of("SPARK_HOME", fakeSparkHome().toString(), "TILESPARK_JAR", jar.toString(),
                "TILESPARK_EVENT_LOG_DIR", events.toString()),
                "submit/submit.sh", "--master", "spark://127.0.0.1:7077", "--conf", "spark.speculation=true",
                "--executor-memory", "2g", "--", "--input", "in dir", "--output", "out", "--ops", "filter");
        assertEquals(0, r.code, r.out);
        List<String> args = Arrays.asList(r.out.split("\n"));
        List<String> expected = new ArrayList<>(List.of("--master", "spark://127.0.0.1:7077", "--class",
                "io.tilespark.Main", "--conf", "spark.speculation=true", "--conf", "spark.eventLog.enabled=true",
                "--conf", "spark.eventLog.dir=file:" + events.toAbsolutePath(), "--executor-memory", "2g",
                jar.toString(), "--input", "in dir", "--output", "out", "--ops", "filter"));
        assertEquals(expected, args);
        assertTrue(Files.isDirectory(events), "the event-log folder must exist before Spark writes to it");
    }

    @Test
    void eventLogSettingsOfYourOwnWinAndYarnKeepsTheClustersSettings() throws Exception {
        Path jar = Files.createFile(tmp.resolve("app.jar"));
        Map<String, String> env = Map.of("SPARK_HOME", fakeSparkHome().toString(), "TILESPARK_JAR", jar.toString());
        Result own = run(env, "submit/submit.sh", "--master", "local[2]", "--conf", "spark.eventLog.enabled=false",
                "--", "--input", "a", "--output", "b", "--ops", "grey");
        assertEquals(0, own.code, own.out);
        assertTrue(own.out.contains("spark.eventLog.enabled=false") && !own.out.contains("spark.eventLog.dir"), own.out);
        Result yarn = run(env, "submit/submit.sh", "--master", "yarn", "--", "--input", "a", "--output", "b",
                "--ops", "grey");
        assertEquals(0, yarn.code, yarn.out);
        assertTrue(!yarn.out.contains("spark.eventLog"), yarn.out);
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        Map<String, String> env = Map.of("TILESPARK_CLUSTER_DIR", tmp.resolve("state").toString());
        assertEquals(2, run(env, "submit/submit.sh", "--", "--input", "a").code, "no --master");
        assertEquals(2, run(env, "submit/submit.sh", "--master", "local").code, "no job arguments");
        assertEquals(2, run(env, "submit/submit.sh", "--master", "local", "--conf", "novalue", "--", "x").code);
        assertEquals(2, run(env, "submit/submit.sh", "--master", "local", "--class", "X", "--", "x").code);
        assertEquals(2, run(env, "submit/cluster.sh").code, "no command");
        assertEquals(2, run(env, "submit/cluster.sh", "restart").code);
        assertEquals(2, run(env, "submit/cluster.sh", "start", "--workers", "many").code);
        assertEquals(2, run(env, "submit/cluster.sh", "start", "--memory", "lots").code);
        assertEquals(2, run(env, "submit/cluster.sh", "add-worker", "--host", "10.0.0.5").code, "loopback only");
        assertEquals(2, run(env, "submit/cluster.sh", "kill-worker").code);
        Result help = run(env, "submit/cluster.sh", "--help");
        assertEquals(0, help.code);
        assertTrue(help.out.startsWith("usage: submit/cluster.sh start"), help.out);
    }

    @Test
    void withoutAClusterStopDoesNothingAndStatusFails() throws Exception {
        Map<String, String> env = Map.of("TILESPARK_CLUSTER_DIR", tmp.resolve("none").toString());
        Result stop = run(env, "submit/cluster.sh", "stop");
        assertEquals(0, stop.code, stop.out);
        assertTrue(stop.out.contains("no cluster state"), stop.out);
        Result status = run(env, "submit/cluster.sh", "status");
        assertEquals(1, status.code, status.out);
    }
}
