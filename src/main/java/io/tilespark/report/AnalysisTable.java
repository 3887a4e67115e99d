package io.tilespark.report;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import io.tilespark.ops.Finding;

/**
 * The analysis table, {@code <output>/_tilespark/analysis/}: JSON lines, one row per finding,
 * keyed by input path. It rides along inside the manifest's part files (an array column on each
 * image's row, written by {@link ManifestJson#partsLine}), so the run keeps a single action over
 * the image pipeline; {@link Compaction} then splits the parts into the manifest (without that
 * column) and this table, one line per finding ({@link ManifestJson#analysisLine}).
 */
public final class AnalysisTable {

    /** The column that carries an image's findings inside the manifest parts. */
    public static final String PARTS_COLUMN = "analysis";

    private AnalysisTable() {
    }

    /** One finding, as nested in the parts. */
    static StructType findingSchema() {
        return new StructType(new StructField[] {
            DataTypes.createStructField("analyzer", DataTypes.StringType, false),
            DataTypes.createStructField("kind", DataTypes.StringType, false),
            DataTypes.createStructField("label", DataTypes.StringType, true),
            DataTypes.createStructField("x", DataTypes.IntegerType, true),
            DataTypes.createStructField("y", DataTypes.IntegerType, true),
            DataTypes.createStructField("w", DataTypes.IntegerType, true),
            DataTypes.createStructField("h", DataTypes.IntegerType, true),
            DataTypes.createStructField("count", DataTypes.IntegerType, true),
            DataTypes.createStructField("score", DataTypes.DoubleType, true),
            DataTypes.createStructField("value", DataTypes.DoubleType, true),
            DataTypes.createStructField("values", DataTypes.createArrayType(DataTypes.DoubleType, false), true),
        });
    }

    /** The table's columns: the input's path, then the finding's. */
    public static StructType schema() {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField("input", DataTypes.StringType, false));
        f.add(DataTypes.createStructField("relative", DataTypes.StringType, false));
        for (StructField s : findingSchema().fields()) {
            f.add(s);
        }
        return DataTypes.createStructType(f);
    }

    /** The manifest's columns plus the findings array: the shape of the part files. */
    public static StructType partsSchema() {
        return ManifestRow.schema().add(PARTS_COLUMN, DataTypes.createArrayType(findingSchema(), false), true);
    }

    /** The part-file row for an image: what {@link ManifestJson#partsLine} writes, as a Spark row. */
    static Row partsRow(ManifestRow m) {
        Row base = m.toRow();
        Object[] values = new Object[base.size() + 1];
        for (int i = 0; i < base.size(); i++) {
            values[i] = base.get(i);
        }
        // An array, not a java.util.List: Spark's row encoder takes arrays or Scala Seqs only.
        Row[] found = null;
        // A failed image (say, its encode failed after analysis) has no findings: nothing was written.
        if (ManifestRow.OK.equals(m.status) && m.analysis != null && !m.analysis.isEmpty()) {
            found = new Row[m.analysis.size()];
            int i = 0;
            for (Finding f : m.analysis) {
                found[i++] = RowFactory.create(f.analyzer, f.kind, f.label, f.x, f.y, f.w, f.h, f.count, f.score,
                        f.value, f.values());
            }
        }
        values[base.size()] = found;
        return RowFactory.create(values);
    }
}
