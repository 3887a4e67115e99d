package io.tilespark.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** GETs against Spark's JSON endpoints (driver UI, History Server, master), and polling on them. */
final class Rest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A check that is either satisfied (returns a value) or not yet (returns null). */
    interface Probe<T> {
        T poll() throws IOException;
    }

    private Rest() {
    }

    static JsonNode get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(10000);
        try {
            int code = c.getResponseCode();
            if (code != 200) {
                throw new IOException("HTTP " + code + " from " + url);
            }
            try (InputStream in = c.getInputStream()) {
                return JSON.readTree(in);
            }
        } finally {
            c.disconnect();
        }
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        array.forEach(l::add);
        return l;
    }

    /**
     * Polls until the probe is satisfied. Unreachable endpoints count as "not yet". The limit only
     * guards against a hang: reaching it fails with what was last seen, whatever the machine's speed.
     */
    static <T> T await(String what, long limitSeconds, Probe<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitSeconds);
        String last = "nothing yet";
        while (true) {
            try {
                T v = probe.poll();
                if (v != null) {
                    return v;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what + " (last: " + last + ")");
            }
            Thread.sleep(250);
        }
    }
}
