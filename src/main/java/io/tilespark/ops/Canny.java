package io.tilespark.ops;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * Canny edges (3x3 Sobel aperture, L1 gradient), made exact under tiling.
 *
 * <p>Hysteresis links weak edges to strong ones across any distance, so Canny is not local. But
 * its two threshold maps are: OpenCV marks as a candidate every local maximum of the gradient
 * above LO, and as strong every such maximum above HI, then keeps the 8-connected candidate
 * components that hold a strong pixel. Canny(LO, LO) therefore yields exactly the candidate map
 * and Canny(HI, HI) exactly the strong map; each needs only the Sobel radius (1) plus one pixel
 * for the non-maximum comparison, and we give it {@code aperture/2 + 3}. The tiles carry both maps
 * as labels (0 none, 1 candidate, 2 strong); {@link #finish} runs the hysteresis once over the
 * stitched labels.
 */
final class Canny extends BaseOperator implements SeamedOperator {
    private static final long serialVersionUID = 1L;
    private static final int APERTURE = 3;

    private final double lo;
    private final double hi;

    Canny(String spec, double lo, double hi) {
        super(spec, APERTURE / 2 + 3, Locality.SEAMED);
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    public Locality locality() {
        return Locality.SEAMED;
    }

    @Override
    public void apply(Mat src, Mat dst) {
        Imgproc.Canny(src, dst, lo, hi, APERTURE, false);
    }

    @Override
    public void applyTile(Mat src, Mat dst) {
        Mat strong = new Mat();
        try {
            Imgproc.Canny(src, dst, lo, lo, APERTURE, false);
            Imgproc.Canny(src, strong, hi, hi, APERTURE, false);
            // 255 -> 1 for candidates, plus 1 more where strong (strong is a subset of candidates).
            Imgproc.threshold(dst, dst, 0, 1, Imgproc.THRESH_BINARY);
            Imgproc.threshold(strong, strong, 0, 1, Imgproc.THRESH_BINARY);
            Core.add(dst, strong, dst);
        } finally {
            strong.release();
        }
    }

    @Override
    public void finish(Mat stitched, Mat dst) {
        int rows = stitched.rows();
        int cols = stitched.cols();
        byte[] labels = io.tilespark.cv.Mats.toBytes(stitched);
        byte[] out = hysteresis(labels, cols, rows);
        dst.create(rows, cols, CvType.CV_8UC1);
        dst.put(0, 0, out);
    }

    /** Keeps the 8-connected components of non-zero labels that contain a label 2; as 0/255. */
    static byte[] hysteresis(byte[] labels, int width, int height) {
        byte[] out = new byte[labels.length];
        int[] stack = new int[1024];
        for (int start = 0; start < labels.length; start++) {
            if (labels[start] != 2 || out[start] != 0) {
                continue;
            }
            int top = 0;
            stack[top++] = start;
            out[start] = (byte) 255;
            while (top > 0) {
                int p = stack[--top];
                int y = p / width;
                int x = p - y * width;
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = y + dy;
                    if (ny < 0 || ny >= height) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        if (nx < 0 || nx >= width) {
                            continue;
                        }
                        int q = ny * width + nx;
                        if (labels[q] != 0 && out[q] == 0) {
                            out[q] = (byte) 255;
                            if (top == stack.length) {
                                stack = java.util.Arrays.copyOf(stack, stack.length * 2);
                            }
                            stack[top++] = q;
                        }
                    }
                }
            }
        }
        return out;
    }
}
