package io.tilespark.azure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Azurite blob server (from test-tools/node_modules, pinned in test-tools/package.json) on
 * 127.0.0.1, for one test class: register it with {@code @RegisterExtension static Azurite}. It
 * keeps its data in a temp folder, so {@link #stop()} then {@link #start()} brings the same
 * containers back on the same port, as a storage outage would end. Only the process it started is
 * ever signalled.
 */
public final class Azurite implements BeforeAllCallback, AfterAllCallback {

    /** Azurite's well-known development account and key (published in its README). */
    public static final String DEV_ACCOUNT = "devstoreaccount1";
    public static final String DEV_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    static final Path TOOLS = Paths.get(System.getProperty("user.dir"), "test-tools");
    static final Path BLOB_BIN = TOOLS.resolve("node_modules/.bin/azurite-blob");

    private final int fixedPort;
    private final String account;
    private final String key;
    private int port;
    private Path location;
    private Path log;
    private Process process;

    private Azurite(int fixedPort, String account, String key) {
        this.fixedPort = fixedPort;
        this.account = account;
        this.key = key;
    }

    /** The development account on a free loopback port. */
    public static Azurite onFreePort() {
        return new Azurite(0, DEV_ACCOUNT, DEV_KEY);
    }

    /** A fixed port: WASB's emulator mode only ever talks to 127.0.0.1:10000. */
    public static Azurite onPort(int port) {
        return new Azurite(port, DEV_ACCOUNT, DEV_KEY);
    }

    /** Its own account with the given key instead of the development one (AZURITE_ACCOUNTS). */
    public static Azurite withAccount(String account, String key) {
        return new Azurite(0, account, key);
    }

    public String account() {
        return account;
    }

    public String key() {
        return key;
    }

    public int port() {
        return port;
    }

    /** Connection string for the Azure SDK, which the tests use as the independent client. */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + account + ";AccountKey=" + key
                + ";BlobEndpoint=http://127.0.0.1:" + port + "/" + account + ";";
    }

    /** An abfs:// URI for a container and path in this account (the host must be *.dfs.core.windows.net). */
    public String abfs(String container, String path) {
        return "abfs://" + container + "@" + account + ".dfs.core.windows.net/" + path;
    }

    /**
     * The Spark settings that point ABFS at this server's Blob endpoint (see
     * ../shared/PLATFORM.md): hadoop-azure 3.4.2 speaks the Blob API when told the account has no
     * hierarchical namespace, which is all Azurite implements.
     */
    public Map<String, String> abfsConf() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("spark.hadoop.fs.azure.abfs.endpoint", "127.0.0.1:" + port);
        c.put("spark.hadoop.fs.azure.always.use.https", "false");
        c.put("spark.hadoop.fs.azure.account.auth.type", "SharedKey");
        c.put("spark.hadoop.fs.azure.account.key." + account + ".dfs.core.windows.net", key);
        c.put("spark.hadoop.fs.azure.account.hns.enabled", "false");
        c.put("spark.hadoop.fs.azure.fns.account.service.type", "BLOB");
        return c;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        location = Files.createTempDirectory("azurite-");
        log = Files.createTempFile("azurite-", ".log");
        port = fixedPort != 0 ? fixedPort : freePort();
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        deleteTree(location);
        Files.deleteIfExists(log);
    }

    /** Starts (or restarts) the server on the same port and data folder, and waits until it accepts connections. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Azurite is already running on port " + port);
        }
        if (!Files.isExecutable(BLOB_BIN)) {
            throw new IllegalStateException("Azurite is not installed at " + BLOB_BIN
                    + ": run `npm ci --prefix test-tools` in the project folder first (see .ci/run)");
        }
        if (portOpen(port)) {
            throw new IllegalStateException("port 127.0.0.1:" + port + " is already taken; Azurite needs it free");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(BLOB_BIN.toString());
        cmd.add("--blobHost");
        cmd.add("127.0.0.1");
        cmd.add("--blobPort");
        cmd.add(Integer.toString(port));
        cmd.add("--location");
        cmd.add(location.toString());
        cmd.add("--silent");
        cmd.add("--disableTelemetry");
        // The Azure SDK in the tests may be newer than the API versions this Azurite knows.
        cmd.add("--skipApiVersionCheck");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (!DEV_ACCOUNT.equals(account)) {
            pb.environment().put("AZURITE_ACCOUNTS", account + ":" + key);
        }
        process = pb.start();
        // A start-up bound, not a test assertion: node needs a second or two.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!portOpen(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited with " + process.exitValue() + " before listening: "
                        + new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("Azurite did not listen on 127.0.0.1:" + port + " within 60 s");
            }
            Thread.sleep(100);
        }
    }

    /** Stops the server the way an outage would look to clients: the port stops answering. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy(); // SIGTERM: Azurite saves its metadata and closes
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    /** Freezes the server (SIGSTOP): connections are accepted by the kernel but nothing is answered. */
    public synchronized void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a paused server go on (SIGCONT); the requests that waited are then answered. */
    public synchronized void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String sig) throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("Azurite is not running");
        }
        // The pid of the process this harness started, and no other.
        Process kill = new ProcessBuilder("kill", sig, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill " + sig + " " + process.pid() + " failed");
        }
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    private static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
