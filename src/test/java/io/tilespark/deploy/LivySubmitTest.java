package io.tilespark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The command line the script calls: options, secrets policy, exit codes. */
class LivySubmitTest {

    private static final String JAR = "abfs://cluster@acct.dfs.core.windows.net/tilespark/jars/t.jar";

    /** Runs LivySubmit in-process and keeps what it printed. */
    private static final class Run {
        final int code;
        final String out;
        final String err;

        Run(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }
    }

    private static Run run(Map<String, String> env, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = LivySubmit.run(args, env, o, e, millis -> { });
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> env(String password) {
        Map<String, String> env = new HashMap<>();
        env.put("HDI_USER", "admin");
        if (password != null) {
            env.put("HDI_PASSWORD", password);
        }
        return env;
    }

    private static String[] args(String livyUrl, String... more) {
        List<String> a = new ArrayList<>(List.of("--livy-url", livyUrl, "--file", JAR, "--name", "t1",
                "--poll-seconds", "1"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void successfulJobExitsZeroAndPrintsStatesAndUiLink() throws Exception {
        try (FakeLivy livy = new FakeLivy(21).requireBasicAuth("admin", "pw-Pw-123456")
                .states("starting", "running", "success")
                .app("application_5_1", "http://127.0.0.1/proxy/application_5_1/")) {
            Run r = run(env("pw-Pw-123456"), args(livy.livyUrl(), "--", "in", "out", "--op", "blur"));

            assertEquals(LivySubmit.OK, r.code, r.err);
            assertTrue(r.out.contains("submitted t1 as batch 21"), r.out);
            assertTrue(r.out.contains("livy: batch 21: running"), r.out);
            assertTrue(r.out.contains("livy: batch 21: Spark UI http://127.0.0.1/proxy/application_5_1/"), r.out);
            assertTrue(r.out.contains("livy: batch 21 succeeded"), r.out);
            JsonNode body = FakeLivy.JSON.readTree(livy.requests("POST").get(0).body());
            assertEquals(List.of("in", "out", "--op", "blur"),
                    List.of(FakeLivy.JSON.treeToValue(body.get("args"), String[].class)));
            assertFalse(r.out.contains("pw-Pw-123456") || r.err.contains("pw-Pw-123456"));
        }
    }

    @Test
    void deadJobExitsOneAndPrintsTheLogTail() throws Exception {
        try (FakeLivy livy = new FakeLivy(22).states("running", "dead").logLines(100)) {
            Run r = run(env("x"), args(livy.livyUrl(), "--log-lines", "3"));

            assertEquals(LivySubmit.JOB_FAILED, r.code);
            assertTrue(r.err.contains("batch 22 ended dead; last 3 lines"), r.err);
            assertTrue(r.err.contains("  | log line 98\n  | log line 99\n  | log line 100"), r.err);
        }
    }

    @Test
    void killedJobExitsOne() throws Exception {
        try (FakeLivy livy = new FakeLivy(23).states("killed").logLines(2)) {
            Run r = run(env("x"), args(livy.livyUrl()));
            assertEquals(LivySubmit.JOB_FAILED, r.code);
            assertTrue(r.err.contains("ended killed"), r.err);
        }
    }

    @Test
    void wrongPasswordExitsThreeWithOneLine() throws Exception {
        try (FakeLivy livy = new FakeLivy(24).requireBasicAuth("admin", "right")) {
            Run r = run(env("wrong"), args(livy.livyUrl()));
            assertEquals(LivySubmit.LIVY_ERROR, r.code);
            assertEquals(1, r.err.strip().lines().count(), r.err);
            assertTrue(r.err.contains("HTTP 401"), r.err);
        }
    }

    @Test
    void missingPasswordIsAUsageErrorAndNothingIsSent() throws Exception {
        try (FakeLivy livy = new FakeLivy(25)) {
            Run r = run(env(null), args(livy.livyUrl()));
            assertEquals(LivySubmit.USAGE_ERROR, r.code);
            assertTrue(r.err.contains("HDI_PASSWORD"), r.err);
            assertTrue(livy.seen.isEmpty());
        }
    }

    @Test
    void passwordsAreRefusedAsArguments() throws Exception {
        Run r = run(env("x"), args("http://127.0.0.1:1/livy", "--password", "hunter2"));
        assertEquals(LivySubmit.USAGE_ERROR, r.code);
        assertTrue(r.err.contains("not taken as arguments"), r.err);
        assertFalse(r.err.contains("hunter2"));
    }

    @Test
    void storageKeysAreRefusedAsConf() throws Exception {
        Run r = run(env("x"), args("http://127.0.0.1:1/livy",
                "--conf", "fs.azure.account.key.acct.dfs.core.windows.net=c2VjcmV0"));
        assertEquals(LivySubmit.USAGE_ERROR, r.code);
        assertFalse(r.err.contains("c2VjcmV0"), "the refused value is not echoed");
        Run sas = run(env("x"), args("http://127.0.0.1:1/livy", "--conf", "fs.azure.sas.out.acct=sv=1&sig=abc"));
        assertEquals(LivySubmit.USAGE_ERROR, sas.code);
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        assertEquals(LivySubmit.USAGE_ERROR, run(env("x"), "--file", JAR).code, "no Livy URL");
        assertEquals(LivySubmit.USAGE_ERROR, run(env("x"), "--livy-url", "http://127.0.0.1:1").code, "no --file");
        assertEquals(LivySubmit.USAGE_ERROR, run(env("x"), args("http://127.0.0.1:1", "--executor-memory", "lots")).code);
        assertEquals(LivySubmit.USAGE_ERROR, run(env("x"), args("http://127.0.0.1:1", "--executor-cores", "0")).code);
        assertEquals(LivySubmit.USAGE_ERROR, run(env("x"), args("http://127.0.0.1:1", "stray")).code);
        assertEquals(LivySubmit.USAGE_ERROR, run(env("x"), args("http://127.0.0.1:1", "--bogus", "1")).code);
        assertEquals(LivySubmit.USAGE_ERROR, run(env("x"), args("http://127.0.0.1:1", "--cluster", "a b")).code);
        assertEquals(LivySubmit.OK, run(env("x"), "--help").code);
    }

    @Test
    void unreachableLivyExitsThree() throws Exception {
        // Port 1 on loopback: nothing listens there, so the connect is refused at once.
        Run r = run(env("x"), args("http://127.0.0.1:1/livy"));
        assertEquals(LivySubmit.LIVY_ERROR, r.code, r.err);
        assertTrue(r.err.contains("cannot connect"), r.err);
    }

    @Test
    void dryRunPrintsTheBodyAndNeedsNoPassword() throws Exception {
        Run r = run(env(null), "--cluster", "demo", "--file", JAR, "--name", "n", "--executor-memory", "12g",
                "--num-executors", "6", "--conf", "spark.task.maxFailures=8", "--dry-run", "--", "a", "b");
        assertEquals(LivySubmit.OK, r.code, r.err);
        JsonNode body = FakeLivy.JSON.readTree(r.out);
        assertEquals(JAR, body.get("file").asText());
        assertEquals("io.tilespark.Main", body.get("className").asText());
        assertEquals("12g", body.get("conf").get("spark.executor.memory").asText());
        assertEquals("6", body.get("conf").get("spark.executor.instances").asText());
        assertEquals("8", body.get("conf").get("spark.task.maxFailures").asText());
        assertEquals("true", body.get("conf").get("spark.eventLog.enabled").asText());
        assertEquals(2, body.get("args").size());
    }

    @Test
    void printConfGivesTheSamePairsTheBatchCarries() throws Exception {
        Run r = run(env(null), "--print-conf", "--executor-cores", "2");
        assertEquals(LivySubmit.OK, r.code, r.err);
        List<String> lines = r.out.strip().lines().toList();
        assertTrue(lines.contains("spark.executor.cores=2"), lines.toString());
        assertTrue(lines.contains("spark.eventLog.enabled=true"), lines.toString());
        assertTrue(lines.contains("spark.redaction.regex=" + LivySubmit.REDACTION_REGEX), lines.toString());
    }

    @Test
    void requireTargetRefusesAJarBuiltForAnotherTarget() throws Exception {
        // The test classpath holds the default build (target spark4), not the hdinsight one.
        String built = LivySubmit.buildProperty("target");
        Run r = run(env("x"), args("http://127.0.0.1:1/livy", "--require-target", "hdinsight"));
        if ("hdinsight".equals(built)) {
            assertEquals(LivySubmit.LIVY_ERROR, r.code, "passes the guard, then finds no Livy");
        } else {
            assertEquals(LivySubmit.USAGE_ERROR, r.code);
            assertTrue(r.err.contains("-Phdinsight"), r.err);
        }
    }

    @Test
    void redactionRegexHidesAzureCredentialsButNotOrdinarySettings() {
        Pattern p = Pattern.compile(LivySubmit.REDACTION_REGEX);
        for (String secret : List.of("fs.azure.account.key.acct.dfs.core.windows.net",
                "fs.azure.sas.container.acct.blob.core.windows.net",
                "fs.azure.account.oauth2.client.secret.acct.dfs.core.windows.net",
                "https://acct.blob.core.windows.net/c/f?sv=2022-11-02&sig=abc%3D",
                "spark.hadoop.fs.azure.account.key.x", "HDI_PASSWORD", "spark.ssl.keyStorePassword",
                "aws.access.key", "some.api.token")) {
            assertTrue(p.matcher(secret).find(), secret);
        }
        for (String plain : List.of("spark.executor.memory", "spark.executor.cores", "spark.eventLog.enabled",
                "fs.azure.account.auth.type", "abfs://input@acct.dfs.core.windows.net/images")) {
            assertFalse(p.matcher(plain).find(), plain);
        }
    }
}
