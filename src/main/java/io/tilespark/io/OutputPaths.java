package io.tilespark.io;

import java.util.Locale;

/**
 * Maps an input's path relative to the input root to its output path relative to the output
 * root. Pure string logic, so it is easy to test; the result can never climb out of the root.
 */
public final class OutputPaths {

    private OutputPaths() {
    }

    /**
     * @param relative input path relative to the input root, '/'-separated
     * @param format   the output format, or null to keep the input's name as is
     */
    public static String outputRelative(String relative, ImageFormat format) {
        String safe = checkRelative(relative);
        if (format == null) {
            return safe;
        }
        int slash = safe.lastIndexOf('/');
        int dot = safe.lastIndexOf('.');
        String stem = dot > slash + 1 ? safe.substring(0, dot) : safe;
        String oldExt = dot > slash + 1 ? safe.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        if (sameFormatExtension(oldExt, format)) {
            return safe;
        }
        return stem + "." + format.extension;
    }

    /** Rejects absolute paths and any '..' or empty segment, so output stays under its root. */
    public static String checkRelative(String relative) {
        if (relative == null || relative.isEmpty() || relative.startsWith("/")) {
            throw new IllegalArgumentException("output path must be relative to the output root, got '" + relative + "'");
        }
        for (String seg : relative.split("/", -1)) {
            if (seg.isEmpty() || ".".equals(seg) || "..".equals(seg)) {
                throw new IllegalArgumentException("path segment '" + seg + "' would leave the output root: '"
                        + relative + "'");
            }
        }
        return relative;
    }

    private static boolean sameFormatExtension(String ext, ImageFormat f) {
        switch (f) {
            case JPEG:
                return ext.equals("jpg") || ext.equals("jpeg") || ext.equals("jpe");
            case TIFF:
                return ext.equals("tif") || ext.equals("tiff");
            case PNM:
                return ext.equals("pnm") || ext.equals("ppm") || ext.equals("pgm") || ext.equals("pbm");
            default:
                return ext.equals(f.extension);
        }
    }
}
