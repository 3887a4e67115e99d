package io.tilespark.cv;

import org.opencv.core.CvType;
import org.opencv.core.Mat;

/** Moves pixels between JVM arrays and native Mats. One copy each way, nothing more. */
public final class Mats {

    private Mats() {
    }

    /** Bytes of a continuous 8-bit Mat (or a copy of a non-continuous view). */
    public static byte[] toBytes(Mat m) {
        requireDepth8(m);
        Mat src = m.isContinuous() ? m : m.clone();
        try {
            byte[] data = new byte[(int) (src.total() * src.channels())];
            src.get(0, 0, data);
            return data;
        } finally {
            if (src != m) {
                src.release();
            }
        }
    }

    public static void requireDepth8(Mat m) {
        if (m.depth() != CvType.CV_8U) {
            throw new IllegalArgumentException("expected an 8-bit image, got " + CvType.typeToString(m.type()));
        }
    }

    /** Releases every non-null Mat; safe in finally blocks. */
    public static void release(Mat... mats) {
        for (Mat m : mats) {
            if (m != null) {
                m.release();
            }
        }
    }
}
