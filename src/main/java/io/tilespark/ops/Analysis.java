package io.tilespark.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * The analysis end of a chain: where it starts, and running it on a final image.
 *
 * <p>Semantics: every analyzer measures the same image, the output of the chain's image operators.
 * Overlays asked for with {@code :draw} are drawn afterwards, in chain order, onto a BGR copy that
 * becomes the written output; so one analyzer never sees another's drawing.
 */
public final class Analysis {

    private Analysis() {
    }

    /**
     * Index of the first analyzer in a chain, or its size when it has none. Rejects an image
     * operator after an analyzer (its meaning would be unclear: analyzers measure the final image)
     * and two analyzers with the same key (their rows could not be told apart).
     */
    static int start(List<Operator> ops) {
        int first = ops.size();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < ops.size(); i++) {
            Operator o = ops.get(i);
            if (o instanceof Analyzer) {
                first = Math.min(first, i);
                String key = ((Analyzer) o).analyzer();
                if (!keys.add(key)) {
                    throw new UsageException("analysis operator '" + key + "' appears twice in --ops; "
                            + "give detectors different names, e.g. detect:faces=URI,detect:eyes=URI");
                }
            } else if (first < ops.size()) {
                throw new UsageException("image operator '" + o.spec() + "' follows analysis operator '"
                        + ops.get(first).spec() + "'; analysis operators measure the final image, so put them "
                        + "at the end of --ops, e.g. grey,blur:3,orb:500");
            }
        }
        return first;
    }

    /**
     * Runs the analyzers on {@code image} and returns their findings in chain order. When some
     * analyzer draws, {@code image} is replaced (in place, same Mat object) by the BGR overlay, so
     * a grey result becomes colour; otherwise its pixels are untouched.
     */
    public static List<Finding> run(List<Analyzer> analyzers, Mat image) {
        if (analyzers.isEmpty()) {
            return Collections.emptyList();
        }
        boolean draws = false;
        for (Analyzer a : analyzers) {
            draws |= a.draws();
        }
        Mat grey = null;
        Mat canvas = null;
        try {
            grey = grey(image);
            if (draws) {
                canvas = new Mat();
                if (image.channels() == 1) {
                    Imgproc.cvtColor(image, canvas, Imgproc.COLOR_GRAY2BGR);
                } else {
                    image.copyTo(canvas);
                }
            }
            List<Finding> out = new ArrayList<>();
            for (Analyzer a : analyzers) {
                out.addAll(a.analyse(image, grey, a.draws() ? canvas : null));
            }
            if (canvas != null) {
                canvas.copyTo(image);
            }
            return out;
        } finally {
            if (grey != null && grey != image) {
                grey.release();
            }
            if (canvas != null) {
                canvas.release();
            }
        }
    }

    /** The single-channel form analyzers work on: the image itself when grey, else BT.601 luma. */
    static Mat grey(Mat image) {
        if (image.channels() == 1) {
            return image;
        }
        if (image.channels() != 3) {
            throw new IllegalArgumentException("analysis needs 1 or 3 channels, got " + image.channels());
        }
        Mat g = new Mat();
        Imgproc.cvtColor(image, g, Imgproc.COLOR_BGR2GRAY);
        return g;
    }
}
