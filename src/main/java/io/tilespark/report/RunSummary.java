package io.tilespark.report;

import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.regex.Pattern;

/**
 * What a run did, in numbers: the content of summary.json and the top of report.html. Built from
 * the manifest (counts, pixels, bytes, phase times) and from the driver (times, Spark app). It
 * holds the job's own settings and never Spark or Hadoop configuration, where credentials live;
 * a password written into a URI's user-info is masked all the same.
 */
public final class RunSummary {

    /** The phases whose milliseconds the manifest records, in pipeline order. */
    public static final String[] PHASES = {"read", "decode", "ops", "stitch", "encode", "write"};

    public String tilesparkVersion = "unknown";
    public String target = "unknown";
    public String opencv = "unknown";
    public String runId;
    public long startedMillis;
    public long finishedMillis;
    public String input;
    public String output;
    public String ops;
    public String settings;
    public String manifest;
    public String report;

    public long listed;
    public long ok;
    public long failed;
    public long skipped;
    public int exitCode;
    /** Pixels of the images written, in megapixels. */
    public double megapixels;
    public long tiles;
    public long bytesIn;
    public long bytesOut;
    /** Milliseconds summed over all images, per entry of {@link #PHASES}. */
    public final long[] phaseMillis = new long[PHASES.length];

    public String sparkAppId;
    public String sparkAppName;
    public String sparkVersion;
    public String sparkMaster;
    /** Live only while the application runs. */
    public String sparkUiUrl;
    /** Null when event logs are off. */
    public String eventLogDir;

    public double wallSeconds() {
        return Math.max(0, finishedMillis - startedMillis) / 1000.0;
    }

    public double megapixelsPerSecond() {
        double s = wallSeconds();
        return s > 0 ? megapixels / s : 0;
    }

    /** How to see this run's Spark UI after it ended, or null without event logs. */
    public String historyHint() {
        if (eventLogDir == null) {
            return null;
        }
        return "submit/history.sh " + eventLogDir + " then open http://127.0.0.1:18080/history/" + sparkAppId + "/";
    }

    /** "all 120 images ok", "3 of 120 images failed", ... for headings and logs. */
    public String verdict() {
        if (failed > 0) {
            return failed + " of " + listed + " images failed";
        }
        if (skipped > 0) {
            return ok + " images ok, " + skipped + " skipped";
        }
        return listed == 0 ? "no images" : "all " + listed + (listed == 1 ? " image ok" : " images ok");
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tilespark", tilesparkVersion);
        m.put("target", target);
        m.put("opencv", opencv);
        m.put("run_id", runId);
        m.put("started", iso(startedMillis));
        m.put("finished", iso(finishedMillis));
        m.put("wall_seconds", wallSeconds());
        m.put("exit_code", exitCode);
        Map<String, Object> images = new LinkedHashMap<>();
        images.put("listed", listed);
        images.put("ok", ok);
        images.put("failed", failed);
        images.put("skipped", skipped);
        m.put("images", images);
        m.put("megapixels", megapixels);
        m.put("throughput_mp_per_s", megapixelsPerSecond());
        m.put("tiles", tiles);
        m.put("bytes_in", bytesIn);
        m.put("bytes_out", bytesOut);
        Map<String, Object> phases = new LinkedHashMap<>();
        for (int i = 0; i < PHASES.length; i++) {
            phases.put(PHASES[i], phaseMillis[i]);
        }
        m.put("task_ms_by_phase", phases);
        Map<String, Object> spark = new LinkedHashMap<>();
        spark.put("app_id", sparkAppId);
        spark.put("app_name", sparkAppName);
        spark.put("version", sparkVersion);
        spark.put("master", sparkMaster);
        spark.put("ui_url", sparkUiUrl);
        spark.put("event_log_dir", eventLogDir);
        spark.put("history_server", historyHint());
        m.put("spark", spark);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("input", input);
        run.put("output", output);
        run.put("ops", ops);
        run.put("settings", settings);
        m.put("settings", run);
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("manifest", manifest);
        files.put("report", report);
        m.put("files", files);
        return m;
    }

    public String toJson() {
        return JsonText.write(toMap());
    }

    static String iso(long millis) {
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(new Date(millis));
    }

    private static final Pattern USER_INFO_SECRET = Pattern.compile("(//[^/@:\\s]*):[^/@\\s]*@");

    /** Masks {@code user:password@} in URIs; container@account (Azure) has no colon and stays. */
    public static String redact(String s) {
        return s == null ? null : USER_INFO_SECRET.matcher(s).replaceAll("$1:***@");
    }
}
