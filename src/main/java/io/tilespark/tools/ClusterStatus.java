package io.tilespark.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The "server status" view of a Spark standalone cluster, read from the master's JSON endpoint
 * ({@code http://MASTER_UI/json/}): each worker, alive or dead, with its cores and memory, and the
 * running applications. Used by submit/cluster.sh, which runs it on Spark's own jars (Jackson
 * comes from there), so that the scripts need nothing beyond Java.
 * <pre>
 *   ClusterStatus print MASTER_UI_URL [HISTORY_UI_URL]
 *   ClusterStatus wait  MASTER_UI_URL WORKERS TIMEOUT_SECONDS [HISTORY_UI_URL]
 *   ClusterStatus alive MASTER_UI_URL        (prints the number of live workers)
 * </pre>
 * Exit codes: 0 fine, 1 master (or history server) unreachable or not ready in time, 2 usage.
 */
public final class ClusterStatus {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterStatus() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        if (args.length >= 2 && args[0].equals("print") && args.length <= 3) {
            return print(args[1], args.length == 3 ? args[2] : null, out);
        }
        if (args.length == 2 && args[0].equals("alive")) {
            try {
                out.println(get(args[1] + "/json/").path("aliveworkers").asInt());
                return 0;
            } catch (IOException e) {
                out.println("master not reachable at " + args[1] + " (" + e.getMessage() + ")");
                return 1;
            }
        }
        if (args.length >= 4 && args[0].equals("wait") && args.length <= 5) {
            return waitFor(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]),
                    args.length == 5 ? args[4] : null, out);
        }
        out.println("usage: ClusterStatus print MASTER_UI_URL [HISTORY_UI_URL]");
        out.println("       ClusterStatus wait MASTER_UI_URL WORKERS TIMEOUT_SECONDS [HISTORY_UI_URL]");
        out.println("       ClusterStatus alive MASTER_UI_URL");
        return 2;
    }

    private static int print(String masterUi, String historyUi, PrintStream out) {
        JsonNode master;
        try {
            master = get(masterUi + "/json/");
        } catch (IOException e) {
            out.println("master: not reachable at " + masterUi + " (" + e.getMessage() + ")");
            return 1;
        }
        out.print(render(master, masterUi, historyUi, System.currentTimeMillis()));
        return 0;
    }

    private static int waitFor(String masterUi, int workers, long timeoutSeconds, String historyUi, PrintStream out) {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        String missing;
        do {
            missing = missing(masterUi, workers, historyUi);
            if (missing == null) {
                return 0;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        out.println("not ready after " + timeoutSeconds + " s: " + missing);
        return 1;
    }

    /** What is not up yet, or null when the master has enough live workers and the history server answers. */
    private static String missing(String masterUi, int workers, String historyUi) {
        try {
            int alive = get(masterUi + "/json/").path("aliveworkers").asInt();
            if (alive < workers) {
                return alive + " of " + workers + " workers registered";
            }
        } catch (IOException e) {
            return "master UI " + masterUi + " (" + e.getMessage() + ")";
        }
        if (historyUi != null) {
            try {
                get(historyUi + "/api/v1/applications?limit=1");
            } catch (IOException e) {
                return "history server " + historyUi + " (" + e.getMessage() + ")";
            }
        }
        return null;
    }

    /** The status text for one reading of the master's JSON. */
    static String render(JsonNode m, String masterUi, String historyUi, long now) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("master  %s  %s  ui %s%s%n", m.path("url").asText(), m.path("status").asText(),
                masterUi, historyUi == null ? "" : "  history " + historyUi));
        List<JsonNode> workers = list(m.path("workers"));
        workers.sort(Comparator.comparing((JsonNode w) -> w.path("host").asText())
                .thenComparing(w -> w.path("id").asText()));
        long alive = workers.stream().filter(w -> "ALIVE".equals(w.path("state").asText())).count();
        sb.append(String.format("workers %d alive, %d not alive; cores %d (%d used); memory %s (%s used)%n", alive,
                workers.size() - alive, m.path("cores").asInt(), m.path("coresused").asInt(),
                mib(m.path("memory").asLong()), mib(m.path("memoryused").asLong())));
        for (JsonNode w : workers) {
            sb.append(String.format("  %-7s %-21s cores %d/%d used  memory %s/%s used  ui %s  (%s)%n",
                    w.path("state").asText(), w.path("host").asText() + ":" + w.path("port").asText(),
                    w.path("coresused").asInt(), w.path("cores").asInt(), mib(w.path("memoryused").asLong()),
                    mib(w.path("memory").asLong()), w.path("webuiaddress").asText(), w.path("id").asText()));
        }
        List<JsonNode> apps = list(m.path("activeapps"));
        sb.append(String.format("running applications: %d%n", apps.size()));
        for (JsonNode a : apps) {
            long started = a.path("starttime").asLong();
            JsonNode perExecutor = a.has("memoryperexecutor") ? a.path("memoryperexecutor") : a.path("memoryperslave");
            sb.append(String.format("  %s  %-8s cores %d  memory/executor %s  up %s  %s%n", a.path("id").asText(),
                    a.path("state").asText(), a.path("cores").asInt(), mib(perExecutor.asLong()),
                    duration(now - started), a.path("name").asText()));
        }
        List<JsonNode> done = list(m.path("completedapps"));
        if (!done.isEmpty()) {
            done.sort(Comparator.comparing((JsonNode a) -> a.path("starttime").asLong()).reversed());
            JsonNode last = done.get(0);
            sb.append(String.format("completed applications: %d (latest %s %s, %s)%n", done.size(),
                    last.path("id").asText(), last.path("state").asText(), last.path("name").asText()));
        }
        return sb.toString();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        array.forEach(l::add);
        return l;
    }

    static String mib(long mib) {
        return mib >= 1024 ? String.format(Locale.ROOT, "%.1f GiB", mib / 1024.0) : mib + " MiB";
    }

    static String duration(long millis) {
        long s = Math.max(0, millis / 1000);
        return s < 60 ? s + " s" : s < 3600 ? (s / 60) + " min " + (s % 60) + " s" : (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    private static JsonNode get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        try {
            int code = c.getResponseCode();
            if (code != 200) {
                throw new IOException("HTTP " + code);
            }
            try (InputStream in = c.getInputStream()) {
                return JSON.readTree(in);
            }
        } finally {
            c.disconnect();
        }
    }
}
