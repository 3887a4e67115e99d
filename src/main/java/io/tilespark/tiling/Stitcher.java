package io.tilespark.tiling;

import org.opencv.core.Mat;

/** Copies processed tile cores into one image; knows when every tile has arrived. */
public final class Stitcher {
    private final int width;
    private final int height;
    private final int expected;
    private final boolean[] seen;
    private int received;
    private Mat image;

    public Stitcher(int width, int height, int expected) {
        this.width = width;
        this.height = height;
        this.expected = expected;
        this.seen = new boolean[expected];
    }

    /** Adds a processed (cropped) tile and releases its pixels. A repeated tile is ignored. */
    public void add(Tile t) {
        try {
            if (!t.isCropped()) {
                throw new IllegalArgumentException(t + " was not cropped to its core");
            }
            if (t.index < 0 || t.index >= expected) {
                throw new IllegalArgumentException(t + " is outside this image's " + expected + " tiles");
            }
            if (seen[t.index]) {
                return;
            }
            Mat core = t.pixels.mat();
            if (image == null) {
                image = new Mat(height, width, core.type());
            } else if (core.type() != image.type()) {
                throw new IllegalStateException(t + " has type " + core.type() + ", others " + image.type());
            }
            Mat target = image.submat(t.core.toCv());
            try {
                core.copyTo(target);
            } finally {
                target.release();
            }
            seen[t.index] = true;
            received++;
        } finally {
            t.pixels.release();
        }
    }

    public boolean complete() {
        return received == expected;
    }

    /** Hands over the stitched image; the caller owns it from then on. */
    public Mat take() {
        if (!complete()) {
            throw new IllegalStateException("only " + received + " of " + expected + " tiles arrived");
        }
        Mat m = image;
        image = null;
        return m;
    }

    public void release() {
        if (image != null) {
            image.release();
            image = null;
        }
    }
}
