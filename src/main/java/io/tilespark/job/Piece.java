package io.tilespark.job;

import java.io.Serializable;

import io.tilespark.cv.Pixels;
import io.tilespark.tiling.Rect;
import io.tilespark.tiling.Tile;

/**
 * The unit that flows through the RDDs: one tile of one image, with its alpha core when the image
 * has alpha, and the image's metadata on the first tile. An image that is not cut (see
 * {@link Stages.ReadAndCut}) travels as one untiled piece holding the whole decoded image. An
 * image that failed before tiling sends a single piece with no tile and the error in its metadata.
 */
final class Piece implements Serializable {
    private static final long serialVersionUID = 1L;

    final long image;
    /** How many pieces of this image exist in all; the stitcher waits for that many. */
    final int pieces;
    final int width;
    final int height;
    final Tile tile;
    final Pixels alpha;
    final ImageMeta meta;
    /**
     * True for a whole decoded image that no operator has touched yet: the {@link Assembler} runs
     * the whole chain on it, in buffers it reuses from image to image, and encodes from them.
     */
    final boolean untiled;
    /** Set when applying the operators to this tile failed. */
    String error;
    long opsNanos;

    Piece(long image, int pieces, int width, int height, Tile tile, Pixels alpha, ImageMeta meta) {
        this(image, pieces, width, height, tile, alpha, meta, false);
    }

    private Piece(long image, int pieces, int width, int height, Tile tile, Pixels alpha, ImageMeta meta,
                  boolean untiled) {
        this.untiled = untiled;
        this.image = image;
        this.pieces = pieces;
        this.width = width;
        this.height = height;
        this.tile = tile;
        this.alpha = alpha;
        this.meta = meta;
    }

    /** The whole decoded image as one piece; takes ownership of both Pixels. */
    static Piece untiled(ImageMeta meta, Pixels colour, Pixels alpha) {
        int w = colour.cols();
        int h = colour.rows();
        Rect all = Rect.of(0, 0, w, h);
        return new Piece(meta.file.id, 1, w, h, new Tile(meta.file.id, 0, 1, all, all, colour), alpha, meta, true);
    }

    static Piece failed(ImageMeta meta) {
        return new Piece(meta.file.id, 1, 0, 0, null, null, meta);
    }

    /** The same piece with its tile replaced (after processing) or dropped (after a failure). */
    Piece with(Tile newTile, Pixels newAlpha) {
        return new Piece(image, pieces, width, height, newTile, newAlpha, meta, untiled);
    }

    /** Marks this piece's pixels to be freed once a shuffle has serialised them (see {@link Pixels#forShuffle}). */
    Piece forShuffle() {
        if (tile != null) {
            tile.pixels.forShuffle();
        }
        if (alpha != null) {
            alpha.forShuffle();
        }
        return this;
    }

    void release() {
        if (tile != null) {
            tile.pixels.release();
        }
        if (alpha != null) {
            alpha.release();
        }
    }
}
