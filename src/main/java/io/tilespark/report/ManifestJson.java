package io.tilespark.report;

import io.tilespark.ops.Finding;

/**
 * One line of the manifest's part files: the row's fields in {@link AnalysisTable#partsSchema()}
 * order (the manifest's columns, then the image's findings), null fields left out, exactly as
 * Spark's own JSON writer prints the same row. The job's result stage writes these lines with a
 * plain RDD action, so the images start without waiting for Spark SQL to plan a DataFrame write,
 * and its tasks carry no SQL writer (no code generation, no Hadoop configuration per task). Spark
 * SQL then compacts the parts, reading them back with the schema ({@link AnalysisTable#compact}).
 */
public final class ManifestJson {

    private ManifestJson() {
    }

    /** The row as a manifest line, without findings. */
    public static String line(ManifestRow r) {
        return build(r, false);
    }

    /**
     * The row as a part-file line: the manifest line plus its findings under
     * {@link AnalysisTable#PARTS_COLUMN}, for an image that was written (as {@code partsRow}).
     */
    public static String partsLine(ManifestRow r) {
        return build(r, true);
    }

    private static String build(ManifestRow r, boolean withFindings) {
        StringBuilder sb = new StringBuilder(512).append('{');
        str(sb, "input", r.input);
        str(sb, "relative", r.relative);
        num(sb, "size", r.size);
        num(sb, "mtime", r.mtime);
        num(sb, "width", r.width);
        num(sb, "height", r.height);
        num(sb, "channels", r.channels);
        str(sb, "format", r.format);
        str(sb, "ops", r.ops);
        num(sb, "tiles", r.tiles);
        str(sb, "output", r.output);
        str(sb, "status", r.status);
        str(sb, "error", r.error);
        str(sb, "notes", r.notes);
        num(sb, "ms_read", r.msRead);
        num(sb, "ms_decode", r.msDecode);
        num(sb, "ms_ops", r.msOps);
        num(sb, "ms_stitch", r.msStitch);
        num(sb, "ms_encode", r.msEncode);
        num(sb, "ms_write", r.msWrite);
        num(sb, "bytes_out", r.bytesOut);
        if (withFindings && ManifestRow.OK.equals(r.status) && r.analysis != null && !r.analysis.isEmpty()) {
            key(sb, AnalysisTable.PARTS_COLUMN);
            sb.append('[');
            boolean first = true;
            for (Finding f : r.analysis) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                finding(sb, f);
            }
            sb.append(']');
        }
        return sb.append('}').toString();
    }

    /** One finding as a JSON object, in {@link AnalysisTable#findingSchema()} order. */
    private static void finding(StringBuilder sb, Finding f) {
        int start = sb.length();
        sb.append('{');
        str(sb, start, "analyzer", f.analyzer);
        str(sb, start, "kind", f.kind);
        str(sb, start, "label", f.label);
        num(sb, start, "x", f.x);
        num(sb, start, "y", f.y);
        num(sb, start, "w", f.w);
        num(sb, start, "h", f.h);
        num(sb, start, "count", f.count);
        dbl(sb, start, "score", f.score);
        dbl(sb, start, "value", f.value);
        double[] values = f.values();
        if (values != null) {
            key(sb, start, "values");
            sb.append('[');
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                number(sb, values[i]);
            }
            sb.append(']');
        }
        sb.append('}');
    }

    private static void key(StringBuilder sb, int start, String k) {
        if (sb.length() > start + 1) {
            sb.append(',');
        }
        sb.append('"').append(k).append("\":");
    }

    private static void str(StringBuilder sb, int start, String k, String v) {
        if (v != null) {
            key(sb, start, k);
            quote(sb, v);
        }
    }

    private static void num(StringBuilder sb, int start, String k, Integer v) {
        if (v != null) {
            key(sb, start, k);
            sb.append(v.intValue());
        }
    }

    private static void dbl(StringBuilder sb, int start, String k, Double v) {
        if (v != null) {
            key(sb, start, k);
            number(sb, v);
        }
    }

    /** A double as Jackson prints it for Spark: Java's shortest form, and NaN or infinities quoted. */
    private static void number(StringBuilder sb, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            sb.append('"').append(v).append('"');
        } else {
            sb.append(v);
        }
    }

    private static void key(StringBuilder sb, String k) {
        if (sb.length() > 1) {
            sb.append(',');
        }
        sb.append('"').append(k).append("\":");
    }

    private static void num(StringBuilder sb, String k, long v) {
        key(sb, k);
        sb.append(v);
    }

    private static void str(StringBuilder sb, String k, String v) {
        if (v == null) {
            return;
        }
        key(sb, k);
        quote(sb, v);
    }

    /** JSON string escaping as Jackson (Spark's JSON writer) does it: quote, backslash, control characters. */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                case '\b':
                    sb.append("\\b");
                    break;
                case '\f':
                    sb.append("\\f");
                    break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
