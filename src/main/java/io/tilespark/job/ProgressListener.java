package io.tilespark.job;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * The live progress line: {@code images 37/120 · 412 MP · 31 MP/s · ETA 0:42}.
 *
 * <p>It is driven by task-end events but reads its numbers from the job's own accumulators on the
 * driver, not from the events: the DAGScheduler merges a result task's accumulator updates only
 * for the first successful attempt of each partition, and does so before it posts the task-end
 * event (DAGScheduler.handleTaskCompletion), so a retried or speculative task can never make the
 * line count an image twice.
 *
 * <p>On a terminal the line is redrawn in place with a carriage return, also once a second so
 * the rate and ETA stay live while long images are in flight. Elsewhere (cron, CI logs) it prints
 * one line each time another tenth of the images is done.
 */
public final class ProgressListener extends SparkListener implements AutoCloseable {

    /** How progress is shown. */
    public enum Mode { OFF, TTY, LINES }

    /** Environment override: {@code tty}, {@code lines} or {@code off}. */
    public static final String ENV = "TILESPARK_PROGRESS";

    private final SparkContext sc;
    private final JobMetrics metrics;
    private final long total;
    private final Mode mode;
    private final PrintStream out;
    private final String dot;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService ticker;
    private int tenthsShown;
    private int lastWidth;
    private String lastLine = "";
    /** When the last image finished; the rate and time stop there, while the manifest and report are written. */
    private long doneAtNanos = -1;
    private boolean closed;

    private ProgressListener(SparkContext sc, JobMetrics metrics, long total, Mode mode, PrintStream out) {
        this.sc = sc;
        this.metrics = metrics;
        this.total = total;
        this.mode = mode;
        this.out = out;
        this.dot = separator();
        if (mode == Mode.TTY) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tilespark-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::update, 1, 1, TimeUnit.SECONDS);
        } else {
            ticker = null;
        }
    }

    /**
     * Registers a progress listener for a run of {@code total} images, or returns one that does
     * nothing when the mode is OFF. Close it when the run's work is done: it prints the last line.
     */
    public static ProgressListener start(SparkContext sc, JobMetrics metrics, long total, Mode mode, PrintStream out) {
        ProgressListener l = new ProgressListener(sc, metrics, total, mode, out);
        if (mode != Mode.OFF && total > 0) {
            sc.addSparkListener(l);
        }
        return l;
    }

    /** OFF when quiet; otherwise TTY when stderr is a terminal, LINES when not; {@value #ENV} overrides. */
    public static Mode mode(boolean quiet, Map<String, String> env, boolean terminal) {
        if (quiet) {
            return Mode.OFF;
        }
        String forced = env.get(ENV);
        if (forced != null && !forced.trim().isEmpty()) {
            try {
                return Mode.valueOf(forced.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // An unknown value falls back to detection rather than failing a nightly run.
            }
        }
        return terminal ? Mode.TTY : Mode.LINES;
    }

    /**
     * Whether the JVM is attached to a terminal. Up to Java 21 System.console() is null when a
     * stream is redirected; from Java 22 it may exist anyway and Console.isTerminal() tells.
     */
    public static boolean onTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        update();
    }

    private synchronized void update() {
        if (closed || mode == Mode.OFF || total == 0) {
            return;
        }
        long done = done();
        String line = line(done, total, metrics.imagesFailed.value(), metrics.kilopixels.value(),
                elapsedNanos(done), dot);
        if (mode == Mode.TTY) {
            if (!line.equals(lastLine)) {
                draw(line);
            }
        } else {
            int tenths = (int) (done * 10 / total);
            if (tenths > tenthsShown) {
                tenthsShown = tenths;
                out.println(line);
                out.flush();
            }
        }
    }

    private long done() {
        return metrics.imagesWritten.value() + metrics.imagesFailed.value() + metrics.imagesSkipped.value();
    }

    private long elapsedNanos(long done) {
        long now = System.nanoTime();
        if (done >= total) {
            if (doneAtNanos < 0) {
                doneAtNanos = now;
            }
            now = doneAtNanos;
        }
        return now - startNanos;
    }

    private void draw(String line) {
        StringBuilder sb = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastWidth; i++) {
            sb.append(' ');
        }
        lastWidth = line.length();
        lastLine = line;
        out.print(sb);
        out.flush();
    }

    /** Prints the final state and unregisters. Idempotent. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            if (mode != Mode.OFF && total > 0) {
                sc.removeSparkListener(this);
                long done = done();
                String last = line(done, total, metrics.imagesFailed.value(), metrics.kilopixels.value(),
                        elapsedNanos(done), dot);
                if (mode == Mode.TTY) {
                    draw(last);
                    out.println();
                } else if ((int) (done * 10 / total) > tenthsShown || done < total) {
                    out.println(last);
                }
                out.flush();
            }
            closed = true;
        }
    }

    /**
     * One progress line, e.g. {@code images 37/120 · 412 MP · 31 MP/s · ETA 0:42}. The ETA assumes
     * the remaining images take as long on average as the finished ones.
     */
    static String line(long done, long total, long failed, long kilopixels, long elapsedNanos, String dot) {
        double seconds = elapsedNanos / 1e9;
        double mp = kilopixels / 1000.0;
        StringBuilder sb = new StringBuilder();
        sb.append("images ").append(done).append('/').append(total);
        if (failed > 0) {
            sb.append(" (").append(failed).append(" failed)");
        }
        sb.append(dot).append(megapixels(mp)).append(" MP");
        sb.append(dot).append(seconds > 0 ? megapixels(mp / seconds) : "0").append(" MP/s");
        if (done >= total) {
            sb.append(dot).append("done in ").append(clock(Math.round(seconds)));
        } else if (done > 0) {
            sb.append(dot).append("ETA ").append(clock(Math.round(seconds * (total - done) / done)));
        } else {
            sb.append(dot).append("ETA -");
        }
        return sb.toString();
    }

    /** Whole megapixels from 10 up, one decimal below, so small test runs do not read "0 MP". */
    static String megapixels(double mp) {
        return mp >= 10 ? String.valueOf(Math.round(mp)) : String.format(Locale.ROOT, "%.1f", mp);
    }

    /** 42 s as 0:42, an hour and a bit as 1:02:03. */
    static String clock(long seconds) {
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    /** The middle dot where stderr can show it (a UTF-8 terminal), a bar where it cannot (LANG=C). */
    private static String separator() {
        String enc = System.getProperty("stderr.encoding", System.getProperty("sun.stderr.encoding"));
        Charset cs;
        try {
            cs = enc == null ? Charset.defaultCharset() : Charset.forName(enc);
        } catch (RuntimeException e) {
            cs = Charset.defaultCharset();
        }
        return cs.newEncoder().canEncode('\u00b7') ? " \u00b7 " : " | ";
    }
}
