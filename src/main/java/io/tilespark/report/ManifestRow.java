package io.tilespark.report;

import java.io.Serializable;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** One input's row in the run manifest: what it was, what was done, how it ended, how long each phase took. */
public final class ManifestRow implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";

    public String input;
    public String relative;
    public long size;
    public long mtime;
    public int width;
    public int height;
    public int channels;
    public String format;
    public String ops;
    public int tiles;
    public String output;
    public String status;
    public String error;
    public String notes;
    public long msRead;
    public long msDecode;
    public long msOps;
    public long msStitch;
    public long msEncode;
    public long msWrite;
    public long bytesOut;
    /** The image's analysis findings; not a manifest column (see {@link AnalysisTable}). Null when none. */
    public java.util.List<io.tilespark.ops.Finding> analysis;

    /** A copy of this row with no findings: what the manifest itself holds. */
    public ManifestRow withoutAnalysis() {
        ManifestRow c = new ManifestRow();
        c.input = input;
        c.relative = relative;
        c.size = size;
        c.mtime = mtime;
        c.width = width;
        c.height = height;
        c.channels = channels;
        c.format = format;
        c.ops = ops;
        c.tiles = tiles;
        c.output = output;
        c.status = status;
        c.error = error;
        c.notes = notes;
        c.msRead = msRead;
        c.msDecode = msDecode;
        c.msOps = msOps;
        c.msStitch = msStitch;
        c.msEncode = msEncode;
        c.msWrite = msWrite;
        c.bytesOut = bytesOut;
        return c;
    }

    public static StructType schema() {
        return new StructType(new StructField[] {
            DataTypes.createStructField("input", DataTypes.StringType, false),
            DataTypes.createStructField("relative", DataTypes.StringType, false),
            DataTypes.createStructField("size", DataTypes.LongType, false),
            DataTypes.createStructField("mtime", DataTypes.LongType, false),
            DataTypes.createStructField("width", DataTypes.IntegerType, false),
            DataTypes.createStructField("height", DataTypes.IntegerType, false),
            DataTypes.createStructField("channels", DataTypes.IntegerType, false),
            DataTypes.createStructField("format", DataTypes.StringType, true),
            DataTypes.createStructField("ops", DataTypes.StringType, false),
            DataTypes.createStructField("tiles", DataTypes.IntegerType, false),
            DataTypes.createStructField("output", DataTypes.StringType, true),
            DataTypes.createStructField("status", DataTypes.StringType, false),
            DataTypes.createStructField("error", DataTypes.StringType, true),
            DataTypes.createStructField("notes", DataTypes.StringType, true),
            DataTypes.createStructField("ms_read", DataTypes.LongType, false),
            DataTypes.createStructField("ms_decode", DataTypes.LongType, false),
            DataTypes.createStructField("ms_ops", DataTypes.LongType, false),
            DataTypes.createStructField("ms_stitch", DataTypes.LongType, false),
            DataTypes.createStructField("ms_encode", DataTypes.LongType, false),
            DataTypes.createStructField("ms_write", DataTypes.LongType, false),
            DataTypes.createStructField("bytes_out", DataTypes.LongType, false),
        });
    }

    public Row toRow() {
        return RowFactory.create(input, relative, size, mtime, width, height, channels, format, ops, tiles,
                output, status, error, notes, msRead, msDecode, msOps, msStitch, msEncode, msWrite, bytesOut);
    }

    /** Keeps an error to one line, so the manifest and logs stay greppable. */
    public static String oneLine(Throwable t) {
        String msg = t.getMessage();
        if (msg == null || msg.trim().isEmpty()) {
            msg = t.getClass().getSimpleName();
        }
        return oneLine(msg);
    }

    public static String oneLine(String s) {
        String line = io.tilespark.io.StorageErrors.scrub(s).replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        return line.length() > 300 ? line.substring(0, 297) + "..." : line;
    }
}
