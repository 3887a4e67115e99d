package io.tilespark.ops;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.opencv.core.Mat;

/**
 * A parsed {@code --ops} chain, split by how it can be tiled:
 * <ol>
 *   <li>{@code tiled}: the leading run of local operators, applied per tile;</li>
 *   <li>{@code seam}: optionally one {@link SeamedOperator}, whose tile phase ends the per-tile work;</li>
 *   <li>{@code rest}: everything after it, applied to the stitched whole image;</li>
 *   <li>{@code analysis}: the trailing {@link Analyzer}s, run on the final whole image (see {@link Analysis}).</li>
 * </ol>
 * The tile halo is the sum of the per-tile operators' halos: an error in the outer ring of a tile
 * grows inward by one operator's halo at each step. A chain that starts with a whole-image operator
 * has nothing to tile and runs entirely in {@code rest}.
 */
public final class Plan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<Operator> all;
    private final List<Operator> tiled;
    private final SeamedOperator seam;
    private final List<Operator> rest;
    private final List<Analyzer> analysis;
    private final int halo;

    private Plan(List<Operator> all) {
        int end = Analysis.start(all);
        List<Operator> image = all.subList(0, end);
        List<Analyzer> an = new ArrayList<>();
        for (Operator o : all.subList(end, all.size())) {
            an.add((Analyzer) o);
        }
        List<Operator> t = new ArrayList<>();
        SeamedOperator s = null;
        int i = 0;
        while (i < image.size() && image.get(i).locality() == Operator.Locality.TILED) {
            t.add(image.get(i++));
        }
        if (i < image.size() && image.get(i).locality() == Operator.Locality.SEAMED) {
            s = (SeamedOperator) image.get(i++);
        }
        int h = 0;
        for (Operator o : t) {
            h += o.halo();
        }
        if (s != null) {
            h += s.halo();
        }
        this.all = Collections.unmodifiableList(new ArrayList<>(all));
        this.tiled = Collections.unmodifiableList(t);
        this.seam = s;
        this.rest = Collections.unmodifiableList(new ArrayList<>(image.subList(i, image.size())));
        this.analysis = Collections.unmodifiableList(an);
        this.halo = h;
    }

    public static Plan of(List<Operator> ops) {
        if (ops.isEmpty()) {
            throw new UsageException("--ops needs at least one operator; valid operators: " + Operators.usages());
        }
        return new Plan(ops);
    }

    public static Plan parse(String chain) {
        return of(Operators.parseChain(chain));
    }

    /** The chain as text, e.g. {@code grey,blur:5}. */
    public String spec() {
        StringBuilder sb = new StringBuilder();
        for (Operator o : all) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(o.spec());
        }
        return sb.toString();
    }

    public List<Operator> operators() {
        return all;
    }

    /** Context pixels each tile needs on every side. */
    public int halo() {
        return halo;
    }

    /** True when some work happens per tile; false when the whole chain needs whole images. */
    public boolean tiles() {
        return !tiled.isEmpty() || seam != null;
    }

    /** True when work remains after stitching (a seam pass or whole-image operators). */
    public boolean hasWholeImageTail() {
        return seam != null || !rest.isEmpty();
    }

    /** The analyzers that close the chain, in order; empty when the chain only changes pixels. */
    public List<Analyzer> analysis() {
        return analysis;
    }

    /** Per-tile work on a tile with its halo; the caller keeps only the core of {@code dst}. */
    public void applyTile(Mat region, Mat dst, Mat scratch) {
        List<Operator> steps = new ArrayList<>(tiled);
        if (seam != null) {
            steps.add(new TilePhase(seam));
        }
        run(steps, region, dst, scratch);
    }

    /** The whole-image tail over the stitched tiles: the seam's finish, then the rest. */
    public void finish(Mat stitched, Mat dst, Mat scratch) {
        List<Operator> steps = new ArrayList<>();
        if (seam != null) {
            steps.add(new FinishPhase(seam));
        }
        steps.addAll(rest);
        run(steps, stitched, dst, scratch);
    }

    /**
     * The reference: every image operator's whole-image form, in order. Tiled results must equal
     * this. Analyzers change no pixels (their overlays are drawn by {@link Analysis#run}).
     */
    public void applyWhole(Mat src, Mat dst, Mat scratch) {
        run(all.subList(0, all.size() - analysis.size()), src, dst, scratch);
    }

    /**
     * Runs steps from src, ping-ponging between dst and scratch so that the last step lands in
     * dst and src is never written. Reusing the two buffers across calls spares the native
     * allocations that otherwise cost as much as the filters themselves.
     */
    static void run(List<Operator> steps, Mat src, Mat dst, Mat scratch) {
        int n = steps.size();
        if (n == 0) {
            src.copyTo(dst);
            return;
        }
        Mat cur = src;
        for (int i = 0; i < n; i++) {
            Mat out = (n - 1 - i) % 2 == 0 ? dst : scratch;
            steps.get(i).apply(cur, out);
            cur = out;
        }
    }

    @Override
    public String toString() {
        return spec();
    }

    /** Adapts a seam's tile phase to the plain operator shape used by {@link #run}. */
    private static final class TilePhase extends BaseOperator {
        private static final long serialVersionUID = 1L;
        private final SeamedOperator seam;

        TilePhase(SeamedOperator seam) {
            super(seam.spec() + "#tile", seam.halo(), Locality.TILED);
            this.seam = seam;
        }

        @Override
        public void apply(Mat src, Mat dst) {
            seam.applyTile(src, dst);
        }
    }

    private static final class FinishPhase extends BaseOperator {
        private static final long serialVersionUID = 1L;
        private final SeamedOperator seam;

        FinishPhase(SeamedOperator seam) {
            super(seam.spec() + "#finish", 0, Locality.WHOLE);
            this.seam = seam;
        }

        @Override
        public void apply(Mat src, Mat dst) {
            seam.finish(src, dst);
        }
    }
}
