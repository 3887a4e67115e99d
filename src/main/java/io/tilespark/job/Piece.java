package io.tilespark.job;

import java.io.Serializable;

import io.tilespark.cv.Pixels;
import io.tilespark.tiling.Rect;
import io.tilespark.tiling.Tile;

/**
 * The unit that flows through the RDDs: one tile of one image, with its alpha core when the image
 * has alpha, and the image's metadata on the first tile. An image that is not cut (see
 * {@link Stages.ReadAndCut}) travels as one untiled piece holding the whole decoded image. A share
 * of an image that failed before tiling sends a single piece with no tile and the error in its
 * metadata; a share that owns none of the tiles sends a single empty piece.
 */
final class Piece implements Serializable {
    private static final long serialVersionUID = 1L;

    final long image;
    /** How many tiles the image was cut into (the stitcher's count), or 1 when it was not cut. */
    final int pieces;
    /** Which share of the image sent this piece ({@link Share}), and of how many. */
    final int share;
    final int shares;
    /** How many pieces that share sends: the assembler waits for every share's. */
    final int sharePieces;
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

    /** A tile cut by share {@code from}, which sends {@code sharePieces} pieces in all. */
    Piece(Share from, int sharePieces, int pieces, int width, int height, Tile tile, Pixels alpha, ImageMeta meta) {
        this(from.file.id, pieces, from.index, from.count, sharePieces, width, height, tile, alpha, meta, false);
    }

    private Piece(long image, int pieces, int share, int shares, int sharePieces, int width, int height, Tile tile,
                  Pixels alpha, ImageMeta meta, boolean untiled) {
        this.untiled = untiled;
        this.image = image;
        this.pieces = pieces;
        this.share = share;
        this.shares = shares;
        this.sharePieces = sharePieces;
        this.width = width;
        this.height = height;
        this.tile = tile;
        this.alpha = alpha;
        this.meta = meta;
    }

    /** The whole decoded image as one piece (an image of a single share); takes ownership of both Pixels. */
    static Piece untiled(ImageMeta meta, Pixels colour, Pixels alpha) {
        int w = colour.cols();
        int h = colour.rows();
        Rect all = Rect.of(0, 0, w, h);
        return new Piece(meta.file.id, 1, 0, 1, 1, w, h, new Tile(meta.file.id, 0, 1, all, all, colour), alpha, meta,
                true);
    }

    /** The one piece a share sends when reading or decoding failed; the error is in {@code meta}. */
    static Piece failed(Share from, ImageMeta meta) {
        return new Piece(from.file.id, 1, from.index, from.count, 1, 0, 0, null, null, meta, false);
    }

    /** The one piece a share sends when none of the image's tiles are its own. */
    static Piece none(Share from) {
        return new Piece(from.file.id, 1, from.index, from.count, 1, 0, 0, null, null, null, false);
    }

    /** The same piece with its tile replaced (after processing) or dropped (after a failure). */
    Piece with(Tile newTile, Pixels newAlpha) {
        return new Piece(image, pieces, share, shares, sharePieces, width, height, newTile, newAlpha, meta, untiled);
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
