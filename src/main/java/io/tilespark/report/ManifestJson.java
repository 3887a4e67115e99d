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

    /**
     * The row as a part-file line: the manifest's fields, then its findings under
     * {@link AnalysisTable#PARTS_COLUMN} for an image that was written (as {@code partsRow}). A
     * row without findings is exactly its manifest line.
     */
    public static String partsLine(ManifestRow r) {
        StringBuilder sb = new StringBuilder(512).append('{');
        str(sb, 0, "input", r.input);
        str(sb, 0, "relative", r.relative);
        num(sb, 0, "size", r.size);
        num(sb, 0, "mtime", r.mtime);
        num(sb, 0, "width", r.width);
        num(sb, 0, "height", r.height);
        num(sb, 0, "channels", r.channels);
        str(sb, 0, "format", r.format);
        str(sb, 0, "ops", r.ops);
        num(sb, 0, "tiles", r.tiles);
        str(sb, 0, "output", r.output);
        str(sb, 0, "status", r.status);
        str(sb, 0, "error", r.error);
        str(sb, 0, "notes", r.notes);
        num(sb, 0, "ms_read", r.msRead);
        num(sb, 0, "ms_decode", r.msDecode);
        num(sb, 0, "ms_ops", r.msOps);
        num(sb, 0, "ms_stitch", r.msStitch);
        num(sb, 0, "ms_encode", r.msEncode);
        num(sb, 0, "ms_write", r.msWrite);
        num(sb, 0, "bytes_out", r.bytesOut);
        if (ManifestRow.OK.equals(r.status) && r.analysis != null && !r.analysis.isEmpty()) {
            key(sb, 0, AnalysisTable.PARTS_COLUMN);
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

    /** A key, after a comma unless it is the first in the object that opened at {@code start}. */
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

    private static void num(StringBuilder sb, int start, String k, long v) {
        key(sb, start, k);
        sb.append(v);
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

    /**
     * A JSON string as Jackson (Spark's JSON writer) escapes it: quote, backslash, and control
     * characters. For any JSON lines that Spark SQL reads back (the manifest parts, the journal).
     */
    public static void quote(StringBuilder sb, String s) {
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
