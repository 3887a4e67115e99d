package io.tilespark.io;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which input formats each OpenCV build decodes. Decoders are native code fed with untrusted
 * files, and a crash in one kills the executor JVM, so this is an allowlist decided per format
 * and per build, with the reason kept next to the decision (docs/formats.md has the table):
 *
 * <ul>
 * <li>ON by default: a header check exists here (see {@link Headers}) and the bundled decoder has
 *     no known unfixed memory-safety bug.</li>
 * <li>OPT_IN: decodable and header-checked, but a known weakness; only with {@code --formats}.</li>
 * <li>REFUSED: never decoded by this build (known exploited bug, no header check, or pixels the
 *     operators do not take).</li>
 * </ul>
 *
 * Codec versions are those printed by {@code Core.getBuildInformation()} of each build:
 * bytedeco 4.13.0-1.5.13 bundles libjpeg-turbo 3.1.2, libpng 1.6.53, libtiff 4.7.1, a libwebp
 * with the CVE-2023-4863 fix (OpenCV took it in 4.9, see opencv/opencv#25097), Jasper 1.900.1
 * and OpenEXR 2.3.0; openpnp 4.7.0-0 bundles libjpeg-turbo 2.1.3, libpng 1.6.37, libtiff 4.2.0,
 * libwebp 1.2.x (openpnp/opencv#103), OpenJPEG 2.4.0 and OpenEXR 2.3.0.
 */
public final class FormatPolicy {

    public enum Status { ON, OPT_IN, REFUSED }

    private FormatPolicy() {
    }

    /** The decision for one format in one build ("bytedeco" or "openpnp"). */
    public static Status status(String build, ImageFormat f) {
        boolean modern = "bytedeco".equals(build);
        switch (f) {
            case JPEG:
            case PNG:
            case BMP:
            case PNM:
                return Status.ON;
            case TIFF:
                return modern ? Status.ON : Status.OPT_IN;
            case WEBP:
                return modern ? Status.ON : Status.REFUSED;
            case GIF:
                return modern ? Status.OPT_IN : Status.REFUSED;
            default:
                return Status.REFUSED;
        }
    }

    /** Why a format is not on by default in this build; one line, for manifests and usage errors. */
    public static String reason(String build, ImageFormat f) {
        boolean modern = "bytedeco".equals(build);
        switch (f) {
            case TIFF:
                return modern ? "" : "libtiff 4.2.0 in this build has CVE-2022-3970 (integer overflow in TIFFReadRGBATileExt, "
                        + "which OpenCV calls for 8-bit tiled TIFF)";
            case WEBP:
                return modern ? "" : "libwebp in this build predates the fix for CVE-2023-4863 (heap overflow, exploited in the wild)";
            case GIF:
                return modern ? "OpenCV's own GIF decoder is recent and GIF output is not writable (written as PNG)"
                        : "this OpenCV build has no GIF decoder";
            case JPEG2000:
                return "no header check here; the bundled JPEG 2000 decoders (Jasper 1.900.1, OpenJPEG 2.4.0) have known CVEs";
            case EXR:
            case HDR:
                return "floating-point pixels, which the operators do not take";
            default:
                return "";
        }
    }

    public static Set<ImageFormat> defaultAllowed(String build) {
        EnumSet<ImageFormat> s = EnumSet.noneOf(ImageFormat.class);
        for (ImageFormat f : ImageFormat.values()) {
            if (status(build, f) == Status.ON) {
                s.add(f);
            }
        }
        return Collections.unmodifiableSet(s);
    }

    /**
     * Parses {@code --formats}: a comma-separated list of format names (jpeg, png, tiff, webp, bmp,
     * pnm, gif; "jpg", "tif" and "ppm" are accepted too). A format this build refuses is a usage
     * error naming the reason.
     *
     * @throws IllegalArgumentException with a one-line message for the user
     */
    public static Set<ImageFormat> parse(String csv, String build) {
        EnumSet<ImageFormat> s = EnumSet.noneOf(ImageFormat.class);
        for (String raw : csv.split(",")) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            ImageFormat f = byName(name);
            if (f == null) {
                throw new IllegalArgumentException("--formats: unknown format '" + raw.trim() + "' (known: "
                        + "jpeg, png, tiff, webp, bmp, pnm, gif)");
            }
            if (status(build, f) == Status.REFUSED) {
                throw new IllegalArgumentException("--formats: " + f.label() + " is refused by this build ("
                        + build + "): " + reason(build, f));
            }
            s.add(f);
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("--formats needs at least one format");
        }
        return Collections.unmodifiableSet(s);
    }

    static ImageFormat byName(String name) {
        switch (name) {
            case "jpg":
            case "jpeg":
                return ImageFormat.JPEG;
            case "tif":
            case "tiff":
                return ImageFormat.TIFF;
            case "ppm":
            case "pgm":
            case "pbm":
            case "pam":
            case "pnm":
                return ImageFormat.PNM;
            case "jp2":
            case "jpeg2000":
                return ImageFormat.JPEG2000;
            default:
                for (ImageFormat f : ImageFormat.values()) {
                    if (f != ImageFormat.UNKNOWN && f.label().equals(name)) {
                        return f;
                    }
                }
                return null;
        }
    }
}
