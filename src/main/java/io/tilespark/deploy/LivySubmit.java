package io.tilespark.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import java.util.regex.Pattern;

/**
 * Submits the job to Livy as a batch and waits for it: what {@code submit/hdinsight.sh livy} runs.
 *
 * <pre>java -cp tilespark.jar io.tilespark.deploy.LivySubmit --livy-url URL --file URI [options] [-- JOB_ARGS...]</pre>
 *
 * <p>The password comes from the environment variable {@code HDI_PASSWORD} and from nowhere else:
 * an argument would be visible to every user of the machine in {@code ps} and would land in shell
 * history.
 */
public final class LivySubmit {

    /** Exit codes, also documented in {@link #USAGE}. */
    static final int OK = 0;
    static final int JOB_FAILED = 1;
    static final int USAGE_ERROR = 2;
    static final int LIVY_ERROR = 3;
    static final int GAVE_UP = 4;

    static final String DEFAULT_CLASS = "io.tilespark.Main";

    /**
     * Spark's default {@code spark.redaction.regex} is {@code (?i)secret|password|token|access[.]?key}
     * (Spark configuration docs). It is matched against both keys and values of settings shown in
     * the UI, event logs and YARN. ABFS credentials are named {@code fs.azure.account.key.*},
     * {@code fs.azure.sas.*} and {@code fs.azure.account.oauth2.client.secret.*} (hadoop-azure
     * docs), and a SAS token in a URL carries {@code sig=}; the default misses the first two and
     * the last, so we add them.
     */
    static final String REDACTION_REGEX = "(?i)secret|password|token|access[.]?key"
            + "|fs\\.azure\\.account\\.key|fs\\.azure\\.sas|oauth2\\.client\\.secret|sig=";

    static final String USAGE = String.join("\n",
            "Usage: java -cp tilespark.jar io.tilespark.deploy.LivySubmit --livy-url URL --file URI [options] [-- JOB_ARGS...]",
            "",
            "Submits the job as a Livy batch, prints its state changes and Spark UI link, and waits for the end.",
            "",
            "  --livy-url URL            Livy's root: https://CLUSTER.azurehdinsight.net/livy (or env HDI_LIVY_URL)",
            "  --cluster NAME            shorthand for --livy-url https://NAME.azurehdinsight.net/livy",
            "  --file URI                the job jar in cluster storage, abfs://cluster@ACCOUNT.dfs.core.windows.net/...",
            "  --class NAME              main class (default " + DEFAULT_CLASS + ")",
            "  --name NAME               batch and Spark application name (default tilespark-UTCSTAMP)",
            "  --executor-memory SIZE    spark.executor.memory (default 8g)",
            "  --executor-overhead SIZE  spark.executor.memoryOverhead (default 3g: OpenCV's Mats live off-heap)",
            "  --executor-cores N        spark.executor.cores (default 4)",
            "  --num-executors N         spark.executor.instances (default: leave it to the cluster)",
            "  --conf KEY=VALUE          any other Spark setting; repeatable. Secret-looking keys are refused.",
            "  --user NAME               cluster login (default env HDI_USER, else 'admin')",
            "  --require-target T        refuse to run unless this jar was built for target T (e.g. hdinsight)",
            "  --poll-seconds N          seconds between state polls (default 10)",
            "  --max-wait-minutes N      give up waiting after N minutes (default 720); the job keeps running",
            "  --log-lines N             Livy log lines to print when the job fails (default 40)",
            "  --connect-timeout-seconds N, --read-timeout-seconds N   HTTP timeouts (default 30, 60)",
            "  --no-wait                 submit, print the batch id, and exit",
            "  --dry-run                 print the request body and exit; sends nothing, needs no password",
            "  --print-conf              print the Spark settings, one KEY=VALUE a line, and exit (used for spark-submit)",
            "",
            "The password is read from the environment variable HDI_PASSWORD only, never from an argument.",
            "Exit codes: 0 success; 1 the job ended dead, killed or error; 2 usage; 3 Livy unreachable or refusing;",
            "4 gave up waiting (the job may still be running).");

    private LivySubmit() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.getenv(), System.out, System.err, Thread::sleep);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("livy: interrupted; the batch keeps running on the cluster");
            code = GAVE_UP;
        }
        System.exit(code);
    }

    /** Parsed command line. */
    static final class Options {
        String livyUrl;
        String file;
        String className = DEFAULT_CLASS;
        String name;
        String executorMemory = "8g";
        String executorOverhead = "3g";
        String executorCores = "4";
        String numExecutors;
        final Map<String, String> extraConf = new LinkedHashMap<>();
        String user;
        String requireTarget;
        long pollSeconds = 10;
        long maxWaitMinutes = 720;
        int logLines = 40;
        int connectTimeoutSeconds = 30;
        int readTimeoutSeconds = 60;
        boolean noWait;
        boolean dryRun;
        boolean printConf;
        final List<String> jobArgs = new ArrayList<>();
    }

    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err,
            LivyClient.Sleeper sleeper) throws InterruptedException {
        Options o;
        try {
            o = parse(argv, env);
        } catch (UsageException e) {
            err.println("livy: " + e.getMessage());
            err.println("(run with --help for the options)");
            return USAGE_ERROR;
        }
        if (o == null) {
            out.println(USAGE);
            return OK;
        }
        if (o.requireTarget != null) {
            String built = buildProperty("target");
            if (!o.requireTarget.equals(built)) {
                err.println("livy: this jar was built for target '" + built + "', not '" + o.requireTarget
                        + "'; rebuild with mvn -P" + o.requireTarget + " -DskipTests package");
                return USAGE_ERROR;
            }
        }
        Map<String, String> conf = sparkConf(o);
        if (o.printConf) {
            for (Map.Entry<String, String> e : conf.entrySet()) {
                out.println(e.getKey() + "=" + e.getValue());
            }
            return OK;
        }
        String name = o.name != null ? o.name : defaultName();
        BatchRequest request;
        try {
            request = BatchRequest.of(o.file, o.className, o.jobArgs, conf, name);
        } catch (IllegalArgumentException e) {
            err.println("livy: " + e.getMessage());
            return USAGE_ERROR;
        }
        if (o.dryRun) {
            out.println(request.toJson());
            return OK;
        }

        String user = o.user != null ? o.user : env.getOrDefault("HDI_USER", "admin");
        String password = env.get("HDI_PASSWORD");
        if (password == null || password.isEmpty()) {
            err.println("livy: set HDI_PASSWORD in the environment to the cluster login's password"
                    + " (submit/hdinsight.sh fetches it with az when you are logged in)");
            return USAGE_ERROR;
        }
        LivyClient client;
        try {
            client = new LivyClient(o.livyUrl, user, password, o.connectTimeoutSeconds * 1000,
                    o.readTimeoutSeconds * 1000);
        } catch (LivyException | IllegalArgumentException e) {
            err.println("livy: " + e.getMessage());
            return USAGE_ERROR;
        }

        LivyClient.Batch batch;
        try {
            batch = client.submit(request);
        } catch (LivyException e) {
            err.println("livy: submit failed: " + e.getMessage());
            return LIVY_ERROR;
        }
        out.println("livy: submitted " + name + " as batch " + batch.id() + " (" + batch.state() + ") to "
                + client.batchesUrl());
        if (o.noWait) {
            out.println(batch.id());
            return OK;
        }

        LivyClient.Outcome outcome;
        try {
            outcome = client.await(batch.id(), o.pollSeconds * 1000, o.maxWaitMinutes * 60_000, o.logLines, 5,
                    line -> out.println("livy: " + line), sleeper);
        } catch (LivyException e) {
            err.println("livy: lost track of batch " + batch.id() + ": " + e.getMessage());
            return LIVY_ERROR;
        }
        if (!outcome.finished()) {
            err.println("livy: gave up after " + o.maxWaitMinutes + " min; batch " + batch.id() + " is "
                    + outcome.last().state() + " and keeps running (GET " + client.batchesUrl() + "/" + batch.id()
                    + ")");
            return GAVE_UP;
        }
        if (outcome.succeeded()) {
            out.println("livy: batch " + batch.id() + " succeeded");
            return OK;
        }
        err.println("livy: batch " + batch.id() + " ended " + outcome.last().state() + "; last "
                + outcome.logTail().size() + " lines of its Livy log:");
        for (String line : outcome.logTail()) {
            err.println("  | " + line);
        }
        if (outcome.last().driverLogUrl() != null) {
            err.println("livy: driver log " + outcome.last().driverLogUrl());
        }
        return JOB_FAILED;
    }

    /** The Spark settings sent with every batch, in a stable order. */
    static Map<String, String> sparkConf(Options o) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.executor.memory", o.executorMemory);
        conf.put("spark.executor.memoryOverhead", o.executorOverhead);
        conf.put("spark.executor.cores", o.executorCores);
        if (o.numExecutors != null) {
            conf.put("spark.executor.instances", o.numExecutors);
        }
        conf.put("spark.eventLog.enabled", "true");
        conf.put("spark.redaction.regex", REDACTION_REGEX);
        conf.putAll(o.extraConf);
        return conf;
    }

    static Options parse(String[] argv, Map<String, String> env) throws UsageException {
        Options o = new Options();
        o.livyUrl = env.get("HDI_LIVY_URL");
        List<String> a = Arrays.asList(argv);
        for (int i = 0; i < a.size(); i++) {
            String arg = a.get(i);
            if (arg.equals("--")) {
                o.jobArgs.addAll(a.subList(i + 1, a.size()));
                break;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                return null;
            }
            String lower = arg.toLowerCase(Locale.ROOT);
            if (arg.startsWith("-") && (lower.contains("password") || lower.contains("secret"))) {
                throw new UsageException("secrets are not taken as arguments (they would show in ps and shell"
                        + " history); set HDI_PASSWORD in the environment instead");
            }
            switch (arg) {
                case "--no-wait": o.noWait = true; continue;
                case "--dry-run": o.dryRun = true; continue;
                case "--print-conf": o.printConf = true; continue;
                default: break;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'; put the job's own arguments after --");
            }
            if (i + 1 >= a.size()) {
                throw new UsageException(arg + " needs a value");
            }
            String v = a.get(++i);
            switch (arg) {
                case "--livy-url": o.livyUrl = v; break;
                case "--cluster":
                    if (!v.matches("[A-Za-z0-9][A-Za-z0-9-]{1,62}")) {
                        throw new UsageException("--cluster must be a cluster name (letters, digits, -), got '" + v + "'");
                    }
                    o.livyUrl = "https://" + v + ".azurehdinsight.net/livy";
                    break;
                case "--file": o.file = v; break;
                case "--class": o.className = v; break;
                case "--name": o.name = v; break;
                case "--executor-memory": o.executorMemory = size(arg, v); break;
                case "--executor-overhead": o.executorOverhead = size(arg, v); break;
                case "--executor-cores": o.executorCores = String.valueOf(positive(arg, v, 64)); break;
                case "--num-executors": o.numExecutors = String.valueOf(positive(arg, v, 10_000)); break;
                case "--conf": conf(o, v); break;
                case "--user": o.user = v; break;
                case "--require-target": o.requireTarget = v; break;
                case "--poll-seconds": o.pollSeconds = positive(arg, v, 3600); break;
                case "--max-wait-minutes": o.maxWaitMinutes = positive(arg, v, 7 * 24 * 60); break;
                case "--log-lines": o.logLines = (int) positive(arg, v, 10_000); break;
                case "--connect-timeout-seconds": o.connectTimeoutSeconds = (int) positive(arg, v, 600); break;
                case "--read-timeout-seconds": o.readTimeoutSeconds = (int) positive(arg, v, 600); break;
                default: throw new UsageException("unknown option " + arg);
            }
        }
        if (o.printConf) {
            return o;
        }
        if (o.file == null) {
            throw new UsageException("--file (the jar's URI in cluster storage) is required");
        }
        if (!o.dryRun && o.livyUrl == null) {
            throw new UsageException("--livy-url or --cluster (or env HDI_LIVY_URL) is required");
        }
        return o;
    }

    private static final Pattern SIZE = Pattern.compile("[1-9][0-9]*[kmgtKMGT]?");

    private static String size(String option, String v) throws UsageException {
        if (!SIZE.matcher(v).matches()) {
            throw new UsageException(option + " takes a Spark size such as 512m or 8g, got '" + v + "'");
        }
        return v;
    }

    private static long positive(String option, String v, long max) throws UsageException {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes a whole number, got '" + v + "'");
        }
        if (n < 1 || n > max) {
            throw new UsageException(option + " must be in 1.." + max + ", got " + n);
        }
        return n;
    }

    private static final Pattern REDACTED = Pattern.compile(REDACTION_REGEX);

    private static void conf(Options o, String kv) throws UsageException {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new UsageException("--conf takes KEY=VALUE, got '" + kv + "'");
        }
        String key = kv.substring(0, eq).trim();
        String value = kv.substring(eq + 1);
        // A storage key or SAS given here would sit in argv and in Livy's request log. Keys only:
        // the redaction regex itself is a legitimate value that mentions "password".
        if (REDACTED.matcher(key).find()) {
            throw new UsageException("refusing to take " + key + " on the command line; the cluster reaches"
                    + " storage with its managed identity, so no key or SAS is needed");
        }
        o.extraConf.put(key, value);
    }

    private static String defaultName() {
        SimpleDateFormat f = new SimpleDateFormat("yyyyMMdd-HHmmss", Locale.ROOT);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return "tilespark-" + f.format(new Date());
    }

    /** A value from the tilespark-build.properties the build filters into the jar; "unknown" if absent. */
    static String buildProperty(String key) {
        Properties p = new Properties();
        try (InputStream in = LivySubmit.class.getResourceAsStream("/tilespark-build.properties")) {
            if (in == null) {
                return "unknown";
            }
            p.load(in);
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty(key, "unknown");
    }
}
