package io.tilespark.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

import io.tilespark.cv.OpenCv;
import io.tilespark.testing.TestImages;

/**
 * Pins the per-operator table of docs/formats.md: how many channels each operator returns for
 * grey and for colour input. (Alpha never reaches an operator and 16-bit never does either: both
 * are settled at decode, see io/Codec.)
 */
class OperatorChannelsTest {

    /** example spec -> {channels out for grey in, channels out for colour in} */
    static final Map<String, int[]> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put("grey", new int[] {1, 1});
        TABLE.put("blur:5", new int[] {1, 3});
        TABLE.put("box:5", new int[] {1, 3});
        TABLE.put("median:5", new int[] {1, 3});
        TABLE.put("sharpen", new int[] {1, 3});
        TABLE.put("filter", new int[] {1, 3});
        TABLE.put("canny:50:150", new int[] {1, 1});
        TABLE.put("edges", new int[] {1, 1});
        TABLE.put("sobel", new int[] {1, 3});
        TABLE.put("laplacian", new int[] {1, 3});
        TABLE.put("erode:3", new int[] {1, 3});
        TABLE.put("dilate:3", new int[] {1, 3});
        TABLE.put("threshold:128", new int[] {1, 3});
        TABLE.put("brightness:20", new int[] {1, 3});
        TABLE.put("contrast:1.5", new int[] {1, 3});
        TABLE.put("saturation:0.5", new int[] {1, 3});
        TABLE.put("hue:90", new int[] {1, 3});
        TABLE.put("gamma:2.2", new int[] {1, 3});
        TABLE.put("invert", new int[] {1, 3});
        TABLE.put("sepia", new int[] {3, 3});
        TABLE.put("equalize", new int[] {1, 3});
        // Analysis operators measure and pass the pixels on; overlays are drawn later, by the job.
        TABLE.put("orb", new int[] {1, 3});
        TABLE.put("corners", new int[] {1, 3});
        TABLE.put("stats", new int[] {1, 3});
        TABLE.put("detect:faces=file:/models/faces.xml", new int[] {1, 3});
    }

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    @Test
    void everyFamilyIsInTheTable() {
        for (Operators.Family f : Operators.families()) {
            boolean found = TABLE.keySet().stream().anyMatch(k -> k.equals(f.name) || k.startsWith(f.name + ":"));
            assertEquals(true, found, f.name + " is missing from the table (docs/formats.md too)");
        }
    }

    @Test
    void channelsOutForGreyAndColourIn() {
        for (Map.Entry<String, int[]> e : TABLE.entrySet()) {
            Plan plan = Plan.parse(e.getKey());
            for (int i = 0; i < 2; i++) {
                int channels = i == 0 ? 1 : 3;
                Mat src = TestImages.scene(37, 41, channels, 3);
                Mat dst = new Mat();
                Mat scratch = new Mat();
                try {
                    plan.applyWhole(src, dst, scratch);
                    assertEquals(e.getValue()[i], dst.channels(), e.getKey() + " on " + channels + " channel(s)");
                    assertEquals(CvType.CV_8U, dst.depth(), e.getKey());
                    assertEquals(41, dst.cols(), e.getKey());
                } finally {
                    src.release();
                    dst.release();
                    scratch.release();
                }
            }
        }
    }
}
