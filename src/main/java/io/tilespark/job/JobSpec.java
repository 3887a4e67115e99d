package io.tilespark.job;

import java.io.Serializable;

import io.tilespark.cv.OpenCv;
import io.tilespark.io.DecodePolicy;
import io.tilespark.ops.Plan;

/** Everything a run needs to know, fixed before Spark starts. Immutable and serializable. */
public final class JobSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    /** When the tiles of one image go to different executors. */
    public enum Spread { AUTO, ALWAYS, NEVER }

    /** The default of {@link #wholeMaxPixels}: 64 Mi pixels, 192 MB decoded in three channels. */
    public static final long WHOLE_MAX_PIXELS = 64L << 20;

    public final String input;
    public final String output;
    public final Plan plan;
    public final int tile;
    /** "same", "png" or "jpg". */
    public final String format;
    public final int quality;
    public final String glob;
    public final boolean recursive;
    public final Spread spread;
    /** 0 chooses from the cluster size. */
    public final int partitions;
    public final boolean quiet;
    /** Formats, pixel limit and orientation for decoding (see io/DecodePolicy). */
    public final DecodePolicy decode;
    /** Skip inputs that an earlier run already turned into their current output (job/Incremental). */
    public final boolean incremental;
    /** Reprocess everything even with {@link #incremental}. */
    public final boolean force;
    public final FailureBudget maxFailures;
    /**
     * Images with more pixels than this are cut into tiles even when the tiles stay in the task
     * that decoded them, so that the chain's full-size work buffers never exist: a whole 200 MP
     * image through median, blur and Canny needs about 4 GB of native memory, in tiles about a
     * third of that. Smaller images go whole when not spread, which is faster (docs/benchmarks.md).
     */
    public final long wholeMaxPixels;

    private JobSpec(Builder b) {
        this.input = b.input;
        this.output = b.output;
        this.plan = b.plan;
        this.tile = b.tile;
        this.format = b.format;
        this.quality = b.quality;
        this.glob = b.glob;
        this.recursive = b.recursive;
        this.spread = b.spread;
        this.partitions = b.partitions;
        this.quiet = b.quiet;
        this.decode = b.decode;
        this.incremental = b.incremental;
        this.force = b.force;
        this.maxFailures = b.maxFailures;
        this.wholeMaxPixels = b.wholeMaxPixels;
    }

    public static Builder builder(String input, String output, Plan plan) {
        return new Builder(input, output, plan);
    }

    /** Settings as text, for the summary and logs. Holds no secrets: those live only in Hadoop conf. */
    public String describe() {
        return "input=" + input + " output=" + output + " ops=" + plan.spec() + " tile=" + tile
                + " format=" + format + " quality=" + quality + (glob == null ? "" : " glob=" + glob)
                + " recursive=" + recursive + " spread=" + spread.name().toLowerCase(java.util.Locale.ROOT)
                + " " + decode + (incremental ? " incremental" : "") + (force ? " force" : "")
                + " max-failures=" + maxFailures;
    }

    public static final class Builder {
        private final String input;
        private final String output;
        private final Plan plan;
        private int tile = 1024;
        private String format = "same";
        private int quality = 90;
        private String glob;
        private boolean recursive;
        private Spread spread = Spread.AUTO;
        private int partitions;
        private boolean quiet;
        private DecodePolicy decode = DecodePolicy.defaults(OpenCv.buildProperty("opencv"));
        private boolean incremental;
        private boolean force;
        private FailureBudget maxFailures = FailureBudget.UNLIMITED;
        private long wholeMaxPixels = WHOLE_MAX_PIXELS;

        private Builder(String input, String output, Plan plan) {
            this.input = input;
            this.output = output;
            this.plan = plan;
        }

        public Builder tile(int v) {
            this.tile = v;
            return this;
        }

        public Builder format(String v) {
            this.format = v;
            return this;
        }

        public Builder quality(int v) {
            this.quality = v;
            return this;
        }

        public Builder glob(String v) {
            this.glob = v;
            return this;
        }

        public Builder recursive(boolean v) {
            this.recursive = v;
            return this;
        }

        public Builder spread(Spread v) {
            this.spread = v;
            return this;
        }

        public Builder partitions(int v) {
            this.partitions = v;
            return this;
        }

        public Builder quiet(boolean v) {
            this.quiet = v;
            return this;
        }

        public Builder decode(DecodePolicy v) {
            this.decode = v;
            return this;
        }

        public Builder incremental(boolean v) {
            this.incremental = v;
            return this;
        }

        public Builder force(boolean v) {
            this.force = v;
            return this;
        }

        public Builder maxFailures(FailureBudget v) {
            this.maxFailures = v;
            return this;
        }

        public Builder wholeMaxPixels(long v) {
            this.wholeMaxPixels = v;
            return this;
        }

        public JobSpec build() {
            return new JobSpec(this);
        }
    }
}
