package io.tilespark.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.tilespark.io.ImageFormat;
import io.tilespark.io.OutputLocation;
import io.tilespark.io.OutputPaths;
import io.tilespark.report.ManifestRow;

/**
 * Decides, before any image is read, which listed inputs an earlier run has already turned into
 * their current output, so a nightly re-run (or a re-run after a crash) does only the rest.
 *
 * <p>The rule. An input is skipped when the newest evidence about its relative path says:
 * status ok (or skipped, which carries an earlier ok forward), the same size and modification
 * time as the input has now, the same operator chain, the output path this run would write, and
 * that output still exists with the recorded number of bytes. Evidence is the previous manifest
 * and, newer than it, the journals of runs that never finished ({@link Journal}). Anything else
 * is processed again, including inputs that failed last time. Settings that are not recorded
 * (--quality, --keep-orientation, --max-pixels, --formats) are not compared: after changing
 * them, run with --force.
 *
 * <p>Skipped inputs still get a manifest row (status skipped, with the earlier output and
 * facts), so the manifest always covers the whole current listing.
 */
public final class Incremental {

    /** What to process, and the rows of what is skipped. */
    public static final class Decision {
        public final List<InputFile> todo;
        public final List<ManifestRow> skipped;

        Decision(List<InputFile> todo, List<ManifestRow> skipped) {
            this.todo = Collections.unmodifiableList(todo);
            this.skipped = Collections.unmodifiableList(skipped);
        }
    }

    private static final String[] FIELDS = {"relative", "input", "size", "mtime", "format", "width", "height",
        "channels", "tiles", "ops", "output", "bytes_out", "notes", "status", "written"};

    private Incremental() {
    }

    /**
     * @param spark the session, asked for only when there is evidence to read: a run without
     *              --incremental never loads Spark SQL
     */
    public static Decision decide(Supplier<SparkSession> spark, Configuration hadoop, JobSpec spec,
                                  List<InputFile> files) throws IOException {
        if (!spec.incremental || spec.force || files.isEmpty()) {
            return new Decision(new ArrayList<>(files), new ArrayList<>());
        }
        Path root = new Path(spec.output);
        FileSystem fs = root.getFileSystem(hadoop);
        Map<String, Row> evidence = evidence(spark, fs, root, files);
        Map<String, Long> outputs = evidence.isEmpty() ? Collections.<String, Long>emptyMap() : outputs(fs, root);
        List<InputFile> todo = new ArrayList<>();
        List<ManifestRow> skipped = new ArrayList<>();
        for (InputFile f : files) {
            Row e = evidence.get(f.relative);
            if (e != null && unchanged(e, f, spec, fs, root, outputs)) {
                skipped.add(skippedRow(e, f));
            } else {
                todo.add(f);
            }
        }
        return new Decision(todo, skipped);
    }

    /** After the manifest is safely written: journals and crash markers are folded in, so they go. */
    public static void finish(Configuration hadoop, JobSpec spec) throws IOException {
        Path root = new Path(spec.output);
        FileSystem fs = root.getFileSystem(hadoop);
        fs.delete(Journal.dir(root), true);
        fs.delete(new Path(root, DecodeQuarantine.DIR), true);
    }

    /**
     * The newest evidence row per relative path, for the listed inputs only. Spark SQL reads the
     * manifest and the journals and joins them with the listing, so only matching rows reach the
     * driver.
     */
    static Map<String, Row> evidence(Supplier<SparkSession> session, FileSystem fs, Path root, List<InputFile> files)
            throws IOException {
        Dataset<Row> all = null;
        Path manifest = new Path(root, "_tilespark/manifest");
        Path journal = Journal.dir(root);
        if (!fs.exists(manifest) && !fs.exists(journal)) {
            return Collections.emptyMap();
        }
        SparkSession spark = session.get();
        if (fs.exists(manifest)) {
            Dataset<Row> m = spark.read().schema(ManifestRow.schema()).json(manifest.toString())
                    .withColumn("written", functions.lit(0L));
            all = m.select(columns(m));
        }
        if (fs.exists(journal)) {
            Dataset<Row> j = spark.read().schema(Journal.schema()).option("recursiveFileLookup", "true")
                    .json(journal.toString())
                    .withColumn("status", functions.lit(ManifestRow.OK));
            all = all == null ? j.select(columns(j)) : all.union(j.select(columns(j)));
        }
        if (all == null) {
            return Collections.emptyMap();
        }
        List<Row> listed = new ArrayList<>(files.size());
        for (InputFile f : files) {
            listed.add(RowFactory.create(f.relative));
        }
        StructType listing = new StructType().add("rel", DataTypes.StringType, false);
        Dataset<Row> wanted = spark.createDataFrame(listed, listing);
        List<Row> rows = all.filter(all.col("relative").isNotNull().and(all.col("output").isNotNull()))
                .join(wanted, all.col("relative").equalTo(wanted.col("rel")))
                .select(columns(all)).collectAsList();
        Map<String, Row> newest = new HashMap<>();
        for (Row r : rows) {
            String rel = r.getAs("relative");
            Row prev = newest.get(rel);
            if (prev == null || written(r) > written(prev)) {
                newest.put(rel, r);
            }
        }
        return newest;
    }

    private static Column[] columns(Dataset<Row> d) {
        Column[] c = new Column[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            c[i] = d.col(FIELDS[i]);
        }
        return c;
    }

    private static long written(Row r) {
        Long w = r.getAs("written");
        return w == null ? 0 : w;
    }

    /** Every file under the output root with its length, keyed by path: one listing, not one call per image. */
    static Map<String, Long> outputs(FileSystem fs, Path root) throws IOException {
        Map<String, Long> m = new HashMap<>();
        if (!fs.exists(root)) {
            return m;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            LocatedFileStatus st = it.next();
            m.put(st.getPath().toUri().getPath(), st.getLen());
        }
        return m;
    }

    static boolean unchanged(Row e, InputFile f, JobSpec spec, FileSystem fs, Path root, Map<String, Long> outputs) {
        String status = e.getAs("status");
        if (!ManifestRow.OK.equals(status) && !ManifestRow.SKIPPED.equals(status)) {
            return false;
        }
        if (!eq(e.getAs("size"), f.size) || !eq(e.getAs("mtime"), f.mtime) || !spec.plan.spec().equals(e.getAs("ops"))) {
            return false;
        }
        String output = e.getAs("output");
        String format = e.getAs("format");
        Long bytes = e.getAs("bytes_out");
        if (output == null || format == null || bytes == null) {
            return false;
        }
        String expected;
        try {
            ImageFormat target = outputFormat(spec.format, ImageFormat.valueOf(format.toUpperCase(Locale.ROOT)));
            Path dest = OutputLocation.resolve(root, OutputPaths.outputRelative(f.relative, target));
            expected = fs.makeQualified(dest).toUri().getPath();
        } catch (IllegalArgumentException ex) {
            return false;
        }
        String recorded = new Path(output).toUri().getPath();
        return expected.equals(recorded) && bytes.equals(outputs.get(recorded));
    }

    /** The same choice as the stitch+write step makes (Assembler): png, jpg, or the input's own when writable. */
    static ImageFormat outputFormat(String setting, ImageFormat input) {
        switch (setting) {
            case "png":
                return ImageFormat.PNG;
            case "jpg":
                return ImageFormat.JPEG;
            default:
                return input.encodable ? input : ImageFormat.PNG;
        }
    }

    private static boolean eq(Object recorded, long now) {
        return recorded instanceof Long && (Long) recorded == now;
    }

    private static ManifestRow skippedRow(Row e, InputFile f) {
        ManifestRow r = new ManifestRow();
        r.input = f.uri;
        r.relative = f.relative;
        r.size = f.size;
        r.mtime = f.mtime;
        r.format = e.getAs("format");
        r.width = intOf(e.getAs("width"));
        r.height = intOf(e.getAs("height"));
        r.channels = intOf(e.getAs("channels"));
        r.tiles = intOf(e.getAs("tiles"));
        r.ops = e.getAs("ops");
        r.output = e.getAs("output");
        r.bytesOut = e.<Long>getAs("bytes_out");
        r.notes = e.getAs("notes");
        r.status = ManifestRow.SKIPPED;
        return r;
    }

    private static int intOf(Object v) {
        return v == null ? 0 : ((Number) v).intValue();
    }
}
