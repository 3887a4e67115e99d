package io.tilespark.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.opencv.core.Mat;

/** Named shorthand for a fixed run of tiled operators, e.g. {@code filter} = Gaussian 5x5 then sharpen. */
final class Sequence extends BaseOperator {
    private static final long serialVersionUID = 1L;
    private final List<Operator> steps;

    Sequence(String spec, List<Operator> steps) {
        super(spec, sumHalo(steps), Locality.TILED);
        for (Operator s : steps) {
            if (s.locality() != Locality.TILED) {
                throw new IllegalArgumentException("a sequence holds only tiled operators, not " + s.spec());
            }
        }
        this.steps = Collections.unmodifiableList(new ArrayList<>(steps));
    }

    private static int sumHalo(List<Operator> steps) {
        int h = 0;
        for (Operator s : steps) {
            h += s.halo();
        }
        return h;
    }

    @Override
    public void apply(Mat src, Mat dst) {
        Mat a = new Mat();
        Mat b = new Mat();
        try {
            Mat cur = src;
            for (int i = 0; i < steps.size(); i++) {
                Mat out = i == steps.size() - 1 ? dst : (cur == a ? b : a);
                steps.get(i).apply(cur, out);
                cur = out;
            }
        } finally {
            a.release();
            b.release();
        }
    }
}
