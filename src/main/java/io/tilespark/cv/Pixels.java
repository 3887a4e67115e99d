package io.tilespark.cv;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Pixels that can cross a Spark shuffle. A Mat is native memory and not serializable, so on the
 * wire this is plain data: rows, cols, OpenCV type and the bytes, streamed row by row between
 * the Mat and the stream. Inside one task it keeps the Mat itself, so a pipeline that never
 * shuffles never copies pixels to the JVM heap.
 */
public final class Pixels implements Serializable {
    private static final long serialVersionUID = 1L;

    private transient Mat mat;
    /** {@link #mat} is a view into a larger image, not a Mat of its own (see {@link #view}). */
    private transient boolean view;
    /** Free the pixels once serialised (see {@link #forShuffle}). */
    private transient boolean leaving;
    private transient int rows;
    private transient int cols;
    private transient int type;

    private Pixels(Mat mat) {
        this.mat = mat;
        this.rows = mat.rows();
        this.cols = mat.cols();
        this.type = mat.type();
    }

    /** Takes ownership of {@code mat}: release it through {@link #release()}, not directly. */
    public static Pixels own(Mat mat) {
        Mats.requireDepth8(mat);
        return new Pixels(mat);
    }

    /**
     * Takes ownership of {@code view}, a sub-matrix of a larger image, without copying it: for a
     * tile on its way to a shuffle, which then serialises it straight from the image. Whoever
     * asks for the pixels as a Mat gets a copy of its own (see {@link #mat}): OpenCV picks a
     * different algorithm for some operators on views, and tiles must be processed exactly as
     * whole Mats are.
     */
    public static Pixels view(Mat view) {
        Mats.requireDepth8(view);
        Pixels p = new Pixels(view);
        p.view = true;
        return p;
    }

    /**
     * The pixels as a Mat of their own: rebuilt after a shuffle, or copied out of the image a
     * view points into. Owned by this object.
     */
    public Mat mat() {
        if (mat != null && view) {
            Mat own = mat.clone();
            mat.release();
            mat = own;
            view = false;
        }
        if (mat == null) {
            throw new IllegalStateException("pixels already released");
        }
        return mat;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int type() {
        return type;
    }

    /**
     * Marks the pixels as leaving this task through a shuffle: they are freed as soon as they are
     * serialised; returns this. Spark's shuffle writer serialises each record once and then drops
     * it, and a Mat left inside would stay allocated until a garbage collection happened to
     * finalise it: the small Java objects put no pressure on the heap, so for a 200 MP image
     * hundreds of MB of native tiles (or, for views, the whole decoded image) would linger.
     */
    public Pixels forShuffle() {
        leaving = true;
        return this;
    }

    public void release() {
        if (mat != null) {
            mat.release();
            mat = null;
        }
    }

    /**
     * Rows, cols, type, byte count, then the pixels row by row, read straight out of the Mat (or
     * the view) with one row's worth of heap buffer: no copy of the whole tile on the heap.
     */
    private void writeObject(ObjectOutputStream out) throws IOException {
        if (mat == null) {
            throw new IllegalStateException("pixels already released");
        }
        int rowBytes = cols * CvType.channels(type);
        out.writeInt(rows);
        out.writeInt(cols);
        out.writeInt(type);
        out.writeInt(Math.toIntExact((long) rows * rowBytes));
        byte[] row = new byte[rowBytes];
        for (int r = 0; r < rows; r++) {
            mat.get(r, 0, row);
            out.write(row);
        }
        if (leaving) {
            release();
        }
    }

    /** The pixels go straight into a new Mat, one row at a time. */
    private void readObject(ObjectInputStream in) throws IOException {
        rows = in.readInt();
        cols = in.readInt();
        type = in.readInt();
        int size = in.readInt();
        int rowBytes = cols * CvType.channels(type);
        if (rows < 0 || cols < 0 || size != (long) rows * rowBytes) {
            throw new IOException("pixel data of " + size + " bytes does not fit " + rows + "x" + cols);
        }
        OpenCv.load();
        mat = new Mat(rows, cols, type);
        byte[] row = new byte[rowBytes];
        for (int r = 0; r < rows; r++) {
            in.readFully(row);
            mat.put(r, 0, row);
        }
    }
}
