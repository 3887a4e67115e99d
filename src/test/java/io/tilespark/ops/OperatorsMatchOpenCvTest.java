package io.tilespark.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BiConsumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import io.tilespark.cv.OpenCv;
import io.tilespark.testing.TestImages;

/** Each operator does what its name promises: the same pixels as the direct OpenCV calls. */
class OperatorsMatchOpenCvTest {

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    private static void check(String spec, Mat src, BiConsumer<Mat, Mat> direct) {
        Operator op = Operators.parse(spec);
        Mat ours = new Mat();
        Mat theirs = new Mat();
        try {
            op.apply(src, ours);
            direct.accept(src, theirs);
            assertEquals(0, TestImages.diff(ours, theirs), spec + " on " + src);
        } finally {
            ours.release();
            theirs.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void filtersEqualDirectOpenCvCalls(int channels) {
        Mat src = TestImages.scene(157, 211, channels, 11);
        try {
            check("blur:7", src, (s, d) -> Imgproc.GaussianBlur(s, d, new Size(7, 7), 0));
            check("box:5", src, (s, d) -> Imgproc.blur(s, d, new Size(5, 5)));
            check("median:5", src, (s, d) -> Imgproc.medianBlur(s, d, 5));
            check("sharpen", src, (s, d) -> {
                Mat k = new Mat(3, 3, CvType.CV_32F);
                k.put(0, 0, 0, -1, 0, -1, 5, -1, 0, -1, 0);
                Imgproc.filter2D(s, d, -1, k);
                k.release();
            });
            check("filter", src, (s, d) -> {
                Mat blurred = new Mat();
                Imgproc.GaussianBlur(s, blurred, new Size(5, 5), 0);
                Mat k = new Mat(3, 3, CvType.CV_32F);
                k.put(0, 0, 0, -1, 0, -1, 5, -1, 0, -1, 0);
                Imgproc.filter2D(blurred, d, -1, k);
                k.release();
                blurred.release();
            });
            check("canny:50:150", src, (s, d) -> Imgproc.Canny(s, d, 50, 150));
            check("edges", src, (s, d) -> Imgproc.Canny(s, d, 100, 200));
            check("erode:3", src, (s, d) -> Imgproc.erode(s, d, Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(3, 3))));
            check("dilate:5", src, (s, d) -> Imgproc.dilate(s, d, Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(5, 5))));
            check("laplacian", src, (s, d) -> {
                Mat l = new Mat();
                Imgproc.Laplacian(s, l, CvType.CV_16S);
                Core.convertScaleAbs(l, d);
                l.release();
            });
            check("sobel", src, (s, d) -> {
                Mat dx = new Mat();
                Mat dy = new Mat();
                Imgproc.Sobel(s, dx, CvType.CV_16S, 1, 0);
                Imgproc.Sobel(s, dy, CvType.CV_16S, 0, 1);
                Core.convertScaleAbs(dx, dx);
                Core.convertScaleAbs(dy, dy);
                Core.add(dx, dy, d);
                dx.release();
                dy.release();
            });
        } finally {
            src.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void pixelOperatorsEqualDirectOpenCvCalls(int channels) {
        Mat src = TestImages.scene(64, 97, channels, 12);
        try {
            check("invert", src, (s, d) -> Core.bitwise_not(s, d));
            check("brightness:-40", src, (s, d) -> s.convertTo(d, -1, 1, -40));
            check("contrast:1.5", src, (s, d) -> s.convertTo(d, -1, 1.5, 128 * (1 - 1.5)));
            check("threshold:100", src, (s, d) -> Imgproc.threshold(s, d, 100, 255, Imgproc.THRESH_BINARY));
            check("grey", src, (s, d) -> {
                if (s.channels() == 3) {
                    Imgproc.cvtColor(s, d, Imgproc.COLOR_BGR2GRAY);
                } else {
                    s.copyTo(d);
                }
            });
        } finally {
            src.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"saturation:1", "hue:0", "hue:360", "contrast:1", "brightness:0", "gamma:1"})
    void identitySettingsLeaveColourUnchanged(String spec) {
        Mat src = TestImages.scene(40, 53, 3, 13);
        try {
            check(spec, src, (s, d) -> s.copyTo(d));
        } finally {
            src.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void saturationZeroGivesEqualChannelsAndGreyInputPassesThrough(int channels) {
        Mat src = TestImages.scene(30, 41, channels, 14);
        Mat out = new Mat();
        try {
            Operators.parse("saturation:0").apply(src, out);
            if (channels == 1) {
                assertEquals(0, TestImages.diff(src, out));
            } else {
                Mat b = new Mat();
                Mat g = new Mat();
                Core.extractChannel(out, b, 0);
                Core.extractChannel(out, g, 1);
                // The matrix rows sum to one; 8-bit rounding may differ by one level between channels.
                Mat d = new Mat();
                Core.absdiff(b, g, d);
                assertTrue(Core.minMaxLoc(d).maxVal <= 1, "channels of a desaturated image differ by more than rounding");
                io.tilespark.cv.Mats.release(b, g, d);
            }
        } finally {
            src.release();
            out.release();
        }
    }


    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void sepiaAlwaysYieldsColourAndInvertTwiceIsIdentity(int channels) {
        Mat src = TestImages.scene(30, 41, channels, 15);
        Mat out = new Mat();
        Mat back = new Mat();
        try {
            Operators.parse("sepia").apply(src, out);
            assertEquals(3, out.channels());
            Operators.parse("invert").apply(src, out);
            Operators.parse("invert").apply(out, back);
            assertEquals(0, TestImages.diff(src, back));
        } finally {
            io.tilespark.cv.Mats.release(src, out, back);
        }
    }
}
