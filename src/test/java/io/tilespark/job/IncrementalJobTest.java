package io.tilespark.job;

import static io.tilespark.testing.Manifest.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.tilespark.Main;
import io.tilespark.cv.OpenCv;
import io.tilespark.testing.Jobs;
import io.tilespark.testing.Manifest;

/**
 * --incremental: a re-run does only what changed, a re-run after a kill finishes only the rest,
 * and running again leaves byte-identical outputs and one manifest row per input.
 */
class IncrementalJobTest {

    @TempDir
    static Path tmp;

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    private static String[] args(Path in, Path out, String ops, String... more) {
        List<String> a = new ArrayList<>(Arrays.asList("--input", in.toString(), "--output", out.toString(),
                "--ops", ops, "--recursive"));
        a.addAll(Arrays.asList(more));
        return a.toArray(new String[0]);
    }

    /** Every output file (outside _tilespark/) with its bytes. */
    private static Map<String, byte[]> outputs(Path out) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
                String rel = out.relativize(p).toString();
                if (!rel.startsWith("_tilespark")) {
                    m.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    private static Map<String, FileTime> mtimes(Path out, Iterable<String> rels) throws IOException {
        Map<String, FileTime> m = new HashMap<>();
        for (String r : rels) {
            m.put(r, Files.getLastModifiedTime(out.resolve(r)));
        }
        return m;
    }

    private static Map<String, String> statuses(Path out) {
        Map<String, String> m = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : Manifest.read(out).byRelative().entrySet()) {
            m.put(e.getKey(), text(e.getValue(), "status"));
        }
        return m;
    }

    private static void assertSameBytes(Map<String, byte[]> a, Map<String, byte[]> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), k);
        }
    }

    @Test
    void rerunsDoOnlyWhatChangedAndLeaveIdenticalOutputs() throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        Jobs.write(in, "a.png", Jobs.image(".png", 40, 60, 3, 1));
        Jobs.write(in, "sub/b.jpg", Jobs.image(".jpg", 50, 30, 3, 2));
        Jobs.write(in, "c.png", Jobs.image(".png", 33, 44, 4, 3));
        Jobs.write(in, "e.png", Jobs.image(".png", 20, 20, 1, 5));

        // 1. First run: everything is new.
        assertEquals(0, Jobs.run(args(in, out, "blur:3", "--incremental")));
        assertEquals(Map.of("a.png", "ok", "sub/b.jpg", "ok", "c.png", "ok", "e.png", "ok"), statuses(out));
        assertFalse(Files.exists(out.resolve("_tilespark/journal")), "a finished run folds its journal into the manifest");
        Map<String, byte[]> first = outputs(out);
        Map<String, FileTime> firstTimes = mtimes(out, first.keySet());

        // 2. Nothing changed: everything is skipped, nothing is rewritten, the manifest stays complete.
        assertEquals(0, Jobs.run(args(in, out, "blur:3", "--incremental")));
        Map<String, JsonNode> rows = Manifest.read(out).byRelative();
        assertEquals(Map.of("a.png", "skipped", "sub/b.jpg", "skipped", "c.png", "skipped", "e.png", "skipped"),
                statuses(out));
        JsonNode b = rows.get("sub/b.jpg");
        assertTrue(text(b, "output").endsWith("/out/sub/b.jpg"), text(b, "output"));
        assertEquals(30, b.get("width").asInt());
        assertTrue(b.get("bytes_out").asLong() > 0);
        assertSameBytes(first, outputs(out));
        assertEquals(firstTimes, mtimes(out, first.keySet()), "skipped outputs are not rewritten");

        // 3. A changed input, a new one, a deleted output and a damaged output are redone; the rest skipped.
        Jobs.write(in, "c.png", Jobs.image(".png", 33, 45, 4, 4));
        Jobs.write(in, "d.png", Jobs.image(".png", 10, 12, 3, 6));
        Files.delete(out.resolve("a.png"));
        byte[] damaged = Arrays.copyOf(first.get("sub/b.jpg"), 100);
        Files.write(out.resolve("sub/b.jpg"), damaged);
        assertEquals(0, Jobs.run(args(in, out, "blur:3", "--incremental")));
        assertEquals(Map.of("a.png", "ok", "sub/b.jpg", "ok", "c.png", "ok", "d.png", "ok", "e.png", "skipped"),
                statuses(out));
        Map<String, byte[]> third = outputs(out);
        assertArrayEquals(first.get("a.png"), third.get("a.png"), "a redone output is byte-identical");
        assertArrayEquals(first.get("sub/b.jpg"), third.get("sub/b.jpg"), "a damaged output is redone");

        // 4. --force redoes everything, byte for byte the same.
        assertEquals(0, Jobs.run(args(in, out, "blur:3", "--incremental", "--force")));
        assertEquals(5, statuses(out).values().stream().filter("ok"::equals).count());
        assertSameBytes(third, outputs(out));

        // 5. Another operator chain is other work: nothing is skipped.
        assertEquals(0, Jobs.run(args(in, out, "grey", "--incremental")));
        assertEquals(5, statuses(out).values().stream().filter("ok"::equals).count());
        assertEquals(5, Manifest.read(out).size());
    }

    @Test
    void rerunAfterAKilledRunFinishesOnlyTheRest() throws Exception {
        Path in = tmp.resolve("in-kill");
        Path out = tmp.resolve("out-kill");
        for (int i = 0; i < 5; i++) {
            Jobs.write(in, "img" + i + ".png", Jobs.image(".png", 30 + i, 40, 3, 10 + i));
        }
        // A child JVM runs the job with one task slot, in listing order, and halts (as kill -9 would
        // end it) when it starts decoding img3.png: no manifest is ever written.
        int code = runInChildJvm(Map.of(DecodeQuarantine.DIE_ENV, "img3.png"),
                args(in, out, "blur:3", "--incremental", "--master", "local[1]", "--quiet"));
        assertEquals(134, code, "the child run was killed");
        assertFalse(Files.exists(out.resolve("_tilespark/manifest")), "a killed run writes no manifest");
        assertTrue(Files.exists(out.resolve("img0.png")) && Files.exists(out.resolve("img2.png")));
        assertFalse(Files.exists(out.resolve("img3.png")));
        Map<String, byte[]> before = outputs(out);

        assertEquals(0, Jobs.run(args(in, out, "blur:3", "--incremental")));
        Map<String, String> st = statuses(out);
        assertEquals(Map.of("img0.png", "skipped", "img1.png", "skipped", "img2.png", "skipped",
                "img3.png", "ok", "img4.png", "ok"), st);
        Map<String, byte[]> after = outputs(out);
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k), after.get(k), k);
        }
        assertFalse(Files.exists(out.resolve("_tilespark/journal")));
    }

    @Test
    void withoutIncrementalARerunRewritesIdenticalBytesAndOneRowPerInput() throws Exception {
        Path in = tmp.resolve("in-plain");
        Path out = tmp.resolve("out-plain");
        Jobs.write(in, "x.jpg", Jobs.image(".jpg", 64, 80, 3, 21));
        Jobs.write(in, "y.png", Jobs.image(".png", 64, 80, 4, 22));
        assertEquals(0, Jobs.run(args(in, out, "sharpen")));
        Map<String, byte[]> first = outputs(out);
        assertEquals(0, Jobs.run(args(in, out, "sharpen")));
        assertSameBytes(first, outputs(out));
        assertEquals(Map.of("x.jpg", "ok", "y.png", "ok"), statuses(out));
        try (Stream<Path> s = Files.list(out.resolve("_tilespark"))) {
            assertEquals(List.of("manifest", "report.html", "summary.json"),
                    s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()),
                    "only the run report: no staging, parts or journal left behind");
        }
    }

    /** Runs Main in a fresh JVM with this JVM's classpath and flags; returns its exit code. */
    static int runInChildJvm(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child-" + System.nanoTime() + ".log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("child job did not end");
        }
        return p.exitValue();
    }
}
