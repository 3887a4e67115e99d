package io.tilespark.ops;

import java.util.List;

import org.opencv.core.Mat;

/**
 * An analysis operator: it measures the final image of the chain and reports {@link Finding}s
 * instead of changing pixels. Analyzers close a chain ({@code grey,blur:3,detect:faces=URI}) and
 * run on the whole image after stitching, because keypoints and detections near a tile seam are
 * not local the way filters are. As an {@link Operator} it passes pixels through unchanged.
 */
public interface Analyzer extends Operator {

    /** The analyzer's key in the results table: its spec without any model URI, e.g. {@code detect:faces}. */
    String analyzer();

    /** True when the user asked for an overlay (the {@code :draw} variants). */
    boolean draws();

    /**
     * Measures {@code image} (8-bit, 1 or 3 channels) with {@code grey} its single-channel form.
     * Neither is written. When {@link #draws()}, {@code canvas} is a BGR copy of the image to draw
     * the overlay on; otherwise it is null.
     */
    List<Finding> analyse(Mat image, Mat grey, Mat canvas);

    @Override
    default int halo() {
        return 0;
    }

    @Override
    default Locality locality() {
        return Locality.WHOLE;
    }

    /** Analyzers leave the pixels alone; the job draws overlays through {@link Analysis#run}. */
    @Override
    default void apply(Mat src, Mat dst) {
        src.copyTo(dst);
    }
}
