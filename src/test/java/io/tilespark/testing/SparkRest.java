package io.tilespark.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the Spark monitoring REST API ({@code /api/v1}) of a live Spark UI or a History Server,
 * as a person's dashboard would. The API is fed asynchronously by the listener bus, so reads can
 * wait for a condition; the deadline only stops a broken run from hanging the build.
 */
public final class SparkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** @param root e.g. http://127.0.0.1:4040 (the UI) or http://127.0.0.1:18080 (History Server) */
    public SparkRest(String root) {
        this.base = root.replaceAll("/+$", "") + "/api/v1";
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException("GET " + path + " -> " + resp.statusCode() + ": " + resp.body());
        }
        return JSON.readTree(resp.body());
    }

    /** GETs {@code path} until {@code ok} holds (or the generous deadline passes), and returns the last answer. */
    public JsonNode await(String path, Predicate<JsonNode> ok, long deadlineSeconds) throws InterruptedException {
        long end = System.nanoTime() + deadlineSeconds * 1_000_000_000L;
        JsonNode last = null;
        Exception lastError = null;
        while (System.nanoTime() < end) {
            try {
                last = get(path);
                if (ok.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                lastError = e;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("condition on " + base + path + " never held; last answer: " + last
                + (lastError == null ? "" : ", last error: " + lastError));
    }

    /** Accumulator values of one stage attempt, by name. */
    public static java.util.Map<String, Long> accumulators(JsonNode stageAttempt) {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        for (JsonNode a : stageAttempt.path("accumulatorUpdates")) {
            m.put(a.path("name").asText(), Long.parseLong(a.path("value").asText()));
        }
        return m;
    }
}
