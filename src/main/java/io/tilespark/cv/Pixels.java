package io.tilespark.cv;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

import org.opencv.core.Mat;

/**
 * Pixels that can cross a Spark shuffle. A Mat is native memory and not serializable, so on the
 * wire this is plain data: rows, cols, OpenCV type and a byte[]. Inside one task it keeps the Mat
 * itself, so a pipeline that never shuffles never copies pixels to the JVM heap.
 */
public final class Pixels implements Serializable {
    private static final long serialVersionUID = 1L;

    private transient Mat mat;
    private transient int rows;
    private transient int cols;
    private transient int type;
    private transient byte[] data;

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

    /** The pixels as a Mat, rebuilt from bytes after a shuffle. Owned by this object. */
    public Mat mat() {
        if (mat == null) {
            if (data == null) {
                throw new IllegalStateException("pixels already released");
            }
            OpenCv.load();
            mat = Mats.fromBytes(data, rows, cols, type);
            data = null;
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

    public void release() {
        if (mat != null) {
            mat.release();
            mat = null;
        }
        data = null;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        byte[] bytes = data != null ? data : Mats.toBytes(mat());
        out.writeInt(rows);
        out.writeInt(cols);
        out.writeInt(type);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private void readObject(ObjectInputStream in) throws IOException {
        rows = in.readInt();
        cols = in.readInt();
        type = in.readInt();
        data = new byte[in.readInt()];
        in.readFully(data);
    }
}
