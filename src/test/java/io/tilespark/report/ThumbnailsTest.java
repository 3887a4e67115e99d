package io.tilespark.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import io.tilespark.cv.OpenCv;

class ThumbnailsTest {

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    private static Mat decode(byte[] jpeg) {
        return Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_UNCHANGED);
    }

    @Test
    void longestSideIsCappedAndTheAspectKept() {
        for (int[] wh : new int[][] {{4000, 3000}, {3000, 4000}, {100, 50}, {16384, 12288}, {9000, 7}}) {
            Mat m = new Mat(wh[1], wh[0], CvType.CV_8UC3, new Scalar(10, 200, 90));
            Mat t = decode(Thumbnails.jpeg(m));
            int longest = Math.max(wh[0], wh[1]);
            int expectW = longest <= Thumbnails.MAX_SIDE ? wh[0] : (int) Math.max(1, Math.round(wh[0] * (double) Thumbnails.MAX_SIDE / longest));
            int expectH = longest <= Thumbnails.MAX_SIDE ? wh[1] : (int) Math.max(1, Math.round(wh[1] * (double) Thumbnails.MAX_SIDE / longest));
            assertEquals(expectW, t.cols(), "width for " + wh[0] + "x" + wh[1]);
            assertEquals(expectH, t.rows(), "height for " + wh[0] + "x" + wh[1]);
            m.release();
            t.release();
        }
    }

    @Test
    void largeImagesStillAverageTheirContent() {
        // Fine stripes, one pixel each, black and white: an average is mid-grey everywhere, while a
        // careless point sample would land on one colour only.
        Mat m = new Mat(6000, 8000, CvType.CV_8UC1, new Scalar(0));
        for (int x = 0; x < m.cols(); x += 2) {
            m.col(x).setTo(new Scalar(255));
        }
        Mat t = decode(Thumbnails.jpeg(m));
        double mean = Core.mean(t).val[0];
        assertTrue(Math.abs(mean - 127.5) < 20, "mean " + mean);
        Core.MinMaxLocResult r = Core.minMaxLoc(t);
        assertFalse(r.maxVal - r.minVal > 60, "flat grey expected, got " + r.minVal + ".." + r.maxVal);
        m.release();
        t.release();
    }

    @Test
    void sampleSpreadsEvenlyAndNeverRepeats() {
        assertArrayEquals(new long[] {0, 1, 2}, Thumbnails.sample(3, 24).ids());
        long[] ids = Thumbnails.sample(1000, 4).ids();
        assertArrayEquals(new long[] {0, 250, 500, 750}, ids);
        assertTrue(Thumbnails.sample(1000, 4).wants(500));
        assertFalse(Thumbnails.sample(1000, 4).wants(501));
    }
}
