package io.tilespark.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import io.tilespark.cv.OpenCv;

/**
 * Writes the benchmark corpus: JPEGs whose content behaves like photographs under the codec and
 * the filters. A flat synthetic picture decodes and compresses far faster than a photo, so each
 * image is built from what makes photos expensive: fractal (multi-octave value) noise down to
 * 2-pixel detail, a colour palette and lighting that vary smoothly across the frame, a horizon
 * with a sky gradient, hard-edged shapes, thin lines, and sensor grain.
 *
 * <p>Every pixel comes from integer hashing and Java floating point, which is strict on Java 17,
 * so a seed gives the same pixels on every machine; the JPEG bytes then depend only on the
 * OpenCV build's libjpeg. Images are written to a temporary name and renamed, and an existing
 * file of the right name is kept, so an interrupted run resumes.
 *
 * <pre>
 * Corpus OUT_DIR COUNT WIDTH HEIGHT [--seed S] [--quality Q] [--threads N] [--prefix NAME]
 * </pre>
 */
public final class Corpus {

    private Corpus() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: Corpus OUT_DIR COUNT WIDTH HEIGHT [--seed S] [--quality Q] [--threads N] "
                    + "[--prefix NAME]");
            System.exit(2);
        }
        File dir = new File(args[0]);
        int count = Integer.parseInt(args[1]);
        int width = Integer.parseInt(args[2]);
        int height = Integer.parseInt(args[3]);
        long seed = 20261127L;
        int quality = 90;
        int threads = Runtime.getRuntime().availableProcessors();
        String prefix = "img";
        for (int i = 4; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                System.err.println("Corpus: " + args[i] + " needs a value");
                System.exit(2);
            }
            switch (args[i]) {
                case "--seed":
                    seed = Long.parseLong(args[i + 1]);
                    break;
                case "--quality":
                    quality = Integer.parseInt(args[i + 1]);
                    break;
                case "--threads":
                    threads = Integer.parseInt(args[i + 1]);
                    break;
                case "--prefix":
                    prefix = args[i + 1];
                    break;
                default:
                    System.err.println("Corpus: unknown option " + args[i]);
                    System.exit(2);
            }
        }
        if (count < 1 || width < 64 || height < 64 || quality < 1 || quality > 100 || threads < 1) {
            System.err.println("Corpus: need COUNT >= 1, WIDTH and HEIGHT >= 64, quality 1..100, threads >= 1");
            System.exit(2);
        }
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IOException("cannot create " + dir);
        }
        OpenCv.load();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, count));
        List<Future<Boolean>> done = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final int index = i;
            final long s = seed;
            final int q = quality;
            File f = new File(dir, String.format(Locale.ROOT, "%s-%03d-%dx%d.jpg", prefix, i, width, height));
            done.add(pool.submit(() -> writeIfMissing(f, width, height, s * 1_000_003L + index, q)));
        }
        int made = 0;
        try {
            for (Future<Boolean> d : done) {
                if (d.get()) {
                    made++;
                }
            }
        } finally {
            pool.shutdown();
        }
        System.out.printf(Locale.ROOT, "corpus: %d of %d images of %dx%d written to %s in %.1f s (%d kept)%n",
                made, count, width, height, dir, (System.nanoTime() - t0) / 1e9, count - made);
    }

    private static boolean writeIfMissing(File f, int width, int height, long seed, int quality) throws IOException {
        if (f.isFile() && f.length() > 0) {
            return false;
        }
        OpenCv.load();
        Mat img = draw(width, height, seed);
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
        MatOfByte out = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(".jpg", img, out, params)) {
                throw new IllegalStateException("cannot encode " + f);
            }
            File tmp = new File(f.getParentFile(), "." + f.getName() + ".tmp");
            Files.write(tmp.toPath(), out.toArray());
            if (!tmp.renameTo(f)) {
                throw new IOException("cannot rename " + tmp + " to " + f);
            }
            return true;
        } finally {
            img.release();
            params.release();
            out.release();
        }
    }

    /** One picture, BGR. */
    static Mat draw(int width, int height, long seed) {
        Mat m = new Mat(height, width, CvType.CV_8UC3);
        Scene scene = new Scene(width, height, seed);
        byte[] row = new byte[width * 3];
        for (int y = 0; y < height; y++) {
            scene.row(y, row);
            m.put(y, 0, row);
        }
        shapes(m, seed);
        grain(m, new Hash(seed ^ 0x2545F4914F6CDD1DL));
        return m;
    }

    /** Sensor grain over everything, shapes included: +-9 levels, independent per pixel and channel. */
    private static void grain(Mat m, Hash h) {
        byte[] row = new byte[m.cols() * 3];
        for (int y = 0; y < m.rows(); y++) {
            m.get(y, 0, row);
            for (int x = 0; x < m.cols(); x++) {
                int g = h.bits(x, y);
                for (int c = 0; c < 3; c++) {
                    int v = (row[3 * x + c] & 0xFF) + (((g >>> (4 * c)) & 0xF) * 5 - 37) / 4;
                    row[3 * x + c] = (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
                }
            }
            m.put(y, 0, row);
        }
    }

    /** Hard edges a photo has and noise lacks: buildings, discs, poles, wires. */
    private static void shapes(Mat m, long seed) {
        Hash h = new Hash(seed ^ 0x5DEECE66DL);
        int w = m.cols();
        int ht = m.rows();
        double scale = Math.min(w, ht) / 1000.0;
        int n = 8 + (int) (h.unit(1, 0) * 8);
        for (int i = 0; i < n; i++) {
            Scalar c = new Scalar(40 + 200 * h.unit(i, 2), 40 + 200 * h.unit(i, 3), 40 + 200 * h.unit(i, 4));
            Point p = new Point(w * h.unit(i, 5), ht * (0.35 + 0.65 * h.unit(i, 6)));
            double size = (20 + 160 * h.unit(i, 7)) * scale;
            switch ((int) (h.unit(i, 8) * 3)) {
                case 0:
                    Imgproc.circle(m, p, (int) size, c, -1, Imgproc.LINE_AA);
                    break;
                case 1:
                    Imgproc.rectangle(m, new Point(p.x, p.y - 2.5 * size), new Point(p.x + size, ht - 1), c, -1);
                    for (int k = 0; k < 6; k++) {
                        Point a = new Point(p.x + size * 0.2, p.y - 2.2 * size + k * size * 0.4);
                        Imgproc.rectangle(m, a, new Point(a.x + size * 0.6, a.y + size * 0.15),
                                new Scalar(c.val[0] * 0.5, c.val[1] * 0.5, c.val[2] * 0.5), -1);
                    }
                    break;
                default:
                    Imgproc.ellipse(m, p, new Size(size * 1.6, size * 0.7), 180 * h.unit(i, 9), 0, 360, c, -1,
                            Imgproc.LINE_AA);
            }
        }
        for (int i = 0; i < 4; i++) {
            Point a = new Point(w * h.unit(i, 20), 0);
            Point b = new Point(w * h.unit(i, 21), ht - 1);
            Imgproc.line(m, a, b, new Scalar(30, 30, 35), Math.max(1, (int) (2 * scale)), Imgproc.LINE_AA);
        }
    }

    /** Pixel colours of one image, computed row by row. */
    static final class Scene {
        private static final int DETAIL_OCTAVES = 8;
        private final int width;
        private final int height;
        private final Hash hash;
        private final ValueNoise texture;
        private final ValueNoise tint;
        private final ValueNoise light;
        private final ValueNoise ridge;
        private final ValueNoise detail;
        private final ValueNoise rough;
        private final double[][] palette;
        private final double horizon;

        Scene(int width, int height, long seed) {
            this.width = width;
            this.height = height;
            this.hash = new Hash(seed);
            // Base cell ~ 1/6 of the short side, down to 2-pixel cells: detail at every scale.
            int base = Math.max(8, Math.min(width, height) / 6);
            this.texture = new ValueNoise(new Hash(seed + 1), width, base, DETAIL_OCTAVES, 0.55);
            this.tint = new ValueNoise(new Hash(seed + 2), width, base * 2, 3, 0.5);
            this.light = new ValueNoise(new Hash(seed + 3), width, base * 3, 2, 0.5);
            this.ridge = new ValueNoise(new Hash(seed + 4), width, base, 5, 0.5);
            // Foliage- or fabric-like texture: strong fine detail, present only where "rough" is high.
            this.detail = new ValueNoise(new Hash(seed + 5), width, 32, 5, 0.85);
            this.rough = new ValueNoise(new Hash(seed + 6), width, base, 2, 0.5);
            this.horizon = 0.25 + 0.2 * hash.unit(0, 1);
            this.palette = new double[4][];
            for (int i = 0; i < 4; i++) {
                palette[i] = new double[] {30 + 190 * hash.unit(i, 10), 30 + 190 * hash.unit(i, 11),
                    30 + 190 * hash.unit(i, 12)};
            }
        }

        void row(int y, byte[] out) {
            double[] tex = texture.row(y);
            double[] tin = tint.row(y);
            double[] lit = light.row(y);
            double[] rid = ridge.row(y);
            double[] det = detail.row(y);
            double[] rou = rough.row(y);
            double skyTop = height * horizon;
            for (int x = 0; x < width; x++) {
                // Horizon line perturbed by the ridge noise; above it a sky gradient with faint clouds.
                double edge = skyTop + height * 0.12 * (rid[x] - 0.5);
                double b;
                double g;
                double r;
                double l = 0.6 + 0.7 * lit[x];
                if (y < edge) {
                    double t = y / Math.max(1.0, edge);
                    double cloud = Math.max(0, tex[x] - 0.55) * 2.2;
                    b = 235 - 60 * t + 50 * cloud;
                    g = 190 - 40 * t + 60 * cloud;
                    r = 120 + 50 * t + 70 * cloud;
                } else {
                    double v = tex[x] * 3.0;
                    int i = Math.min(2, (int) v);
                    double f = v - i;
                    double[] c0 = palette[i];
                    double[] c1 = palette[i + 1];
                    double k = 0.7 + 0.6 * tin[x];
                    b = (c0[0] + (c1[0] - c0[0]) * f) * k * l;
                    g = (c0[1] + (c1[1] - c0[1]) * f) * l;
                    r = (c0[2] + (c1[2] - c0[2]) * f) * (2 - k) * l;
                    double mask = Math.min(1, Math.max(0, (rou[x] - 0.3) * 3));
                    double d = (det[x] - 0.5) * 220 * mask;
                    b += d;
                    g += d * 1.1;
                    r += d * 0.9;
                }
                out[3 * x] = clamp(b);
                out[3 * x + 1] = clamp(g);
                out[3 * x + 2] = clamp(r);
            }
        }

        private static byte clamp(double v) {
            long r = Math.round(v);
            return (byte) (r < 0 ? 0 : r > 255 ? 255 : r);
        }
    }

    /**
     * Fractal value noise: random values on a lattice, smoothly interpolated, summed over
     * octaves of halving cell size and shrinking amplitude. Computed a row at a time; each
     * octave keeps the two lattice rows around y, so a pixel costs a few multiply-adds per octave.
     */
    static final class ValueNoise {
        private final Hash hash;
        private final int width;
        private final int[] cell;
        private final double[] amp;
        private final double norm;
        private final double[] out;
        private final double[][] top;
        private final double[][] bottom;
        private final int[] cachedRow;
        /** Per octave, the smoothstep weight of each offset inside a cell. */
        private final double[][] ramp;

        ValueNoise(Hash hash, int width, int baseCell, int octaves, double persistence) {
            this.hash = hash;
            this.width = width;
            List<Integer> cells = new ArrayList<>();
            for (int c = baseCell, i = 0; i < octaves && c >= 2; c /= 2, i++) {
                cells.add(c);
            }
            this.cell = new int[cells.size()];
            this.amp = new double[cells.size()];
            double a = 1;
            double sum = 0;
            this.top = new double[cell.length][];
            this.bottom = new double[cell.length][];
            this.cachedRow = new int[cell.length];
            this.ramp = new double[cell.length][];
            for (int i = 0; i < cell.length; i++) {
                cell[i] = cells.get(i);
                amp[i] = a;
                sum += a;
                a *= persistence;
                top[i] = new double[width / cell[i] + 2];
                bottom[i] = new double[width / cell[i] + 2];
                cachedRow[i] = -1;
                ramp[i] = new double[cell[i]];
                for (int k = 0; k < cell[i]; k++) {
                    ramp[i][k] = smooth(k / (double) cell[i]);
                }
            }
            this.norm = 1 / sum;
            this.out = new double[width];
        }

        /** Values in [0, 1) for row y; the array is reused by the next call. */
        double[] row(int y) {
            java.util.Arrays.fill(out, 0);
            for (int o = 0; o < cell.length; o++) {
                int c = cell[o];
                int ly = y / c;
                if (cachedRow[o] != ly) {
                    for (int lx = 0; lx < top[o].length; lx++) {
                        top[o][lx] = hash.unit(lx + o * 7919, ly + o * 104729);
                        bottom[o][lx] = hash.unit(lx + o * 7919, ly + 1 + o * 104729);
                    }
                    cachedRow[o] = ly;
                }
                double fy = smooth((y - ly * c) / (double) c);
                double[] t = top[o];
                double[] b = bottom[o];
                double[] sx = ramp[o];
                double w = amp[o] * norm;
                for (int lx = 0, x0 = 0; x0 < width; lx++, x0 += c) {
                    // Value at this row on the cell's left and right lattice columns, then across.
                    double left = w * (t[lx] + (b[lx] - t[lx]) * fy);
                    double right = w * (t[lx + 1] + (b[lx + 1] - t[lx + 1]) * fy);
                    double d = right - left;
                    int x1 = Math.min(width, x0 + c);
                    for (int x = x0; x < x1; x++) {
                        out[x] += left + d * sx[x - x0];
                    }
                }
            }
            return out;
        }

        private static double smooth(double t) {
            return t * t * (3 - 2 * t);
        }
    }

    /** A seeded integer hash of two coordinates (SplitMix64's finaliser). */
    static final class Hash {
        private final long seed;

        Hash(long seed) {
            this.seed = seed;
        }

        int bits(int x, int y) {
            long z = seed + 0x9E3779B97F4A7C15L * (((long) x << 32) ^ (y & 0xFFFFFFFFL));
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return (int) (z ^ (z >>> 31));
        }

        double unit(int x, int y) {
            return (bits(x, y) >>> 8) / (double) (1 << 24);
        }
    }
}
