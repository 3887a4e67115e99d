package io.tilespark.io;

import org.opencv.core.Core;
import org.opencv.core.Mat;

/**
 * Turns stored pixels upright by an EXIF orientation value, as photo viewers do. The eight values
 * name where row 0 and column 0 of the stored image belong (CIPA DC-008, tag 0x0112): 1 upright,
 * 2 mirrored, 3 upside down, 4 flipped, 5 transposed, 6 needs a quarter turn clockwise, 7
 * transversed, 8 needs a quarter turn counter-clockwise. The mapping was checked against Pillow's
 * hopper_orientation_N.jpg test files (each becomes hopper.jpg).
 */
public final class Orientation {

    private Orientation() {
    }

    /** Whether this orientation swaps width and height. */
    public static boolean transposes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /** A new upright Mat; {@code src} is untouched. Orientation 1 (or unknown) returns a copy. */
    public static Mat upright(Mat src, int orientation) {
        Mat dst = new Mat();
        switch (orientation) {
            case 2:
                Core.flip(src, dst, 1);
                break;
            case 3:
                Core.rotate(src, dst, Core.ROTATE_180);
                break;
            case 4:
                Core.flip(src, dst, 0);
                break;
            case 5:
                Core.transpose(src, dst);
                break;
            case 6:
                Core.rotate(src, dst, Core.ROTATE_90_CLOCKWISE);
                break;
            case 7: {
                Mat t = new Mat();
                try {
                    Core.transpose(src, t);
                    Core.rotate(t, dst, Core.ROTATE_180);
                } finally {
                    t.release();
                }
                break;
            }
            case 8:
                Core.rotate(src, dst, Core.ROTATE_90_COUNTERCLOCKWISE);
                break;
            default:
                src.copyTo(dst);
        }
        return dst;
    }
}
