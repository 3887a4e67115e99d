package io.tilespark.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfRect;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Object detection with an OpenCV cascade classifier (Haar or LBP) that the user supplies by URI:
 * {@code detect:faces=file:/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml}.
 * Reports one {@code box} row per object and one {@code objects} row with the count (0 included,
 * so images without objects are visible too).
 *
 * <p>The model is read, checked and broadcast by the driver, then {@link #bind bound} here before
 * the job's functions are serialized; executors reach it through {@link Cascades}.
 */
public final class Detect extends BaseOperator implements Analyzer {
    private static final long serialVersionUID = 1L;

    /** OpenCV's own defaults for detectMultiScale (objdetect.hpp): scale step 1.1, 3 neighbours, no size limits. */
    public static final double SCALE_FACTOR = 1.1;
    public static final int MIN_NEIGHBOURS = 3;

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    static final Scalar RED = new Scalar(0, 0, 255);

    private final String name;
    private final String uri;
    private final boolean draw;
    private Cascades.Source model;

    Detect(String name, String uri, boolean draw) {
        super("detect:" + name + FeatureOps.drawSuffix(draw) + "=" + uri, 0, Locality.WHOLE);
        this.name = name;
        this.uri = uri;
        this.draw = draw;
    }

    /** What is detected, as the user named it, e.g. {@code faces}. */
    public String name() {
        return name;
    }

    /** Where the model lives: any Hadoop URI (file:, abfss:, wasbs:, hdfs:). */
    public String modelUri() {
        return uri;
    }

    /** Attaches the model's bytes; done once on the driver before the job runs. */
    public void bind(Cascades.Source source) {
        this.model = source;
    }

    public boolean bound() {
        return model != null;
    }

    @Override
    public String analyzer() {
        return "detect:" + name;
    }

    @Override
    public boolean draws() {
        return draw;
    }

    @Override
    public List<Finding> analyse(Mat image, Mat grey, Mat canvas) {
        if (model == null) {
            throw new IllegalStateException("the model of " + analyzer() + " (" + uri + ") was not shipped to this executor");
        }
        MatOfRect boxes = new MatOfRect();
        MatOfInt hits = new MatOfInt();
        try {
            // Grey in: OpenCV would convert a colour image the same way inside detectMultiScale.
            Cascades.forThisThread(model).detectMultiScale2(grey, boxes, hits, SCALE_FACTOR, MIN_NEIGHBOURS, 0,
                    new Size(), new Size());
            Rect[] r = boxes.toArray();
            // With no objects OpenCV leaves numDetections as a 0x1 Mat that MatOfInt.toArray rejects.
            int[] n = r.length == 0 ? new int[0] : hits.toArray();
            List<Finding> out = new ArrayList<>(r.length + 1);
            for (int i = 0; i < r.length; i++) {
                out.add(Finding.box(analyzer(), name, r[i].x, r[i].y, r[i].width, r[i].height, n[i]));
                if (canvas != null) {
                    int t = Math.max(2, Math.min(r[i].width, r[i].height) / 40);
                    Imgproc.rectangle(canvas, new Point(r[i].x, r[i].y),
                            new Point(r[i].x + r[i].width - 1, r[i].y + r[i].height - 1), RED, t);
                }
            }
            out.add(Finding.count(analyzer(), "objects", name, r.length, null));
            return out;
        } finally {
            boxes.release();
            hits.release();
        }
    }
}
