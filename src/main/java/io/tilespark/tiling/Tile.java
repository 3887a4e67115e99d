package io.tilespark.tiling;

import java.io.Serializable;

import io.tilespark.cv.Pixels;

/**
 * One tile of one image on its way through the job: which image, which tile, its core and region
 * in image coordinates, and its pixels (the region before processing, only the core after).
 */
public final class Tile implements Serializable {
    private static final long serialVersionUID = 1L;

    public final long image;
    public final int index;
    public final int count;
    public final Rect core;
    public final Rect region;
    public final Pixels pixels;

    public Tile(long image, int index, int count, Rect core, Rect region, Pixels pixels) {
        this.image = image;
        this.index = index;
        this.count = count;
        this.core = core;
        this.region = region;
        this.pixels = pixels;
    }

    /** True once processed: the pixels cover the core only. */
    public boolean isCropped() {
        return pixels.rows() == core.height && pixels.cols() == core.width;
    }

    @Override
    public String toString() {
        return "tile " + index + "/" + count + " of image " + image + " core " + core;
    }
}
