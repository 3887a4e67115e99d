package io.tilespark.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.azure.storage.blob.BlobContainerClient;

/**
 * A real spark-submit run of the job with a fresh random account key (plus a SAS token and an
 * OAuth client secret it does not need), event logging and the UI on: none of those values may
 * appear in the live UI's environment REST output, the event log, the manifest, or anything the
 * process printed. The settings reach Spark through {@code --properties-file}, never argv.
 */
@DisabledIfSystemProperty(named = "tilespark.target", matches = "hdinsight",
        disabledReason = "Hadoop 3.3.4's ABFS speaks only the DFS endpoint, which Azurite lacks: WasbEmulatorTest covers that target")
class SecretsStayOutTest {

    static final String ACCOUNT = "tsleaktest";
    static final String KEY = randomKey();

    @RegisterExtension
    static final Azurite AZURITE = Azurite.withAccount(ACCOUNT, KEY);

    static String randomKey() {
        byte[] b = new byte[64];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    @Test
    void keySasAndClientSecretAppearInNoLogEventLogUiOrManifest(@TempDir Path tmp) throws Exception {
        Map<String, byte[]> inputs = new LinkedHashMap<>();
        inputs.put("a.png", AzureJobs.encode(".png", 200, 150, 3, 11));
        inputs.put("sub/b.jpg", AzureJobs.encode(".jpg", 220, 140, 3, 12));
        AzureJobs.upload(AzureJobs.container(AZURITE, "secret-in"), "", inputs);
        BlobContainerClient outbox = AzureJobs.container(AZURITE, "secret-out");

        String sasSig = "sig=" + randomKey().substring(0, 43).replace('+', 'A').replace('/', 'B');
        String sas = "sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2099-01-01T00:00:00Z&" + sasSig;
        String clientSecret = "cs-" + randomKey().substring(0, 30);
        List<String> secrets = List.of(KEY, sasSig, clientSecret);

        int uiPort = Azurite.freePort();
        Path events = Files.createDirectories(tmp.resolve("events"));
        Map<String, String> props = new LinkedHashMap<>(AZURITE.abfsConf());
        // Set but unused by SharedKey auth: they must be hidden all the same.
        props.put("spark.hadoop.fs.azure.sas.fixed.token", sas);
        props.put("spark.hadoop.fs.azure.sas.secret-in." + ACCOUNT + ".blob.core.windows.net", sas);
        props.put("spark.hadoop.fs.azure.account.oauth2.client.secret", clientSecret);
        props.put("spark.eventLog.enabled", "true");
        props.put("spark.eventLog.dir", events.toUri().toString());
        props.put("spark.eventLog.compress", "false"); // Spark 4 compresses by default; grep needs text
        props.put("spark.ui.enabled", "true");
        props.put("spark.ui.port", Integer.toString(uiPort));
        props.put("spark.port.maxRetries", "0"); // this port or fail: never read another app's UI
        props.put("spark.ui.showConsoleProgress", "false");
        Path propsFile = tmp.resolve("secrets.conf");
        Files.createFile(propsFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w = Files.newBufferedWriter(propsFile, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : props.entrySet()) {
                w.write(e.getKey() + " " + e.getValue() + "\n");
            }
        }

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx2g");
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                    || a.startsWith("-Djdk.reflect")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.apache.spark.deploy.SparkSubmit");
        cmd.add("--master");
        cmd.add("local[2]");
        cmd.add("--properties-file");
        cmd.add(propsFile.toString());
        cmd.add("--class");
        cmd.add("io.tilespark.Main");
        cmd.add("spark-internal"); // Spark's name for "the main class is already on the classpath"
        cmd.add("--input");
        cmd.add(AZURITE.abfs("secret-in", ""));
        cmd.add("--output");
        cmd.add(AZURITE.abfs("secret-out", "run"));
        cmd.add("--ops");
        cmd.add("blur:3");
        cmd.add("--recursive");
        for (String a : cmd) {
            for (String s : secrets) {
                assertFalse(a.contains(s), "no secret on the command line");
            }
        }
        Path stdout = tmp.resolve("stdout.txt");
        Path stderr = tmp.resolve("stderr.txt");

        // Freeze storage first: the job then waits on its first listing call with the UI up, so the
        // UI can be read while the application is alive, without racing its end.
        AZURITE.pause();
        Process job = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        String environment;
        try {
            environment = liveEnvironment(uiPort, job);
        } finally {
            AZURITE.resume();
        }
        assertTrue(job.waitFor(5, TimeUnit.MINUTES), "the job ends");
        String out = Files.readString(stdout);
        String err = Files.readString(stderr);
        assertEquals(0, job.exitValue(), "job failed:\n" + out + err);
        assertEquals(2, AzureJobs.imagesOnly(AzureJobs.download(outbox, "run/")).size(),
                "the key really was used: both images were written");

        String eventLog = readAll(events);
        String manifest = AbfsRoundTripTest.manifestText(AzureJobs.download(outbox, "run/"));
        String keyName = "fs.azure.account.key." + ACCOUNT + ".dfs.core.windows.net";
        // The settings are there, with their values hidden: the checks below look at the right text.
        assertTrue(environment.contains(keyName), "UI environment lists the key's name");
        assertTrue(eventLog.contains(keyName), "event log lists the key's name");
        assertTrue(eventLog.contains("SparkListenerEnvironmentUpdate"), "event log has the environment");
        assertRedacted(environment, "spark.hadoop." + keyName);
        assertRedacted(eventLog, "spark.hadoop." + keyName);
        assertRedacted(environment, keyName);
        for (String s : secrets) {
            assertFalse(environment.contains(s), "UI environment REST output leaks " + label(s));
            assertFalse(eventLog.contains(s), "event log leaks " + label(s));
            assertFalse(manifest.contains(s), "manifest leaks " + label(s));
            assertFalse(out.contains(s), "stdout leaks " + label(s));
            assertFalse(err.contains(s), "stderr leaks " + label(s));
        }
    }

    private static String label(String secret) {
        return secret.equals(KEY) ? "the account key" : secret.startsWith("sig=") ? "the SAS signature"
                : "the client secret";
    }

    /** The key's entry in Spark's JSON (REST or event log) has the redaction marker as its value. */
    private static void assertRedacted(String json, String key) {
        Matcher m = Pattern.compile(Pattern.quote("\"" + key + "\"") + "\\s*[:,]\\s*\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), "entry for " + key);
        assertEquals("*********(redacted)", m.group(1), key);
    }

    /**
     * Reads /api/v1/applications/ID/environment from the running driver, waiting until the UI is
     * bound and the environment has been recorded (both happen as the SparkContext starts).
     */
    private static String liveEnvironment(int port, Process job) throws Exception {
        String base = "http://127.0.0.1:" + port + "/api/v1/applications";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            assertTrue(job.isAlive(), "the job ended before its UI could be read");
            String apps = get(base);
            Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(apps == null ? "" : apps);
            if (apps != null && apps.contains("tilespark") && id.find()) {
                String env = get(base + "/" + id.group(1) + "/environment");
                if (env != null && env.contains("sparkProperties") && env.contains("spark.hadoop.fs.azure")) {
                    return env;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the UI at " + base + " never showed the environment");
    }

    private static String get(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            if (c.getResponseCode() != 200) {
                return null;
            }
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static String readAll(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                sb.append(Files.readString(p));
            }
        }
        assertTrue(sb.length() > 0, "an event log was written under " + dir);
        return sb.toString();
    }
}
