package io.tilespark.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A small client for Livy's batch API, as HDInsight exposes it at
 * {@code https://CLUSTER.azurehdinsight.net/livy}.
 *
 * <p>Endpoints used (Apache Livy REST API, "Batch" section): {@code POST /batches} answers a batch
 * object {@code {id, state, appId, appInfo, log}}; {@code GET /batches/{id}} the same object;
 * {@code GET /batches/{id}/log?from&size} answers {@code {id, from, total, log[]}} (Livy's server
 * names the line count {@code total}; some docs say {@code size}); {@code DELETE /batches/{id}}
 * kills. Every request carries {@code X-Requested-By}, which Livy's CSRF protection requires on
 * HDInsight, and HTTP Basic auth with the cluster login, which the HDInsight gateway checks.
 *
 * <p>Only {@link HttpURLConnection} and Java 8 APIs, so the client runs from the shaded jar on
 * whatever Java a laptop or a head node has.
 */
public final class LivyClient {

    /** Livy batch states after which nothing more will happen (Livy's SessionState names). */
    public static final Set<String> FINAL_STATES =
            Collections.unmodifiableSet(new HashSet<>(Arrays.asList("success", "dead", "killed", "error")));

    private static final int MAX_ERROR_BODY = 300;

    private final String batchesUrl;
    private final String user;
    private final String authorization;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    /**
     * @param livyUrl   Livy's root, e.g. {@code https://CLUSTER.azurehdinsight.net/livy}; a trailing
     *                  {@code /batches} is accepted too
     * @param user      the cluster (gateway) login; null or empty sends no Authorization header
     * @param password  its password; never logged, never put in a message
     */
    public LivyClient(String livyUrl, String user, String password, int connectTimeoutMillis, int readTimeoutMillis)
            throws LivyException {
        this.batchesUrl = batchesUrl(livyUrl);
        if (connectTimeoutMillis <= 0 || readTimeoutMillis <= 0) {
            throw new IllegalArgumentException("timeouts must be > 0 ms, got connect=" + connectTimeoutMillis
                    + " read=" + readTimeoutMillis);
        }
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.user = user == null ? "" : user;
        if (!this.user.isEmpty()) {
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("a user was given without a password");
            }
            refusePlainHttpWithCredentials(batchesUrl);
            String pair = this.user + ":" + password;
            this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        } else {
            this.authorization = null;
        }
    }

    /** Normalises a Livy root URL to its {@code /batches} collection. */
    static String batchesUrl(String livyUrl) throws LivyException {
        if (livyUrl == null || livyUrl.trim().isEmpty()) {
            throw new LivyException("no Livy URL given", LivyException.NO_STATUS);
        }
        String u = livyUrl.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (!u.endsWith("/batches")) {
            u = u + "/batches";
        }
        try {
            URL parsed = new URL(u);
            String protocol = parsed.getProtocol();
            if (!"https".equals(protocol) && !"http".equals(protocol)) {
                throw new LivyException("Livy URL must be http(s), got " + livyUrl, LivyException.NO_STATUS);
            }
            if (parsed.getUserInfo() != null) {
                // user:password@host would put the secret on the command line; refuse it.
                throw new LivyException("Livy URL must not carry user info; use HDI_USER and HDI_PASSWORD",
                        LivyException.NO_STATUS);
            }
        } catch (MalformedURLException e) {
            throw new LivyException("not a URL: " + livyUrl, LivyException.NO_STATUS, e);
        }
        return u;
    }

    /**
     * Basic auth over plain HTTP sends the password in clear. Only loopback (the tests, or an SSH
     * tunnel to the head node's Livy on port 8998) may do that.
     */
    private static void refusePlainHttpWithCredentials(String url) throws LivyException {
        URL parsed;
        try {
            parsed = new URL(url);
        } catch (MalformedURLException e) {
            throw new LivyException("not a URL: " + url, LivyException.NO_STATUS, e);
        }
        if (!"http".equals(parsed.getProtocol())) {
            return;
        }
        String host = parsed.getHost();
        boolean loopback;
        if (host.equalsIgnoreCase("localhost")) {
            loopback = true;
        } else if (host.matches("[0-9.]+") || host.startsWith("[")) {
            try {
                loopback = InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                loopback = false;
            }
        } else {
            loopback = false; // never resolve a name just to decide; names are not trusted here
        }
        if (!loopback) {
            throw new LivyException("refusing to send the cluster password over plain http to " + host
                    + "; use the https gateway URL", LivyException.NO_STATUS);
        }
    }

    public String batchesUrl() {
        return batchesUrl;
    }

    // ---------------------------------------------------------------- API calls

    /** {@code POST /batches}. Not retried: a second POST would start a second job. */
    public Batch submit(BatchRequest request) throws LivyException {
        Map<String, Object> answer = call("POST", batchesUrl, request.toJson());
        return Batch.from(answer);
    }

    /** {@code GET /batches/{id}}. */
    public Batch batch(long id) throws LivyException {
        return Batch.from(call("GET", batchesUrl + "/" + id, null));
    }

    /**
     * The last {@code lines} lines of the batch's Livy log ({@code GET /batches/{id}/log}).
     *
     * <p>Livy returns the tail when {@code from} is left out; should a server start at 0 instead,
     * the answer's {@code total} shows it and a second call fetches the real tail.
     */
    public List<String> logTail(long id, int lines) throws LivyException {
        if (lines <= 0) {
            return Collections.emptyList();
        }
        String url = batchesUrl + "/" + id + "/log";
        Map<String, Object> answer = call("GET", url + "?size=" + lines, null);
        List<String> log = Json.strings(answer, "log");
        Long total = Json.integer(answer, "total");
        Long from = Json.integer(answer, "from");
        if (total != null && from != null && from + log.size() < total) {
            long tailFrom = Math.max(0, total - lines);
            answer = call("GET", url + "?from=" + tailFrom + "&size=" + lines, null);
            log = Json.strings(answer, "log");
        }
        if (log.size() > lines) {
            log = new ArrayList<>(log.subList(log.size() - lines, log.size()));
        }
        return log;
    }

    /** {@code DELETE /batches/{id}}: stops the job and forgets it. */
    public void kill(long id) throws LivyException {
        call("DELETE", batchesUrl + "/" + id, null);
    }

    // ---------------------------------------------------------------- waiting

    /** Sleeping, made replaceable so that tests need not wait for real. */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** How a wait ended. */
    public static final class Outcome {
        private final Batch last;
        private final boolean finished;
        private final List<String> logTail;

        Outcome(Batch last, boolean finished, List<String> logTail) {
            this.last = last;
            this.finished = finished;
            this.logTail = Collections.unmodifiableList(new ArrayList<>(logTail));
        }

        /** The last batch state seen. */
        public Batch last() {
            return last;
        }

        /** False when the wait gave up before the batch reached a final state. */
        public boolean finished() {
            return finished;
        }

        public boolean succeeded() {
            return finished && "success".equals(last.state());
        }

        /** The Livy log's last lines, fetched only when the batch did not succeed. */
        public List<String> logTail() {
            return logTail;
        }
    }

    /**
     * Polls {@code GET /batches/{id}} until a final state or until {@code maxWaitMillis} passes.
     * Each state change, and the Spark application's id and UI link when they first appear, go
     * to {@code progress} as one line each.
     *
     * <p>A few failed polls in a row are forgiven (the gateway answers 502 during head-node
     * failover, and a multi-hour job should not be lost to one of those); a permanent answer such
     * as 401 or 404 ends the wait at once.
     */
    public Outcome await(long id, long pollMillis, long maxWaitMillis, int tailLines, int toleratedFailures,
            Consumer<String> progress, Sleeper sleeper) throws LivyException, InterruptedException {
        long deadline = System.nanoTime() + maxWaitMillis * 1_000_000L;
        String lastState = null;
        String shownApp = null;
        String shownUi = null;
        Batch current = null;
        int failuresInARow = 0;
        while (true) {
            try {
                current = batch(id);
                failuresInARow = 0;
            } catch (LivyException e) {
                if (e.isPermanent() || ++failuresInARow > toleratedFailures) {
                    throw e;
                }
                progress.accept("batch " + id + ": poll failed (" + failuresInARow + "/" + toleratedFailures
                        + " tolerated): " + e.getMessage());
            }
            if (current != null) {
                if (!current.state().equals(lastState)) {
                    progress.accept("batch " + id + ": " + current.state());
                    lastState = current.state();
                }
                if (current.appId() != null && !current.appId().equals(shownApp)) {
                    shownApp = current.appId();
                    progress.accept("batch " + id + ": application " + shownApp);
                    for (String link : gatewayLinks(shownApp)) {
                        progress.accept("batch " + id + ": " + link);
                    }
                }
                if (current.sparkUiUrl() != null && !current.sparkUiUrl().equals(shownUi)) {
                    shownUi = current.sparkUiUrl();
                    progress.accept("batch " + id + ": Spark UI " + shownUi);
                }
                if (FINAL_STATES.contains(current.state())) {
                    List<String> tail = current.state().equals("success")
                            ? Collections.<String>emptyList() : logTail(id, tailLines);
                    return new Outcome(current, true, tail);
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                if (current == null) {
                    throw new LivyException("never got the state of batch " + id + " before the wait ended",
                            LivyException.NO_STATUS);
                }
                return new Outcome(current, false, Collections.<String>emptyList());
            }
            sleeper.sleep(pollMillis);
        }
    }

    /**
     * On HDInsight, the YARN application page and the Spark History Server are reachable through
     * the cluster gateway at {@code /yarnui/hn/cluster/app/APP} and {@code /sparkhistory}
     * (HDInsight docs, "Use the Apache Spark REST API" / "scaling best practices"). Elsewhere
     * nothing is guessed.
     */
    List<String> gatewayLinks(String appId) {
        List<String> links = new ArrayList<>();
        try {
            URL u = new URL(batchesUrl);
            String host = u.getHost().toLowerCase(Locale.ROOT);
            if (host.endsWith(".azurehdinsight.net")) {
                String root = "https://" + u.getHost();
                links.add("YARN " + root + "/yarnui/hn/cluster/app/" + appId);
                links.add("Spark History " + root + "/sparkhistory/");
            }
        } catch (MalformedURLException e) {
            // batchesUrl was checked in the constructor
        }
        return links;
    }

    // ---------------------------------------------------------------- HTTP

    private Map<String, Object> call(String method, String url, String jsonBody) throws LivyException {
        HttpURLConnection conn;
        try {
            conn = (HttpURLConnection) new URL(url).openConnection();
        } catch (IOException e) {
            throw new LivyException("cannot open " + url + ": " + e.getMessage(), LivyException.NO_STATUS, e);
        }
        try {
            conn.setRequestMethod(method);
            conn.setConnectTimeout(connectTimeoutMillis);
            conn.setReadTimeout(readTimeoutMillis);
            // A redirect would either leave the gateway or resend the credentials somewhere else.
            conn.setInstanceFollowRedirects(false);
            conn.setUseCaches(false);
            conn.setRequestProperty("Accept", "application/json");
            conn.setRequestProperty("X-Requested-By", user.isEmpty() ? "tilespark" : user);
            if (authorization != null) {
                conn.setRequestProperty("Authorization", authorization);
            }
            if (jsonBody != null) {
                byte[] bytes = jsonBody.getBytes(StandardCharsets.UTF_8);
                conn.setDoOutput(true);
                conn.setRequestProperty("Content-Type", "application/json; charset=utf-8");
                conn.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = conn.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = conn.getResponseCode();
            if (status == HttpURLConnection.HTTP_UNAUTHORIZED) {
                throw new LivyException("Livy answered HTTP 401 Unauthorized to " + method + " " + url
                        + " for user '" + user + "': check HDI_USER and HDI_PASSWORD"
                        + " (the cluster login, not the SSH user)", status);
            }
            if (status == HttpURLConnection.HTTP_FORBIDDEN) {
                throw new LivyException("Livy answered HTTP 403 Forbidden to " + method + " " + url
                        + " for user '" + user + "'", status);
            }
            if (status < 200 || status >= 300) {
                String body = snippet(readAll(conn.getErrorStream()));
                throw new LivyException("Livy answered HTTP " + status + " to " + method + " " + url
                        + (body.isEmpty() ? "" : ": " + body), status);
            }
            String text = readAll(conn.getInputStream());
            if (text.trim().isEmpty()) {
                return Collections.emptyMap();
            }
            try {
                return Json.parseObject(text);
            } catch (IllegalArgumentException e) {
                throw new LivyException("Livy's answer to " + method + " " + url + " is not a JSON object ("
                        + e.getMessage() + "): " + snippet(text), status, e);
            }
        } catch (SocketTimeoutException e) {
            throw new LivyException("Livy did not answer " + method + " " + url + " within "
                    + (isConnectTimeout(e) ? connectTimeoutMillis + " ms (connect timeout)"
                    : readTimeoutMillis + " ms (read timeout)"), LivyException.NO_STATUS, e);
        } catch (ConnectException e) {
            throw new LivyException("cannot connect to " + url + ": " + e.getMessage(), LivyException.NO_STATUS, e);
        } catch (UnknownHostException e) {
            throw new LivyException("unknown host in " + url + ": " + e.getMessage(), LivyException.NO_STATUS, e);
        } catch (LivyException e) {
            throw e;
        } catch (IOException e) {
            throw new LivyException(method + " " + url + " failed: " + e, LivyException.NO_STATUS, e);
        } finally {
            conn.disconnect();
        }
    }

    private static boolean isConnectTimeout(SocketTimeoutException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).contains("connect");
    }

    private static String readAll(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (InputStream stream = in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = stream.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return new String(out.toByteArray(), StandardCharsets.UTF_8);
        }
    }

    private static String snippet(String body) {
        String s = LivyException.oneLine(body);
        return s.length() <= MAX_ERROR_BODY ? s : s.substring(0, MAX_ERROR_BODY) + "…";
    }

    // ---------------------------------------------------------------- values

    /** What Livy says about one batch. */
    public static final class Batch {
        private final long id;
        private final String state;
        private final String appId;
        private final String sparkUiUrl;
        private final String driverLogUrl;

        Batch(long id, String state, String appId, String sparkUiUrl, String driverLogUrl) {
            this.id = id;
            this.state = state;
            this.appId = appId;
            this.sparkUiUrl = sparkUiUrl;
            this.driverLogUrl = driverLogUrl;
        }

        static Batch from(Map<String, Object> json) throws LivyException {
            Long id = Json.integer(json, "id");
            String state = Json.string(json, "state");
            if (id == null || state == null) {
                throw new LivyException("Livy's batch object lacks id or state: " + snippet(Json.write(json)),
                        LivyException.NO_STATUS);
            }
            Map<String, Object> appInfo = Json.object(json, "appInfo");
            return new Batch(id, state, Json.string(json, "appId"), Json.string(appInfo, "sparkUiUrl"),
                    Json.string(appInfo, "driverLogUrl"));
        }

        public long id() {
            return id;
        }

        public String state() {
            return state;
        }

        /** YARN's application id once the driver is registered, else null. */
        public String appId() {
            return appId;
        }

        /** {@code appInfo.sparkUiUrl}; HDInsight rewrites it to a gateway URL. Null until known. */
        public String sparkUiUrl() {
            return sparkUiUrl;
        }

        public String driverLogUrl() {
            return driverLogUrl;
        }

        @Override
        public String toString() {
            return "batch " + id + " (" + state + ")";
        }
    }
}
