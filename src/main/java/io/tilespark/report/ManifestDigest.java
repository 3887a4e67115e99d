package io.tilespark.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * What the run report needs from the manifest, gathered in one pass over its rows with memory
 * bounded by the caps, not by the number of images: the totals (counts, pixels, bytes, phase
 * times) over every row, the first {@code tableCap} rows by relative path for the report's table,
 * and the first {@code failureCap} failed rows by relative path.
 */
public final class ManifestDigest {

    /**
     * Relative paths in code point order, which is the byte order of their UTF-8 (how Spark SQL
     * sorts strings), then by input for equal paths.
     */
    static final Comparator<ManifestRow> BY_PATH = (a, b) -> {
        int c = compareCodePoints(a.relative, b.relative);
        return c != 0 ? c : compareCodePoints(a.input, b.input);
    };

    private final int tableCap;
    private final int failureCap;
    /** The kept rows, the greatest on top so that it is the one dropped when a smaller row comes. */
    private final PriorityQueue<ManifestRow> table;
    private final PriorityQueue<ManifestRow> failures;

    long rows;
    long ok;
    long failed;
    long skipped;
    long pixels;
    long tiles;
    long bytesIn;
    long bytesOut;
    final long[] phaseMillis = new long[RunSummary.PHASES.length];

    public ManifestDigest(int tableCap, int failureCap) {
        this.tableCap = tableCap;
        this.failureCap = failureCap;
        this.table = new PriorityQueue<>(Math.min(tableCap, 1024) + 1, BY_PATH.reversed());
        this.failures = new PriorityQueue<>(Math.min(failureCap, 1024) + 1, BY_PATH.reversed());
    }

    public ManifestDigest() {
        this(HtmlReport.TABLE_CAP, HtmlReport.FAILURE_CAP);
    }

    /** Counts one manifest row; the row is kept (without its findings) only while within a cap. */
    public void add(ManifestRow r) {
        rows++;
        boolean isOk = ManifestRow.OK.equals(r.status);
        if (isOk) {
            ok++;
            pixels += (long) r.width * r.height;
            tiles += r.tiles;
            bytesOut += r.bytesOut;
        } else if (ManifestRow.FAILED.equals(r.status)) {
            failed++;
        } else if (ManifestRow.SKIPPED.equals(r.status)) {
            skipped++;
        }
        bytesIn += r.size;
        long[] ms = {r.msRead, r.msDecode, r.msOps, r.msStitch, r.msEncode, r.msWrite};
        for (int i = 0; i < ms.length; i++) {
            phaseMillis[i] += ms[i];
        }
        ManifestRow kept = r.analysis == null ? r : r.withoutAnalysis();
        keep(table, tableCap, kept);
        if (ManifestRow.FAILED.equals(r.status)) {
            keep(failures, failureCap, kept);
        }
    }

    private static void keep(PriorityQueue<ManifestRow> q, int cap, ManifestRow r) {
        if (cap <= 0) {
            return;
        }
        if (q.size() < cap) {
            q.add(r);
        } else if (BY_PATH.compare(r, q.peek()) < 0) {
            q.poll();
            q.add(r);
        }
    }

    /** The rows of the report's table, by relative path. */
    public List<ManifestRow> table() {
        return sorted(table);
    }

    /** The failed rows, by relative path: all of them when there are no more than the cap. */
    public List<ManifestRow> failures() {
        return sorted(failures);
    }

    /** The number of rows seen. */
    public long rows() {
        return rows;
    }

    /** The totals as a run summary; {@code listed} is the number of inputs the run listed. */
    RunSummary summary(long listed) {
        RunSummary s = new RunSummary();
        s.listed = listed;
        s.ok = ok;
        s.failed = failed;
        s.skipped = skipped;
        s.megapixels = pixels / 1e6;
        s.tiles = tiles;
        s.bytesIn = bytesIn;
        s.bytesOut = bytesOut;
        System.arraycopy(phaseMillis, 0, s.phaseMillis, 0, phaseMillis.length);
        return s;
    }

    private static List<ManifestRow> sorted(PriorityQueue<ManifestRow> q) {
        List<ManifestRow> out = new ArrayList<>(q);
        Collections.sort(out, BY_PATH);
        return out;
    }

    static int compareCodePoints(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
