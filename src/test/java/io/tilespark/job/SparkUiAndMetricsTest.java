package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.tilespark.ops.Plan;
import io.tilespark.report.ManifestRow;
import io.tilespark.testing.FlakyLocalFileSystem;
import io.tilespark.testing.SparkRest;
import io.tilespark.testing.TestInputs;

/**
 * What a person watching the Spark UI sees, read through its REST API: stage and job names in
 * plain words, and accumulators that count every image exactly once even when tasks fail and are
 * retried. Runs under local[2,3] (two slots, up to three attempts per task) with a file system
 * that fails the first attempt of chosen tasks: b.png cannot be opened and e.png's output cannot
 * be published on a first attempt. With three images per partition, the e.png task has already
 * finished d.png when it fails, so a count kept from a failed attempt would show.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkUiAndMetricsTest {

    private static final String OPS = "grey,blur:5";
    private static final int IMAGES = 7;

    @TempDir
    static Path tmp;

    private SparkSession spark;
    private SparkRest rest;
    private String app;
    private final Map<String, Run> runs = new TreeMap<>();

    /** One finished run as the REST API shows it. */
    private static final class Run {
        RunResult result;
        String manifest;
        JsonNode job;
        final List<JsonNode> stages = new ArrayList<>();
        final List<JsonNode> otherJobs = new ArrayList<>();
        String stderr;
    }

    @BeforeAll
    void runTwice() throws Exception {
        Path in = tmp.resolve("in");
        TestInputs.images(in, 300, 200, "a.png", "b.png", "c.png", "d.png", "e.png", "f.png");
        TestInputs.garbage(in, "z-corrupt.jpg");
        spark = SparkSession.builder().master("local[2,3]").appName("tilespark ui test")
                .config("spark.ui.enabled", "true")
                .config("spark.ui.port", "0")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.hadoop.fs.file.impl", FlakyLocalFileSystem.class.getName())
                .config("spark.hadoop.fs.file.impl.disable.cache", "true")
                .config("spark.hadoop." + FlakyLocalFileSystem.FAIL_OPEN, "b\\.png")
                .config("spark.hadoop." + FlakyLocalFileSystem.FAIL_RENAME, "e\\.png")
                .getOrCreate();
        app = spark.sparkContext().applicationId();
        rest = new SparkRest(spark.sparkContext().uiWebUrl().get());
        runs.put("single", run(in, "single", JobSpec.Spread.NEVER));
        runs.put("spread", run(in, "spread", JobSpec.Spread.ALWAYS));
    }

    @AfterAll
    void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private Run run(Path in, String name, JobSpec.Spread spread) throws Exception {
        Run r = new Run();
        String out = tmp.resolve("out-" + name).toString();
        JobSpec spec = JobSpec.builder(in.toString(), out, Plan.parse(OPS)).tile(64).partitions(2).spread(spread).build();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, "UTF-8"));
        try {
            r.result = new TileJob(spark, spec).run();
        } finally {
            System.setErr(original);
        }
        r.stderr = captured.toString("UTF-8");
        r.manifest = out + "/_tilespark/manifest";
        String description = "tilespark: " + IMAGES + " images, " + OPS;
        Map<String, JsonNode> seen = new TreeMap<>();
        for (Run earlier : runs.values()) {
            seen.put(earlier.job.path("jobGroup").asText(), earlier.job);
        }
        // The newest job with this run's description from a group not seen before, once it has ended.
        JsonNode jobs = rest.await("/applications/" + app + "/jobs", list -> {
            for (JsonNode j : list) {
                if (description.equals(j.path("description").asText()) && !seen.containsKey(j.path("jobGroup").asText())) {
                    return "SUCCEEDED".equals(j.path("status").asText());
                }
            }
            return false;
        }, 120);
        for (JsonNode j : jobs) {
            if (description.equals(j.path("description").asText()) && !seen.containsKey(j.path("jobGroup").asText())) {
                r.job = j;
                break;
            }
        }
        for (JsonNode j : jobs) {
            if (j != r.job && j.path("jobGroup").asText().equals(r.job.path("jobGroup").asText())) {
                r.otherJobs.add(j);
            }
        }
        for (JsonNode id : r.job.path("stageIds")) {
            JsonNode attempts = rest.await("/applications/" + app + "/stages/" + id.asInt(),
                    a -> a.size() > 0 && "COMPLETE".equals(a.get(0).path("status").asText()), 120);
            r.stages.add(attempts.get(0));
        }
        r.stages.sort((a, b) -> Integer.compare(a.path("stageId").asInt(), b.path("stageId").asInt()));
        return r;
    }

    @Test
    void withoutShuffleTheOneStageIsNamedAfterTheWholePipeline() {
        Run r = runs.get("single");
        assertEquals(1, r.stages.size(), "stages of the run: " + r.stages);
        assertEquals("decode+tile+apply+stitch+write 7 images: grey,blur:5", r.stages.get(0).path("name").asText());
        assertEquals("decode+tile+apply+stitch+write 7 images: grey,blur:5", r.job.path("name").asText());
    }

    @Test
    void spreadRunHasTwoStagesNamedForTheirSteps() {
        Run r = runs.get("spread");
        List<String> names = new ArrayList<>();
        for (JsonNode s : r.stages) {
            names.add(s.path("name").asText());
        }
        assertEquals(List.of("decode+tile+apply 7 images: grey,blur:5", "stitch+write 7 images"), names);
    }

    @Test
    void eachRunIsOneSparkJobInTheRunsGroupWithAPlainDescription() {
        for (Run r : runs.values()) {
            String group = r.job.path("jobGroup").asText();
            assertTrue(group.startsWith("tilespark-"), group);
            // The manifest and the report are written by the driver from the result stage's part
            // files: no job after the images' one.
            List<String> others = new ArrayList<>();
            for (JsonNode j : r.otherJobs) {
                others.add(j.path("name").asText() + " | " + j.path("description").asText());
            }
            assertEquals(List.of(), others, "jobs in the run's group besides the images' job");
            assertTrue(Files.isDirectory(Path.of(r.manifest)), "the run wrote its manifest " + r.manifest);
        }
    }

    @Test
    void tasksReallyFailedAndWereRetried() {
        Run single = runs.get("single");
        assertEquals(2, single.stages.get(0).path("numFailedTasks").asInt(), "one failed attempt per injected fault");
        Run spread = runs.get("spread");
        assertEquals(1, spread.stages.get(0).path("numFailedTasks").asInt(), "decode stage: b.png's first attempt");
        assertEquals(1, spread.stages.get(1).path("numFailedTasks").asInt(), "stitch+write stage: e.png's first attempt");
    }

    @Test
    void accumulatorsEqualTheManifestDespiteRetriedTasks() {
        for (Map.Entry<String, Run> e : runs.entrySet()) {
            Run r = e.getValue();
            JsonNode result = r.stages.get(r.stages.size() - 1);
            Map<String, Long> acc = SparkRest.accumulators(result);
            Map<String, Long> expected = fromManifest(r.manifest);
            assertEquals(expected, acc, e.getKey() + " run: accumulators of the result stage vs the manifest");
            assertEquals(6L, acc.get("images written"));
            assertEquals(1L, acc.get("images failed"));
        }
    }

    /** What the accumulators must say, computed from the manifest's rows. */
    private Map<String, Long> fromManifest(String manifest) {
        List<Row> rows = spark.read().schema(ManifestRow.schema()).json(manifest).collectAsList();
        assertEquals(IMAGES, rows.size());
        long read = 0;
        long written = 0;
        long failed = 0;
        long tiles = 0;
        long kilopixels = 0;
        long bytesIn = 0;
        long bytesOut = 0;
        for (Row row : rows) {
            long w = ((Number) row.getAs("width")).longValue();
            long h = ((Number) row.getAs("height")).longValue();
            bytesIn += ((Number) row.getAs("size")).longValue();
            if (w > 0) {
                read++;
            }
            if (ManifestRow.OK.equals(row.getAs("status"))) {
                written++;
                tiles += ((Number) row.getAs("tiles")).longValue();
                kilopixels += (w * h + 500) / 1000;
                bytesOut += ((Number) row.getAs("bytes_out")).longValue();
            } else {
                failed++;
            }
        }
        Map<String, Long> m = new TreeMap<>();
        m.put("images read", read);
        m.put("images written", written);
        m.put("images failed", failed);
        m.put("tiles", tiles);
        m.put("kilopixels", kilopixels);
        m.put("bytes in", bytesIn);
        m.put("bytes out", bytesOut);
        return m;
    }

    @Test
    void progressLinesCountUpToTheTotalOnceEachTenthWithoutDoubleCounting() {
        Pattern line = Pattern.compile("^images (\\d+)/(\\d+)(?: \\((\\d+) failed\\))? [\u00b7|] ([0-9.]+) MP [\u00b7|] .*$",
                Pattern.MULTILINE);
        for (Map.Entry<String, Run> e : runs.entrySet()) {
            Matcher m = line.matcher(e.getValue().stderr);
            List<Integer> done = new ArrayList<>();
            String last = null;
            while (m.find()) {
                assertEquals(IMAGES, Integer.parseInt(m.group(2)), m.group());
                done.add(Integer.parseInt(m.group(1)));
                last = m.group();
            }
            // How many lines appear depends on how far the listener bus lags behind the tasks; what
            // is certain is at most one line per tenth, each in a later tenth than the one before.
            assertTrue(done.size() >= 1 && done.size() <= 10, e.getKey() + ": one line per tenth, got " + done);
            for (int i = 1; i < done.size(); i++) {
                assertTrue(done.get(i) * 10 / IMAGES > done.get(i - 1) * 10 / IMAGES,
                        e.getKey() + ": each line in a new tenth: " + done);
            }
            assertTrue(last.startsWith("images 7/7 (1 failed) "), e.getKey() + ": last line " + last);
            assertTrue(last.contains(" done in "), last);
            assertTrue(!e.getValue().stderr.contains("\r"), "no carriage returns when not on a terminal");
        }
    }

    @Test
    void manifestAgreesWithTheRunResult() throws IOException {
        for (Run r : runs.values()) {
            assertEquals(7, r.result.total);
            assertEquals(6, r.result.ok);
            assertEquals(1, r.result.failed);
            assertEquals(3, r.result.exitCode());
            assertTrue(Files.isDirectory(Path.of(r.manifest)));
            assertTrue(Files.isRegularFile(Path.of(r.manifest).getParent().resolve("summary.json")));
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
