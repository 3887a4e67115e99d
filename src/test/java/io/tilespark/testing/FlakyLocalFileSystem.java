package io.tilespark.testing;

import java.io.IOException;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.TaskContext;

/**
 * The local file system, except that the first attempt of a Spark task fails when it opens or
 * renames onto a file whose name matches a regex from the Hadoop configuration. Installed for
 * {@code file:} with {@code spark.hadoop.fs.file.impl}, it forces real task retries without any
 * hook in the job's code.
 *
 * <p>It throws an {@link Error}: the job turns exceptions into per-image failures, but lets
 * errors fail the task, and Spark retries a task that failed with a non-fatal error.
 */
public class FlakyLocalFileSystem extends RawLocalFileSystem {

    /** Regex on the file name of {@code open()}: fails the reading task's first attempt. */
    public static final String FAIL_OPEN = "tilespark.test.flaky.open";
    /** Regex on the target name of {@code rename()}: fails the publishing task's first attempt. */
    public static final String FAIL_RENAME = "tilespark.test.flaky.rename";

    /** The error thrown on a first attempt. */
    public static final class InjectedFailure extends Error {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String msg) {
            super(msg);
        }
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        maybeFail(FAIL_OPEN, f);
        return super.open(f, bufferSize);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        maybeFail(FAIL_RENAME, dst);
        return super.rename(src, dst);
    }

    private void maybeFail(String key, Path p) {
        String regex = getConf() == null ? null : getConf().get(key);
        TaskContext task = TaskContext.get();
        if (regex != null && task != null && task.attemptNumber() == 0 && p.getName().matches(regex)) {
            throw new InjectedFailure("injected failure of task " + task.partitionId() + " attempt 0 at " + p.getName());
        }
    }
}
