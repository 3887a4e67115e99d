package io.tilespark;

import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

import io.tilespark.cv.OpenCv;
import io.tilespark.io.NioLocalFileSystem;
import io.tilespark.io.StorageErrors;
import io.tilespark.job.AzureDefaults;
import io.tilespark.job.HadoopVersionGuard;
import io.tilespark.job.JobSpec;
import io.tilespark.job.OpenCvPreload;
import io.tilespark.job.PropertiesFile;
import io.tilespark.job.RunResult;
import io.tilespark.job.Secrets;
import io.tilespark.job.TileJob;
import io.tilespark.ops.Operators;
import io.tilespark.ops.Plan;
import io.tilespark.ops.UsageException;
import io.tilespark.tiling.TileGrid;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line to {@link JobSpec} to {@link TileJob}; nothing else. */
@Command(name = "tilespark", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = Main.Version.class,
        description = "Applies a chain of OpenCV operators to every image under --input, in overlapping tiles "
                + "on Spark executors, and writes the stitched results under --output at the same relative paths.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every image ok or skipped",
            "1:the job failed, or more images failed than --max-failures allows",
            "2:usage error (nothing was written)",
            "3:some images failed (within --max-failures); the rest were written"})
public final class Main implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    private PrintWriter err() {
        return commandSpec.commandLine().getErr();
    }

    @Option(names = "--input", required = true, paramLabel = "URI",
            description = "folder or single image: file:, abfss://, abfs://, wasbs://, hdfs:// ...")
    String input;

    @Option(names = "--output", required = true, paramLabel = "URI", description = "output folder (created if missing)")
    String output;

    @Option(names = "--ops", required = true, paramLabel = "CHAIN",
            description = "comma-separated operators, e.g. grey,blur:5,canny:50:150 (see the list below)")
    String ops;

    @Option(names = "--tile", paramLabel = "N", defaultValue = "1024",
            description = "tile core size in pixels, >= 16 (default: ${DEFAULT-VALUE})")
    int tile;

    @Option(names = "--format", paramLabel = "F", defaultValue = "same",
            description = "output format: png, jpg or same (default: ${DEFAULT-VALUE}; formats OpenCV cannot write become png)")
    String format;

    @Option(names = "--quality", paramLabel = "Q", defaultValue = "90", description = "JPEG quality 1..100 (default: ${DEFAULT-VALUE})")
    int quality;

    @Option(names = "--glob", paramLabel = "PATTERN",
            description = "only inputs whose name matches, e.g. '*.jpg' (a pattern with '/' matches the relative path)")
    String glob;

    @Option(names = "--recursive", description = "descend into sub-folders")
    boolean recursive;

    @Option(names = "--spread", paramLabel = "MODE", defaultValue = "auto",
            description = "send the tiles of one image to many executors: auto (when images < task slots), always, never")
    String spread;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "input partitions (default: one per image, up to 32 per task slot)")
    int partitions;

    @Option(names = "--incremental",
            description = "skip inputs an earlier run already turned into their output, unchanged since (see README)")
    boolean incremental;

    @Option(names = "--force", description = "with --incremental: reprocess every input anyway")
    boolean force;

    @Option(names = "--max-failures", paramLabel = "N|P%",
            description = "the run fails (exit 1) when more than N images, or P% of those tried, fail (default: never)")
    String maxFailures;

    @Option(names = "--formats", paramLabel = "LIST",
            description = "input formats to decode, e.g. jpeg,png,tiff (default: this build's allowlist, docs/formats.md)")
    String formats;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "250M",
            description = "refuse images with more pixels, read from the header before decoding; M and G suffixes "
                    + "(default: ${DEFAULT-VALUE})")
    String maxPixels;

    @Option(names = "--keep-orientation",
            description = "leave pixels as stored instead of turning them upright by their EXIF orientation")
    boolean keepOrientation;

    @Option(names = "--quiet", description = "no progress output (for cron)")
    boolean quiet;

    @Option(names = "--event-log", paramLabel = "DIR",
            description = "keep Spark's event log in DIR (a local folder is created) to browse the run later: "
                    + "submit/history.sh DIR")
    String eventLog;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master when not run by spark-submit (default: local[*])")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "a Spark setting for this run, e.g. spark.hadoop.fs.azure.account.auth.type=OAuth (repeatable; "
                    + "overrides --properties-file and spark-submit's). Keep secrets off the command line: "
                    + "--properties-file FILE")
    Map<String, String> confs = new LinkedHashMap<>();

    @Option(names = "--properties-file", paramLabel = "FILE",
            description = "Spark settings from a file, as spark-submit's: keeps secrets off the command line "
                    + "(one 'key value' a line; --conf overrides it)")
    String propertiesFile;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code; never calls System.exit (tests use this). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, h -> operatorTable());
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter w = ex.getCommandLine().getErr();
            w.println("tilespark: " + ex.getMessage());
            w.println("try 'tilespark --help' for the options and operators");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> {
            Main m = c.getCommand();
            String storage = StorageErrors.explain(ex, m.input, m.output);
            c.getErr().println("tilespark: " + (storage != null ? storage : StorageErrors.scrub(oneLine(ex, m.input))));
            return ex instanceof UsageException || ex instanceof FileNotFoundException ? EXIT_USAGE : EXIT_FAILED;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        JobSpec spec = spec();
        HadoopVersionGuard.check();
        SparkConf conf = sparkConf();
        if (conf.get("spark.master", "").startsWith("local")) {
            // This JVM is also the executor: load OpenCV while Spark starts (see OpenCv).
            OpenCv.loadInBackground();
        }
        // A bare SparkContext: Spark SQL is only set up if the run needs it (see TileJob).
        SparkContext sc = SparkContext.getOrCreate(conf);
        try {
            RunResult result = new TileJob(sc, spec).run();
            if (!quiet) {
                err().println("tilespark: " + result + "; outputs under " + output
                        + ", report in " + new org.apache.hadoop.fs.Path(result.manifest).getParent());
            }
            String overBudget = spec.maxFailures.verdict(result);
            if (overBudget != null) {
                System.err.println("tilespark: " + overBudget);
                return EXIT_FAILED;
            }
            return result.exitCode();
        } finally {
            sc.stop();
        }
    }

    /** Validates every argument before Spark starts, so a usage error writes nothing. */
    JobSpec spec() {
        Plan plan = Plan.parse(ops);
        if (tile < TileGrid.MIN_TILE) {
            throw new UsageException("--tile must be >= " + TileGrid.MIN_TILE + ", got " + tile);
        }
        String fmt = format.toLowerCase(Locale.ROOT);
        if ("jpeg".equals(fmt)) {
            fmt = "jpg";
        }
        if (!fmt.equals("png") && !fmt.equals("jpg") && !fmt.equals("same")) {
            throw new UsageException("--format must be png, jpg or same, got '" + format + "'");
        }
        if (quality < 1 || quality > 100) {
            throw new UsageException("--quality must be in 1..100, got " + quality);
        }
        if (partitions < 0) {
            throw new UsageException("--partitions must be >= 0, got " + partitions);
        }
        JobSpec.Spread mode;
        try {
            mode = JobSpec.Spread.valueOf(spread.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--spread must be auto, always or never, got '" + spread + "'");
        }
        return JobSpec.builder(input, output, plan).tile(tile).format(fmt).quality(quality).glob(glob)
                .recursive(recursive).spread(mode).partitions(partitions).quiet(quiet)
                .decode(NightlyOptions.decodePolicy(formats, maxPixels, keepOrientation))
                .incremental(incremental).force(force).maxFailures(NightlyOptions.failureBudget(maxFailures)).build();
    }

    SparkConf sparkConf() {
        // spark-submit's settings arrive as system properties, which new SparkConf() reads. This
        // command's own --properties-file and --conf go where those are, so that everything below
        // treats them the same whichever way the job was started.
        SparkConf conf = new SparkConf();
        userSettings().forEach(conf::set);
        conf.setAppName("tilespark " + ops);
        // Plain local files, without Hadoop's .crc side files next to every output and manifest
        // part, and without a chmod or ls process per file (see NioLocalFileSystem). (Code that
        // calls FileSystem.getLocal() in this JVM must then build its own local file system: the
        // cached file: instance is this raw one.)
        if (!conf.contains("spark.hadoop.fs.file.impl")) {
            conf.set("spark.hadoop.fs.file.impl", NioLocalFileSystem.class.getName());
        }
        // The job draws its own progress line (job.ProgressListener); Spark's bar would fight it.
        if (!conf.contains("spark.ui.showConsoleProgress")) {
            conf.set("spark.ui.showConsoleProgress", "false");
        }
        if (eventLog != null) {
            io.tilespark.job.EventLogs.enable(conf, eventLog);
        }
        // Executors start loading OpenCV as they start, not in their first task.
        conf.set(OpenCvPreload.CONF, OpenCvPreload.addTo(conf.get(OpenCvPreload.CONF, null)));
        AzureDefaults.apply(conf);
        Secrets.protect(conf);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        return conf;
    }

    /**
     * The settings of --properties-file with --conf's over them, ranked as spark-submit ranks its
     * own; keys that do not start with "spark." are left out with a warning, as spark-submit does.
     */
    Map<String, String> userSettings() {
        Map<String, String> all = new LinkedHashMap<>();
        if (propertiesFile != null) {
            all.putAll(PropertiesFile.read(propertiesFile));
        }
        all.putAll(confs);
        all.keySet().removeIf(key -> {
            if (key.startsWith("spark.")) {
                return false;
            }
            err().println("tilespark: ignoring '" + key + "': not a Spark setting (those start with spark.)");
            return true;
        });
        return all;
    }

    static String operatorTable() {
        StringBuilder sb = new StringBuilder(String.format("%nOperators (halo = context pixels per side; tiling: exact, exact with a seam pass, or whole image):%n"));
        int u = 0;
        int d = 0;
        for (Operators.Family f : Operators.families()) {
            u = Math.max(u, f.usage.length());
            d = Math.max(d, f.summary.length());
        }
        for (Operators.Family f : Operators.families()) {
            sb.append(String.format("  %-" + u + "s  %-" + d + "s  halo %-11s %s%n", f.usage, f.summary, f.halo,
                    f.tiling()));
        }
        return sb.toString();
    }

    /** The error as one line; a missing file is called the input only when it is the input. */
    static String oneLine(Throwable t, String input) {
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof FileNotFoundException) {
            String path = input == null ? null : new org.apache.hadoop.fs.Path(input).toUri().getPath();
            boolean isInput = path != null && !path.isEmpty() && msg.contains(path);
            msg = (isInput ? "input not found: " : "not found: ") + msg;
        }
        return msg.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    /** Version from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tilespark " + io.tilespark.cv.OpenCv.buildProperty("version") + " ("
                    + io.tilespark.cv.OpenCv.buildProperty("target") + " target, Spark "
                    + io.tilespark.cv.OpenCv.buildProperty("spark") + ", OpenCV "
                    + io.tilespark.cv.OpenCv.buildProperty("opencv") + " build)"};
        }
    }
}
