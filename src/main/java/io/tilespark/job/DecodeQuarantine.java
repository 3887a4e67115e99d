package io.tilespark.job;

import java.io.IOException;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

import io.tilespark.io.DecodeException;

/**
 * The last line of defence against a decoder that crashes natively. Such a crash kills the
 * executor JVM, so no exception ever reaches the job; Spark re-runs the task on another
 * executor, the same file crashes that one too, and after spark.task.maxFailures attempts the
 * whole job is lost. So on a task's <em>retry</em> (attempt 1 and later) each decode leaves a
 * marker file on the shared output store while it runs. If an attempt finds a marker for the file
 * it is about to decode, an earlier attempt died in the middle of decoding exactly that file: it
 * is reported as failed instead of decoded a third time, and the rest of the task goes on.
 *
 * <p>First attempts write nothing, so a healthy run pays nothing. The cost of a crashing file is
 * two lost executors (replaced by the cluster manager), so spark.task.maxFailures must be at least
 * 3 (Spark's default is 4). Local mode runs tasks in the driver JVM and never retries them
 * (PLATFORM.md), so there a native crash still ends the run; the header checks and the format
 * allowlist are the defence there.
 */
final class DecodeQuarantine {

    static final String DIR = "_tilespark/decoding";

    /** Test hook: a file name whose decoding halts the JVM, standing in for a native decoder crash. */
    static final String DIE_ENV = "TILESPARK_TEST_DIE_DECODING";

    private DecodeQuarantine() {
    }

    /** Held while one file is decoded; closing it removes the marker, if one was written. */
    interface Guard extends AutoCloseable {
        @Override
        void close();
    }

    private static final Guard NONE = () -> { };

    /** Each share of a spread image ({@link Share}) decodes it in its own task, with its own marker. */
    static Guard enter(HadoopConf conf, String outputRoot, Share share) throws DecodeException {
        InputFile file = share.file;
        String die = System.getenv(DIE_ENV);
        TaskContext tc = TaskContext.get();
        if (tc == null || tc.attemptNumber() == 0) {
            dieIfAsked(die, file);
            return NONE;
        }
        try {
            Path marker = new Path(new Path(new Path(outputRoot, DIR), appId()), Journal.hash(file.uri)
                    + (share.count == 1 ? "" : "." + share.index));
            FileSystem fs = marker.getFileSystem(conf.get());
            if (fs.exists(marker)) {
                throw new DecodeException("decoding this file took its executor down on an earlier attempt "
                        + "(a native decoder crash or out of memory); not decoded again");
            }
            fs.create(marker, true).close();
            dieIfAsked(die, file);
            return () -> {
                try {
                    fs.delete(marker, false);
                } catch (IOException e) {
                    // A leftover marker only matters if this very task is retried; the run's end removes the folder.
                }
            };
        } catch (IOException e) {
            return NONE; // no marker store: decode without the safety net rather than fail the image
        }
    }

    private static String appId() {
        SparkEnv env = SparkEnv.get();
        String id = env == null ? null : env.conf().getAppId();
        return id == null ? "local" : id;
    }

    private static void dieIfAsked(String die, InputFile file) {
        if (die != null && !die.isEmpty() && file.relative.equals(die)) {
            Runtime.getRuntime().halt(134);
        }
    }
}
