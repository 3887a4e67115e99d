package io.tilespark.job;

import org.apache.spark.SparkConf;

/**
 * The job's defaults for Azure storage, applied only where the user set nothing.
 *
 * <p>Retries: hadoop-azure 3.4.2's ABFS retries a failed request 30 times with exponential
 * backoff from 0.5 s up to 25 s apart ({@code FileSystemConfigurations.DEFAULT_MAX_RETRY_ATTEMPTS},
 * {@code DEFAULT_MAX_BACKOFF_INTERVAL}), about ten minutes per request; WASB retries 15 times up
 * to 90 s apart. With storage gone, every image's read would wait that long before the job could
 * say so. Eight retries (about 80 s of backoff per request) ride out throttling and short blips;
 * on a cluster Spark then retries the task itself ({@code spark.task.maxFailures}, 4 by default).
 * Both connectors read the same key.
 */
public final class AzureDefaults {

    public static final String MAX_RETRIES = "spark.hadoop.fs.azure.io.retry.max.retries";
    public static final String DEFAULT_MAX_RETRIES = "8";

    private AzureDefaults() {
    }

    public static SparkConf apply(SparkConf conf) {
        if (!conf.contains(MAX_RETRIES)) {
            conf.set(MAX_RETRIES, DEFAULT_MAX_RETRIES);
        }
        return conf;
    }
}
