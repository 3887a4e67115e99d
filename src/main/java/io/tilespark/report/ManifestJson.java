package io.tilespark.report;

import io.tilespark.ops.Finding;

/**
 * The manifest's JSON lines, exactly as Spark's own JSON writer prints the same rows, so that
 * Spark SQL (and anything else) reads them as one table: null fields left out in the manifest and
 * its part files, written out as null in the analysis table. The job's result stage writes part
 * lines with a plain RDD action, so the images start without waiting for Spark SQL to plan a
 * DataFrame write and its tasks carry no SQL writer; the driver then compacts the parts into the
 * manifest and the analysis table ({@link Compaction}), with no further Spark job.
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
        return line(r, true);
    }

    /** The row as a manifest line: its fields in {@link ManifestRow#schema()} order, no findings. */
    public static String manifestLine(ManifestRow r) {
        return line(r, false);
    }

    private static String line(ManifestRow r, boolean findings) {
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
        if (findings && ManifestRow.OK.equals(r.status) && r.analysis != null && !r.analysis.isEmpty()) {
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

    /**
     * One row of the analysis table ({@link AnalysisTable#schema()}): the input's paths, then the
     * finding's fields, with every null field written as {@code null} so that the table reads back
     * with the same columns whatever the images held.
     */
    public static String analysisLine(String input, String relative, Finding f) {
        StringBuilder sb = new StringBuilder(256).append('{');
        str(sb, 0, "input", input);
        str(sb, 0, "relative", relative);
        fields(sb, 0, f, true);
        return sb.append('}').toString();
    }

    /** One finding as a JSON object, in {@link AnalysisTable#findingSchema()} order. */
    private static void finding(StringBuilder sb, Finding f) {
        int start = sb.length();
        sb.append('{');
        fields(sb, start, f, false);
        sb.append('}');
    }

    private static void fields(StringBuilder sb, int start, Finding f, boolean nulls) {
        str(sb, start, "analyzer", f.analyzer);
        str(sb, start, "kind", f.kind);
        if (f.label != null || nulls) {
            key(sb, start, "label");
            if (f.label == null) {
                sb.append("null");
            } else {
                quote(sb, f.label);
            }
        }
        Integer[] ints = {f.x, f.y, f.w, f.h, f.count};
        String[] intKeys = {"x", "y", "w", "h", "count"};
        for (int i = 0; i < ints.length; i++) {
            if (ints[i] != null || nulls) {
                key(sb, start, intKeys[i]);
                sb.append(ints[i] == null ? "null" : ints[i].toString());
            }
        }
        Double[] dbls = {f.score, f.value};
        String[] dblKeys = {"score", "value"};
        for (int i = 0; i < dbls.length; i++) {
            if (dbls[i] != null) {
                key(sb, start, dblKeys[i]);
                number(sb, dbls[i]);
            } else if (nulls) {
                key(sb, start, dblKeys[i]);
                sb.append("null");
            }
        }
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
        } else if (nulls) {
            key(sb, start, "values");
            sb.append("null");
        }
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
