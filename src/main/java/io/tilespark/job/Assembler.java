package io.tilespark.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.opencv.core.Mat;

import io.tilespark.cv.OpenCv;
import io.tilespark.io.AtomicOutput;
import io.tilespark.io.Codec;
import io.tilespark.io.ImageFormat;
import io.tilespark.io.OutputPaths;
import io.tilespark.ops.Analysis;
import io.tilespark.io.StorageErrors;
import io.tilespark.io.StorageUnavailableException;
import io.tilespark.report.ManifestRow;
import io.tilespark.report.Thumbnails;
import io.tilespark.tiling.Stitcher;

/**
 * Stitch and write: gathers the pieces of each image, stitches them, runs the plan's whole-image
 * tail, encodes, publishes the file atomically and yields the image's manifest row. Pieces of one
 * image may arrive in any order and interleaved with other images; an image is finished as soon
 * as its last piece arrives, so without a shuffle only one image is held at a time. Analyzers run
 * on the final image just before encoding; their findings travel on the manifest row.
 *
 * <p>This runs in the job's result stage, the only place the accumulators are updated.
 */
final class Assembler implements FlatMapFunction<Iterator<Piece>, ManifestRow> {
    private static final long serialVersionUID = 1L;

    private final JobSpec spec;
    private final Broadcast<HadoopConf> conf;
    private final String runId;
    private final JobMetrics metrics;
    private final Thumbnails thumbs;

    Assembler(JobSpec spec, Broadcast<HadoopConf> conf, String runId, JobMetrics metrics, Thumbnails thumbs) {
        this.spec = spec;
        this.conf = conf;
        this.runId = runId;
        this.metrics = metrics;
        this.thumbs = thumbs;
    }

    /**
     * One image being put back together, or an untiled image waiting for its chain. It is
     * complete once every share of the image ({@link Share}) has sent all the pieces it said it
     * would send; each share says so on each of its pieces.
     */
    private static final class Pending {
        Stitcher colour;
        Stitcher alpha;
        /** The untiled piece (owned), when the image was not cut into tiles. */
        Piece whole;
        ImageMeta meta;
        int received;
        long opsNanos;
        String error;
        private final int[] expected;
        private final int[] got;
        private int sharesDone;

        Pending(Piece first) {
            expected = new int[first.shares];
            got = new int[first.shares];
        }

        /** Counts the piece against its share; true once the whole image is here. */
        boolean count(Piece p) {
            received++;
            expected[p.share] = p.sharePieces;
            if (++got[p.share] == p.sharePieces) {
                sharesDone++;
            }
            return sharesDone == expected.length;
        }

        /** The stitchers, made with the first tile (a failed share's piece may come before any). */
        void stitchers(Piece p) {
            if (colour == null) {
                colour = new Stitcher(p.width, p.height, p.pieces);
                alpha = p.alpha != null ? new Stitcher(p.width, p.height, p.pieces) : null;
            }
        }

        void release() {
            if (colour != null) {
                colour.release();
            }
            if (alpha != null) {
                alpha.release();
            }
            if (whole != null) {
                whole.release();
                whole = null;
            }
        }
    }

    /**
     * Output and scratch buffers for the whole-image work, reused from image to image: a fresh
     * 36 MB Mat per 12 MP image costs about as much as the filter that writes into it
     * (PLATFORM.md). A task borrows them from its thread and gives them back when its partition
     * is done, so the next task on that executor thread reuses them too, unless they grew past
     * {@link #KEEP_BYTES}: a huge image's buffers are freed at once rather than held between tasks.
     * A task that fails half-way frees them (task-completion listener).
     */
    static final class Buffers {
        /** Buffers up to this size (each) stay with their thread between tasks: 2 x 12 MP of 3 channels fits. */
        static final long KEEP_BYTES = 64L << 20;
        private static final ThreadLocal<Buffers> KEPT = new ThreadLocal<>();

        final Mat out = new Mat();
        final Mat scratch = new Mat();
        private boolean done;

        static Buffers borrow() {
            Buffers b = KEPT.get();
            if (b != null) {
                KEPT.remove();
                b.done = false;
                return b;
            }
            return new Buffers();
        }

        /** Hands the buffers back to this thread for its next task, or frees them; idempotent. */
        void giveBack() {
            if (done) {
                return;
            }
            done = true;
            if (bytes(out) <= KEEP_BYTES && bytes(scratch) <= KEEP_BYTES && KEPT.get() == null) {
                KEPT.set(this);
            } else {
                out.release();
                scratch.release();
            }
        }

        /** Frees them (a failed task); idempotent, and a no-op once given back. */
        void release() {
            if (done) {
                return;
            }
            done = true;
            out.release();
            scratch.release();
        }

        private static long bytes(Mat m) {
            return m.empty() ? 0 : m.total() * m.elemSize();
        }
    }

    @Override
    public Iterator<ManifestRow> call(Iterator<Piece> pieces) {
        OpenCv.loadForExecutor();
        Map<Long, Pending> pending = new HashMap<>();
        Buffers buffers = Buffers.borrow();
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener(ctx -> {
                buffers.release();
                pending.values().forEach(Pending::release);
                pending.clear();
            });
        }
        return new Iterator<ManifestRow>() {
            private ManifestRow next;

            @Override
            public boolean hasNext() {
                while (next == null && pieces.hasNext()) {
                    next = accept(pending, pieces.next(), buffers);
                }
                if (next == null && pending.isEmpty()) {
                    buffers.giveBack();
                }
                if (next == null && !pending.isEmpty()) {
                    // Pieces missing at the end of the input: a bug, never expected. Report, don't hang.
                    Map.Entry<Long, Pending> e = pending.entrySet().iterator().next();
                    pending.remove(e.getKey());
                    e.getValue().release();
                    throw new IllegalStateException("image " + e.getKey() + " lost tiles: got "
                            + e.getValue().received + " pieces");
                }
                return next != null;
            }

            @Override
            public ManifestRow next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                ManifestRow r = next;
                next = null;
                return r;
            }
        };
    }

    private ManifestRow accept(Map<Long, Pending> pending, Piece p, Buffers buffers) {
        Pending img = pending.get(p.image);
        if (img == null) {
            img = new Pending(p);
            pending.put(p.image, img);
        }
        boolean complete = img.count(p);
        img.opsNanos += p.opsNanos;
        if (p.meta != null && (img.meta == null || p.meta.error != null)) {
            img.meta = p.meta; // a share that failed to read or decode speaks for the image
        }
        if (p.error != null && img.error == null) {
            img.error = p.error;
        }
        boolean kept = false;
        try {
            if (p.untiled) {
                img.whole = p;
                kept = true;
            } else if (p.tile != null && img.error == null) {
                img.stitchers(p);
                img.colour.add(p.tile);
                if (img.alpha != null) {
                    img.alpha.add(new io.tilespark.tiling.Tile(p.image, p.tile.index, p.tile.count, p.tile.core,
                            p.tile.core, p.alpha));
                }
            }
        } catch (RuntimeException e) {
            img.error = "stitching failed: " + ManifestRow.oneLine(e);
        } finally {
            if (!kept) {
                p.release();
            }
        }
        if (!complete) {
            return null;
        }
        pending.remove(p.image);
        try {
            return finish(img, buffers);
        } catch (StorageUnavailableException e) {
            pending.values().forEach(Pending::release); // the task ends here: free the other half-built images
            pending.clear();
            throw e;
        } finally {
            img.release();
        }
    }

    private ManifestRow finish(Pending img, Buffers buffers) {
        ImageMeta meta = img.meta;
        ManifestRow row = new ManifestRow();
        row.input = meta.file.uri;
        row.relative = meta.file.relative;
        row.size = meta.file.size;
        row.mtime = meta.file.mtime;
        row.width = meta.width;
        row.height = meta.height;
        row.channels = meta.channels;
        row.format = meta.format;
        row.ops = spec.plan.spec();
        row.tiles = meta.tiles;
        row.msRead = meta.readMs;
        row.msDecode = meta.decodeMs;
        row.msOps = img.opsNanos / 1_000_000;
        List<String> notes = new ArrayList<>(meta.notes);
        String error = meta.error != null ? meta.error : img.error;
        if (error == null) {
            try {
                FaultInjection.at(FaultInjection.Point.WRITE, meta.file.relative);
                write(img, row, notes, buffers);
            } catch (IOException | RuntimeException e) {
                StorageErrors.rethrowIfUnavailable(e, spec.output); // an outage fails the task, not this image
                error = ManifestRow.oneLine(e);
            } catch (Error e) {
                error = Attempts.absorbOnLastAttempt(e); // rethrown, for a retry, unless on the last attempt
            }
        }
        row.notes = notes.isEmpty() ? null : String.join("; ", notes);
        metrics.bytesIn.add(meta.file.size);
        if (meta.error == null) {
            metrics.imagesRead.add(1);
        }
        if (error != null) {
            row.status = ManifestRow.FAILED;
            row.error = error;
            row.output = null;
            metrics.imagesFailed.add(1);
        } else {
            row.status = ManifestRow.OK;
            if (spec.incremental) {
                Journal.record(conf.value(), spec.output, runId, row);
            }
            metrics.imagesWritten.add(1);
            metrics.tiles.add(meta.tiles);
            metrics.kilopixels.add(((long) meta.width * meta.height + 500) / 1000);
            metrics.bytesOut.add(row.bytesOut);
        }
        return row;
    }

    private void write(Pending img, ManifestRow row, List<String> notes, Buffers buffers) throws IOException {
        long t0 = System.nanoTime();
        Mat stitched = null;
        Mat alpha = null;
        Mat result;
        try {
            if (img.whole != null) {
                // Untiled: the whole chain, exactly as the reference applies it.
                try {
                    spec.plan.applyWhole(img.whole.tile.pixels.mat(), buffers.out, buffers.scratch);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("operator failed on the whole image: " + ManifestRow.oneLine(e), e);
                }
                result = buffers.out;
                alpha = img.whole.alpha == null ? null : img.whole.alpha.mat();
                long spent = System.nanoTime() - t0;
                row.msOps += spent / 1_000_000;
                t0 += spent;
            } else {
                stitched = img.colour.take();
                alpha = img.alpha == null ? null : img.alpha.take();
                result = stitched;
                if (spec.plan.hasWholeImageTail()) {
                    spec.plan.finish(stitched, buffers.out, buffers.scratch);
                    result = buffers.out;
                }
            }
            if (!spec.plan.analysis().isEmpty()) {
                // Analysis is operator work: counted in ms_ops, not in ms_stitch.
                long a0 = System.nanoTime();
                row.analysis = new ArrayList<>(Analysis.run(spec.plan.analysis(), result));
                long spent = System.nanoTime() - a0;
                row.msOps += spent / 1_000_000;
                t0 += spent;
            }
            long t1 = System.nanoTime();
            ImageFormat target = outputFormat(ImageFormat.valueOf(img.meta.format.toUpperCase(java.util.Locale.ROOT)));
            Codec.Encoded enc = Codec.encode(result, alpha, target, spec.quality);
            notes.addAll(enc.notes);
            long t2 = System.nanoTime();
            String rel = OutputPaths.outputRelative(img.meta.file.relative, target);
            Path root = new Path(spec.output);
            Path dest = io.tilespark.io.OutputLocation.resolve(root, rel);
            FileSystem fs = Stages.fs(conf, spec.output);
            AtomicOutput.write(fs, AtomicOutput.stagingDir(root, runId), dest, enc.bytes);
            long t3 = System.nanoTime();
            thumbs.publish(fs, AtomicOutput.stagingDir(root, runId), img.meta.file.id, img.meta.thumb, result);
            row.output = fs.makeQualified(dest).toString();
            row.bytesOut = enc.bytes.length;
            row.msStitch = (t1 - t0) / 1_000_000;
            row.msEncode = (t2 - t1) / 1_000_000;
            row.msWrite = (t3 - t2) / 1_000_000;
        } finally {
            if (stitched != null) {
                stitched.release();
                if (alpha != null) {
                    alpha.release();
                }
            }
            if (img.whole != null) {
                // The decoded image and its alpha are freed now, not when the partition ends.
                img.whole.release();
                img.whole = null;
            }
        }
    }

    private ImageFormat outputFormat(ImageFormat input) {
        switch (spec.format) {
            case "png":
                return ImageFormat.PNG;
            case "jpg":
                return ImageFormat.JPEG;
            default:
                return input.encodable ? input : ImageFormat.PNG;
        }
    }
}
