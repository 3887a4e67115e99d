package io.tilespark.tiling;

import java.io.Serializable;

/**
 * Cuts a width x height image into cores of at most {@code tile} x {@code tile} pixels, row by
 * row, and gives each core a region: the core grown by {@code halo} on every side and clipped at
 * the true image edges. Clipping (not padding) leaves the image border to each operator's own
 * border rule, exactly as on the whole image. Cores partition the image; regions overlap.
 */
public final class TileGrid implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Smallest tile worth its bookkeeping; a tile must also be large enough to hold useful work. */
    public static final int MIN_TILE = 16;

    private final int width;
    private final int height;
    private final int tile;
    private final int halo;
    private final int columns;
    private final int rows;

    private TileGrid(int width, int height, int tile, int halo) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image must be at least 1x1, got " + width + "x" + height);
        }
        if (tile < MIN_TILE) {
            throw new IllegalArgumentException("tile must be >= " + MIN_TILE + ", got " + tile);
        }
        if (halo < 0) {
            throw new IllegalArgumentException("halo must be >= 0, got " + halo);
        }
        this.width = width;
        this.height = height;
        this.tile = tile;
        this.halo = halo;
        this.columns = (width + tile - 1) / tile;
        this.rows = (height + tile - 1) / tile;
    }

    public static TileGrid of(int width, int height, int tile, int halo) {
        return new TileGrid(width, height, tile, halo);
    }

    public int count() {
        return columns * rows;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int tile() {
        return tile;
    }

    public int halo() {
        return halo;
    }

    public Rect bounds() {
        return Rect.of(0, 0, width, height);
    }

    /** The pixels tile {@code i} is responsible for. */
    public Rect core(int i) {
        if (i < 0 || i >= count()) {
            throw new IndexOutOfBoundsException("tile index must be in 0.." + (count() - 1) + ", got " + i);
        }
        int cx = (i % columns) * tile;
        int cy = (i / columns) * tile;
        return Rect.of(cx, cy, Math.min(tile, width - cx), Math.min(tile, height - cy));
    }

    /** The pixels tile {@code i} reads: its core plus the halo, clipped to the image. */
    public Rect region(int i) {
        return core(i).grownWithin(halo, bounds());
    }

    @Override
    public String toString() {
        return width + "x" + height + " in " + count() + " tiles of " + tile + " (halo " + halo + ")";
    }
}
