package io.tilespark.job;

import java.io.Serializable;

import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Named accumulators, shown in the Spark UI and its REST API. They are only ever added to in the
 * job's final (result) stage: Spark applies a result task's accumulator updates once per
 * partition, ignoring failed attempts and speculative duplicates, whereas updates made in an
 * earlier stage are repeated whenever that stage is recomputed.
 */
public final class JobMetrics implements Serializable {
    private static final long serialVersionUID = 1L;

    public final LongAccumulator imagesRead;
    public final LongAccumulator imagesWritten;
    public final LongAccumulator imagesFailed;
    public final LongAccumulator imagesSkipped;
    public final LongAccumulator tiles;
    public final LongAccumulator kilopixels;
    public final LongAccumulator bytesIn;
    public final LongAccumulator bytesOut;

    JobMetrics(SparkContext sc) {
        imagesRead = sc.longAccumulator("images read");
        imagesWritten = sc.longAccumulator("images written");
        imagesFailed = sc.longAccumulator("images failed");
        imagesSkipped = sc.longAccumulator("images skipped");
        tiles = sc.longAccumulator("tiles");
        kilopixels = sc.longAccumulator("kilopixels");
        bytesIn = sc.longAccumulator("bytes in");
        bytesOut = sc.longAccumulator("bytes out");
    }
}
