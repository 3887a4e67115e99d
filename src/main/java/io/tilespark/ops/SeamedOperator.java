package io.tilespark.ops;

import org.opencv.core.Mat;

/**
 * An operator that is not local but can still be tiled exactly in two phases: a per-tile pass
 * that yields a local intermediate (with {@link #halo()} of context), then one whole-image
 * {@link #finish} over the stitched intermediate.
 */
public interface SeamedOperator extends Operator {

    /** Per-tile phase; its output must be exact in the tile's core. */
    void applyTile(Mat src, Mat dst);

    /** Whole-image phase over the stitched per-tile output; yields what {@link #apply} would. */
    void finish(Mat stitched, Mat dst);

    @Override
    default Locality locality() {
        return Locality.SEAMED;
    }
}
