package io.tilespark.tiling;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.IntPredicate;

import org.opencv.core.Mat;

import io.tilespark.cv.Pixels;
import io.tilespark.ops.Plan;

/**
 * The three tiling steps, each usable alone: {@link #cut} an image into tiles, {@link #process}
 * one tile (apply the plan's per-tile work and crop to the core), and {@link #stitch} via
 * {@link Stitcher}. The local runner and the Spark job both go through these, so there is one
 * tiling code path.
 */
public final class Tiler {

    private Tiler() {
    }

    /**
     * Lazily yields the tiles of {@code image}, each a standalone copy of its region.
     *
     * <p>Why copy rather than hand out views: OpenCV chooses its algorithm by whether the input
     * is a sub-matrix. GaussianBlur, for one, takes its bit-exact fixed-point path only for
     * whole Mats (or BORDER_ISOLATED) and a float path for views (imgproc/src/smooth.dispatch.cpp),
     * and the two round differently. A copied tile takes the same path as the whole image.
     */
    public static Iterator<Tile> cut(long imageKey, Mat image, TileGrid grid) {
        return tiles(imageKey, image, grid, i -> true, true);
    }

    /**
     * Lazily yields the tiles of {@code image} as views into it ({@link Pixels#view}), for tiles
     * that are only cut to be serialised into a shuffle: no copy is made here, and anyone asking
     * a tile for its Mat gets a copy of its own, so processing stays as exact as with {@link #cut}.
     * The views keep the image's pixels alive until each is released.
     */
    public static Iterator<Tile> views(long imageKey, Mat image, TileGrid grid) {
        return tiles(imageKey, image, grid, i -> true, false);
    }

    /** As {@link #views(long, Mat, TileGrid)}, for only the tiles whose index {@code wanted} accepts. */
    public static Iterator<Tile> views(long imageKey, Mat image, TileGrid grid, IntPredicate wanted) {
        return tiles(imageKey, image, grid, wanted, false);
    }

    private static Iterator<Tile> tiles(long imageKey, Mat image, TileGrid grid, IntPredicate wanted, boolean copy) {
        return new Iterator<Tile>() {
            private int next = skip(0);

            private int skip(int from) {
                int i = from;
                while (i < grid.count() && !wanted.test(i)) {
                    i++;
                }
                return i;
            }

            @Override
            public boolean hasNext() {
                return next < grid.count();
            }

            @Override
            public Tile next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int i = next;
                next = skip(i + 1);
                Rect region = grid.region(i);
                Mat view = image.submat(region.toCv());
                Pixels pixels;
                if (copy) {
                    try {
                        pixels = Pixels.own(view.clone());
                    } finally {
                        view.release();
                    }
                } else {
                    try {
                        pixels = Pixels.view(view);
                    } catch (RuntimeException e) {
                        view.release();
                        throw e;
                    }
                }
                return new Tile(imageKey, i, grid.count(), grid.core(i), region, pixels);
            }
        };
    }

    /**
     * Applies the plan's per-tile work and keeps the core. Releases the input tile's pixels;
     * {@code dst} and {@code scratch} are reusable work buffers owned by the caller.
     */
    public static Tile process(Tile in, Plan plan, Mat dst, Mat scratch) {
        try {
            plan.applyTile(in.pixels.mat(), dst, scratch);
            Mat core = dst.submat(in.core.relativeTo(in.region).toCv());
            try {
                return new Tile(in.image, in.index, in.count, in.core, in.core, Pixels.own(core.clone()));
            } finally {
                core.release();
            }
        } finally {
            in.pixels.release();
        }
    }

    /**
     * Cuts, processes and stitches one image in this thread, then runs the plan's whole-image
     * tail. Must equal {@code plan.applyWhole(image)} pixel for pixel.
     */
    public static Mat runTiled(Mat image, Plan plan, int tileSize) {
        Mat dst = new Mat();
        Mat scratch = new Mat();
        Stitcher stitcher = null;
        try {
            if (!plan.tiles()) {
                Mat out = new Mat();
                plan.applyWhole(image, out, scratch);
                return out;
            }
            TileGrid grid = TileGrid.of(image.cols(), image.rows(), tileSize, plan.halo());
            stitcher = new Stitcher(grid.width(), grid.height(), grid.count());
            Iterator<Tile> tiles = cut(0, image, grid);
            while (tiles.hasNext()) {
                stitcher.add(process(tiles.next(), plan, dst, scratch));
            }
            Mat stitched = stitcher.take();
            if (!plan.hasWholeImageTail()) {
                return stitched;
            }
            try {
                Mat out = new Mat();
                plan.finish(stitched, out, scratch);
                return out;
            } finally {
                stitched.release();
            }
        } finally {
            dst.release();
            scratch.release();
            if (stitcher != null) {
                stitcher.release();
            }
        }
    }
}
