package io.tilespark.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.KeyPoint;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.MatOfFloat;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfKeyPoint;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.features2d.ORB;
import org.opencv.imgproc.Imgproc;

/**
 * Feature extraction analyzers: ORB keypoints, Shi-Tomasi corners and per-image statistics. Each
 * runs on the whole final image (see {@link Analyzer}) and reports a summary rather than every
 * point, so the table stays one row per image and measure.
 */
final class FeatureOps {

    /** Overlay colours (BGR). */
    static final Scalar GREEN = new Scalar(0, 255, 0);
    static final Scalar YELLOW = new Scalar(0, 255, 255);

    private FeatureOps() {
    }

    /** The {@code :draw} suffix shared by the analyzers that can draw. */
    static String drawSuffix(boolean draw) {
        return draw ? ":draw" : "";
    }

    /**
     * ORB keypoints (FAST corners with Harris ranking over an 8-level pyramid, OpenCV's defaults
     * apart from the count): how many were found, with their mean Harris response.
     */
    static final class Orb extends BaseOperator implements Analyzer {
        private static final long serialVersionUID = 1L;
        final int max;
        final boolean draw;

        Orb(int max, boolean draw) {
            super("orb:" + max + drawSuffix(draw), 0, Locality.WHOLE);
            this.max = max;
            this.draw = draw;
        }

        @Override
        public String analyzer() {
            return "orb:" + max;
        }

        @Override
        public boolean draws() {
            return draw;
        }

        @Override
        public List<Finding> analyse(Mat image, Mat grey, Mat canvas) {
            ORB orb = ORB.create(max);
            MatOfKeyPoint found = new MatOfKeyPoint();
            try {
                orb.detect(grey, found);
                KeyPoint[] kps = found.toArray();
                double sum = 0;
                for (KeyPoint k : kps) {
                    sum += k.response;
                    if (canvas != null) {
                        // Circle of the keypoint's scale (its "size" is a diameter).
                        int r = Math.max(2, Math.round(k.size / 2));
                        Imgproc.circle(canvas, k.pt, r, GREEN, 1, Imgproc.LINE_AA, 0);
                    }
                }
                Double mean = kps.length == 0 ? null : sum / kps.length;
                return Collections.singletonList(Finding.count(analyzer(), "keypoints", null, kps.length, mean));
            } finally {
                found.release();
            }
        }
    }

    /**
     * Shi-Tomasi corners (goodFeaturesToTrack): at most {@code max}, quality level 0.01 of the best
     * corner, at least 10 pixels apart, 3x3 blocks. Reports how many were found.
     */
    static final class Corners extends BaseOperator implements Analyzer {
        private static final long serialVersionUID = 1L;
        static final double QUALITY = 0.01;
        static final double MIN_DISTANCE = 10;
        final int max;
        final boolean draw;

        Corners(int max, boolean draw) {
            super("corners:" + max + drawSuffix(draw), 0, Locality.WHOLE);
            this.max = max;
            this.draw = draw;
        }

        @Override
        public String analyzer() {
            return "corners:" + max;
        }

        @Override
        public boolean draws() {
            return draw;
        }

        @Override
        public List<Finding> analyse(Mat image, Mat grey, Mat canvas) {
            MatOfPoint corners = new MatOfPoint();
            try {
                Imgproc.goodFeaturesToTrack(grey, corners, max, QUALITY, MIN_DISTANCE);
                Point[] pts = corners.toArray();
                if (canvas != null) {
                    for (Point p : pts) {
                        Imgproc.circle(canvas, p, 3, YELLOW, -1, Imgproc.LINE_AA, 0);
                    }
                }
                return Collections.singletonList(Finding.count(analyzer(), "corners", null, pts.length, null));
            } finally {
                corners.release();
            }
        }
    }

    /**
     * Per-image statistics: per channel (red, green, blue; or grey) the mean, the standard deviation
     * and a {@value #BINS}-bin histogram as fractions of the pixels; and sharpness as the variance
     * of the Laplacian of the grey image, the usual "is this photo blurry" measure (low = blurry;
     * there is no universal threshold, it depends on the scene). Alpha is not looked at.
     */
    static final class Stats extends BaseOperator implements Analyzer {
        private static final long serialVersionUID = 1L;
        static final int BINS = 16;

        Stats() {
            super("stats", 0, Locality.WHOLE);
        }

        @Override
        public String analyzer() {
            return "stats";
        }

        @Override
        public boolean draws() {
            return false;
        }

        @Override
        public List<Finding> analyse(Mat image, Mat grey, Mat canvas) {
            List<Finding> out = new ArrayList<>();
            out.add(Finding.value(analyzer(), "sharpness", null, sharpness(grey)));
            int n = image.channels();
            // OpenCV holds colour as B,G,R; report in the R,G,B order people read.
            int[] order = n == 1 ? new int[] {0} : new int[] {2, 1, 0};
            String[] names = n == 1 ? new String[] {"grey"} : new String[] {"red", "green", "blue"};
            MatOfDouble mean = new MatOfDouble();
            MatOfDouble std = new MatOfDouble();
            try {
                Core.meanStdDev(image, mean, std);
                double[] m = mean.toArray();
                double[] s = std.toArray();
                for (int i = 0; i < order.length; i++) {
                    out.add(Finding.value(analyzer(), "mean", names[i], m[order[i]]));
                }
                for (int i = 0; i < order.length; i++) {
                    out.add(Finding.value(analyzer(), "stddev", names[i], s[order[i]]));
                }
            } finally {
                mean.release();
                std.release();
            }
            for (int i = 0; i < order.length; i++) {
                out.add(Finding.values(analyzer(), "histogram", names[i], histogram(image, order[i])));
            }
            return out;
        }

        /** Variance of the 3x3 Laplacian in 64-bit float (no clipping of negative responses). */
        static double sharpness(Mat grey) {
            Mat lap = new Mat();
            MatOfDouble mean = new MatOfDouble();
            MatOfDouble std = new MatOfDouble();
            try {
                Imgproc.Laplacian(grey, lap, CvType.CV_64F);
                Core.meanStdDev(lap, mean, std);
                double s = std.toArray()[0];
                return s * s;
            } finally {
                lap.release();
                mean.release();
                std.release();
            }
        }

        /** Fractions of the pixels in each of {@value #BINS} equal bins over 0..255 of one channel. */
        static double[] histogram(Mat image, int channel) {
            Mat hist = new Mat();
            MatOfInt channels = new MatOfInt(channel);
            MatOfInt size = new MatOfInt(BINS);
            MatOfFloat ranges = new MatOfFloat(0f, 256f);
            Mat noMask = new Mat();
            try {
                Imgproc.calcHist(Arrays.asList(image), channels, noMask, hist, size, ranges);
                double total = (double) image.rows() * image.cols();
                double[] out = new double[BINS];
                for (int b = 0; b < BINS; b++) {
                    out[b] = hist.get(b, 0)[0] / total;
                }
                return out;
            } finally {
                hist.release();
                noMask.release();
                channels.release();
                size.release();
                ranges.release();
            }
        }
    }
}
