package io.tilespark.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Plays Livy's batch API on 127.0.0.1 for the tests, after the Apache Livy REST docs:
 * {@code POST /batches} → batch object, {@code GET /batches/{id}} → batch object whose state walks
 * through a script, {@code GET /batches/{id}/log?from&size} → {@code {id, from, total, log}} with
 * Livy's own default of the last {@code size} lines when {@code from} is absent.
 */
final class FakeLivy implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server saw it. */
    record Seen(String method, String path, String query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    final long batchId;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Deque<String> states = new ArrayDeque<>();
    private final Deque<Integer> getFailures = new ArrayDeque<>();
    private final List<String> log = new ArrayList<>();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch releaseHung = new CountDownLatch(1);
    private volatile String expectedAuthorization;
    private volatile boolean hang;
    private volatile boolean logFromZero;
    private volatile String lastState;
    private volatile String appId;
    private volatile String sparkUiUrl;

    FakeLivy(long batchId) throws IOException {
        this.batchId = batchId;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/livy/batches", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    String livyUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/livy";
    }

    FakeLivy requireBasicAuth(String user, String password) {
        expectedAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** States answered by successive GETs; the last one repeats. */
    synchronized FakeLivy states(String... s) {
        Collections.addAll(states, s);
        return this;
    }

    /** HTTP statuses answered by the next GETs of the batch before the state script resumes. */
    synchronized FakeLivy failNextGets(Integer... statuses) {
        Collections.addAll(getFailures, statuses);
        return this;
    }

    /** Once the batch reaches "running", report this YARN application and UI link. */
    FakeLivy app(String id, String uiUrl) {
        appId = id;
        sparkUiUrl = uiUrl;
        return this;
    }

    synchronized FakeLivy logLines(int n) {
        for (int i = 1; i <= n; i++) {
            log.add("log line " + i);
        }
        return this;
    }

    /** Answer log requests without 'from' from line 0, unlike Livy, which answers the tail. */
    FakeLivy logFromZeroByDefault() {
        logFromZero = true;
        return this;
    }

    /** Every request blocks without answering until {@link #close()}. */
    FakeLivy hang() {
        hang = true;
        return this;
    }

    List<Seen> requests(String method) {
        List<Seen> out = new ArrayList<>();
        for (Seen s : seen) {
            if (s.method().equals(method)) {
                out.add(s);
            }
        }
        return out;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getRawQuery(),
                    new LinkedHashMap<>(ex.getRequestHeaders()), body));
        }
        if (hang) {
            try {
                releaseHung.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        if (expectedAuthorization != null
                && !expectedAuthorization.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"HDInsight\"");
            send(ex, 401, "{\"message\":\"Unauthorized\"}");
            return;
        }
        // Livy's CSRF filter turns away writes without this header (livy.server.csrf-protection).
        if (!ex.getRequestMethod().equals("GET") && ex.getRequestHeaders().getFirst("X-Requested-By") == null) {
            send(ex, 400, "{\"msg\":\"Missing Required Header for CSRF protection.\"}");
            return;
        }
        String path = ex.getRequestURI().getPath();
        String rest = path.substring("/livy/batches".length());
        if (ex.getRequestMethod().equals("POST") && rest.isEmpty()) {
            lastState = "starting";
            send(ex, 201, JSON.writeValueAsString(batchObject("starting")));
        } else if (ex.getRequestMethod().equals("GET") && rest.equals("/" + batchId)) {
            Integer failure;
            String state;
            synchronized (this) {
                failure = getFailures.poll();
                state = states.size() > 1 ? states.poll() : states.peek();
            }
            if (failure != null) {
                send(ex, failure, "<html>Bad Gateway</html>");
                return;
            }
            lastState = state;
            send(ex, 200, JSON.writeValueAsString(batchObject(state)));
        } else if (ex.getRequestMethod().equals("GET") && rest.equals("/" + batchId + "/log")) {
            send(ex, 200, JSON.writeValueAsString(logPage(ex.getRequestURI().getRawQuery())));
        } else if (ex.getRequestMethod().equals("DELETE") && rest.equals("/" + batchId)) {
            send(ex, 200, "{\"msg\":\"deleted\"}");
        } else {
            send(ex, 404, "{\"msg\":\"Session '" + rest + "' not found.\"}");
        }
    }

    private Map<String, Object> batchObject(String state) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("id", batchId);
        b.put("name", "test");
        boolean started = !"starting".equals(state) && appId != null;
        b.put("appId", started ? appId : null);
        Map<String, Object> appInfo = new LinkedHashMap<>();
        appInfo.put("driverLogUrl", started ? "http://worker/containerlogs/driver" : null);
        appInfo.put("sparkUiUrl", started ? sparkUiUrl : null);
        b.put("appInfo", appInfo);
        b.put("log", List.of("stdout: ", "\nstderr: "));
        b.put("state", state);
        return b;
    }

    private synchronized Map<String, Object> logPage(String query) {
        Map<String, String> q = new LinkedHashMap<>();
        if (query != null) {
            for (String kv : query.split("&")) {
                String[] p = kv.split("=", 2);
                q.put(p[0], p.length > 1 ? p[1] : "");
            }
        }
        int size = Integer.parseInt(q.getOrDefault("size", "100"));
        int from = q.containsKey("from") ? Integer.parseInt(q.get("from"))
                : logFromZero ? 0 : Math.max(0, log.size() - size);
        int until = Math.min(log.size(), from + size);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("id", batchId);
        page.put("from", from);
        page.put("total", log.size());
        page.put("log", new ArrayList<>(log.subList(Math.min(from, until), until)));
        return page;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    String lastState() {
        return lastState;
    }

    @Override
    public void close() {
        releaseHung.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
