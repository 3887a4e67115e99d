package io.tilespark.ops;

import java.io.Serializable;

import org.opencv.core.Mat;

/**
 * One image operation. Input is an 8-bit Mat of 1 (grey) or 3 (BGR) channels; alpha never reaches
 * an operator (it is split off at decode and put back at encode).
 */
public interface Operator extends Serializable {

    /** How an operator behaves when the image is cut into tiles. */
    enum Locality {
        /** Each output pixel depends only on input pixels within {@link #halo()}: tiles exactly. */
        TILED,
        /** Needs a whole-image pass after a per-tile pass (Canny's hysteresis); see {@link SeamedOperator}. */
        SEAMED,
        /** Depends on the whole image (e.g. a histogram); never tiled. */
        WHOLE
    }

    /** Canonical text form, parseable by {@link Operators#parse}: {@code blur:5}. */
    String spec();

    /** Context pixels read on each side of an output pixel, derived from the parameters. */
    int halo();

    Locality locality();

    /**
     * Applies the operator to a whole image (or a tile with its halo). {@code dst} is distinct
     * from {@code src}; it is (re)allocated as needed, so a caller may reuse it between calls.
     */
    void apply(Mat src, Mat dst);
}
