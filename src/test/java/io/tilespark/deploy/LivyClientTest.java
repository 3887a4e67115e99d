package io.tilespark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LivyClientTest {

    private static final String USER = "admin";
    private static final String PASSWORD = "Not-a-real-pw-42";
    private static final LivyClient.Sleeper NO_SLEEP = millis -> { };

    private static BatchRequest request() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.executor.memory", "8g");
        conf.put("spark.executor.cores", "4");
        conf.put("spark.eventLog.enabled", "true");
        conf.put("spark.redaction.regex", LivySubmit.REDACTION_REGEX);
        return BatchRequest.of("abfs://cluster@acct.dfs.core.windows.net/tilespark/jars/tilespark.jar",
                "io.tilespark.Main", List.of("abfs://input@acct.dfs.core.windows.net/in", "--op", "blur \"5\""),
                conf, "nightly-1");
    }

    private static LivyClient client(FakeLivy livy, int readTimeoutMillis) throws LivyException {
        return new LivyClient(livy.livyUrl(), USER, PASSWORD, 2000, readTimeoutMillis);
    }

    @Test
    void postCarriesDocumentedBodyCsrfHeaderAndBasicAuth() throws Exception {
        try (FakeLivy livy = new FakeLivy(7).requireBasicAuth(USER, PASSWORD).states("running")) {
            LivyClient.Batch batch = client(livy, 5000).submit(request());

            assertEquals(7, batch.id());
            assertEquals("starting", batch.state());
            List<FakeLivy.Seen> posts = livy.requests("POST");
            assertEquals(1, posts.size());
            FakeLivy.Seen post = posts.get(0);
            assertEquals("/livy/batches", post.path());
            assertEquals(USER, post.header("X-Requested-By"));
            assertTrue(post.header("Content-Type").startsWith("application/json"), post.header("Content-Type"));
            String expectedAuth = "Basic " + Base64.getEncoder()
                    .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertEquals(expectedAuth, post.header("Authorization"));

            JsonNode body = FakeLivy.JSON.readTree(post.body());
            assertEquals("abfs://cluster@acct.dfs.core.windows.net/tilespark/jars/tilespark.jar",
                    body.get("file").asText());
            assertEquals("io.tilespark.Main", body.get("className").asText());
            assertEquals("nightly-1", body.get("name").asText());
            assertEquals(3, body.get("args").size());
            assertEquals("blur \"5\"", body.get("args").get(2).asText(), "quotes survive the JSON round trip");
            assertEquals("8g", body.get("conf").get("spark.executor.memory").asText());
            assertEquals("4", body.get("conf").get("spark.executor.cores").asText());
            assertEquals("true", body.get("conf").get("spark.eventLog.enabled").asText());
            assertEquals(LivySubmit.REDACTION_REGEX, body.get("conf").get("spark.redaction.regex").asText(),
                    "backslashes in the regex survive the JSON round trip");
            assertFalse(post.body().contains(PASSWORD), "the password is only in the Authorization header");
        }
    }

    @Test
    void awaitReportsEachStateChangeOnceAndTheSparkUiLink() throws Exception {
        try (FakeLivy livy = new FakeLivy(3)
                .states("starting", "starting", "running", "running", "running", "success")
                .app("application_1700000000000_0042",
                        "https://demo.azurehdinsight.net/yarnui/hn/proxy/application_1700000000000_0042/")
                .logLines(500)) {
            LivyClient client = client(livy, 5000);
            List<String> progress = new ArrayList<>();

            LivyClient.Outcome outcome = client.await(3, 1, 60_000, 20, 0, progress::add, NO_SLEEP);

            assertTrue(outcome.finished());
            assertTrue(outcome.succeeded());
            assertEquals("success", outcome.last().state());
            assertTrue(outcome.logTail().isEmpty(), "no log fetched after success");
            assertEquals(List.of(
                    "batch 3: starting",
                    "batch 3: running",
                    "batch 3: application application_1700000000000_0042",
                    "batch 3: Spark UI https://demo.azurehdinsight.net/yarnui/hn/proxy/application_1700000000000_0042/",
                    "batch 3: success"), progress);
            assertEquals(6, livy.requests("GET").size(), "one GET per scripted state, then stop");
            for (FakeLivy.Seen get : livy.requests("GET")) {
                assertEquals("/livy/batches/3", get.path());
                assertEquals(USER, get.header("X-Requested-By"));
            }
        }
    }

    @Test
    void deadBatchIsAFailureWithTheLogTail() throws Exception {
        try (FakeLivy livy = new FakeLivy(11).requireBasicAuth(USER, PASSWORD)
                .states("starting", "running", "dead").logLines(250)) {
            LivyClient.Outcome outcome = client(livy, 5000).await(11, 1, 60_000, 5, 0, line -> { }, NO_SLEEP);

            assertTrue(outcome.finished());
            assertFalse(outcome.succeeded());
            assertEquals("dead", outcome.last().state());
            assertEquals(List.of("log line 246", "log line 247", "log line 248", "log line 249", "log line 250"),
                    outcome.logTail());
            List<FakeLivy.Seen> logGets = new ArrayList<>();
            for (FakeLivy.Seen get : livy.requests("GET")) {
                if (get.path().endsWith("/log")) {
                    logGets.add(get);
                }
            }
            assertEquals(1, logGets.size(), "Livy's own tail default means one log request suffices");
            assertEquals("size=5", logGets.get(0).query());
        }
    }

    @Test
    void killedBatchIsAFailureWithTheLogTail() throws Exception {
        try (FakeLivy livy = new FakeLivy(12).states("running", "killed").logLines(3)) {
            LivyClient.Outcome outcome = client(livy, 5000).await(12, 1, 60_000, 40, 0, line -> { }, NO_SLEEP);

            assertFalse(outcome.succeeded());
            assertEquals("killed", outcome.last().state());
            assertEquals(List.of("log line 1", "log line 2", "log line 3"), outcome.logTail(),
                    "a log shorter than asked comes back whole");
        }
    }

    @Test
    void wrongPasswordIsAOneLineErrorNamingTheFixAndNotThePassword() throws Exception {
        try (FakeLivy livy = new FakeLivy(1).requireBasicAuth(USER, "the-right-one")) {
            LivyException e = assertThrows(LivyException.class, () -> client(livy, 5000).submit(request()));

            assertEquals(401, e.status());
            assertTrue(e.isPermanent());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().contains("401"), e.getMessage());
            assertTrue(e.getMessage().contains("HDI_PASSWORD"), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), "the message must not echo the password");
        }
    }

    @Test
    void unauthorizedDuringPollingEndsTheWaitAtOnce() throws Exception {
        try (FakeLivy livy = new FakeLivy(5).states("running").failNextGets(401, 401, 401)) {
            LivyException e = assertThrows(LivyException.class,
                    () -> client(livy, 5000).await(5, 1, 60_000, 10, 5, line -> { }, NO_SLEEP));
            assertEquals(401, e.status());
            assertEquals(1, livy.requests("GET").size(), "a permanent answer is not retried");
        }
    }

    @Test
    void aFewGatewayErrorsWhilePollingAreRiddenOut() throws Exception {
        try (FakeLivy livy = new FakeLivy(9).states("running", "running", "success").failNextGets(502, 503)) {
            List<String> progress = new ArrayList<>();
            LivyClient.Outcome outcome = client(livy, 5000).await(9, 1, 60_000, 10, 3, progress::add, NO_SLEEP);

            assertTrue(outcome.succeeded());
            assertEquals(2, progress.stream().filter(l -> l.contains("poll failed")).count(), progress.toString());
        }
    }

    @Test
    void tooManyGatewayErrorsInARowGiveUp() throws Exception {
        try (FakeLivy livy = new FakeLivy(9).states("running").failNextGets(502, 502, 502)) {
            LivyException e = assertThrows(LivyException.class,
                    () -> client(livy, 5000).await(9, 1, 60_000, 10, 2, line -> { }, NO_SLEEP));
            assertEquals(502, e.status());
            assertTrue(e.getMessage().contains("Bad Gateway"), e.getMessage());
        }
    }

    @Test
    void waitGivesUpWithoutFailingWhenTheJobOutlivesIt() throws Exception {
        try (FakeLivy livy = new FakeLivy(4).states("running")) {
            LivyClient.Outcome outcome = client(livy, 5000).await(4, 1, 0, 10, 0, line -> { }, NO_SLEEP);
            assertFalse(outcome.finished());
            assertFalse(outcome.succeeded());
            assertEquals("running", outcome.last().state());
        }
    }

    @Test
    @Timeout(20)
    void aServerThatNeverAnswersHitsTheReadTimeout() throws Exception {
        try (FakeLivy livy = new FakeLivy(1).hang()) {
            LivyClient client = client(livy, 400);
            long start = System.nanoTime();

            LivyException e = assertThrows(LivyException.class, () -> client.submit(request()));

            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis >= 300 && tookMillis < 5_000, "took " + tookMillis + " ms");
            assertEquals(LivyException.NO_STATUS, e.status());
            assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
            assertTrue(e.getMessage().contains("400 ms (read timeout)"), e.getMessage());
            assertEquals(1, livy.requests("POST").size(), "the POST is not retried: it would start a second job");
        }
    }

    @Test
    void logTailCopesWithAServerThatStartsAtLineZero() throws Exception {
        // Livy answers the tail when 'from' is absent; a server that starts at 0 instead is
        // caught by comparing from + lines with total.
        try (FakeLivy livy = new FakeLivy(2).logLines(30).logFromZeroByDefault()) {
            LivyClient client = client(livy, 5000);
            List<String> tail = client.logTail(2, 4);
            assertEquals(List.of("log line 27", "log line 28", "log line 29", "log line 30"), tail);
            List<FakeLivy.Seen> gets = livy.requests("GET");
            assertEquals(2, gets.size());
            assertEquals("size=4", gets.get(0).query());
            assertEquals("from=26&size=4", gets.get(1).query());
        }
    }

    @Test
    void killSendsDelete() throws Exception {
        try (FakeLivy livy = new FakeLivy(6)) {
            client(livy, 5000).kill(6);
            List<FakeLivy.Seen> deletes = livy.requests("DELETE");
            assertEquals(1, deletes.size());
            assertEquals("/livy/batches/6", deletes.get(0).path());
            assertEquals(USER, deletes.get(0).header("X-Requested-By"));
        }
    }

    @Test
    void urlsAreNormalisedToTheBatchesCollection() throws Exception {
        assertEquals("https://c.azurehdinsight.net/livy/batches", LivyClient.batchesUrl("https://c.azurehdinsight.net/livy"));
        assertEquals("https://c.azurehdinsight.net/livy/batches", LivyClient.batchesUrl("https://c.azurehdinsight.net/livy/"));
        assertEquals("https://c.azurehdinsight.net/livy/batches",
                LivyClient.batchesUrl("https://c.azurehdinsight.net/livy/batches/"));
        assertThrows(LivyException.class, () -> LivyClient.batchesUrl("ftp://c/livy"));
        assertThrows(LivyException.class, () -> LivyClient.batchesUrl("https://admin:pw@c.azurehdinsight.net/livy"));
    }

    @Test
    void credentialsAreNeverSentOverPlainHttpBeyondLoopback() throws Exception {
        LivyException e = assertThrows(LivyException.class,
                () -> new LivyClient("http://c.azurehdinsight.net/livy", USER, PASSWORD, 1000, 1000));
        assertTrue(e.getMessage().contains("plain http"), e.getMessage());
        assertThrows(LivyException.class, () -> new LivyClient("http://10.0.0.4:8998", USER, PASSWORD, 1000, 1000));
        // loopback is fine: an SSH tunnel to the head node's Livy, or these tests
        new LivyClient("http://127.0.0.1:8998", USER, PASSWORD, 1000, 1000);
        new LivyClient("http://localhost:8998", USER, PASSWORD, 1000, 1000);
        new LivyClient("https://c.azurehdinsight.net/livy", USER, PASSWORD, 1000, 1000);
    }

    @Test
    void gatewayLinksAreOfferedOnlyForHdinsightHosts() throws Exception {
        LivyClient hdi = new LivyClient("https://demo.azurehdinsight.net/livy", USER, PASSWORD, 1000, 1000);
        assertEquals(List.of("YARN https://demo.azurehdinsight.net/yarnui/hn/cluster/app/application_1_2",
                "Spark History https://demo.azurehdinsight.net/sparkhistory/"), hdi.gatewayLinks("application_1_2"));
        LivyClient local = new LivyClient("http://127.0.0.1:8998", null, null, 1000, 1000);
        assertTrue(local.gatewayLinks("application_1_2").isEmpty());
    }

    @Test
    void aBatchObjectWithoutIdOrStateIsRejected() {
        Map<String, Object> noState = new LinkedHashMap<>();
        noState.put("id", 1L);
        assertThrows(LivyException.class, () -> LivyClient.Batch.from(noState));
        Map<String, Object> minimal = new LinkedHashMap<>();
        minimal.put("id", 1L);
        minimal.put("state", "starting");
        minimal.put("appInfo", null);
        LivyClient.Batch b = assertDoesNotThrow(minimal);
        assertNull(b.appId());
        assertNull(b.sparkUiUrl());
    }

    private static LivyClient.Batch assertDoesNotThrow(Map<String, Object> json) {
        try {
            return LivyClient.Batch.from(json);
        } catch (LivyException e) {
            throw new AssertionError(e);
        }
    }
}
