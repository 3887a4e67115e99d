package io.tilespark.testing;

import java.util.Random;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

import io.tilespark.cv.OpenCv;

/** Seeded synthetic images with edges, gradients, texture and noise: enough structure for every operator. */
public final class TestImages {

    private TestImages() {
    }

    public static Mat scene(int rows, int cols, int channels, long seed) {
        OpenCv.load();
        Random r = new Random(seed);
        int type = CvType.makeType(CvType.CV_8U, channels);
        Mat m = new Mat(rows, cols, type, new Scalar(r.nextInt(256), r.nextInt(256), r.nextInt(256), 255));
        int shapes = 3 + (rows * cols) / 4000;
        for (int i = 0; i < Math.min(shapes, 60); i++) {
            Scalar c = new Scalar(r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256));
            Point a = new Point(r.nextInt(cols), r.nextInt(rows));
            Point b = new Point(r.nextInt(cols), r.nextInt(rows));
            switch (r.nextInt(3)) {
                case 0:
                    Imgproc.rectangle(m, a, b, c, r.nextBoolean() ? -1 : 1 + r.nextInt(3));
                    break;
                case 1:
                    Imgproc.circle(m, a, 1 + r.nextInt(Math.max(1, Math.max(rows, cols) / 3)), c,
                            r.nextBoolean() ? -1 : 1 + r.nextInt(3));
                    break;
                default:
                    Imgproc.line(m, a, b, c, 1 + r.nextInt(3));
            }
        }
        Mat noise = new Mat(rows, cols, CvType.makeType(CvType.CV_16S, channels));
        try {
            Core.setRNGSeed((int) seed);
            Core.randn(noise, 0, 6 + r.nextInt(20));
            Mat wide = new Mat();
            m.convertTo(wide, CvType.makeType(CvType.CV_16S, channels));
            Core.add(wide, noise, wide);
            wide.convertTo(m, type);
            wide.release();
        } finally {
            noise.release();
        }
        return m;
    }

    /** Number of differing bytes between two Mats of the same size and type. */
    public static long diff(Mat a, Mat b) {
        if (a.rows() != b.rows() || a.cols() != b.cols() || a.type() != b.type()) {
            throw new AssertionError("shape differs: " + a + " vs " + b);
        }
        Mat d = new Mat();
        try {
            Core.absdiff(a, b, d);
            Mat flat = d.reshape(1);
            return Core.countNonZero(flat);
        } finally {
            d.release();
        }
    }

}
