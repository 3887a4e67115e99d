package io.tilespark;

import java.util.Locale;

import io.tilespark.cv.OpenCv;
import io.tilespark.io.DecodePolicy;
import io.tilespark.io.FormatPolicy;
import io.tilespark.job.FailureBudget;
import io.tilespark.ops.UsageException;

/** Parses the bulk-run options (--formats, --max-pixels, --max-failures) into their values; usage errors only. */
final class NightlyOptions {

    private NightlyOptions() {
    }

    static DecodePolicy decodePolicy(String formats, String maxPixels, boolean keepOrientation) {
        String build = OpenCv.buildProperty("opencv");
        DecodePolicy p = DecodePolicy.defaults(build).withOrientation(!keepOrientation)
                .withMaxPixels(pixels(maxPixels));
        if (formats != null) {
            try {
                p = p.withFormats(FormatPolicy.parse(formats, build));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return p;
    }

    /** "250000000", "250M" or "1G" (decimal: M = 10^6). */
    static long pixels(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("M")) {
            unit = 1_000_000L;
        } else if (t.endsWith("G")) {
            unit = 1_000_000_000L;
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1).trim();
        try {
            long v = Long.parseLong(digits);
            if (v < 1 || v > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return v * unit;
        } catch (NumberFormatException e) {
            throw new UsageException("--max-pixels must be a positive count such as 250000000, 250M or 1G, got '" + s + "'");
        }
    }

    static FailureBudget failureBudget(String s) {
        try {
            return FailureBudget.parse(s);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
