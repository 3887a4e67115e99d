package io.tilespark.report;

import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import io.tilespark.io.AtomicOutput;

/**
 * Before/after thumbnails for a sample of the images, for report.html. They are made on the
 * executors, where the pixels are: "before" from the decoded input, "after" from the final
 * result. They are small JPEGs (longest side {@value #MAX_SIDE} px, quality {@value #QUALITY},
 * a few KB each) and travel to the driver as files in the run's staging folder, which the report
 * inlines and the job then deletes; the manifest stays lean.
 *
 * <p>The sample is fixed on the driver from the sorted listing, evenly spread over it, so the
 * same inputs always give the same sample and a nightly run over dated folders is not all from
 * the first folder.
 */
public final class Thumbnails implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int MAX_SIDE = 160;
    public static final int QUALITY = 75;
    public static final int DEFAULT_SAMPLE = 24;
    /** Images longer than this many thumbnail sides are point-sampled to it before averaging. */
    static final int PRESAMPLE = 4;

    /** Sorted image ids (positions in the listing) that get thumbnails. */
    private final long[] ids;

    private Thumbnails(long[] ids) {
        this.ids = ids;
    }

    /** Up to {@code max} of {@code images} listed images, at even steps through the listing. */
    public static Thumbnails sample(int images, int max) {
        int k = Math.max(0, Math.min(images, max));
        long[] ids = new long[k];
        for (int i = 0; i < k; i++) {
            ids[i] = (long) i * images / k;
        }
        return new Thumbnails(ids);
    }

    public boolean wants(long id) {
        return Arrays.binarySearch(ids, id) >= 0;
    }

    public long[] ids() {
        return ids.clone();
    }

    /** The "before" thumbnail of a sampled image, or null when it is not in the sample. */
    public byte[] before(long id, Mat decoded) {
        return wants(id) ? jpeg(decoded) : null;
    }

    /**
     * Publishes both thumbnails of a sampled image into {@code dir}. Thumbnails are for people
     * to look at, so a failure here never fails the image: the report shows the pair as missing.
     */
    public void publish(FileSystem fs, Path staging, long id, byte[] before, Mat result) {
        if (!wants(id) || before == null) {
            return;
        }
        try {
            Path dir = dir(staging);
            AtomicOutput.write(fs, staging, new Path(dir, name(id, "before")), before);
            AtomicOutput.write(fs, staging, new Path(dir, name(id, "after")), jpeg(result));
        } catch (IOException | RuntimeException e) {
            // Best effort, see above.
        }
    }

    /** Where the thumbnails of a run go: inside the run's staging folder, removed with it. */
    public static Path dir(Path staging) {
        return new Path(staging, "thumbs");
    }

    static String name(long id, String which) {
        return id + "-" + which + ".jpg";
    }

    /** A small JPEG of {@code m} (grey or BGR, 8-bit), longest side at most {@value #MAX_SIDE}. */
    public static byte[] jpeg(Mat m) {
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(m.cols(), m.rows()));
        Size size = new Size(Math.max(1, Math.round(m.cols() * scale)), Math.max(1, Math.round(m.rows() * scale)));
        Mat small = new Mat();
        Mat sampled = null;
        MatOfByte buf = new MatOfByte();
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, QUALITY);
        try {
            Mat src = m;
            if (Math.max(m.cols(), m.rows()) > PRESAMPLE * MAX_SIDE) {
                // Averaging every source pixel costs about half a decode (a second for 200 MP),
                // spent in the serial part of a spread image. A point sample down to PRESAMPLE
                // times the thumbnail first reads only what the average below then needs.
                double k = (double) (PRESAMPLE * MAX_SIDE) / Math.max(m.cols(), m.rows());
                sampled = new Mat();
                Imgproc.resize(m, sampled, new Size(Math.max(1, Math.round(m.cols() * k)),
                        Math.max(1, Math.round(m.rows() * k))), 0, 0, Imgproc.INTER_NEAREST);
                src = sampled;
            }
            // INTER_AREA averages the source pixels under each output pixel: no aliasing when shrinking.
            Imgproc.resize(src, small, size, 0, 0, Imgproc.INTER_AREA);
            if (!Imgcodecs.imencode(".jpg", small, buf, params)) {
                throw new IllegalStateException("cannot encode thumbnail");
            }
            return buf.toArray();
        } finally {
            small.release();
            if (sampled != null) {
                sampled.release();
            }
            buf.release();
            params.release();
        }
    }
}
