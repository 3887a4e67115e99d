package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.tilespark.Main;
import io.tilespark.testing.JobOutputs;
import io.tilespark.testing.TaskAttemptLog;

/**
 * Task failures injected through the test hook, under Spark local mode with retries
 * (local[2,3]: two slots, three attempts per task). A task that fails on its first attempt is
 * run again and the outputs equal a clean run's byte for byte; an image that fails on every
 * attempt is reported failed in the manifest while every other image is still written.
 */
class InjectedFailuresLocalTest {

    private static final String OPS = "filter";
    private static final String TILE = "256";

    @TempDir
    Path tmp;

    private static Map<String, byte[]> clean;

    /** What a clean run writes: each sample processed whole (SparkEndToEndTest pins the job to exactly this). */
    @BeforeAll
    static void cleanRun() throws Exception {
        clean = new TreeMap<>();
        for (Path p : JobOutputs.samples()) {
            clean.put(p.getFileName().toString(), JobOutputs.reference(p, OPS));
        }
        assertEquals(5, clean.size(), clean.keySet().toString());
    }

    @ParameterizedTest(name = "fault at {0}")
    @ValueSource(strings = {"read", "write"})
    void tasksFailingTheirFirstAttemptAreRetriedAndOutputsEqualACleanRun(String point) throws Exception {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.tilespark.test.failFirstAttempt", "harbour-.*|odd-.*");
        conf.put("spark.tilespark.test.faultAt", point);
        Path out = tmp.resolve("out");

        assertEquals(0, run(conf, "local[2,3]", out));

        Map<String, byte[]> got = JobOutputs.images(out);
        assertEquals(clean.keySet(), got.keySet());
        for (String rel : clean.keySet()) {
            assertArrayEquals(clean.get(rel), got.get(rel), rel + " differs from the clean run");
        }
        assertTrue(JobOutputs.manifest(out).values().stream().allMatch(r -> "ok".equals(r.get("status").asText())));
        assertEquals(List.of(), JobOutputs.leftovers(out));

        List<TaskAttemptLog.Attempt> failed = TaskAttemptLog.attempts().stream().filter(a -> !a.successful)
                .collect(Collectors.toList());
        assertEquals(2, failed.size(), "one failed first attempt per chosen image: " + TaskAttemptLog.attempts());
        for (TaskAttemptLog.Attempt f : failed) {
            assertEquals(0, f.attempt, f.toString());
            assertTrue(f.reason.contains("injected fault (failFirstAttempt)"), f.reason);
            assertTrue(TaskAttemptLog.attempts().stream().anyMatch(a -> a.successful && a.stage == f.stage
                    && a.index == f.index && a.attempt == 1), "no successful retry of " + f);
        }
    }

    @ParameterizedTest(name = "fault at {0}")
    @ValueSource(strings = {"read", "write"})
    void anImageFailingEveryAttemptIsReportedWhileTheOthersAreWritten(String point) throws Exception {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.tilespark.test.failAlways", "portrait-.*");
        conf.put("spark.tilespark.test.faultAt", point);
        Path out = tmp.resolve("out");

        assertEquals(3, run(conf, "local[2,3]", out), "exit code 3: some images failed, the rest were written");

        Map<String, JsonNode> manifest = JobOutputs.manifest(out);
        assertEquals(5, manifest.size());
        String poisoned = "portrait-2048x3072.jpg";
        JsonNode row = manifest.get(poisoned);
        assertEquals("failed", row.get("status").asText());
        String error = row.get("error").asText();
        assertTrue(error.contains("injected fault (failAlways)") && error.contains("attempt 3 of 3"), error);
        assertTrue(row.get("output") == null || row.get("output").isNull(), row.toString());

        Map<String, byte[]> got = JobOutputs.images(out);
        assertFalse(got.containsKey(poisoned), "the failed image must not be written");
        assertEquals(4, got.size(), got.keySet().toString());
        for (String rel : got.keySet()) {
            assertEquals("ok", manifest.get(rel).get("status").asText());
            assertArrayEquals(clean.get(rel), got.get(rel), rel + " differs from the clean run");
        }
        assertEquals(List.of(), JobOutputs.leftovers(out));

        // Spark ran the poisoned task three times: two failures it retried, then the last
        // attempt, where the guard recorded the failure instead of failing the job.
        List<TaskAttemptLog.Attempt> failed = TaskAttemptLog.attempts().stream().filter(a -> !a.successful)
                .collect(Collectors.toList());
        assertEquals(List.of(0, 1), failed.stream().map(a -> a.attempt).sorted().collect(Collectors.toList()),
                TaskAttemptLog.attempts().toString());
        TaskAttemptLog.Attempt first = failed.get(0);
        assertTrue(TaskAttemptLog.attempts().stream().anyMatch(a -> a.successful && a.stage == first.stage
                && a.index == first.index && a.attempt == 2), TaskAttemptLog.attempts().toString());
    }

    /** Runs the CLI in this JVM with extra Spark settings, passed the way spark-submit passes them. */
    static int run(Map<String, String> conf, String master, Path out) {
        Map<String, String> all = new LinkedHashMap<>(conf);
        all.put("spark.extraListeners", TaskAttemptLog.class.getName());
        all.put("spark.ui.enabled", "false");
        TaskAttemptLog.clear();
        all.forEach(System::setProperty);
        try {
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(System.out, true), new PrintWriter(err, true), "--master", master,
                    "--input", "sample-images", "--output", out.toString(), "--ops", OPS, "--tile", TILE,
                    "--spread", "never");
            System.out.println(err);
            return code;
        } finally {
            all.keySet().forEach(System::clearProperty);
        }
    }
}
