package io.tilespark.job;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import io.tilespark.io.AtomicOutput;
import io.tilespark.report.Compaction;
import io.tilespark.report.ManifestDigest;
import io.tilespark.report.ManifestJson;
import io.tilespark.report.ManifestRow;
import io.tilespark.report.RunReport;
import io.tilespark.report.Thumbnails;
import scala.Tuple2;

/** The job: list, read, tile, apply, stitch, write, report. */
public final class TileJob {

    /** Spark SQL, made only when a run needs it (--incremental with earlier results to read). */
    private final Supplier<SparkSession> spark;
    private final JavaSparkContext jsc;
    private final JobSpec spec;
    private final String runId = UUID.randomUUID().toString();

    public TileJob(SparkSession spark, JobSpec spec) {
        this.spark = () -> spark;
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.spec = spec;
    }

    /**
     * A run on a bare SparkContext. The image pipeline and the report need no Spark SQL, whose
     * first session costs about a second of Scala reflection set-up on a cold driver; a session
     * on this context is made if --incremental has a previous manifest to read.
     */
    public TileJob(SparkContext sc, JobSpec spec) {
        // The builder attaches the session to the running context (SparkContext.getOrCreate).
        this.spark = () -> SparkSession.builder().getOrCreate();
        this.jsc = JavaSparkContext.fromSparkContext(sc);
        this.spec = spec;
    }

    public RunResult run() throws IOException {
        long started = System.currentTimeMillis();
        jsc.setJobGroup("tilespark-" + runId, "tilespark " + spec.plan.spec(), true);
        Configuration hadoop = jsc.hadoopConfiguration();
        Broadcast<HadoopConf> conf = jsc.broadcast(new HadoopConf(hadoop));
        JobMetrics metrics = new JobMetrics(jsc.sc());
        Models.ship(spec.plan, hadoop, jsc);

        List<InputFile> files = list(hadoop);
        Preflight pre = Preflight.of(spark, hadoop, spec, files);
        metrics.imagesSkipped.add(pre.skipped);
        metrics.imagesFailed.add(pre.refused);
        Thumbnails thumbs = Thumbnails.sample(files.size(), Thumbnails.DEFAULT_SAMPLE);
        ProgressListener progress = ProgressListener.start(jsc.sc(), metrics, pre.todo.size(),
                ProgressListener.mode(spec.quiet, System.getenv(), ProgressListener.onTerminal()), System.err);
        try {
            JavaRDD<Share> inputs = read(pre.todo);
            JavaRDD<Piece> tiles = tile(inputs, conf, thumbs, pre.todo.size());
            JavaRDD<Piece> applied = apply(tiles);
            JavaRDD<ManifestRow> rows = stitchAndWrite(applied, conf, metrics, pre.todo.size(), thumbs)
                    .union(jsc.parallelize(pre.rows, 1));
            RunResult result = report(rows, files, started, thumbs);
            Incremental.finish(hadoop, spec);
            return result;
        } finally {
            progress.close();
            jsc.clearCallSite();
            jsc.clearJobGroup();
        }
    }

    private List<InputFile> list(Configuration hadoop) throws IOException {
        Path in = new Path(spec.input);
        Path out = new Path(spec.output);
        FileSystem fs = in.getFileSystem(hadoop);
        FileSystem outFs = out.getFileSystem(hadoop);
        List<InputFile> files = Inputs.list(fs, in, spec.recursive, spec.glob, outFs.makeQualified(out));
        // Creating the output folder here, on the driver, turns a missing container or a key
        // that cannot write into one clear error before any image is processed.
        outFs.mkdirs(out);
        return files;
    }

    /**
     * Without a shuffle, each partition reads, tiles, processes and stitches its own images, so
     * partitions should be many and small: one image per partition up to 32 per core keeps the
     * last wave of tasks short. (binaryFiles would pack files by bytes instead: 8 files became 3
     * partitions in a trial, leaving a core idle.) When tiles are spread, each image is given to
     * {@link #shares} tasks, one partition each.
     */
    private JavaRDD<Share> read(List<InputFile> files) {
        int slots = slots();
        List<Share> shares = Share.of(files, shares(files.size()));
        int slices = shares.size() > files.size() ? shares.size()
                : spec.partitions > 0 ? spec.partitions : Math.max(1, Math.min(files.size(), slots * 32));
        jsc.setCallSite("list " + files.size() + " images");
        return jsc.parallelize(shares, Math.max(1, slices));
    }

    /**
     * How many tasks share each image, by position in the listing. When tiles are spread, the
     * task slots are divided among the images, as evenly as they go (8 slots, 3 images: 3, 3
     * and 2): each of an image's shares decodes it and processes every n-th tile, in parallel.
     */
    int[] shares(int images) {
        int[] counts = new int[images];
        java.util.Arrays.fill(counts, 1);
        if (images == 0 || !spreads(images) || !spec.plan.tiles()) {
            return counts;
        }
        int slots = slots();
        for (int i = 0; i < images; i++) {
            counts[i] = Math.max(1, slots / images + (i < slots % images ? 1 : 0));
        }
        return counts;
    }

    private JavaRDD<Piece> tile(JavaRDD<Share> inputs, Broadcast<HadoopConf> conf, Thumbnails thumbs, int images) {
        jsc.setCallSite(spreads(images) ? StageNames.decode(images, spec.plan) : "decode+tile");
        return inputs.flatMap(new Stages.ReadAndCut(spec, conf, thumbs, spreads(images)));
    }

    /**
     * Where tiles go is decided here. With at least as many images as task slots, every core is
     * busy with whole images, so each image stays whole in the task that decoded it: flatMap and
     * mapPartitions pipeline in one stage with no tiles, no shuffle and no pixel copies to the
     * heap (see {@link Stages.ReadAndCut}). With fewer images than slots (a few huge ones), cores
     * would idle, so each image is shared by several tasks ({@link Share}) that decode it and
     * process their own tiles, and the processed tiles are gathered back by image key to be
     * stitched.
     */
    boolean spreads(int images) {
        switch (spec.spread) {
            case ALWAYS:
                return true;
            case NEVER:
                return false;
            default:
                return images < slots();
        }
    }

    /**
     * The task slots the run can count on: Spark's default parallelism (the cores of the
     * executors registered so far, and never less than 2 on a cluster), capped by
     * {@code spark.cores.max} when that is set: an application limited to one core should not
     * cut its images for a second slot it will never get.
     */
    int slots() {
        int slots = Math.max(1, jsc.defaultParallelism());
        int max = jsc.getConf().getInt("spark.cores.max", 0);
        return max > 0 ? Math.min(slots, max) : slots;
    }

    private JavaRDD<Piece> apply(JavaRDD<Piece> tiles) {
        jsc.setCallSite("apply " + spec.plan.spec());
        return tiles.mapPartitions(new Stages.ApplyOps(spec.plan));
    }

    private JavaRDD<ManifestRow> stitchAndWrite(JavaRDD<Piece> applied, Broadcast<HadoopConf> conf, JobMetrics m,
                                                int images, Thumbnails thumbs) {
        JavaRDD<Piece> gathered = applied;
        if (spreads(images)) {
            jsc.setCallSite(StageNames.decode(images, spec.plan));
            gathered = applied.mapToPair(p -> new Tuple2<>(p.image, p.forShuffle()))
                    .partitionBy(new HashPartitioner(Math.max(1, images)))
                    .values();
        }
        jsc.setCallSite("stitch+write");
        return gathered.mapPartitions(new Assembler(spec, conf, runId, m, thumbs));
    }

    /**
     * The single action of the run: writing the manifest's part files pulls every image through
     * the pipeline. The parts come from the result stage (so accumulators stay exact); the driver
     * then compacts them into the manifest and sums them up for the report ({@link Compaction}),
     * without another Spark job.
     */
    private RunResult report(JavaRDD<ManifestRow> rows, List<InputFile> files, long started, Thumbnails thumbs)
            throws IOException {
        int images = files.size();
        Path root = new Path(spec.output);
        Path meta = new Path(root, "_tilespark");
        // Not "_"-prefixed: Spark skips such paths when reading, even when named explicitly.
        Path parts = new Path(meta, "parts-" + runId);
        Path manifest = new Path(meta, "manifest");
        Path analysis = spec.plan.analysis().isEmpty() ? null : new Path(meta, "analysis");
        Path staging = AtomicOutput.stagingDir(root, runId);
        jsc.setJobDescription("tilespark: " + images + " images, " + spec.plan.spec());
        jsc.setCallSite(StageNames.result(images, spec.plan, spreads(images)));
        // A plain RDD action, so the images start as soon as they are listed: a DataFrame write
        // would first spend seconds planning Spark SQL on a cold driver while every task slot
        // waits, and give each task a SQL writer to set up.
        rows.map(ManifestJson::partsLine).saveAsTextFile(parts.toString());
        FileSystem fs = root.getFileSystem(jsc.hadoopConfiguration());
        ManifestDigest digest = Compaction.compact(fs, parts, manifest, analysis, staging, runId, new ManifestDigest());
        fs.delete(parts, true);
        List<String> relatives = new java.util.ArrayList<>(images);
        for (InputFile f : files) {
            relatives.add(f.relative);
        }
        RunReport.Run run = new RunReport.Run(runId, started, spec.input, spec.output, spec.plan.spec(),
                spec.describe(), thumbs, relatives);
        RunResult result = RunReport.write(jsc.sc(), run, digest, manifest, meta, staging);
        fs.delete(staging, true);
        Path allStaging = new Path(root, AtomicOutput.STAGING);
        if (fs.exists(allStaging) && fs.listStatus(allStaging).length == 0) {
            fs.delete(allStaging, false);
        }
        return result;
    }
}
