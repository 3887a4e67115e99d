package io.tilespark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tilespark.testing.TestInputs;

/**
 * The exit codes a scheduler acts on: 0 every image ok, 1 the job failed, 2 a usage error with
 * nothing written. (3, some images failed, is pinned by RunReportTest's run with a broken file.)
 */
class MainExitCodesTest {

    @TempDir
    Path tmp;

    /** What the last {@link #run} printed on stderr. */
    private String err;

    /** Runs the CLI with stderr captured and returns its exit code. */
    private int run(String... args) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setProperty("spark.ui.enabled", "false");
        System.setErr(new PrintStream(captured, true, "UTF-8"));
        try {
            return Main.run(args);
        } finally {
            System.setErr(original);
            System.clearProperty("spark.ui.enabled");
            err = captured.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void usageErrorsExitTwoAndWriteNothing() throws Exception {
        Path in = tmp.resolve("in");
        TestInputs.images(in, 64, 48, "a.png");
        Path out = tmp.resolve("out");
        Path events = tmp.resolve("events");
        String[][] bad = {
            {"--ops", "nosuchop"},
            {"--ops", "blur:4"},
            {"--ops", "grey", "--tile", "8"},
            {"--ops", "grey", "--quality", "0"},
            {"--ops", "grey", "--format", "gif"},
            {"--ops", "grey", "--spread", "sometimes"},
            {"--ops", "grey", "--no-such-option"},
        };
        for (String[] extra : bad) {
            String[] args = new String[6 + extra.length];
            System.arraycopy(new String[] {"--input", in.toString(), "--output", out.toString(),
                "--event-log", events.toString()}, 0, args, 0, 6);
            System.arraycopy(extra, 0, args, 6, extra.length);
            assertEquals(2, run(args), String.join(" ", extra) + ": " + err);
            assertTrue(err.startsWith("tilespark: "), err);
            assertFalse(Files.exists(out), "output written after " + String.join(" ", extra));
            assertFalse(Files.exists(events), "event log folder made after " + String.join(" ", extra));
        }
    }

    @Test
    void allImagesOkExitsZeroAndQuietPrintsNothing() throws Exception {
        Path in = tmp.resolve("in");
        TestInputs.images(in, 64, 48, "a.png", "b.jpg");
        Path out = tmp.resolve("out");
        int code = run("--input", in.toString(), "--output", out.toString(), "--ops", "invert", "--master", "local[2]",
                "--quiet");
        assertEquals(0, code, err);
        assertTrue(Files.isRegularFile(out.resolve("a.png")));
        assertTrue(Files.isRegularFile(out.resolve("_tilespark/report.html")));
        assertFalse(err.contains("images "), "progress printed despite --quiet:\n" + err);
        assertFalse(err.contains("tilespark:"), "summary line printed despite --quiet:\n" + err);
    }

    @Test
    void jobThatCannotWriteItsOutputExitsOne() throws Exception {
        Path in = tmp.resolve("in");
        TestInputs.images(in, 64, 48, "a.png");
        Path notAFolder = tmp.resolve("out-is-a-file");
        Files.write(notAFolder, new byte[] {1});
        int code = run("--input", in.toString(), "--output", notAFolder.toString(), "--ops", "invert",
                "--master", "local[2]", "--quiet");
        assertEquals(1, code, err);
        assertTrue(err.contains("tilespark: "), err);
    }
}
