package io.tilespark.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A real Spark standalone cluster for the tests, run by submit/cluster.sh itself on free loopback
 * ports with its state in a temporary folder, so it never meets a cluster a person has started.
 * Drivers are submitted with submit/submit.sh. Only processes this class started (through the
 * scripts, which record their pids) are ever stopped.
 */
final class StandaloneCluster implements AutoCloseable {

    static final Path ROOT = Paths.get("").toAbsolutePath();
    static final String JAR = Paths.get(System.getProperty("tilespark.jar", "target/tilespark-0.1.0-SNAPSHOT.jar"))
            .toAbsolutePath().toString();
    /** Hang guard for script calls; never a pass/fail criterion. */
    private static final long SCRIPT_TIMEOUT_MIN = 5;

    final Path dir;
    final int masterPort = freePort();
    final int masterUiPort = freePort();
    final int workerUiPort = freePort();
    final int historyPort = freePort();
    private final List<Process> drivers = new ArrayList<>();

    private StandaloneCluster(Path dir) {
        this.dir = dir;
    }

    /** Starts a master, a History Server and {@code workers} workers of one core and 1 GiB each. */
    static StandaloneCluster start(Path dir, int workers) throws IOException, InterruptedException {
        StandaloneCluster c = new StandaloneCluster(dir);
        c.script("start", "--workers", Integer.toString(workers), "--cores", "1", "--memory", "1g");
        return c;
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    String masterUi() {
        return "http://127.0.0.1:" + masterUiPort;
    }

    String historyApi() {
        return "http://127.0.0.1:" + historyPort + "/api/v1";
    }

    Path eventLogDir() {
        return dir.resolve("events");
    }

    void addWorker(String host) throws IOException, InterruptedException {
        script("add-worker", "--cores", "1", "--memory", "1g", "--host", host);
    }

    String status() throws IOException, InterruptedException {
        return script("status");
    }

    /** The master's view (its /json/ endpoint). */
    JsonNode master() throws IOException {
        return Rest.get(masterUi() + "/json/");
    }

    List<JsonNode> aliveWorkers() throws IOException {
        List<JsonNode> alive = new ArrayList<>();
        for (JsonNode w : master().path("workers")) {
            if ("ALIVE".equals(w.path("state").asText())) {
                alive.add(w);
            }
        }
        return alive;
    }

    /** Adds workers on 127.0.0.2, 127.0.0.3 ... until {@code n} are alive: one per loopback host. */
    void ensureWorkers(int n) throws IOException, InterruptedException {
        for (int host = 2; aliveWorkers().size() < n; host++) {
            String addr = "127.0.0." + host;
            boolean taken = false;
            for (JsonNode w : aliveWorkers()) {
                taken |= addr.equals(w.path("host").asText());
            }
            if (!taken) {
                addWorker(addr);
            }
        }
    }

    /** The pid cluster.sh recorded for each worker it started, by worker name. */
    Map<String, Long> workerPids() throws IOException {
        Map<String, Long> pids = new LinkedHashMap<>();
        try (var files = Files.list(dir.resolve("pids"))) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith("worker-") && name.endsWith(".pid")) {
                    pids.put(name.substring(0, name.length() - 4),
                            Long.parseLong(new String(Files.readAllBytes(p), StandardCharsets.US_ASCII).trim()));
                }
            }
        }
        return pids;
    }

    /**
     * The executor JVM of {@code appId} with that executor id: a CoarseGrainedExecutorBackend
     * process whose parent is one of the workers this cluster started.
     */
    Optional<ProcessHandle> executorProcess(String appId, String executorId) throws IOException {
        for (long worker : workerPids().values()) {
            Optional<ProcessHandle> w = ProcessHandle.of(worker);
            if (w.isEmpty()) {
                continue;
            }
            for (ProcessHandle child : (Iterable<ProcessHandle>) w.get().children()::iterator) {
                List<String> args = Arrays.asList(child.info().arguments().orElse(new String[0]));
                int id = args.indexOf("--executor-id");
                int app = args.indexOf("--app-id");
                if (args.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend") && id >= 0 && app >= 0
                        && executorId.equals(args.get(id + 1)) && appId.equals(args.get(app + 1))) {
                    return Optional.of(child);
                }
            }
        }
        return Optional.empty();
    }

    /** Starts a driver through submit/submit.sh, its UI (and REST API) on {@code uiPort}. */
    Process submit(Path log, int uiPort, List<String> confs, List<String> jobArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("submit/submit.sh").toString(), "--master", masterUrl(),
                "--conf", "spark.ui.port=" + uiPort, "--conf", "spark.port.maxRetries=0"));
        for (String c : confs) {
            cmd.add("--conf");
            cmd.add(c);
        }
        cmd.add("--");
        cmd.addAll(jobArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env());
        Process p = pb.start();
        drivers.add(p);
        return p;
    }

    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TILESPARK_CLUSTER_DIR", dir.toString());
        env.put("TILESPARK_MASTER_PORT", Integer.toString(masterPort));
        env.put("TILESPARK_MASTER_UI_PORT", Integer.toString(masterUiPort));
        env.put("TILESPARK_WORKER_UI_PORT", Integer.toString(workerUiPort));
        env.put("TILESPARK_HISTORY_PORT", Integer.toString(historyPort));
        env.put("TILESPARK_JAR", JAR);
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        return env;
    }

    String script(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("submit/cluster.sh").toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env());
        Path out = Files.createTempFile(dir.getParent(), "cluster-sh-", ".log");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(SCRIPT_TIMEOUT_MIN, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("cluster.sh " + String.join(" ", args) + " hung:\n" + Files.readString(out));
        }
        String text = Files.readString(out);
        System.out.println("$ cluster.sh " + String.join(" ", args) + "\n" + text);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("cluster.sh " + String.join(" ", args) + " exited " + p.exitValue()
                    + ":\n" + text);
        }
        return text;
    }

    /** Stops the drivers still running (started here) and then the cluster, through cluster.sh stop. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (Process p : drivers) {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        script("stop");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
