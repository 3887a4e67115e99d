package io.tilespark.job;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

import io.tilespark.report.ManifestRow;

/**
 * How many attempts Spark gives a task, and what one image's processing may do on the last one.
 *
 * <p>An unexpected error while processing an image (an {@link Error} that is not an
 * OutOfMemoryError) fails the whole task on ordinary attempts, so Spark runs it again, possibly on
 * another executor: that cures a bad node or a transient fault. On the task's last allowed attempt
 * the error is turned into a failed manifest row for that image instead, because letting it escape
 * once more would abort the job and lose every other image's result. OutOfMemoryError always
 * escapes: Spark treats it as fatal and replaces the executor, which is the only sound recovery.
 * A task that Spark is killing (speculation loser, cancelled job) is never absorbed either.
 *
 * <p>The attempt budget is computed where the task runs, from the application's own settings:
 * {@code local[N,F]} allows F attempts, {@code local} and {@code local[N]} one (local mode never
 * retries), any cluster master {@code spark.task.maxFailures} (default 4).
 */
final class Attempts {

    /** Spark's own default for spark.task.maxFailures. */
    static final int DEFAULT_MAX_FAILURES = 4;

    private static final Pattern LOCAL =
            Pattern.compile("local(?:\\[\\s*(?:\\d+|\\*)\\s*(?:,\\s*(\\d+)\\s*)?\\])?");

    private Attempts() {
    }

    /** Attempts Spark makes per task under this master and spark.task.maxFailures (null when unset). */
    static int allowed(String master, String maxFailures) {
        if (master != null) {
            Matcher m = LOCAL.matcher(master.trim());
            if (m.matches()) {
                return m.group(1) == null ? 1 : Math.max(1, Integer.parseInt(m.group(1)));
            }
        }
        if (maxFailures == null || maxFailures.trim().isEmpty()) {
            return DEFAULT_MAX_FAILURES;
        }
        return Math.max(1, Integer.parseInt(maxFailures.trim()));
    }

    /** Attempts allowed for tasks of the running application; 1 outside Spark. */
    static int allowed() {
        SparkEnv env = SparkEnv.get();
        if (env == null) {
            return 1;
        }
        SparkConf conf = env.conf();
        return allowed(conf.get("spark.master", null), conf.get("spark.task.maxFailures", null));
    }

    /**
     * True on the last attempt Spark will make of the current task. Compared with {@code >=}:
     * attempts that did not count as failures (a lost executor not caused by the app, a killed
     * speculative copy) also raise the attempt number, so it can pass the budget.
     */
    static boolean isLast() {
        TaskContext tc = TaskContext.get();
        return tc == null || tc.attemptNumber() >= allowed() - 1;
    }

    /**
     * The per-image guard: rethrows {@code e} so that Spark retries the task, unless this is the
     * task's last attempt, in which case it returns the error text to record against the image.
     */
    static String absorbOnLastAttempt(Error e) {
        if (e instanceof OutOfMemoryError || beingKilled() || !isLast()) {
            throw e;
        }
        TaskContext tc = TaskContext.get();
        String tries = tc == null ? "" : " (attempt " + (tc.attemptNumber() + 1) + " of " + allowed() + ")";
        return "failed on the last attempt" + tries + ": " + ManifestRow.oneLine(e);
    }

    private static boolean beingKilled() {
        TaskContext tc = TaskContext.get();
        return Thread.currentThread().isInterrupted() || (tc != null && tc.isInterrupted());
    }
}
