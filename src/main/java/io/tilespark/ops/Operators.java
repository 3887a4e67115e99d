package io.tilespark.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operator registry: parses {@code --ops} text into operators and describes every family
 * for {@code --help} and the docs. The only place that knows operator names.
 */
public final class Operators {

    /** One operator family as users see it. */
    public static final class Family {
        public final String name;
        public final String usage;
        public final String summary;
        public final String halo;
        public final Operator.Locality locality;
        /** An analysis operator: measures the final image and adds rows to the analysis table. */
        public final boolean analysis;
        final Parser parser;

        Family(String name, String usage, String summary, String halo, Operator.Locality locality, boolean analysis,
               Parser parser) {
            this.name = name;
            this.usage = usage;
            this.summary = summary;
            this.halo = halo;
            this.locality = locality;
            this.analysis = analysis;
            this.parser = parser;
        }

        public String tiling() {
            if (analysis) {
                return "whole image (analysis)";
            }
            switch (locality) {
                case TILED:
                    return "exact";
                case SEAMED:
                    return "exact (seam pass)";
                default:
                    return "whole image";
            }
        }
    }

    interface Parser {
        Operator parse(Args a);
    }

    private static final Map<String, Family> FAMILIES = new LinkedHashMap<>();

    static {
        add("grey", "grey", "convert to grey (BT.601 luma); grey input passes through", "0",
                Operator.Locality.TILED, a -> new ColourOps.Grey());
        add("blur", "blur:K", "Gaussian blur, K x K, K odd 1..99", "K/2",
                Operator.Locality.TILED, a -> new FilterOps.Blur(a.oddKernel(0, 1, 99)));
        add("box", "box:K", "mean (box) blur, K x K, K odd 1..99", "K/2",
                Operator.Locality.TILED, a -> new FilterOps.Box(a.oddKernel(0, 1, 99)));
        add("median", "median:K", "median filter, K x K, K odd 3..99", "K/2",
                Operator.Locality.TILED, a -> new FilterOps.Median(a.oddKernel(0, 3, 99)));
        add("sharpen", "sharpen", "3x3 sharpening kernel (centre 5, neighbours -1)", "1",
                Operator.Locality.TILED, a -> new FilterOps.Sharpen());
        add("filter", "filter", "the original 'filtering': Gaussian 5x5, then sharpen", "3",
                Operator.Locality.TILED, a -> filter());
        add("canny", "canny:LO:HI", "Canny edges, hysteresis thresholds 0 <= LO <= HI <= 10000", "4",
                Operator.Locality.SEAMED, a -> {
                    double lo = a.number(0, 0, 10000);
                    double hi = a.number(1, 0, 10000);
                    if (lo > hi) {
                        throw a.bad("LO must be <= HI, got " + num(lo) + " > " + num(hi));
                    }
                    return new Canny("canny:" + num(lo) + ":" + num(hi), lo, hi);
                });
        add("edges", "edges", "Canny edges with thresholds 100:200", "4",
                Operator.Locality.SEAMED, a -> new Canny("edges", 100, 200));
        add("sobel", "sobel", "gradient magnitude |dx|+|dy| (3x3 Sobel), per channel", "1",
                Operator.Locality.TILED, a -> new FilterOps.Sobel());
        add("laplacian", "laplacian", "|Laplacian| (3x3), per channel", "1",
                Operator.Locality.TILED, a -> new FilterOps.Laplacian());
        add("erode", "erode:K", "erosion with a K x K square, K odd 1..99", "K/2",
                Operator.Locality.TILED, a -> new FilterOps.Morph(false, a.oddKernel(0, 1, 99)));
        add("dilate", "dilate:K", "dilation with a K x K square, K odd 1..99", "K/2",
                Operator.Locality.TILED, a -> new FilterOps.Morph(true, a.oddKernel(0, 1, 99)));
        add("threshold", "threshold:T", "binary threshold per channel: 255 above T, else 0; T in 0..255", "0",
                Operator.Locality.TILED, a -> new ColourOps.Threshold(a.integer(0, 0, 255)));
        add("brightness", "brightness:N", "add N to every channel, N in -255..255", "0",
                Operator.Locality.TILED, a -> new ColourOps.Brightness(a.integer(0, -255, 255)));
        add("contrast", "contrast:F", "scale the distance from mid-grey by F, F in 0..10", "0",
                Operator.Locality.TILED, a -> new ColourOps.Contrast(a.number(0, 0, 10)));
        add("saturation", "saturation:F", "scale saturation by F (0 grey, 1 unchanged), F in 0..10; grey passes through", "0",
                Operator.Locality.TILED, a -> new ColourOps.Saturation(a.number(0, 0, 10)));
        add("hue", "hue:DEG", "rotate hue by DEG degrees, -360..360; grey passes through", "0",
                Operator.Locality.TILED, a -> new ColourOps.Hue(a.integer(0, -360, 360)));
        add("gamma", "gamma:G", "gamma correction, G in 0.1..10", "0",
                Operator.Locality.TILED, a -> new ColourOps.Gamma(a.number(0, 0.1, 10)));
        add("invert", "invert", "photographic negative", "0",
                Operator.Locality.TILED, a -> new ColourOps.Invert());
        add("sepia", "sepia", "sepia tone; grey input becomes colour", "0",
                Operator.Locality.TILED, a -> new ColourOps.Sepia());
        add("equalize", "equalize", "histogram equalisation (of luma for colour)", "whole image",
                Operator.Locality.WHOLE, a -> new FilterOps.Equalize());
        // Analysis operators: they end the chain and add rows to _tilespark/analysis/ (see Analysis).
        addAnalysis("orb", "orb[:N][:draw]", "ORB keypoints (N max, default 500): count, mean response",
                a -> new FeatureOps.Orb(a.optionalInteger(500, 1, 100_000), a.draw()));
        addAnalysis("corners", "corners[:N][:draw]", "Shi-Tomasi corners (N max, default 500): count",
                a -> new FeatureOps.Corners(a.optionalInteger(500, 1, 100_000), a.draw()));
        addAnalysis("stats", "stats", "channel mean/stddev/16-bin histogram; Laplacian sharpness",
                a -> new FeatureOps.Stats());
        addAnalysis("detect", "detect:NAME[:draw]=URI", "objects found by the cascade model at URI: boxes, count",
                a -> new Detect(a.detectorName(), a.uri(), a.draw()));
    }

    private Operators() {
    }

    private static void add(String name, String usage, String summary, String halo,
                            Operator.Locality locality, Parser parser) {
        FAMILIES.put(name, new Family(name, usage, summary, halo, locality, false, parser));
    }

    private static void addAnalysis(String name, String usage, String summary, Parser parser) {
        FAMILIES.put(name, new Family(name, usage, summary, "-", Operator.Locality.WHOLE, true, parser));
    }

    static Operator filter() {
        return new Sequence("filter", Arrays.asList(new FilterOps.Blur(5), new FilterOps.Sharpen()));
    }

    /** Every operator family, in the order of {@code --help}. */
    public static List<Family> families() {
        return Collections.unmodifiableList(new ArrayList<>(FAMILIES.values()));
    }

    /**
     * Parses one operator, e.g. {@code blur:5}. Everything after the first {@code =} is a URI
     * (e.g. {@code detect:faces=abfss://c@a.dfs.core.windows.net/m.xml}), taken verbatim: URIs
     * hold {@code :} and {@code /} of their own.
     */
    public static Operator parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new UsageException("empty operator in --ops; valid operators: " + usages());
        }
        String uri = null;
        int eq = t.indexOf('=');
        if (eq >= 0) {
            uri = t.substring(eq + 1).trim();
            t = t.substring(0, eq).trim();
        }
        String[] parts = t.split(":", -1);
        String name = parts[0].toLowerCase(Locale.ROOT);
        if ("gray".equals(name)) {
            name = "grey";
        }
        Family f = FAMILIES.get(name);
        if (f == null) {
            throw new UsageException("unknown operator '" + parts[0] + "'; valid operators: " + usages());
        }
        Args args = new Args(f, Arrays.copyOfRange(parts, 1, parts.length), uri);
        if (uri != null && !f.usage.contains("=")) {
            throw args.bad("takes no '=' value, got '=" + uri + "'");
        }
        if (!f.usage.contains("[") && !f.usage.contains("=")) {
            args.expect(f.usage.split(":").length - 1);
        }
        return f.parser.parse(args);
    }

    /** Parses a comma-separated chain, e.g. {@code grey,blur:5,canny:50:150}. */
    public static List<Operator> parseChain(String text) {
        if (text == null || text.trim().isEmpty()) {
            throw new UsageException("--ops is empty; valid operators: " + usages());
        }
        List<Operator> ops = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            ops.add(parse(part));
        }
        return ops;
    }

    public static String usages() {
        StringBuilder sb = new StringBuilder();
        for (Family f : FAMILIES.values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(f.usage);
        }
        return sb.toString();
    }

    /** Renders a number without a trailing ".0", so specs read as typed. */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** An operator's parameters, with checks whose messages name the value and the valid range. */
    static final class Args {
        private final Family family;
        private final String[] values;
        private final String uri;
        /** Parameters consumed so far by the optional-parameter readers below. */
        private int used;

        Args(Family family, String[] values) {
            this(family, values, null);
        }

        Args(Family family, String[] values, String uri) {
            this.family = family;
            this.values = values;
            this.uri = uri;
        }

        /** True when the last parameter is {@code draw} (the overlay variants). */
        boolean draw() {
            return values.length > 0 && "draw".equalsIgnoreCase(values[values.length - 1].trim());
        }

        /** How many parameters come before a trailing {@code :draw}. */
        private int unusedCount() {
            return draw() ? values.length - 1 : values.length;
        }

        /** An optional integer parameter at the next position (before any {@code :draw}). */
        int optionalInteger(int dflt, int min, int max) {
            int n = unusedCount();
            if (n > used + 1) {
                throw bad("expects at most " + (used + 1) + " number and an optional ':draw', got '"
                        + String.join(":", values) + "'");
            }
            if (n == used) {
                return dflt;
            }
            return integer(used++, min, max);
        }

        /** The detector's name (first parameter) for {@code detect:NAME[:draw]=URI}. */
        String detectorName() {
            int n = unusedCount();
            if (n != 1) {
                throw bad("expects a name, an optional ':draw' and '=URI', got " + values.length + " parameters");
            }
            String name = values[0].trim();
            if (!Detect.NAME.matcher(name).matches()) {
                throw bad("needs a name of 1..40 letters, digits, '_' or '-', got '" + name + "'");
            }
            return name;
        }

        /** The URI after {@code =}; required by the families whose usage ends in {@code =URI}. */
        String uri() {
            if (uri == null || uri.isEmpty()) {
                throw bad("needs a model URI after '='");
            }
            if (uri.indexOf('?') >= 0 || uri.indexOf('#') >= 0) {
                // Keeps credentials (SAS tokens) out of --ops, which lands in logs and the manifest.
                throw bad("takes a URI without '?' or '#'; put storage credentials in the Hadoop configuration");
            }
            return uri;
        }

        void expect(int n) {
            if (values.length != n) {
                throw bad("expects " + n + " parameter" + (n == 1 ? "" : "s") + ", got " + values.length);
            }
        }

        UsageException bad(String why) {
            return new UsageException("operator '" + family.name + "' " + why + "; use " + family.usage
                    + " (" + family.summary + ")");
        }

        double number(int i, double min, double max) {
            double v;
            try {
                v = Double.parseDouble(values[i].trim());
            } catch (NumberFormatException e) {
                throw bad("needs a number, got '" + values[i] + "'");
            }
            if (!(v >= min && v <= max)) {
                throw bad("needs a value in " + num(min) + ".." + num(max) + ", got " + values[i]);
            }
            return v;
        }

        int integer(int i, int min, int max) {
            int v;
            try {
                v = Integer.parseInt(values[i].trim());
            } catch (NumberFormatException e) {
                throw bad("needs an integer, got '" + values[i] + "'");
            }
            if (v < min || v > max) {
                throw bad("needs a value in " + min + ".." + max + ", got " + v);
            }
            return v;
        }

        int oddKernel(int i, int min, int max) {
            int k = integer(i, min, max);
            if (k % 2 == 0) {
                throw bad("needs an odd kernel size, got " + k);
            }
            return k;
        }
    }
}
