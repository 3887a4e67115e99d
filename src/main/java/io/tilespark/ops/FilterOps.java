package io.tilespark.ops;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Neighbourhood filters. Each halo is the kernel's radius, so a tile carrying that many context
 * pixels computes its core exactly; at true image edges OpenCV's own border rule applies
 * (BORDER_REFLECT_101 for linear filters, BORDER_REPLICATE inside medianBlur, and the neutral
 * constant for erode/dilate), exactly as on a whole image.
 */
final class FilterOps {

    private FilterOps() {
    }

    /** Gaussian K x K; sigma derived from K as OpenCV does when sigma is 0. */
    static final class Blur extends BaseOperator {
        private static final long serialVersionUID = 1L;
        private final int k;

        Blur(int k) {
            super("blur:" + k, k / 2, Locality.TILED);
            this.k = k;
        }

        @Override
        public void apply(Mat src, Mat dst) {
            Imgproc.GaussianBlur(src, dst, new Size(k, k), 0);
        }
    }

    /** Mean over a K x K box. */
    static final class Box extends BaseOperator {
        private static final long serialVersionUID = 1L;
        private final int k;

        Box(int k) {
            super("box:" + k, k / 2, Locality.TILED);
            this.k = k;
        }

        @Override
        public void apply(Mat src, Mat dst) {
            Imgproc.blur(src, dst, new Size(k, k));
        }
    }

    static final class Median extends BaseOperator {
        private static final long serialVersionUID = 1L;
        private final int k;

        Median(int k) {
            super("median:" + k, k / 2, Locality.TILED);
            this.k = k;
        }

        @Override
        public void apply(Mat src, Mat dst) {
            Imgproc.medianBlur(src, dst, k);
        }
    }

    /** 3x3 sharpening: the centre weighted 5, the four direct neighbours -1. */
    static final class Sharpen extends BaseOperator {
        private static final long serialVersionUID = 1L;

        Sharpen() {
            super("sharpen", 1, Locality.TILED);
        }

        @Override
        public void apply(Mat src, Mat dst) {
            Mat kernel = new Mat(3, 3, CvType.CV_32FC1);
            try {
                kernel.put(0, 0, 0, -1, 0, -1, 5, -1, 0, -1, 0);
                Imgproc.filter2D(src, dst, -1, kernel);
            } finally {
                kernel.release();
            }
        }
    }

    /** Gradient magnitude |d/dx| + |d/dy| of 3x3 Sobel derivatives, per channel, saturated to 8 bits. */
    static final class Sobel extends BaseOperator {
        private static final long serialVersionUID = 1L;

        Sobel() {
            super("sobel", 1, Locality.TILED);
        }

        @Override
        public void apply(Mat src, Mat dst) {
            Mat dx = new Mat();
            Mat dy = new Mat();
            try {
                Imgproc.Sobel(src, dx, CvType.CV_16S, 1, 0);
                Imgproc.Sobel(src, dy, CvType.CV_16S, 0, 1);
                Core.convertScaleAbs(dx, dx);
                Core.convertScaleAbs(dy, dy);
                Core.add(dx, dy, dst);
            } finally {
                io.tilespark.cv.Mats.release(dx, dy);
            }
        }
    }

    /** |Laplacian| with the 3x3 aperture, per channel. */
    static final class Laplacian extends BaseOperator {
        private static final long serialVersionUID = 1L;

        Laplacian() {
            super("laplacian", 1, Locality.TILED);
        }

        @Override
        public void apply(Mat src, Mat dst) {
            Mat lap = new Mat();
            try {
                Imgproc.Laplacian(src, lap, CvType.CV_16S);
                Core.convertScaleAbs(lap, dst);
            } finally {
                lap.release();
            }
        }
    }

    /** Erode or dilate with a K x K rectangle. */
    static final class Morph extends BaseOperator {
        private static final long serialVersionUID = 1L;
        private final int k;
        private final boolean dilate;

        Morph(boolean dilate, int k) {
            super((dilate ? "dilate:" : "erode:") + k, k / 2, Locality.TILED);
            this.k = k;
            this.dilate = dilate;
        }

        @Override
        public void apply(Mat src, Mat dst) {
            Mat kernel = Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(k, k));
            try {
                if (dilate) {
                    Imgproc.dilate(src, dst, kernel);
                } else {
                    Imgproc.erode(src, dst, kernel);
                }
            } finally {
                kernel.release();
            }
        }
    }

    /** Histogram equalisation (of luma, for colour). The histogram is global: never tiled. */
    static final class Equalize extends BaseOperator {
        private static final long serialVersionUID = 1L;

        Equalize() {
            super("equalize", 0, Locality.WHOLE);
        }

        @Override
        public void apply(Mat src, Mat dst) {
            if (src.channels() == 1) {
                Imgproc.equalizeHist(src, dst);
                return;
            }
            Mat ycc = new Mat();
            java.util.List<Mat> planes = new java.util.ArrayList<>(3);
            try {
                Imgproc.cvtColor(src, ycc, Imgproc.COLOR_BGR2YCrCb);
                Core.split(ycc, planes);
                Imgproc.equalizeHist(planes.get(0), planes.get(0));
                Core.merge(planes, ycc);
                Imgproc.cvtColor(ycc, dst, Imgproc.COLOR_YCrCb2BGR);
            } finally {
                ycc.release();
                for (Mat p : planes) {
                    p.release();
                }
            }
        }
    }
}
