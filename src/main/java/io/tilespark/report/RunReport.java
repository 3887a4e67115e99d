package io.tilespark.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.tilespark.cv.OpenCv;
import io.tilespark.io.AtomicOutput;
import io.tilespark.job.RunResult;

/**
 * Reads a run's manifest back with Spark SQL, sums it up, and writes the run report next to it:
 * {@code summary.json} (numbers for scripts) and {@code report.html} (one page for people).
 */
public final class RunReport {

    public static final String SUMMARY = "summary.json";
    public static final String HTML = "report.html";

    private RunReport() {
    }

    /** What the driver knows about a run that the manifest does not. */
    public static final class Run {
        final String runId;
        final long startedMillis;
        final String input;
        final String output;
        final String ops;
        final String settings;
        final Thumbnails thumbs;
        final List<String> relatives;

        /**
         * @param relatives the listing's relative paths, indexed by image id (names the thumbnails)
         */
        public Run(String runId, long startedMillis, String input, String output, String ops, String settings,
                   Thumbnails thumbs, List<String> relatives) {
            this.runId = runId;
            this.startedMillis = startedMillis;
            this.input = input;
            this.output = output;
            this.ops = ops;
            this.settings = settings;
            this.thumbs = thumbs;
            this.relatives = relatives;
        }
    }

    public static RunResult summarise(SparkSession spark, String manifest, int listed) {
        RunSummary s = totals(spark.read().schema(ManifestRow.schema()).json(manifest), listed);
        return RunResult.of(listed, s.ok, s.failed, s.skipped, manifest);
    }

    /**
     * Writes summary.json and report.html into {@code meta} (the run's {@code _tilespark} folder)
     * and returns the run's result. {@code staging} is the run's staging folder, where the
     * executors left the thumbnails; it still exists when this is called.
     */
    public static RunResult write(SparkSession spark, Run run, String manifest, Path meta, Path staging)
            throws IOException {
        return write(spark, run, manifest, meta, staging, HtmlReport.TABLE_CAP, HtmlReport.FAILURE_CAP);
    }

    static RunResult write(SparkSession spark, Run run, String manifest, Path meta, Path staging, int tableCap,
                           int failureCap) throws IOException {
        SparkContext sc = spark.sparkContext();
        sc.setCallSite("summarise the run");
        sc.setJobDescription("tilespark: run report");
        Dataset<Row> df = spark.read().schema(ManifestRow.schema()).json(manifest);
        try {
            RunSummary s = totals(df, run.relatives.size());
            RunResult result = RunResult.of(s.listed, s.ok, s.failed, s.skipped, manifest);
            FileSystem fs = meta.getFileSystem(sc.hadoopConfiguration());
            describe(s, run, sc, result);
            s.manifest = fs.makeQualified(new Path(manifest)).toString();
            s.report = fs.makeQualified(new Path(meta, HTML)).toString();
            List<ManifestRow> rows = rows(df.orderBy("relative").limit(tableCap));
            List<ManifestRow> failures = new ArrayList<>();
            if (rows.size() < s.ok + s.failed + s.skipped) {
                // The table is capped, so it may miss failures: ask the manifest for them.
                failures = rows(df.where(col("status").equalTo(ManifestRow.FAILED))
                        .orderBy("relative").limit(failureCap));
            } else {
                for (ManifestRow r : rows) {
                    if (ManifestRow.FAILED.equals(r.status) && failures.size() < failureCap) {
                        failures.add(r);
                    }
                }
            }
            List<HtmlReport.Pair> pairs = pairs(fs, Thumbnails.dir(staging), run);
            s.finishedMillis = System.currentTimeMillis();
            byte[] html = new HtmlReport(s, rows, failures, pairs).render().getBytes(StandardCharsets.UTF_8);
            AtomicOutput.write(fs, staging, new Path(meta, SUMMARY), s.toJson().getBytes(StandardCharsets.UTF_8));
            AtomicOutput.write(fs, staging, new Path(meta, HTML), html);
            return result;
        } finally {
            sc.clearCallSite();
        }
    }

    /** Counts, pixels, bytes and phase times over every row of the manifest, in one query. */
    static RunSummary totals(Dataset<Row> df, long listed) {
        Column ok = col("status").equalTo(ManifestRow.OK);
        List<Column> aggs = new ArrayList<>();
        aggs.add(sum(when(ok, 1).otherwise(0)));
        aggs.add(sum(when(col("status").equalTo(ManifestRow.FAILED), 1).otherwise(0)));
        aggs.add(sum(when(col("status").equalTo(ManifestRow.SKIPPED), 1).otherwise(0)));
        aggs.add(sum(when(ok, col("width").cast("long").multiply(col("height"))).otherwise(0)));
        aggs.add(sum(when(ok, col("tiles")).otherwise(0)));
        aggs.add(sum(col("size")));
        aggs.add(sum(when(ok, col("bytes_out")).otherwise(0)));
        for (String p : RunSummary.PHASES) {
            aggs.add(sum(col("ms_" + p)));
        }
        Row r = df.agg(count(lit(1)), aggs.toArray(new Column[0])).first();
        RunSummary s = new RunSummary();
        s.listed = listed;
        s.ok = longAt(r, 1);
        s.failed = longAt(r, 2);
        s.skipped = longAt(r, 3);
        s.megapixels = longAt(r, 4) / 1e6;
        s.tiles = longAt(r, 5);
        s.bytesIn = longAt(r, 6);
        s.bytesOut = longAt(r, 7);
        for (int i = 0; i < RunSummary.PHASES.length; i++) {
            s.phaseMillis[i] = longAt(r, 8 + i);
        }
        return s;
    }

    private static long longAt(Row r, int i) {
        return r.isNullAt(i) ? 0 : ((Number) r.get(i)).longValue();
    }

    private static void describe(RunSummary s, Run run, SparkContext sc, RunResult result) {
        s.runId = run.runId;
        s.startedMillis = run.startedMillis;
        s.input = RunSummary.redact(run.input);
        s.output = RunSummary.redact(run.output);
        s.ops = run.ops;
        s.settings = RunSummary.redact(run.settings);
        s.exitCode = result.exitCode();
        s.tilesparkVersion = OpenCv.buildProperty("version");
        s.target = OpenCv.buildProperty("target");
        s.opencv = opencvBuild();
        s.sparkAppId = sc.applicationId();
        s.sparkAppName = sc.appName();
        s.sparkVersion = sc.version();
        s.sparkMaster = sc.master();
        s.sparkUiUrl = sc.uiWebUrl().isDefined() ? sc.uiWebUrl().get() : null;
        SparkConf conf = sc.getConf();
        if (conf.getBoolean("spark.eventLog.enabled", false)) {
            s.eventLogDir = RunSummary.redact(conf.get("spark.eventLog.dir", "/tmp/spark-events"));
        }
    }

    /** The OpenCV artifact the jar carries, from its Maven metadata; the driver never loads the natives. */
    static String opencvBuild() {
        String[][] builds = {{"org.bytedeco", "bytedeco"}, {"org.openpnp", "openpnp"}};
        for (String[] b : builds) {
            try (InputStream in = RunReport.class.getResourceAsStream("/META-INF/maven/" + b[0] + "/opencv/pom.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    return b[1] + " opencv " + p.getProperty("version", "?");
                }
            } catch (IOException e) {
                // fall through to the build property
            }
        }
        return OpenCv.buildProperty("opencv");
    }

    private static List<ManifestRow> rows(Dataset<Row> df) {
        List<ManifestRow> out = new ArrayList<>();
        for (Row r : df.collectAsList()) {
            out.add(fromRow(r));
        }
        return out;
    }

    /** By column name, so columns added to the manifest later do not shift anything here. */
    static ManifestRow fromRow(Row r) {
        ManifestRow m = new ManifestRow();
        m.input = r.getAs("input");
        m.relative = r.getAs("relative");
        m.size = lng(r, "size");
        m.width = (int) lng(r, "width");
        m.height = (int) lng(r, "height");
        m.format = r.getAs("format");
        m.tiles = (int) lng(r, "tiles");
        m.output = r.getAs("output");
        m.status = r.getAs("status");
        m.error = r.getAs("error");
        m.notes = r.getAs("notes");
        m.msRead = lng(r, "ms_read");
        m.msDecode = lng(r, "ms_decode");
        m.msOps = lng(r, "ms_ops");
        m.msStitch = lng(r, "ms_stitch");
        m.msEncode = lng(r, "ms_encode");
        m.msWrite = lng(r, "ms_write");
        m.bytesOut = lng(r, "bytes_out");
        return m;
    }

    private static long lng(Row r, String name) {
        Object v = r.getAs(name);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static List<HtmlReport.Pair> pairs(FileSystem fs, Path dir, Run run) throws IOException {
        List<HtmlReport.Pair> pairs = new ArrayList<>();
        for (long id : run.thumbs.ids()) {
            Path before = new Path(dir, Thumbnails.name(id, "before"));
            Path after = new Path(dir, Thumbnails.name(id, "after"));
            if (fs.exists(before) && fs.exists(after) && id < run.relatives.size()) {
                pairs.add(new HtmlReport.Pair(run.relatives.get((int) id), read(fs, before), read(fs, after)));
            }
        }
        return pairs;
    }

    private static byte[] read(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
