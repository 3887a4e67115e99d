package io.tilespark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tilespark.Main;
import io.tilespark.ops.Operators;

/** Usage errors exit 2 with one clear line, before Spark starts, and write nothing. */
class CliUsageTest {

    @TempDir
    Path tmp;

    private static final class Run {
        int code;
        String out;
        String err;
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Run r = new Run();
        r.code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        r.out = out.toString();
        r.err = err.toString();
        return r;
    }

    private Run runJob(String ops, String... extra) {
        String[] base = {"--input", "sample-images", "--output", tmp.resolve("out").toString(), "--ops", ops};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return run(all);
    }

    @Test
    void unknownOperatorExits2NamingItAndTheValidFormsAndWritesNothing() {
        Run r = runJob("grey,blurr:5");
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("tilespark: unknown operator 'blurr'; valid operators: grey, blur:K"), r.err);
        assertEquals(1, r.err.trim().split("\n").length, "one line: " + r.err);
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void badParameterExits2WithTheRange() {
        Run r = runJob("median:4");
        assertEquals(2, r.code);
        assertTrue(r.err.contains("operator 'median' needs an odd kernel size, got 4; use median:K"), r.err);
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void badOptionsExit2() {
        assertEquals(2, runJob("grey", "--tile", "8").code);
        assertTrue(runJob("grey", "--tile", "8").err.contains("--tile must be >= 16, got 8"));
        assertEquals(2, runJob("grey", "--format", "gif").code);
        assertEquals(2, runJob("grey", "--quality", "0").code);
        assertEquals(2, runJob("grey", "--spread", "sometimes").code);
        assertEquals(2, runJob("grey", "--tile", "big").code);
        assertEquals(2, run("--output", "x", "--ops", "grey").code);
        assertTrue(run("--output", "x", "--ops", "grey").err.contains("Missing required option: '--input=URI'"));
        assertEquals(2, runJob("grey", "--no-such-flag").code);
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void helpListsEveryOperatorWithItsTiling() {
        Run r = run("--help");
        assertEquals(0, r.code);
        for (Operators.Family f : Operators.families()) {
            assertTrue(r.out.contains(f.usage), "--help lacks " + f.usage);
        }
        assertTrue(r.out.contains("exact (seam pass)"));
        assertTrue(r.out.contains("whole image"));
        assertTrue(r.out.contains("3   some images failed"), r.out);
    }

    @Test
    void aMissingFileThatIsNotTheInputIsNotCalledTheInput() throws Exception {
        Files.createDirectories(tmp.resolve("in"));
        Run r = run("--master", "local[1]", "--input", tmp.resolve("in").toString(),
                "--output", tmp.resolve("out").toString(), "--ops", "grey", "--quiet",
                "--conf", "spark.eventLog.enabled=true",
                "--conf", "spark.eventLog.dir=file:" + tmp.resolve("no-such-log-dir"));
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.contains("not found: ") && r.err.contains("no-such-log-dir"), r.err);
        assertFalse(r.err.contains("input not found"), r.err);
    }

    @Test
    void missingInputExits2WithOneLineAndWritesNothing() {
        Run r = run("--master", "local[1]", "--input", tmp.resolve("nope").toString(),
                "--output", tmp.resolve("out").toString(), "--ops", "grey", "--quiet");
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.contains("input not found"), r.err);
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
        assertFalse(Files.exists(tmp.resolve("out")));
    }
}
