package io.tilespark.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.opencv.core.Core;
import org.opencv.core.Mat;

import io.tilespark.cv.OpenCv;
import io.tilespark.io.Codec;
import io.tilespark.io.Decoded;
import io.tilespark.io.FormatPolicy;
import io.tilespark.io.ImageFormat;
import io.tilespark.io.OutputPaths;
import io.tilespark.ops.Plan;

/**
 * The benchmark's reference contender: what one would write without Spark. N threads take the
 * next file from a shared counter and each runs read, decode, the chain on the whole image
 * ({@link Plan#applyWhole}), JPEG encode and write, with the same {@link Codec} and operators
 * as the job and two work buffers reused per thread. Each thread gets one OpenCV thread and IPP
 * off, as the job's executors do; {@code --cv-threads} and {@code --ipp} change that, to measure
 * what those settings cost.
 *
 * <pre>
 * PlainLoop --input DIR --output DIR --ops CHAIN [--threads 2] [--quality 90] [--cv-threads 1] [--ipp off]
 * </pre>
 * Prints one line of totals: images, megapixels, seconds, and milliseconds per phase summed
 * over all images (the same phases as the job's manifest).
 */
public final class PlainLoop {

    private PlainLoop() {
    }

    public static void main(String[] args) throws Exception {
        String input = null;
        String output = null;
        String ops = null;
        int threads = 2;
        int quality = 90;
        int cvThreads = 1;
        boolean ipp = false;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage(args[i] + " needs a value");
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--input":
                    input = v;
                    break;
                case "--output":
                    output = v;
                    break;
                case "--ops":
                    ops = v;
                    break;
                case "--threads":
                    threads = Integer.parseInt(v);
                    break;
                case "--quality":
                    quality = Integer.parseInt(v);
                    break;
                case "--cv-threads":
                    cvThreads = Integer.parseInt(v);
                    break;
                case "--ipp":
                    ipp = "on".equals(v);
                    break;
                default:
                    usage("unknown option " + args[i]);
            }
        }
        if (input == null || output == null || ops == null || threads < 1) {
            usage("--input, --output and --ops are required; --threads >= 1");
        }
        long start = System.nanoTime();
        OpenCv.load();
        Plan plan = Plan.parse(ops);
        File in = new File(input);
        File out = new File(output);
        if (!out.isDirectory() && !out.mkdirs()) {
            throw new IOException("cannot create " + out);
        }
        File[] found = in.isFile() ? new File[] {in} : in.listFiles(f -> f.isFile() && !f.getName().startsWith("."));
        if (found == null || found.length == 0) {
            throw new IOException("no input files in " + in);
        }
        Arrays.sort(found);
        // Process-wide, and not safe to change from two threads at once (see OpenCv.loadForExecutor).
        OpenCv.load();
        Core.setNumThreads(cvThreads);
        Run run = new Run(found, out, plan, quality, ipp);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(run::work, "plain-" + t);
            workers.add(th);
            th.start();
        }
        for (Thread th : workers) {
            th.join();
        }
        if (run.failure != null) {
            throw run.failure;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        double mp = run.pixels.get() / 1e6;
        System.out.printf(Locale.ROOT,
                "plain-loop: %d images, %.1f MP, %.2f s, %.1f MP/s; ms summed: read %d decode %d ops %d encode %d "
                        + "write %d; ops=%s threads=%d cv-threads=%d ipp=%s opencv=%s%n",
                run.images.get(), mp, secs, mp / secs, ms(run.read), ms(run.decode), ms(run.ops), ms(run.encode),
                ms(run.write), plan.spec(), threads, cvThreads, ipp ? "on" : "off", OpenCv.describe());
    }

    private static long ms(AtomicLong nanos) {
        return nanos.get() / 1_000_000;
    }

    private static void usage(String why) {
        System.err.println("PlainLoop: " + why);
        System.err.println("usage: PlainLoop --input DIR --output DIR --ops CHAIN [--threads 2] [--quality 90] "
                + "[--cv-threads 1] [--ipp off|on]");
        System.exit(2);
    }

    /** The shared state of one run: the file list, the next index, and the phase totals. */
    private static final class Run {
        final File[] files;
        final File out;
        final Plan plan;
        final int quality;
        final boolean ipp;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger images = new AtomicInteger();
        final AtomicLong pixels = new AtomicLong();
        final AtomicLong read = new AtomicLong();
        final AtomicLong decode = new AtomicLong();
        final AtomicLong ops = new AtomicLong();
        final AtomicLong encode = new AtomicLong();
        final AtomicLong write = new AtomicLong();
        volatile Exception failure;

        Run(File[] files, File out, Plan plan, int quality, boolean ipp) {
            this.files = files;
            this.out = out;
            this.plan = plan;
            this.quality = quality;
            this.ipp = ipp;
        }

        void work() {
            OpenCv.load();
            Core.setUseIPP(ipp); // per thread
            Set<ImageFormat> allowed = FormatPolicy.defaultAllowed(OpenCv.buildProperty("opencv"));
            Mat dst = new Mat();
            Mat scratch = new Mat();
            try {
                int i;
                while (failure == null && (i = next.getAndIncrement()) < files.length) {
                    one(files[i], allowed, dst, scratch);
                }
            } catch (Exception e) {
                failure = e;
            } finally {
                dst.release();
                scratch.release();
            }
        }

        private void one(File f, Set<ImageFormat> allowed, Mat dst, Mat scratch) throws Exception {
            long t0 = System.nanoTime();
            byte[] bytes = Files.readAllBytes(f.toPath());
            long t1 = System.nanoTime();
            try (Decoded img = Codec.decode(bytes, allowed)) {
                long t2 = System.nanoTime();
                plan.applyWhole(img.colour, dst, scratch);
                long t3 = System.nanoTime();
                ImageFormat target = img.format.encodable ? img.format : ImageFormat.PNG;
                Codec.Encoded enc = Codec.encode(dst, img.alpha, target, quality);
                long t4 = System.nanoTime();
                Files.write(new File(out, OutputPaths.outputRelative(f.getName(), target)).toPath(), enc.bytes);
                long t5 = System.nanoTime();
                read.addAndGet(t1 - t0);
                decode.addAndGet(t2 - t1);
                ops.addAndGet(t3 - t2);
                encode.addAndGet(t4 - t3);
                write.addAndGet(t5 - t4);
                pixels.addAndGet((long) img.width() * img.height());
                images.incrementAndGet();
            }
        }
    }
}
