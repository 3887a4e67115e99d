package io.tilespark.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * What the driver settles about the listed inputs before any image is read: inputs whose output
 * path another input holds are failed ({@link OutputClaims}), and with --incremental, inputs
 * already done are skipped ({@link Incremental}). Both get their manifest rows here, so the
 * manifest still has one row per listed input.
 */
public final class Preflight {

    /** Inputs to read and process. */
    public final List<InputFile> todo;
    /** Manifest rows decided on the driver: skipped and refused inputs. */
    public final List<io.tilespark.report.ManifestRow> rows;
    public final int skipped;
    public final int refused;

    private Preflight(List<InputFile> todo, List<io.tilespark.report.ManifestRow> rows, int skipped, int refused) {
        this.todo = Collections.unmodifiableList(todo);
        this.rows = Collections.unmodifiableList(rows);
        this.skipped = skipped;
        this.refused = refused;
    }

    public static Preflight of(Supplier<SparkSession> spark, Configuration hadoop, JobSpec spec, List<InputFile> files)
            throws IOException {
        OutputClaims.Result claims = OutputClaims.check(files, spec);
        Incremental.Decision inc = Incremental.decide(spark, hadoop, spec, claims.kept);
        List<io.tilespark.report.ManifestRow> rows = new ArrayList<>(claims.refused);
        rows.addAll(inc.skipped);
        return new Preflight(inc.todo, rows, inc.skipped.size(), claims.refused.size());
    }
}
