package io.tilespark.tools;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import io.tilespark.cv.OpenCv;

/**
 * Draws the sample images in sample-images/: shapes, gradients, text and noise, at sizes that
 * exercise tiling (two large images, one odd size, one grey, one PNG with alpha). Seeded, so a
 * rerun gives the same pictures.
 * Usage: SampleImages OUTPUT_DIR
 */
public final class SampleImages {

    private SampleImages() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: SampleImages OUTPUT_DIR");
            System.exit(2);
        }
        OpenCv.load();
        File dir = new File(args[0]);
        if (!dir.isDirectory() && !dir.mkdirs()) {
            System.err.println("cannot create " + dir);
            System.exit(1);
        }
        write(dir, "harbour-3000x2000.jpg", scene(2000, 3000, 1, "harbour"), 88);
        write(dir, "portrait-2048x3072.jpg", scene(3072, 2048, 2, "portrait"), 88);
        write(dir, "odd-641x479.png", scene(479, 641, 3, "odd 641x479"), 0);
        Mat grey = scene(768, 1024, 4, "grey");
        Imgproc.cvtColor(grey, grey, Imgproc.COLOR_BGR2GRAY);
        write(dir, "scan-grey-1024x768.jpg", grey, 90);
        write(dir, "badge-alpha-800x600.png", withAlpha(scene(600, 800, 5, "alpha")), 0);
        System.out.println("sample images written to " + dir.getAbsolutePath());
    }

    static void write(File dir, String name, Mat m, int jpegQuality) {
        MatOfInt params = jpegQuality > 0 ? new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, jpegQuality)
                : new MatOfInt(Imgcodecs.IMWRITE_PNG_COMPRESSION, 9);
        if (!Imgcodecs.imwrite(new File(dir, name).getPath(), m, params)) {
            throw new IllegalStateException("cannot write " + name);
        }
        m.release();
    }

    /** Sky-to-ground gradient, overlapping shapes, a grid of lines, text and mild sensor noise. */
    static Mat scene(int rows, int cols, long seed, String label) {
        Random r = new Random(seed);
        Mat m = new Mat(rows, cols, CvType.CV_8UC3);
        Mat row = new Mat(1, 1, CvType.CV_8UC3);
        for (int y = 0; y < rows; y++) {
            double t = y / (double) rows;
            Scalar c = new Scalar(230 - 150 * t, 180 - 60 * t, 120 + 60 * t);
            Imgproc.line(m, new Point(0, y), new Point(cols - 1, y), c, 1);
        }
        row.release();
        double scale = Math.min(rows, cols) / 500.0;
        for (int i = 0; i < 40; i++) {
            Scalar c = new Scalar(r.nextInt(256), r.nextInt(256), r.nextInt(256));
            Point p = new Point(r.nextInt(cols), r.nextInt(rows));
            int size = (int) ((10 + r.nextInt(90)) * scale);
            switch (r.nextInt(3)) {
                case 0:
                    Imgproc.circle(m, p, size, c, r.nextBoolean() ? -1 : (int) Math.max(1, 3 * scale), Imgproc.LINE_AA);
                    break;
                case 1:
                    Imgproc.rectangle(m, p, new Point(p.x + size * 1.5, p.y + size), c, -1);
                    break;
                default:
                    Imgproc.ellipse(m, p, new Size(size, size / 2.0), r.nextInt(180), 0, 360, c, -1, Imgproc.LINE_AA);
            }
        }
        for (int x = 0; x < cols; x += (int) Math.max(8, 60 * scale)) {
            Imgproc.line(m, new Point(x, rows * 0.7), new Point(x + cols / 10.0, rows - 1), new Scalar(40, 40, 40), 1, Imgproc.LINE_AA);
        }
        Imgproc.putText(m, "tilespark " + label, new Point(cols * 0.05, rows * 0.15),
                Imgproc.FONT_HERSHEY_SIMPLEX, 1.2 * scale, new Scalar(255, 255, 255), (int) Math.max(1, 2 * scale), Imgproc.LINE_AA);
        Mat noise = new Mat(rows, cols, CvType.CV_16SC3);
        Mat wide = new Mat();
        Core.setRNGSeed((int) seed);
        Core.randn(noise, 0, 5);
        m.convertTo(wide, CvType.CV_16SC3);
        Core.add(wide, noise, wide);
        wide.convertTo(m, CvType.CV_8UC3);
        noise.release();
        wide.release();
        return m;
    }

    /** A rounded badge: opaque inside, soft transparent edge, fully transparent corners. */
    static Mat withAlpha(Mat bgr) {
        Mat alpha = Mat.zeros(bgr.rows(), bgr.cols(), CvType.CV_8UC1);
        Imgproc.ellipse(alpha, new Point(bgr.cols() / 2.0, bgr.rows() / 2.0),
                new Size(bgr.cols() * 0.45, bgr.rows() * 0.45), 0, 0, 360, new Scalar(255), -1, Imgproc.LINE_AA);
        Imgproc.GaussianBlur(alpha, alpha, new Size(31, 31), 0);
        List<Mat> planes = new ArrayList<>();
        Core.split(bgr, planes);
        planes.add(alpha);
        Mat out = new Mat();
        Core.merge(planes, out);
        for (Mat p : planes) {
            p.release();
        }
        bgr.release();
        return out;
    }
}
