package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit/nightly.sh builds the dated incremental run and passes the job's exit code through.
 * The launcher is replaced (TS_RUNNER) by a script that records its arguments, so this checks
 * the command without starting Spark; the job itself is covered by the other tests.
 */
class NightlyScriptTest {

    @TempDir
    Path tmp;

    private Path runner(int exit) throws Exception {
        Path r = tmp.resolve("runner-" + exit);
        Files.write(r, ("#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > \"" + tmp.resolve("args") + "\"\nexit " + exit + "\n")
                .getBytes(StandardCharsets.UTF_8));
        r.toFile().setExecutable(true);
        return r;
    }

    private int run(Path runner, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", Paths.get("submit/nightly.sh").toAbsolutePath().toString()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("log").toFile());
        if (runner != null) {
            pb.environment().put("TS_RUNNER", runner.toString());
        }
        return pb.start().waitFor();
    }

    private List<String> recorded() throws Exception {
        return Files.readAllLines(tmp.resolve("args"));
    }

    @Test
    void runsTheDatedFolderIncrementallyAndPassesTheExitCodeThrough() throws Exception {
        int code = run(runner(3), "--input-root", "abfss://in@acct.dfs.core.windows.net/uploads/",
                "--output-root", "/data/out", "--ops", "grey,blur:5", "--date", "2024-02-29",
                "--master", "spark://127.0.0.1:7077", "--conf", "spark.executor.memory=2g", "--", "--max-failures", "5%");
        assertEquals(3, code);
        assertEquals(List.of("--master", "spark://127.0.0.1:7077", "--conf", "spark.executor.memory=2g", "--",
                "--input", "abfss://in@acct.dfs.core.windows.net/uploads/2024/02/29", "--output", "/data/out/2024/02/29",
                "--ops", "grey,blur:5", "--incremental", "--recursive", "--max-failures", "5%"), recorded());
    }

    @Test
    void todayIsTheDefault() throws Exception {
        String today = LocalDate.now().format(DateTimeFormatter.ofPattern("yyyy/MM/dd"));
        assertEquals(0, run(runner(0), "--input-root", "in", "--output-root", "out", "--ops", "filter"));
        List<String> args = recorded();
        // Around midnight the script and this test may see different days; both are acceptable.
        String input = args.get(args.indexOf("--input") + 1);
        assertTrue(input.equals("in/" + today) || input.matches("in/\\d{4}/\\d{2}/\\d{2}"), input);
    }

    @Test
    void badDatesAndMissingArgumentsAreUsageErrors() throws Exception {
        Path r = runner(0);
        assertEquals(2, run(r, "--input-root", "in", "--output-root", "out", "--ops", "grey", "--date", "2023-02-29"));
        assertEquals(2, run(r, "--input-root", "in", "--output-root", "out", "--ops", "grey", "--date", "27/11/2026"));
        assertEquals(2, run(r, "--input-root", "in", "--ops", "grey"));
        assertEquals(2, run(r, "--input-root", "in", "--output-root", "out", "--ops", "grey", "--bogus"));
        assertTrue(!Files.exists(tmp.resolve("args")), "the job is never started on a usage error");
    }
}
