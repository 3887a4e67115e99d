package io.tilespark.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tilespark.io.ImageFormat;
import io.tilespark.io.OutputPaths;
import io.tilespark.report.ManifestRow;

/**
 * Two inputs must never write the same output. With {@code --format png}, "photo.jpg" and
 * "photo.bmp" would both become "photo.png" and the last one written would silently win. So
 * before anything is read, each input's output path is worked out from its name, and when several
 * inputs claim one path, one keeps it: the input whose own name is that path, or else the first
 * in listing order. The others get a failed row saying which input holds the path.
 *
 * <p>With {@code --format same} the output format is the decoded one, known only after reading
 * the bytes; the check assumes each name's extension tells its format. A file whose content does
 * not match its extension (a PNG named .jpg) can still collide; that case is not caught.
 */
final class OutputClaims {

    /** Inputs that keep their output path, and failed rows for the rest. */
    static final class Result {
        final List<InputFile> kept;
        final List<ManifestRow> refused;

        Result(List<InputFile> kept, List<ManifestRow> refused) {
            this.kept = kept;
            this.refused = refused;
        }
    }

    private OutputClaims() {
    }

    static Result check(List<InputFile> files, JobSpec spec) {
        Map<String, List<InputFile>> claims = new LinkedHashMap<>();
        List<InputFile> unclaimed = new ArrayList<>();
        for (InputFile f : files) {
            String out = claimedOutput(f.relative, spec.format);
            if (out == null) {
                unclaimed.add(f);
            } else {
                claims.computeIfAbsent(out, k -> new ArrayList<>()).add(f);
            }
        }
        List<ManifestRow> refused = new ArrayList<>();
        java.util.Set<String> losers = new java.util.HashSet<>();
        for (Map.Entry<String, List<InputFile>> c : claims.entrySet()) {
            List<InputFile> group = c.getValue();
            if (group.size() < 2) {
                continue;
            }
            InputFile winner = group.get(0);
            for (InputFile f : group) {
                if (f.relative.equals(c.getKey())) {
                    winner = f;
                }
            }
            for (InputFile f : group) {
                if (f != winner) {
                    losers.add(f.relative);
                    refused.add(row(f, spec, "output path '" + c.getKey() + "' is also the output of '" + winner.relative
                            + "', which keeps it; rename one of the inputs"));
                }
            }
        }
        if (losers.isEmpty()) {
            return new Result(files, refused);
        }
        List<InputFile> kept = new ArrayList<>(files.size() - losers.size());
        for (InputFile f : files) {
            if (!losers.contains(f.relative)) {
                kept.add(f);
            }
        }
        return new Result(kept, refused);
    }

    /** The output path an input will get, judged by its extension; null when the extension says nothing. */
    static String claimedOutput(String relative, String formatSetting) {
        ImageFormat byName = fromExtension(relative);
        if (byName == null && "same".equals(formatSetting)) {
            return null;
        }
        ImageFormat target = Incremental.outputFormat(formatSetting, byName == null ? ImageFormat.UNKNOWN : byName);
        try {
            return OutputPaths.outputRelative(relative, target);
        } catch (IllegalArgumentException e) {
            return null; // refused later, with its own reason
        }
    }

    static ImageFormat fromExtension(String relative) {
        int slash = relative.lastIndexOf('/');
        int dot = relative.lastIndexOf('.');
        if (dot <= slash + 1) {
            return null;
        }
        switch (relative.substring(dot + 1).toLowerCase(Locale.ROOT)) {
            case "jpg":
            case "jpeg":
            case "jpe":
                return ImageFormat.JPEG;
            case "png":
                return ImageFormat.PNG;
            case "tif":
            case "tiff":
                return ImageFormat.TIFF;
            case "webp":
                return ImageFormat.WEBP;
            case "bmp":
                return ImageFormat.BMP;
            case "pnm":
            case "ppm":
            case "pgm":
            case "pbm":
                return ImageFormat.PNM;
            case "gif":
                return ImageFormat.GIF;
            default:
                return null;
        }
    }

    static ManifestRow row(InputFile f, JobSpec spec, String error) {
        ManifestRow r = new ManifestRow();
        r.ops = spec.plan.spec();
        r.input = f.uri;
        r.relative = f.relative;
        r.size = f.size;
        r.mtime = f.mtime;
        r.status = ManifestRow.FAILED;
        r.error = error;
        return r;
    }
}
