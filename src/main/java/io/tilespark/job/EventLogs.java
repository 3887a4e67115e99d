package io.tilespark.job;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;

import org.apache.spark.SparkConf;

import io.tilespark.ops.UsageException;

/**
 * {@code --event-log DIR}: Spark's event log, which the History Server replays as the Spark UI
 * after the run has ended. Spark refuses to start when the folder is missing, so a local folder
 * is created here; a store URI (abfs://, hdfs://) must exist already.
 */
public final class EventLogs {

    private EventLogs() {
    }

    /** Sets spark.eventLog.enabled and spark.eventLog.dir, creating DIR when it is local. */
    public static void enable(SparkConf conf, String dir) {
        String uri = resolve(dir);
        if (uri.startsWith("file:")) {
            File f;
            try {
                f = new File(new URI(uri));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new UsageException("--event-log: not a folder path: " + dir);
            }
            if (!f.isDirectory() && !f.mkdirs()) {
                throw new UsageException("--event-log: cannot create folder " + f);
            }
        }
        conf.set("spark.eventLog.enabled", "true");
        conf.set("spark.eventLog.dir", uri);
    }

    /**
     * A path without a scheme is a local folder, made absolute: Spark would otherwise resolve it
     * against the cluster's default file system (cluster storage on HDInsight).
     */
    static String resolve(String dir) {
        if (dir.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !dir.matches("^[A-Za-z]:[\\\\/].*")) {
            return dir;
        }
        return new File(dir).getAbsoluteFile().toURI().toString();
    }
}
