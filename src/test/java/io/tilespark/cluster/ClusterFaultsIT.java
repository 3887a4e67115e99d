package io.tilespark.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tilespark.testing.JobOutputs;

/**
 * Fault tolerance on a real Spark standalone cluster: a master, workers of one core each on
 * loopback addresses, a History Server, and drivers submitted with submit/submit.sh, all separate
 * JVMs started by the project's own scripts. Each test that breaks something shows, through the
 * History Server's REST API (which reads the event logs after the application ends), that Spark
 * saw the loss and ran the work again, and then checks every output byte for byte against a clean
 * run's.
 *
 * <p>The tests share one cluster. It starts with one worker for the scale-out test; the others
 * add a second worker (on 127.0.0.2, a separate host for Spark) if it is not there yet.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsIT {

    private static final String OPS = "filter";
    /** Hang guard for a whole driver run; never a pass/fail criterion. */
    private static final long DRIVER_LIMIT_MIN = 15;

    @TempDir
    static Path tmp;

    private static StandaloneCluster cluster;
    private static final Map<String, byte[]> REFERENCE = new HashMap<>();

    @BeforeAll
    static void startCluster() throws Exception {
        for (Path p : JobOutputs.samples()) {
            REFERENCE.put(p.getFileName().toString(), JobOutputs.reference(p, OPS));
        }
        cluster = StandaloneCluster.start(Files.createDirectories(tmp.resolve("cluster")), 1);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aWorkerAddedWhileAJobRunsGetsAnExecutorThatTakesItsTasks() throws Exception {
        assertEquals(1, cluster.aliveWorkers().size(), "the job must start on a single worker");
        Path in = tmp.resolve("scale-in");
        int images = JobOutputs.copySamples(in, 2);
        Path out = tmp.resolve("scale-out");
        // First attempts wait at a gate (a file) until the new worker's executor is running a task
        // too, so the job is certain to be mid-way when the worker joins, whatever the machine's speed.
        Path gate = Files.createFile(tmp.resolve("scale-gate"));
        Run run = Run.start("scale", List.of("spark.tilespark.test.slowFirstAttempt=.*",
                "spark.tilespark.test.holdWhileExists=" + gate, "spark.tilespark.test.slowMillis=900000"), in, out);

        JsonNode first = Rest.await("the first executor running a task", 600, () -> {
            run.checkAlive();
            List<JsonNode> running = run.executors().stream().filter(e -> e.path("activeTasks").asInt() > 0)
                    .collect(Collectors.toList());
            return running.isEmpty() ? null : running.get(0);
        });
        assertEquals(1, run.executors().size(), "one executor before scaling out");
        assertTrue(first.path("hostPort").asText().startsWith("127.0.0.1:"), first.toString());

        cluster.addWorker("127.0.0.2");
        assertEquals(2, cluster.aliveWorkers().size());
        String status = cluster.status();
        assertTrue(status.contains("workers 2 alive") && status.contains("ALIVE   127.0.0.2:"), status);
        assertTrue(status.lines().anyMatch(l -> l.contains(run.appId) && l.contains("RUNNING")), status);
        JsonNode joined = Rest.await("an executor on the new worker running one of the job's tasks", 600, () -> {
            run.checkAlive();
            return run.executors().stream().filter(e -> e.path("hostPort").asText().startsWith("127.0.0.2:")
                    && e.path("activeTasks").asInt() > 0).findFirst().orElse(null);
        });
        System.out.println("scale-out: executor " + joined.path("id").asText() + " on the new worker is running a task");
        Files.delete(gate);

        assertEquals(0, run.finish(), run.log());
        String app = run.appId;
        JsonNode newcomer = historyExecutors(app).stream()
                .filter(e -> e.path("hostPort").asText().startsWith("127.0.0.2:")).findFirst()
                .orElseThrow(() -> new AssertionError("no executor on the new worker: " + historyExecutors(app)));
        assertTrue(newcomer.path("completedTasks").asInt() > 0, "the new worker's executor ran no task: " + newcomer);
        long mainJobTasksThere = tasks(app, 0).stream().filter(t -> t.path("status").asText().equals("SUCCESS")
                && t.path("executorId").asText().equals(newcomer.path("id").asText())).count();
        assertTrue(mainJobTasksThere > 0, "the new executor took none of the running job's tasks");
        System.out.println("scale-out: the new executor " + newcomer.path("id").asText() + " ran " + mainJobTasksThere
                + " of " + images + " image tasks");

        assertOutputsMatchCleanRun(out, images, Set.of());
    }

    @Test
    @Order(2)
    void killingAnExecutorMidJobLosesNothingAndChangesNoByte() throws Exception {
        cluster.ensureWorkers(2);
        Path in = tmp.resolve("kill-in");
        int images = JobOutputs.copySamples(in, 6);
        Path out = tmp.resolve("kill-out");
        Run run = Run.start("kill", List.of(), in, out);

        // Real progress, not a sleep: both executors are up, the victim has finished a task and is
        // running another, and tasks are still waiting, so the kill lands in the middle of the job.
        String victim = Rest.await("an executor mid-job with work still queued", 900, () -> {
            run.checkAlive();
            List<JsonNode> stages = Rest.list(Rest.get(run.api() + "/stages?status=active"));
            if (stages.isEmpty()) {
                return null;
            }
            JsonNode st = stages.get(0);
            int queued = st.path("numTasks").asInt() - st.path("numCompleteTasks").asInt()
                    - st.path("numActiveTasks").asInt();
            if (st.path("numCompleteTasks").asInt() > 0 && queued < 2) {
                throw new AssertionError("the job got too close to its end before an executor could be killed; "
                        + "give it more images: " + st);
            }
            List<JsonNode> executors = run.executors();
            if (executors.size() < 2 || queued < 2) {
                return null;
            }
            for (JsonNode e : executors) {
                if (e.path("completedTasks").asInt() >= 1 && e.path("activeTasks").asInt() >= 1) {
                    return e.path("id").asText();
                }
            }
            return null;
        });
        ProcessHandle jvm = cluster.executorProcess(run.appId, victim)
                .orElseThrow(() -> new AssertionError("no executor process for executor " + victim));
        System.out.println("kill: SIGKILL to executor " + victim + " (pid " + jvm.pid() + ")");
        assertTrue(jvm.destroyForcibly(), "could not signal pid " + jvm.pid());
        jvm.onExit().get(60, TimeUnit.SECONDS);

        assertEquals(0, run.finish(), run.log());
        String app = run.appId;
        JsonNode lost = historyExecutors(app).stream().filter(e -> e.path("id").asText().equals(victim)).findFirst()
                .orElseThrow(() -> new AssertionError("executor " + victim + " missing from the history"));
        assertFalse(lost.path("isActive").asBoolean(), lost.toString());
        String removed = lost.path("removeReason").asText();
        assertTrue(removed.contains("137"), "removal reason should be the SIGKILL exit (137): " + removed);

        List<JsonNode> tasks = tasks(app, 0);
        List<JsonNode> lostTasks = tasks.stream().filter(t -> t.path("executorId").asText().equals(victim)
                && t.path("status").asText().equals("FAILED")
                && t.path("errorMessage").asText().contains("ExecutorLostFailure")).collect(Collectors.toList());
        assertFalse(lostTasks.isEmpty(), "no task failed with the executor: " + tasks);
        for (JsonNode t : lostTasks) {
            assertTrue(tasks.stream().anyMatch(o -> o.path("index").asInt() == t.path("index").asInt()
                    && o.path("status").asText().equals("SUCCESS") && !o.path("executorId").asText().equals(victim)),
                    "task " + t.path("index") + " was not run again elsewhere");
        }
        System.out.println("kill: executor " + victim + " removed (" + removed + "); " + lostTasks.size()
                + " task(s) lost with it, each run again on another executor");

        assertOutputsMatchCleanRun(out, images, Set.of());
    }

    @Test
    @Order(3)
    void onTheClusterFirstAttemptFailuresAreRetriedAndAPoisonedImageFailsAlone() throws Exception {
        cluster.ensureWorkers(2);
        Path in = tmp.resolve("inject-in");
        int images = JobOutputs.copySamples(in, 1);
        Path out = tmp.resolve("inject-out");
        Run run = Run.start("inject", List.of("spark.tilespark.test.failFirstAttempt=harbour-.*|odd-.*",
                "spark.tilespark.test.failAlways=portrait-.*", "spark.task.maxFailures=4"), in, out);

        assertEquals(3, run.finish(), "exit 3: one image failed, the others were written\n" + run.log());

        String poisoned = "portrait-2048x3072.jpg";
        JsonNode row = JobOutputs.manifest(out).get(poisoned);
        assertEquals("failed", row.path("status").asText(), row.toString());
        String error = row.path("error").asText();
        assertTrue(error.contains("injected fault (failAlways)") && error.contains("attempt 4 of 4"), error);
        assertOutputsMatchCleanRun(out, images, Set.of(poisoned));

        List<JsonNode> tasks = tasks(run.appId, 0);
        Map<Integer, List<String>> byIndex = new HashMap<>();
        for (JsonNode t : tasks) {
            String what = t.path("attempt").asInt() + ":" + t.path("status").asText() + ":"
                    + (t.path("errorMessage").asText().contains("injected fault (failFirstAttempt)") ? "first"
                    : t.path("errorMessage").asText().contains("injected fault (failAlways)") ? "always" : "-");
            byIndex.computeIfAbsent(t.path("index").asInt(), k -> new ArrayList<>()).add(what);
        }
        byIndex.values().forEach(l -> l.sort(null));
        long retriedOnce = byIndex.values().stream().filter(l -> l.equals(List.of("0:FAILED:first", "1:SUCCESS:-")))
                .count();
        long poisonedTask = byIndex.values().stream().filter(l -> l.equals(List.of("0:FAILED:always",
                "1:FAILED:always", "2:FAILED:always", "3:SUCCESS:-"))).count();
        assertEquals(2, retriedOnce, "harbour and odd: failed once, then ran again: " + byIndex);
        assertEquals(1, poisonedTask, "portrait: three failures, then recorded on the last attempt: " + byIndex);
    }

    @Test
    @Order(4)
    void withSpeculationAStragglersCopyWinsAndEveryOutputIsWrittenOnceWithNoTemporaryFiles() throws Exception {
        cluster.ensureWorkers(2);
        Set<String> hosts = cluster.aliveWorkers().stream().map(w -> w.path("host").asText()).collect(Collectors.toSet());
        assertEquals(2, hosts.size(), "speculative copies only run on another host than the first attempt: " + hosts);
        Path in = tmp.resolve("spec-in");
        int images = JobOutputs.copySamples(in, 2);
        Path out = tmp.resolve("spec-out");
        // The straggler does all its work, then stalls just before publishing its image.
        Run run = Run.start("spec", List.of("spark.speculation=true", "spark.speculation.quantile=0.5",
                "spark.speculation.multiplier=2", "spark.speculation.minTaskRuntime=2s",
                "spark.speculation.efficiency.enabled=false",
                "spark.tilespark.test.slowFirstAttempt=odd-641x479-k0\\.png", "spark.tilespark.test.faultAt=write",
                "spark.tilespark.test.slowMillis=180000"), in, out);

        assertEquals(0, run.finish(), run.log());

        List<JsonNode> tasks = tasks(run.appId, 0);
        List<JsonNode> copies = tasks.stream().filter(t -> t.path("speculative").asBoolean()
                && t.path("status").asText().equals("SUCCESS")).collect(Collectors.toList());
        assertFalse(copies.isEmpty(), "no speculative copy succeeded: " + tasks);
        boolean stragglerKilled = copies.stream().anyMatch(c -> tasks.stream().anyMatch(t ->
                t.path("index").asInt() == c.path("index").asInt() && t.path("attempt").asInt() == 0
                        && t.path("status").asText().equals("KILLED")));
        assertTrue(stragglerKilled, "the straggling first attempt was not killed in favour of its copy: " + tasks);
        System.out.println("speculation: " + copies.size() + " speculative copy(ies) won; straggler killed");

        assertOutputsMatchCleanRun(out, images, Set.of());
    }

    /**
     * Every input has exactly one manifest row; the ok ones have exactly one output, byte-identical
     * to the clean run's; the expected failures have none; nothing temporary is left.
     */
    private static void assertOutputsMatchCleanRun(Path out, int images, Set<String> failed) throws IOException {
        Map<String, JsonNode> manifest = JobOutputs.manifest(out);
        assertEquals(images, manifest.size(), "manifest rows: " + manifest.keySet());
        Map<String, byte[]> written = JobOutputs.images(out);
        assertEquals(images - failed.size(), written.size(), "outputs: " + written.keySet());
        for (Map.Entry<String, JsonNode> e : manifest.entrySet()) {
            String rel = e.getKey();
            if (failed.contains(rel)) {
                assertFalse(written.containsKey(rel), rel + " failed but was written");
                continue;
            }
            assertEquals("ok", e.getValue().path("status").asText(), e.getValue().toString());
            byte[] expected = REFERENCE.get(JobOutputs.sampleOf(rel));
            assertNotNull(expected, rel);
            assertArrayEquals(expected, written.get(rel), rel + " differs from the clean run");
        }
        assertEquals(List.of(), JobOutputs.leftovers(out), "temporary files left behind");
    }

    /** Executors as the History Server recorded them, once it has the application's complete log. */
    private static List<JsonNode> historyExecutors(String app) {
        try {
            return Rest.list(Rest.get(cluster.historyApi() + "/applications/" + app + "/allexecutors"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Every attempt of every task of one job, from the History Server, with its stage attempt. */
    private static List<JsonNode> tasks(String app, int job) throws IOException {
        String base = cluster.historyApi() + "/applications/" + app;
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode stage : Rest.get(base + "/jobs/" + job).path("stageIds")) {
            for (JsonNode attempt : Rest.get(base + "/stages/" + stage.asInt())) {
                int a = attempt.path("attemptId").asInt();
                for (JsonNode t : Rest.get(base + "/stages/" + stage.asInt() + "/" + a + "/taskList?length=100000")) {
                    ((ObjectNode) t).put("stageId", stage.asInt()).put("stageAttemptId", a);
                    all.add(t);
                }
            }
        }
        return all;
    }

    /** One driver, submitted with submit/submit.sh, and what its REST API and log say. */
    private static final class Run {
        final String name;
        final Process process;
        final Path log;
        final int uiPort = StandaloneCluster.freePort();
        final long started = System.nanoTime();
        String appId;

        private Run(String name, List<String> confs, Path in, Path out) throws IOException {
            this.name = name;
            this.log = tmp.resolve(name + "-driver.log");
            this.process = cluster.submit(log, uiPort, confs, List.of("--input", in.toString(), "--output",
                    out.toString(), "--ops", OPS));
        }

        static Run start(String name, List<String> confs, Path in, Path out) throws Exception {
            Run r = new Run(name, confs, in, out);
            r.appId = Rest.await(name + " driver's REST API", 600, () -> {
                r.checkAlive();
                List<JsonNode> apps = Rest.list(Rest.get("http://127.0.0.1:" + r.uiPort + "/api/v1/applications"));
                return apps.isEmpty() ? null : apps.get(0).path("id").asText();
            });
            return r;
        }

        String api() {
            return "http://127.0.0.1:" + uiPort + "/api/v1/applications/" + appId;
        }

        List<JsonNode> executors() throws IOException {
            return Rest.list(Rest.get(api() + "/executors")).stream()
                    .filter(e -> !e.path("id").asText().equals("driver")).collect(Collectors.toList());
        }

        void checkAlive() {
            if (!process.isAlive()) {
                throw new AssertionError(name + " driver exited early (" + process.exitValue() + "):\n" + log());
            }
        }

        /** Waits for the driver to exit, then for the History Server to hold its complete log. */
        int finish() throws Exception {
            if (!process.waitFor(DRIVER_LIMIT_MIN, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(name + " driver still running after " + DRIVER_LIMIT_MIN + " min:\n" + log());
            }
            System.out.printf("%s: driver ran %d s, exit %d%n", name,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), process.exitValue());
            Rest.await("the History Server to list " + appId + " as completed", 300, () -> {
                JsonNode app = Rest.get(cluster.historyApi() + "/applications/" + appId);
                return app.path("attempts").path(0).path("completed").asBoolean() ? app : null;
            });
            return process.exitValue();
        }

        String log() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }
}
