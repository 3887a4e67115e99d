package io.tilespark.job;

import java.io.File;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * Test-only faults for the fault-tolerance tests, which need chosen images to fail or straggle on
 * real executors (which run the shipped jar, so the hook has to live in main code). Inert unless
 * one of these Spark settings is given; each takes a regular expression that must match an
 * image's whole path relative to the input root:
 * <pre>
 *   spark.tilespark.test.failFirstAttempt=REGEX   throw on attempt 0 of the task processing it
 *   spark.tilespark.test.failAlways=REGEX         throw on every attempt
 *   spark.tilespark.test.slowFirstAttempt=REGEX   sleep on attempt 0, for slowMillis (default 60000)
 *   spark.tilespark.test.slowMillis=N
 *   spark.tilespark.test.holdWhileExists=PATH     a slowed attempt also ends when this local file is gone
 *   spark.tilespark.test.faultAt=read|write       before decoding (default) or before publishing
 * </pre>
 * The fault is an {@link InjectedFault}, an Error, because it stands for the unexpected kind of
 * failure that {@link Attempts} lets Spark retry; the expected kinds (bad input, I/O) are already
 * reported per image. The settings are read from the executor's SparkEnv, which carries every
 * spark.* setting of the application, so nothing has to be passed through the job.
 */
final class FaultInjection {

    static final String PREFIX = "spark.tilespark.test.";

    /** Where in one image's processing the fault strikes. */
    enum Point {
        READ("reading"), WRITE("writing");

        final String doing;

        Point(String doing) {
            this.doing = doing;
        }
    }

    /** A deliberately injected failure. */
    static final class InjectedFault extends Error {
        private static final long serialVersionUID = 1L;

        InjectedFault(String message) {
            super(message);
        }
    }

    private FaultInjection() {
    }

    /** Called once per image at each point; returns at once unless a test setting names the image. */
    static void at(Point point, String relative) {
        SparkEnv env = SparkEnv.get();
        TaskContext tc = TaskContext.get();
        if (env == null || tc == null) {
            return;
        }
        SparkConf conf = env.conf();
        String where = conf.get(PREFIX + "faultAt", "read").trim().toUpperCase(Locale.ROOT);
        if (!point.name().equals(where)) {
            return;
        }
        int attempt = tc.attemptNumber();
        if (matches(conf, "failAlways", relative)) {
            throw new InjectedFault("injected fault (failAlways) " + point.doing + " " + relative + " on attempt "
                    + attempt);
        }
        if (attempt == 0 && matches(conf, "failFirstAttempt", relative)) {
            throw new InjectedFault("injected fault (failFirstAttempt) " + point.doing + " " + relative
                    + " on attempt 0");
        }
        if (attempt == 0 && matches(conf, "slowFirstAttempt", relative)) {
            String gate = conf.get(PREFIX + "holdWhileExists", null);
            sleep(tc, conf.getLong(PREFIX + "slowMillis", 60_000L), gate == null ? null : new File(gate), relative);
        }
    }

    static boolean matches(SparkConf conf, String key, String relative) {
        String regex = conf.get(PREFIX + key, null);
        return regex != null && !regex.isEmpty() && Pattern.compile(regex).matcher(relative).matches();
    }

    /**
     * Sleeps in short steps so that a kill (Spark interrupts the losing attempt when a speculative
     * copy wins) ends it promptly; a killed sleeper throws, so it goes on to write nothing. With a
     * gate file, the sleep also ends when a test removes the file: that lets a test hold tasks
     * until something it waits for has happened, instead of guessing a duration (only meaningful
     * when executors share the test's file system, as on a one-machine cluster).
     */
    private static void sleep(TaskContext tc, long millis, File gate, String relative) {
        long end = System.nanoTime() + millis * 1_000_000L;
        try {
            while (System.nanoTime() < end && (gate == null || gate.exists())) {
                if (tc.isInterrupted()) {
                    throw new InterruptedException();
                }
                Thread.sleep(Math.min(100L, Math.max(1L, (end - System.nanoTime()) / 1_000_000L)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InjectedFault("slow attempt 0 of " + relative + " was killed");
        }
    }
}
