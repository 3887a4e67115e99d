package io.tilespark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tilespark.Main;
import io.tilespark.testing.Chromium;
import io.tilespark.testing.SparkRest;
import io.tilespark.testing.TestInputs;

/**
 * The run report as its readers meet it: one real run through the CLI over two dated folders with
 * a broken file and an awkward name, then summary.json read as JSON, report.html rendered by
 * headless Chromium, and the event log opened in the History Server started by submit/history.sh.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunReportTest {

    /** A credential the run can see in its Hadoop configuration, which must not leak into any report file. */
    private static final String SECRET_KEY = "spark.hadoop.fs.azure.account.key.fakeacct.dfs.core.windows.net";
    private static final String SECRET = "c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1sZWFr";
    private static final String AWKWARD = "2026-02/d <&> 'x'.png";

    @TempDir
    static Path tmp;

    private Path out;
    private Path events;
    private int exit;
    private String stderr;
    private JsonNode summary;

    @BeforeAll
    void runOnce() throws Exception {
        Path in = tmp.resolve("in");
        TestInputs.images(in, 240, 180, "2026-01/a.jpg", "2026-01/b.png", "2026-02/c.jpg", AWKWARD);
        TestInputs.garbage(in.resolve("2026-02"), "broken.jpg");
        out = tmp.resolve("out");
        events = tmp.resolve("events");
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setProperty(SECRET_KEY, SECRET);
        System.setProperty("spark.ui.port", "0");
        System.setErr(new PrintStream(captured, true, "UTF-8"));
        try {
            exit = Main.run("--input", in.toString(), "--output", out.toString(), "--ops", "grey,blur:5",
                    "--tile", "64", "--recursive", "--master", "local[2]", "--event-log", events.toString());
        } finally {
            System.setErr(original);
            System.clearProperty(SECRET_KEY);
            System.clearProperty("spark.ui.port");
        }
        stderr = captured.toString("UTF-8");
        Path json = out.resolve("_tilespark/summary.json");
        assertTrue(Files.isRegularFile(json), "no summary.json; stderr:\n" + stderr);
        summary = new ObjectMapper().readTree(json.toFile());
    }

    @Test
    void brokenInputMakesExitCodeThreeAndTheRestIsWritten() {
        assertEquals(3, exit, stderr);
        assertTrue(Files.isRegularFile(out.resolve("2026-01/a.jpg")));
        assertTrue(Files.isRegularFile(out.resolve(AWKWARD)));
        assertTrue(stderr.contains("tilespark: 5 images: 4 ok, 1 failed, 0 skipped"), stderr);
    }

    @Test
    void progressWasPrintedOncePerStepEndingWithTheTotal() {
        assertTrue(stderr.contains("images 5/5 (1 failed) "), stderr);
        assertFalse(stderr.contains("[Stage "), "Spark's own console progress bar must be off");
    }

    @Test
    void summaryJsonHasCountsThroughputAppAndSettings() {
        assertEquals(5, summary.path("images").path("listed").asInt());
        assertEquals(4, summary.path("images").path("ok").asInt());
        assertEquals(1, summary.path("images").path("failed").asInt());
        assertEquals(3, summary.path("exit_code").asInt());
        assertEquals(4 * 240 * 180 / 1e6, summary.path("megapixels").asDouble(), 1e-6);
        assertTrue(summary.path("wall_seconds").asDouble() > 0);
        assertTrue(summary.path("throughput_mp_per_s").asDouble() > 0);
        assertTrue(summary.path("spark").path("app_id").asText().startsWith("local-"));
        assertEquals("grey,blur:5", summary.path("settings").path("ops").asText());
        assertTrue(summary.path("settings").path("settings").asText().contains("tile=64"));
        assertTrue(summary.path("opencv").asText().contains("opencv"), summary.path("opencv").asText());
        assertTrue(summary.path("spark").path("history_server").asText().contains("submit/history.sh"));
    }

    @Test
    void noReportFileHoldsTheCredential() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(out.resolve("_tilespark"))) {
            files = s.filter(Files::isRegularFile).collect(java.util.stream.Collectors.toList());
        }
        assertTrue(files.size() >= 3, files.toString());
        for (Path f : files) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(SECRET), "credential in " + f);
            assertFalse(text.contains("fs.azure.account.key"), "Hadoop settings in " + f);
        }
        assertFalse(stderr.contains(SECRET), "credential on stderr");
    }

    @Test
    void thumbnailsTravelledAsFilesThatAreGoneAfterTheRun() {
        assertFalse(Files.exists(out.resolve("_tilespark/_staging")), "staging (and the thumbnails in it) removed");
    }

    @Test
    void pageRendersCountsFailureReasonAndThumbnailPairs() throws Exception {
        String dom = Chromium.dumpDom(out.resolve("_tilespark/report.html").toUri().toString());
        assertTrue(dom.contains("1 of 5 images failed"), "verdict");
        assertEquals("4", cardValue(dom, "ok"));
        assertEquals("1", cardValue(dom, "failed"));
        Matcher failure = Pattern.compile("<tr class=\"failed\"><td><code>2026-02/broken\\.jpg</code></td><td>unknown</td>"
                + "<td class=\"error\">([^<]*)</td></tr>").matcher(dom);
        assertTrue(failure.find(), "failure row for broken.jpg");
        assertTrue(failure.group(1).startsWith("not an image"), failure.group(1));
        Matcher thumbs = Pattern.compile("<img class=\"thumb\" alt=\"(before|after): ([^\"]*)\" src=\"data:image/jpeg;base64,([A-Za-z0-9+/=]+)\">")
                .matcher(dom);
        List<String> seen = new ArrayList<>();
        while (thumbs.find()) {
            seen.add(thumbs.group(1) + " " + thumbs.group(2));
            byte[] jpeg = java.util.Base64.getDecoder().decode(thumbs.group(3));
            assertTrue(jpeg.length > 100 && jpeg.length < 30_000, "thumbnail of " + jpeg.length + " bytes");
            assertEquals(0xFF, jpeg[0] & 0xFF);
            assertEquals(0xD8, jpeg[1] & 0xFF);
        }
        assertEquals(List.of("before 2026-01/a.jpg", "after 2026-01/a.jpg", "before 2026-01/b.png", "after 2026-01/b.png",
                "before 2026-02/c.jpg", "after 2026-02/c.jpg", "before 2026-02/d &lt;&amp;&gt; 'x'.png",
                "after 2026-02/d &lt;&amp;&gt; 'x'.png"), seen);
        assertEquals(5, rowsOf(dom).size(), "one table row per image");
    }

    @Test
    void tableSortsByTheColumnNamedInTheAddress() throws Exception {
        String url = out.resolve("_tilespark/report.html").toUri() + "#sort=-bytes_in";
        String dom = Chromium.dumpDom(url);
        assertTrue(dom.contains("data-sorted=\"-bytes_in\""), "the page's script ran the sort");
        assertTrue(dom.contains("aria-sort=\"descending\""));
        List<Long> sizes = new ArrayList<>();
        for (String row : rowsOf(dom)) {
            Matcher m = Pattern.compile("<td class=\"n\" data-v=\"(\\d+)\">").matcher(row);
            List<Long> nums = new ArrayList<>();
            while (m.find()) {
                nums.add(Long.parseLong(m.group(1)));
            }
            sizes.add(nums.get(2)); // size, tiles, in, ...
        }
        assertEquals(5, sizes.size());
        for (int i = 1; i < sizes.size(); i++) {
            assertTrue(sizes.get(i - 1) >= sizes.get(i), "descending by input bytes: " + sizes);
        }
        assertEquals(20L, (long) sizes.get(4), "the 20-byte broken file is last");

        String byPath = Chromium.dumpDom(out.resolve("_tilespark/report.html").toUri() + "#sort=-path");
        List<String> rows = rowsOf(byPath);
        assertTrue(rows.get(0).contains("2026-02/d &lt;&amp;&gt;"), rows.get(0));
        assertTrue(rows.get(4).contains("2026-01/a.jpg"), rows.get(4));
    }

    @Test
    void historyServerFromSubmitScriptShowsTheRunWithItsNamedStage() throws Exception {
        String app = summary.path("spark").path("app_id").asText();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        File script = new File("submit/history.sh");
        Process p = new ProcessBuilder("bash", script.getAbsolutePath(), "--port", String.valueOf(port), events.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("history.log").toFile()).start();
        try {
            SparkRest rest = new SparkRest("http://127.0.0.1:" + port);
            rest.await("/applications", apps -> {
                for (JsonNode a : apps) {
                    if (app.equals(a.path("id").asText())) {
                        return true;
                    }
                }
                return false;
            }, 180);
            JsonNode stages = rest.await("/applications/" + app + "/stages", s -> s.size() > 0, 60);
            List<String> names = new ArrayList<>();
            for (JsonNode s : stages) {
                names.add(s.path("name").asText());
            }
            assertTrue(names.contains("decode+tile+apply+stitch+write 5 images: grey,blur:5"), names.toString());
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void screenshotForPeople() throws Exception {
        Path png = Path.of("target", "report-screenshot.png");
        Chromium.screenshot(out.resolve("_tilespark/report.html").toUri().toString(), png, 1280, 1800);
        assertTrue(Files.size(png) > 10_000, "a blank page would be tiny");
    }

    private static String cardValue(String dom, String id) {
        Matcher m = Pattern.compile("id=\"card-" + id + "\"><div class=\"v\">([^<]*)</div>").matcher(dom);
        assertTrue(m.find(), "card " + id);
        return m.group(1);
    }

    private static List<String> rowsOf(String dom) {
        int start = dom.indexOf("<tbody>", dom.indexOf("id=\"images-table\""));
        int end = dom.indexOf("</tbody>", start);
        List<String> rows = new ArrayList<>();
        Matcher m = Pattern.compile("<tr class=\"[a-z]+\">.*?</tr>", Pattern.DOTALL).matcher(dom.substring(start, end));
        while (m.find()) {
            rows.add(m.group());
        }
        return rows;
    }
}
