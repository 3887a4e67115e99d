package io.tilespark.job;

import java.io.Serializable;
import java.util.Locale;

/**
 * How many failed images a run may have before the run itself counts as failed (exit 1), from
 * {@code --max-failures N} or {@code --max-failures P%}. The run fails when failures are
 * <em>more than</em> the budget; the percentage is of the images this run tried, i.e. listed
 * minus skipped. The default budget is unlimited: failures alone never fail a run (exit 3).
 */
public final class FailureBudget implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final FailureBudget UNLIMITED = new FailureBudget(-1, -1);

    private final long count;
    private final double percent;

    private FailureBudget(long count, double percent) {
        this.count = count;
        this.percent = percent;
    }

    /** @throws IllegalArgumentException with a message for the user */
    public static FailureBudget parse(String s) {
        if (s == null || s.trim().isEmpty()) {
            return UNLIMITED;
        }
        String t = s.trim();
        try {
            if (t.endsWith("%")) {
                double p = Double.parseDouble(t.substring(0, t.length() - 1).trim());
                if (!(p >= 0 && p <= 100)) {
                    throw new NumberFormatException();
                }
                return new FailureBudget(-1, p);
            }
            long n = Long.parseLong(t);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return new FailureBudget(n, -1);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--max-failures must be a count N >= 0 or a percentage P% (0..100), got '"
                    + s + "'");
        }
    }

    public boolean unlimited() {
        return count < 0 && percent < 0;
    }

    /** The most failures allowed among {@code attempted} images. */
    public long allowed(long attempted) {
        if (unlimited()) {
            return Long.MAX_VALUE;
        }
        if (count >= 0) {
            return count;
        }
        return (long) Math.floor(attempted * percent / 100.0 + 1e-9);
    }

    public boolean exceeded(long failed, long attempted) {
        return failed > allowed(attempted);
    }

    /** Why a finished run counts as failed under this budget, or null when it does not. */
    public String verdict(RunResult r) {
        long attempted = r.total - r.skipped;
        if (!exceeded(r.failed, attempted)) {
            return null;
        }
        return r.failed + " of " + attempted + " images failed, more than --max-failures " + this + " allows";
    }

    @Override
    public String toString() {
        if (unlimited()) {
            return "unlimited";
        }
        return count >= 0 ? Long.toString(count) : String.format(Locale.ROOT, "%s%%", trim(percent));
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
