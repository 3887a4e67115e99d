package io.tilespark.report;

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

import io.tilespark.cv.OpenCv;
import io.tilespark.io.AtomicOutput;
import io.tilespark.job.RunResult;

/**
 * Writes the run report next to the manifest, from the manifest's digest ({@link Compaction}):
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

    /**
     * Writes summary.json and report.html into {@code meta} (the run's {@code _tilespark} folder)
     * and returns the run's result. {@code digest} holds every manifest row's totals and the rows
     * the page lists; {@code staging} is the run's staging folder, where the executors left the
     * thumbnails; it still exists when this is called.
     */
    public static RunResult write(SparkContext sc, Run run, ManifestDigest digest, Path manifest, Path meta,
                                  Path staging) throws IOException {
        RunSummary s = digest.summary(run.relatives.size());
        RunResult result = RunResult.of(s.listed, s.ok, s.failed, s.skipped, manifest.toString());
        FileSystem fs = meta.getFileSystem(sc.hadoopConfiguration());
        describe(s, run, sc, result);
        s.manifest = fs.makeQualified(manifest).toString();
        s.report = fs.makeQualified(new Path(meta, HTML)).toString();
        List<HtmlReport.Pair> pairs = pairs(fs, Thumbnails.dir(staging), run);
        s.finishedMillis = System.currentTimeMillis();
        byte[] html = new HtmlReport(s, digest.table(), digest.failures(), pairs).render()
                .getBytes(StandardCharsets.UTF_8);
        AtomicOutput.write(fs, staging, new Path(meta, SUMMARY), s.toJson().getBytes(StandardCharsets.UTF_8));
        AtomicOutput.write(fs, staging, new Path(meta, HTML), html);
        return result;
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
