package io.tilespark.tools;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;

import io.tilespark.cv.OpenCv;
import io.tilespark.ops.Analysis;
import io.tilespark.ops.Operators;
import io.tilespark.ops.Plan;

/**
 * Writes docs/operators.md from the operator registry, with a before/after thumbnail per operator
 * made from a sample image. The page is generated, never hand-edited; a test regenerates the
 * text and fails when the committed page differs or lacks an operator.
 * Usage: OperatorDocs SAMPLE_IMAGE DOCS_DIR
 */
public final class OperatorDocs {

    /** The example each operator is shown with: parameters chosen to make the effect visible. */
    static final Map<String, String> EXAMPLES = new HashMap<>();
    /** What an operator does with one-channel (grey) input, where that differs from "the same, on one channel". */
    static final Map<String, String> GREY = new HashMap<>();

    static {
        EXAMPLES.put("blur", "blur:15");
        EXAMPLES.put("box", "box:9");
        EXAMPLES.put("median", "median:9");
        EXAMPLES.put("canny", "canny:50:150");
        EXAMPLES.put("erode", "erode:7");
        EXAMPLES.put("dilate", "dilate:7");
        EXAMPLES.put("threshold", "threshold:128");
        EXAMPLES.put("brightness", "brightness:60");
        EXAMPLES.put("contrast", "contrast:1.8");
        EXAMPLES.put("saturation", "saturation:2");
        EXAMPLES.put("hue", "hue:120");
        EXAMPLES.put("gamma", "gamma:2.2");
        EXAMPLES.put("orb", "orb:300:draw");
        EXAMPLES.put("corners", "corners:200:draw");
        // A detector needs a model file the user supplies; the page shows the form, not a picture.
        EXAMPLES.put("detect", "detect:faces=URI");
        GREY.put("grey", "passes through unchanged");
        GREY.put("saturation", "passes through unchanged (no colour)");
        GREY.put("hue", "passes through unchanged (no colour)");
        GREY.put("sepia", "becomes 3-channel colour");
        GREY.put("equalize", "equalises the single channel");
    }

    private OperatorDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: OperatorDocs SAMPLE_IMAGE DOCS_DIR");
            System.exit(2);
        }
        OpenCv.load();
        File docs = new File(args[1]);
        File images = new File(docs, "images/ops");
        if (!images.isDirectory() && !images.mkdirs()) {
            throw new IOException("cannot create " + images);
        }
        Mat src = Imgcodecs.imread(args[0], Imgcodecs.IMREAD_COLOR);
        if (src.empty()) {
            throw new IOException("cannot read " + args[0]);
        }
        // A 3:2 window with shapes, text and a gradient; operators see the whole image, so the
        // thumbnails show each effect at the scale it has on the full picture.
        Rect window = new Rect(src.cols() / 40, src.rows() / 40, src.cols() * 2 / 5, src.rows() * 2 / 5);
        thumbnail(src, window, new File(images, "original.jpg"));
        for (Operators.Family f : Operators.families()) {
            if (!hasThumbnail(f)) {
                continue;
            }
            Mat out = new Mat();
            Mat scratch = new Mat();
            try {
                Plan plan = Plan.parse(example(f));
                plan.applyWhole(src, out, scratch);
                Analysis.run(plan.analysis(), out);
                thumbnail(out, window, new File(images, f.name + ".jpg"));
            } finally {
                out.release();
                scratch.release();
            }
        }
        src.release();
        Files.write(new File(docs, "operators.md").toPath(), page().getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + new File(docs, "operators.md") + " and " + images);
    }

    /** Every operator has a before/after picture except those that need a model file. */
    public static boolean hasThumbnail(Operators.Family f) {
        return !example(f).endsWith("=URI");
    }

    static String example(Operators.Family f) {
        String e = EXAMPLES.get(f.name);
        if (e != null) {
            return e;
        }
        if (f.usage.contains(":")) {
            throw new IllegalStateException("operator " + f.name + " has parameters but no example in OperatorDocs.EXAMPLES");
        }
        return f.name;
    }

    private static void thumbnail(Mat img, Rect window, File file) {
        Mat crop = new Mat(img, window);
        Mat small = new Mat();
        try {
            org.opencv.imgproc.Imgproc.resize(crop, small, new org.opencv.core.Size(360, 240), 0, 0,
                    org.opencv.imgproc.Imgproc.INTER_AREA);
            if (!Imgcodecs.imwrite(file.getPath(), small, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 80))) {
                throw new IllegalStateException("cannot write " + file);
            }
        } finally {
            crop.release();
            small.release();
        }
    }

    /** The Markdown page; depends only on the registry, so a test can regenerate and compare it. */
    public static String page() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Operators\n\n")
          .append("<!-- Generated by io.tilespark.tools.OperatorDocs; do not edit by hand. Regenerate with:\n")
          .append("     docs/generate-operators.sh -->\n\n")
          .append("Chain operators with `--ops`, comma-separated, e.g. `--ops grey,blur:5,canny:50:150`.\n")
          .append("Every operator works on 8-bit images with one (grey) or three (colour) channels.\n\n")
          .append("Rules that hold for every operator:\n\n")
          .append("- **Alpha** is split off when the image is decoded and never reaches an operator; it is put back\n")
          .append("  unchanged when the output format holds alpha (PNG, TIFF, WebP) and dropped, with a note in the\n")
          .append("  manifest, for JPEG.\n")
          .append("- **16-bit** input is reduced to 8 bits on decode (noted in the manifest); outputs are 8-bit.\n")
          .append("- **Halo** is how many pixels of context a tile needs on each side; it follows from the parameters,\n")
          .append("  and a chain's halo is the sum over its tiled operators.\n")
          .append("- **Tiling**: *exact* operators give the same pixels tiled as on the whole image;\n")
          .append("  *exact (seam pass)* ones compute an exact per-tile intermediate and finish with one pass over the\n")
          .append("  stitched image; *whole image* ones run after stitching, and so does everything after them.\n")
          .append("- **Analysis** operators (`orb`, `corners`, `stats`, `detect`) end a chain, measure the final image\n")
          .append("  and add rows to `_tilespark/analysis/`; their `:draw` forms also draw what they found on the\n")
          .append("  output. `detect` takes a cascade model from any Hadoop URI, e.g. Debian's opencv-data\n")
          .append("  `file:/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml`.\n\n")
          .append("| operator | what it does | halo | tiling | grey input | example |\n")
          .append("|---|---|---|---|---|---|\n");
        for (Operators.Family f : Operators.families()) {
            sb.append("| `").append(f.usage).append("` | ").append(f.summary.replace("|", "\\|")).append(" | ")
              .append(f.halo).append(" | ").append(f.tiling()).append(" | ")
              .append(GREY.getOrDefault(f.name, "same, on one channel")).append(" | `")
              .append(example(f)).append("` |\n");
        }
        sb.append("\n## Before and after\n\n")
          .append("A window of `sample-images/harbour-3000x2000.jpg`; each operator ran on the whole image with the\n")
          .append("example parameters above.\n\n")
          .append("| original | | |\n|---|---|---|\n")
          .append("| ![original](images/ops/original.jpg) | | |\n\n");
        int col = 0;
        StringBuilder head = new StringBuilder();
        StringBuilder row = new StringBuilder();
        for (Operators.Family f : Operators.families()) {
            if (!hasThumbnail(f)) {
                continue;
            }
            head.append("| `").append(example(f)).append("` ");
            row.append("| ![").append(f.name).append("](images/ops/").append(f.name).append(".jpg) ");
            if (++col % 3 == 0) {
                sb.append(head).append("|\n|---|---|---|\n").append(row).append("|\n\n");
                head.setLength(0);
                row.setLength(0);
            }
        }
        if (head.length() > 0) {
            while (col++ % 3 != 0) {
                head.append("| ");
                row.append("| ");
            }
            sb.append(head).append("|\n|---|---|---|\n").append(row).append("|\n");
        }
        return sb.toString();
    }
}
