package io.tilespark.report;

import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.tilespark.job.RunResult;

/** Reads a run's manifest back with Spark SQL and sums it up. */
public final class RunReport {

    private RunReport() {
    }

    public static RunResult summarise(SparkSession spark, String manifest, int listed) {
        List<Row> counts = spark.read().schema(ManifestRow.schema()).json(manifest)
                .groupBy("status").count().collectAsList();
        long ok = 0;
        long failed = 0;
        long skipped = 0;
        for (Row r : counts) {
            long n = r.getLong(1);
            switch (r.getString(0)) {
                case ManifestRow.OK:
                    ok = n;
                    break;
                case ManifestRow.FAILED:
                    failed = n;
                    break;
                default:
                    skipped += n;
            }
        }
        return RunResult.of(listed, ok, failed, skipped, manifest);
    }
}
