package io.tilespark.ops;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One row of the analysis table, as the analyzer sees it (the job adds the input's path): what
 * was measured ({@code kind}), for what ({@code label}: a channel, a detector's name), and the
 * numbers, with unused columns left null. Plain data, so it crosses Spark's wire and the JSON
 * table unchanged.
 */
public final class Finding implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The analyzer that produced it, e.g. {@code detect:faces}, {@code orb:500}, {@code stats}. */
    public final String analyzer;
    /** box, objects, keypoints, corners, mean, stddev, histogram or sharpness. */
    public final String kind;
    public final String label;
    public final Integer x;
    public final Integer y;
    public final Integer w;
    public final Integer h;
    public final Integer count;
    public final Double score;
    public final Double value;
    private final double[] values;

    private Finding(String analyzer, String kind, String label, Integer x, Integer y, Integer w, Integer h,
                    Integer count, Double score, Double value, double[] values) {
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.label = label;
        this.x = x;
        this.y = y;
        this.w = w;
        this.h = h;
        this.count = count;
        this.score = score;
        this.value = value;
        this.values = values == null ? null : values.clone();
    }

    /** A detected object's bounding box; {@code score} is how many raw detections were merged into it. */
    public static Finding box(String analyzer, String label, int x, int y, int w, int h, double score) {
        return new Finding(analyzer, "box", label, x, y, w, h, null, score, null, null);
    }

    /** How many things of a kind an image holds; {@code value} is an optional aggregate (may be null). */
    public static Finding count(String analyzer, String kind, String label, int count, Double value) {
        return new Finding(analyzer, kind, label, null, null, null, null, count, null, value, null);
    }

    public static Finding value(String analyzer, String kind, String label, double value) {
        return new Finding(analyzer, kind, label, null, null, null, null, null, null, value, null);
    }

    public static Finding values(String analyzer, String kind, String label, double[] values) {
        return new Finding(analyzer, kind, label, null, null, null, null, null, null, null, values);
    }

    /**
     * Any finding, field by field, as read back from the analysis table or the manifest's part
     * files; {@code analyzer} and {@code kind} are required.
     */
    public static Finding of(String analyzer, String kind, String label, Integer x, Integer y, Integer w, Integer h,
                             Integer count, Double score, Double value, double[] values) {
        return new Finding(analyzer, kind, label, x, y, w, h, count, score, value, values);
    }

    /** A copy of the vector (e.g. histogram bins), or null. */
    public double[] values() {
        return values == null ? null : values.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Finding)) {
            return false;
        }
        Finding f = (Finding) o;
        return analyzer.equals(f.analyzer) && kind.equals(f.kind) && Objects.equals(label, f.label)
                && Objects.equals(x, f.x) && Objects.equals(y, f.y) && Objects.equals(w, f.w)
                && Objects.equals(h, f.h) && Objects.equals(count, f.count) && Objects.equals(score, f.score)
                && Objects.equals(value, f.value) && Arrays.equals(values, f.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(analyzer, kind, label, x, y, w, h, count, score, value) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(analyzer).append(' ').append(kind);
        if (label != null) {
            sb.append(' ').append(label);
        }
        if (x != null) {
            sb.append(" [").append(x).append(',').append(y).append(' ').append(w).append('x').append(h).append(']');
        }
        if (count != null) {
            sb.append(" count=").append(count);
        }
        if (score != null) {
            sb.append(" score=").append(score);
        }
        if (value != null) {
            sb.append(" value=").append(value);
        }
        if (values != null) {
            sb.append(" values=").append(Arrays.toString(values));
        }
        return sb.toString();
    }
}
