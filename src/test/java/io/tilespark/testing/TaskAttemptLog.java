package io.tilespark.testing;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * Records every task attempt's end in the driver, for in-process tests that need to see Spark's
 * retries. Installed with {@code spark.extraListeners=io.tilespark.testing.TaskAttemptLog}.
 */
public final class TaskAttemptLog extends SparkListener {

    /** One finished task attempt. */
    public static final class Attempt {
        public final int stage;
        public final int index;
        public final int attempt;
        public final String executor;
        public final boolean successful;
        public final boolean speculative;
        public final String reason;

        Attempt(int stage, TaskInfo info, String reason) {
            this.stage = stage;
            this.index = info.index();
            this.attempt = info.attemptNumber();
            this.executor = info.executorId();
            this.successful = info.successful();
            this.speculative = info.speculative();
            this.reason = reason;
        }

        @Override
        public String toString() {
            return "stage " + stage + " task " + index + "." + attempt + " on " + executor + ": "
                    + (successful ? "ok" : reason);
        }
    }

    private static final List<Attempt> ATTEMPTS = new ArrayList<>();

    public static synchronized void clear() {
        ATTEMPTS.clear();
    }

    public static synchronized List<Attempt> attempts() {
        return new ArrayList<>(ATTEMPTS);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        String reason = String.valueOf(end.reason());
        if (end.reason() instanceof org.apache.spark.ExceptionFailure) {
            reason = ((org.apache.spark.ExceptionFailure) end.reason()).toErrorString();
        }
        synchronized (TaskAttemptLog.class) {
            ATTEMPTS.add(new Attempt(end.stageId(), end.taskInfo(), reason));
        }
    }
}
