package io.tilespark.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

import io.tilespark.cv.OpenCv;
import io.tilespark.ops.Operators;
import io.tilespark.ops.Plan;
import io.tilespark.testing.TestImages;

/**
 * The promise that makes tiling trustworthy: for any chain, image size and tile size, the stitched
 * result equals the whole-image result pixel for pixel.
 */
class TiledEqualsWholeTest {

    /** One example of every operator family, with the parameters drawn per case. */
    private static String randomOp(Random r) {
        // Image operators only: analyzers change no pixels and must close a chain (AnalysisJobTest).
        List<Operators.Family> fams = Operators.families().stream().filter(f -> !f.analysis)
                .collect(java.util.stream.Collectors.toList());
        Operators.Family f = fams.get(r.nextInt(fams.size()));
        switch (f.name) {
            case "blur":
            case "box":
            case "erode":
            case "dilate":
                return f.name + ":" + (1 + 2 * r.nextInt(6));
            case "median":
                return "median:" + (3 + 2 * r.nextInt(4));
            case "canny": {
                int lo = r.nextInt(150);
                return "canny:" + lo + ":" + (lo + r.nextInt(200));
            }
            case "threshold":
                return "threshold:" + r.nextInt(256);
            case "brightness":
                return "brightness:" + (r.nextInt(201) - 100);
            case "contrast":
                return "contrast:" + (r.nextInt(101) / 10.0);
            case "saturation":
                return "saturation:" + (r.nextInt(101) / 10.0);
            case "hue":
                return "hue:" + (r.nextInt(721) - 360);
            case "gamma":
                return "gamma:" + (0.3 + r.nextInt(30) / 10.0);
            default:
                return f.name;
        }
    }

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    @Test
    void stitchedEqualsWholeImageForRandomChainsSizesAndTiles() {
        Random r = new Random(20261127L);
        int[] awkward = {1, 2, 3, 7, 16, 17, 31, 33, 61, 64, 65, 97, 127, 129, 131};
        List<String> failures = new ArrayList<>();
        for (int c = 0; c < 300; c++) {
            int tile = 16 + r.nextInt(80);
            int rows = r.nextInt(3) == 0 ? awkward[r.nextInt(awkward.length)] : 1 + r.nextInt(300);
            int cols = r.nextInt(4) == 0 ? tile * (1 + r.nextInt(3)) + 1 : 1 + r.nextInt(300);
            int channels = r.nextBoolean() ? 3 : 1;
            int n = 1 + r.nextInt(4);
            StringBuilder chain = new StringBuilder();
            for (int i = 0; i < n; i++) {
                chain.append(i > 0 ? "," : "").append(randomOp(r));
            }
            assertCase(failures, chain.toString(), rows, cols, channels, tile, c);
        }
        assertEquals(new ArrayList<String>(), failures);
    }

    @Test
    void everyOperatorAloneIsExactAtPrimeSizesAndOnePastATile() {
        Random r = new Random(7);
        List<String> failures = new ArrayList<>();
        int[][] sizes = {{1, 1}, {1, 97}, {97, 1}, {5, 3}, {33, 33}, {113, 257}, {257, 113}, {129, 65}};
        for (Operators.Family f : Operators.families()) {
            if (f.analysis) {
                continue;
            }
            for (int[] s : sizes) {
                for (int ch : new int[] {1, 3}) {
                    assertCase(failures, opFor(f, r), s[0], s[1], ch, 32, r.nextLong());
                }
            }
        }
        assertEquals(new ArrayList<String>(), failures);
    }

    private static String opFor(Operators.Family f, Random r) {
        for (int i = 0; i < 1000; i++) {
            String op = randomOp(r);
            if (op.equals(f.name) || op.startsWith(f.name + ":")) {
                return op;
            }
        }
        throw new AssertionError("no example for " + f.name);
    }

    private static void assertCase(List<String> failures, String chain, int rows, int cols, int channels,
                                   int tile, long seed) {
        Plan plan = Plan.parse(chain);
        Mat img = TestImages.scene(rows, cols, channels, seed);
        Mat whole = new Mat();
        Mat scratch = new Mat();
        Mat tiled = null;
        try {
            plan.applyWhole(img, whole, scratch);
            tiled = Tiler.runTiled(img, plan, tile);
            long d = TestImages.diff(whole, tiled);
            if (d != 0) {
                failures.add(chain + " on " + cols + "x" + rows + "x" + channels + " tile " + tile
                        + ": " + d + " values differ");
            }
        } finally {
            img.release();
            whole.release();
            scratch.release();
            if (tiled != null) {
                tiled.release();
            }
        }
    }
}
