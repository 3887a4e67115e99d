package io.tilespark.job;

import java.util.Collections;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.tilespark.report.ManifestRow;

/**
 * Plans a small query over an empty manifest on a driver thread while the images are processed,
 * so that the first real manifest query after them finds Spark SQL's analyser, optimiser and
 * planner loaded and compiled. On a cluster the driver is otherwise idle during the images; the
 * work (seconds of class loading and JIT on a cold JVM) then costs no wall time. The query runs
 * on a local empty relation, so it launches no Spark job and never queues behind the images.
 */
final class SqlWarmup {

    private SqlWarmup() {
    }

    static void start(SparkSession spark) {
        Thread t = new Thread(() -> {
            try {
                spark.createDataFrame(Collections.<Row>emptyList(), ManifestRow.schema())
                        .groupBy("status").count().collectAsList();
            } catch (RuntimeException e) {
                // Only a warm-up: the real query reports any real problem.
            }
        }, "tilespark-sql-warmup");
        t.setDaemon(true);
        t.start();
    }
}
