package io.tilespark.ops;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/** Per-pixel colour operators: halo 0, so they tile trivially. */
final class ColourOps {

    private ColourOps() {
    }

    /** The original's grey filter: BT.601 luma, as OpenCV's COLOR_BGR2GRAY. Grey input passes through. */
    static final class Grey extends BaseOperator {
        private static final long serialVersionUID = 1L;

        Grey() {
            super("grey", 0, Locality.TILED);
        }

        @Override
        public void apply(Mat src, Mat dst) {
            if (src.channels() == 3) {
                Imgproc.cvtColor(src, dst, Imgproc.COLOR_BGR2GRAY);
            } else {
                src.copyTo(dst);
            }
        }
    }

    static final class Invert extends BaseOperator {
        private static final long serialVersionUID = 1L;

        Invert() {
            super("invert", 0, Locality.TILED);
        }

        @Override
        public void apply(Mat src, Mat dst) {
            Core.bitwise_not(src, dst);
        }
    }

    /** Adds N to every channel, saturating at 0 and 255. */
    static final class Brightness extends BaseOperator {
        private static final long serialVersionUID = 1L;
        private final int delta;

        Brightness(int delta) {
            super("brightness:" + delta, 0, Locality.TILED);
            this.delta = delta;
        }

        @Override
        public void apply(Mat src, Mat dst) {
            src.convertTo(dst, -1, 1.0, delta);
        }
    }

    /** Scales every channel's distance from mid-grey (128) by F. */
    static final class Contrast extends BaseOperator {
        private static final long serialVersionUID = 1L;
        private final double factor;

        Contrast(double factor) {
            super("contrast:" + Operators.num(factor), 0, Locality.TILED);
            this.factor = factor;
        }

        @Override
        public void apply(Mat src, Mat dst) {
            src.convertTo(dst, -1, factor, 128.0 * (1.0 - factor));
        }
    }

    /** Gamma correction through a 256-entry lookup table: out = 255 * (in/255)^(1/G). */
    static final class Gamma extends BaseOperator {
        private static final long serialVersionUID = 1L;
        private final double gamma;

        Gamma(double gamma) {
            super("gamma:" + Operators.num(gamma), 0, Locality.TILED);
            this.gamma = gamma;
        }

        @Override
        public void apply(Mat src, Mat dst) {
            byte[] table = new byte[256];
            for (int i = 0; i < 256; i++) {
                table[i] = (byte) Math.round(255.0 * Math.pow(i / 255.0, 1.0 / gamma));
            }
            Mat lut = new Mat(1, 256, CvType.CV_8UC1);
            try {
                lut.put(0, 0, table);
                Core.LUT(src, lut, dst);
            } finally {
                lut.release();
            }
        }
    }

    /** Binary threshold per channel: 255 where the value is above T, else 0. */
    static final class Threshold extends BaseOperator {
        private static final long serialVersionUID = 1L;
        private final int level;

        Threshold(int level) {
            super("threshold:" + level, 0, Locality.TILED);
            this.level = level;
        }

        @Override
        public void apply(Mat src, Mat dst) {
            Imgproc.threshold(src, dst, level, 255, Imgproc.THRESH_BINARY);
        }
    }

    /** Warm brown tone: the customary sepia matrix, in OpenCV's BGR channel order. Grey input becomes BGR. */
    static final class Sepia extends BaseOperator {
        private static final long serialVersionUID = 1L;
        private static final double[] BGR_MATRIX = {
            0.131, 0.534, 0.272,
            0.168, 0.686, 0.349,
            0.189, 0.769, 0.393,
        };

        Sepia() {
            super("sepia", 0, Locality.TILED);
        }

        @Override
        public void apply(Mat src, Mat dst) {
            Mat bgr = src;
            Mat m = new Mat(3, 3, CvType.CV_64FC1);
            try {
                if (src.channels() == 1) {
                    bgr = new Mat();
                    Imgproc.cvtColor(src, bgr, Imgproc.COLOR_GRAY2BGR);
                }
                m.put(0, 0, BGR_MATRIX);
                Core.transform(bgr, dst, m);
            } finally {
                m.release();
                if (bgr != src) {
                    bgr.release();
                }
            }
        }
    }

    /**
     * A 3x3 colour matrix over BGR pixels, through Core.transform, whose 8-bit path rounds the
     * same way for every pixel position (unlike the HSV conversions, whose SIMD body and scalar
     * tail round differently, so an HSV-based operator would not tile exactly). Grey input has no
     * colour to change and passes through: every row of these matrices sums to 1.
     */
    abstract static class ColourMatrix extends BaseOperator {
        private static final long serialVersionUID = 1L;

        ColourMatrix(String spec) {
            super(spec, 0, Locality.TILED);
        }

        /** Row-major 3x3 matrix in RGB order, as the W3C Filter Effects spec writes it. */
        abstract double[] rgbMatrix();

        @Override
        public void apply(Mat src, Mat dst) {
            if (src.channels() != 3) {
                src.copyTo(dst);
                return;
            }
            double[] rgb = rgbMatrix();
            double[] bgr = new double[9];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    bgr[r * 3 + c] = rgb[(2 - r) * 3 + (2 - c)];
                }
            }
            Mat m = new Mat(3, 3, CvType.CV_64FC1);
            try {
                m.put(0, 0, bgr);
                Core.transform(src, dst, m);
            } finally {
                m.release();
            }
        }
    }

    /** Saturation scale F: the feColorMatrix "saturate" matrix (W3C Filter Effects 1, section 9.6). */
    static final class Saturation extends ColourMatrix {
        private static final long serialVersionUID = 1L;
        private final double s;

        Saturation(double factor) {
            super("saturation:" + Operators.num(factor));
            this.s = factor;
        }

        @Override
        double[] rgbMatrix() {
            return new double[] {
                0.213 + 0.787 * s, 0.715 - 0.715 * s, 0.072 - 0.072 * s,
                0.213 - 0.213 * s, 0.715 + 0.285 * s, 0.072 - 0.072 * s,
                0.213 - 0.213 * s, 0.715 - 0.715 * s, 0.072 + 0.928 * s,
            };
        }
    }

    /** Hue rotation by DEG degrees: the feColorMatrix "hueRotate" matrix (W3C Filter Effects 1, 9.6). */
    static final class Hue extends ColourMatrix {
        private static final long serialVersionUID = 1L;
        private final int degrees;

        Hue(int degrees) {
            super("hue:" + degrees);
            this.degrees = degrees;
        }

        @Override
        double[] rgbMatrix() {
            double a = Math.toRadians(degrees);
            double c = Math.cos(a);
            double s = Math.sin(a);
            return new double[] {
                0.213 + c * 0.787 - s * 0.213, 0.715 - c * 0.715 - s * 0.715, 0.072 - c * 0.072 + s * 0.928,
                0.213 - c * 0.213 + s * 0.143, 0.715 + c * 0.285 + s * 0.140, 0.072 - c * 0.072 - s * 0.283,
                0.213 - c * 0.213 - s * 0.787, 0.715 - c * 0.715 + s * 0.715, 0.072 + c * 0.928 + s * 0.072,
            };
        }
    }
}
