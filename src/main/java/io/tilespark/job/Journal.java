package io.tilespark.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import io.tilespark.report.ManifestJson;
import io.tilespark.report.ManifestRow;

/**
 * A run's own evidence of finished images, for when it never gets to write its manifest (killed,
 * crashed, lost its driver). With {@code --incremental}, each image whose output has been
 * published gets one small JSON file under {@code _tilespark/journal/<run>/}, named by a hash of
 * its relative path, so a retried or speculative task overwrites rather than duplicates it. The
 * next incremental run reads these as well as the manifest ({@link Incremental}); a run that
 * completes folds them into its manifest and deletes the folder.
 */
final class Journal {

    static final String DIR = "_tilespark/journal";

    private Journal() {
    }

    static Path dir(Path outputRoot) {
        return new Path(outputRoot, DIR);
    }

    static StructType schema() {
        return new StructType(new StructField[] {
            DataTypes.createStructField("relative", DataTypes.StringType, true),
            DataTypes.createStructField("input", DataTypes.StringType, true),
            DataTypes.createStructField("size", DataTypes.LongType, true),
            DataTypes.createStructField("mtime", DataTypes.LongType, true),
            DataTypes.createStructField("format", DataTypes.StringType, true),
            DataTypes.createStructField("width", DataTypes.IntegerType, true),
            DataTypes.createStructField("height", DataTypes.IntegerType, true),
            DataTypes.createStructField("channels", DataTypes.IntegerType, true),
            DataTypes.createStructField("tiles", DataTypes.IntegerType, true),
            DataTypes.createStructField("ops", DataTypes.StringType, true),
            DataTypes.createStructField("output", DataTypes.StringType, true),
            DataTypes.createStructField("bytes_out", DataTypes.LongType, true),
            DataTypes.createStructField("notes", DataTypes.StringType, true),
            DataTypes.createStructField("written", DataTypes.LongType, true),
        });
    }

    /**
     * Records one published output. Best effort: a journal that cannot be written only means a
     * re-run after a crash redoes this image, so the error is logged, never raised.
     */
    static void record(HadoopConf conf, String outputRoot, String runId, ManifestRow row) {
        try {
            Path root = new Path(outputRoot);
            Path file = new Path(new Path(dir(root), runId), hash(row.relative) + ".json");
            FileSystem fs = file.getFileSystem(conf.get());
            try (FSDataOutputStream out = fs.create(file, true)) {
                out.write(json(row, System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("tilespark: could not journal " + row.relative + ": " + ManifestRow.oneLine(e));
        }
    }

    static String json(ManifestRow r, long written) {
        StringBuilder sb = new StringBuilder(512).append('{');
        field(sb, "relative", r.relative);
        field(sb, "input", r.input);
        sb.append("\"size\":").append(r.size).append(",\"mtime\":").append(r.mtime).append(',');
        field(sb, "format", r.format);
        sb.append("\"width\":").append(r.width).append(",\"height\":").append(r.height)
                .append(",\"channels\":").append(r.channels).append(",\"tiles\":").append(r.tiles).append(',');
        field(sb, "ops", r.ops);
        field(sb, "output", r.output);
        sb.append("\"bytes_out\":").append(r.bytesOut).append(',');
        if (r.notes != null) {
            field(sb, "notes", r.notes);
        }
        sb.append("\"written\":").append(written).append("}\n");
        return sb.toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append('"').append(name).append("\":");
        if (value == null) {
            sb.append("null");
        } else {
            ManifestJson.quote(sb, value);
        }
        sb.append(',');
    }

    static String hash(String relative) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(relative.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                sb.append(String.format("%02x", d[i] & 0xFF));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
