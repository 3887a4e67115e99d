package io.tilespark.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.opencv.core.Mat;

import io.tilespark.cv.OpenCv;
import io.tilespark.cv.Pixels;
import io.tilespark.io.AtomicOutput;
import io.tilespark.io.Codec;
import io.tilespark.io.DecodeException;
import io.tilespark.io.Decoded;
import io.tilespark.io.OutputPaths;
import io.tilespark.io.StorageErrors;
import io.tilespark.ops.Plan;
import io.tilespark.report.ManifestRow;
import io.tilespark.report.Thumbnails;
import io.tilespark.tiling.Stitcher;
import io.tilespark.tiling.Tile;
import io.tilespark.tiling.TileGrid;
import io.tilespark.tiling.Tiler;

/** The executor-side steps of the job, one function per step. */
final class Stages {

    private Stages() {
    }

    /**
     * The file system for image reads and writes. For file: it is the raw local one: the default
     * checksummed wrapper would write a .crc beside every image and build ".NAME.crc" paths that
     * Hadoop cannot parse for names with a colon. (Setting fs.file.impl instead would change the
     * JVM-wide cached instance and break FileSystem.getLocal() for everyone else.)
     */
    static FileSystem fs(Broadcast<HadoopConf> conf, String uri) throws IOException {
        FileSystem fs = new Path(uri).getFileSystem(conf.value().get());
        return fs instanceof org.apache.hadoop.fs.LocalFileSystem ? ((org.apache.hadoop.fs.LocalFileSystem) fs).getRaw() : fs;
    }

    /**
     * Read: fetch the bytes, decode, and cut into tiles (lazily, one tile at a time): all of them,
     * or only the share's own when the image is spread over several tasks ({@link Share}).
     */
    static final class ReadAndCut implements FlatMapFunction<Share, Piece> {
        private static final long serialVersionUID = 1L;
        private final JobSpec spec;
        private final Broadcast<HadoopConf> conf;
        private final Thumbnails thumbs;
        private final boolean spread;

        /**
         * @param spread whether this run sends tiles to other tasks. Without that, cutting buys
         *               no speed: the tiles of an image would be processed one after another in
         *               this same task, with a copy per tile in and out and a stitch at the end.
         *               So images then go whole ({@link Piece#untiled}), as they do when the
         *               chain has nothing to tile, unless they are larger than
         *               {@link JobSpec#wholeMaxPixels}: tiles then bound the memory. Tiled and
         *               whole results are identical (TiledEqualsWholeTest), so this only changes
         *               speed and memory.
         */
        ReadAndCut(JobSpec spec, Broadcast<HadoopConf> conf, Thumbnails thumbs, boolean spread) {
            this.spec = spec;
            this.conf = conf;
            this.thumbs = thumbs;
            this.spread = spread;
        }

        @Override
        public Iterator<Piece> call(Share share) {
            OpenCv.loadForExecutor();
            InputFile file = share.file;
            ImageMeta meta = new ImageMeta(file);
            Decoded img = null;
            try {
                FaultInjection.at(FaultInjection.Point.READ, file.relative);
                long t0 = System.nanoTime();
                byte[] bytes = read(file);
                long t1 = System.nanoTime();
                try (DecodeQuarantine.Guard g = DecodeQuarantine.enter(conf.value(), spec.output, share)) {
                    img = Codec.decode(bytes, spec.decode);
                }
                meta.readMs = (t1 - t0) / 1_000_000;
                meta.decodeMs = (System.nanoTime() - t1) / 1_000_000;
                meta.format = img.format.label();
                meta.width = img.width();
                meta.height = img.height();
                meta.channels = img.sourceChannels;
                meta.notes.addAll(img.notes());
                if (share.index == 0) {
                    meta.thumb = thumbs.before(file.id, img.colour);
                }
                return cut(share, meta, img);
            } catch (DecodeException | IOException | RuntimeException | Error e) {
                if (img != null) {
                    img.close();
                }
                StorageErrors.rethrowIfUnavailable(e, file.uri); // an outage fails the job, not this image
                // Unexpected errors fail the task so that Spark retries it, except on its last attempt.
                meta.error = e instanceof Error ? Attempts.absorbOnLastAttempt((Error) e) : ManifestRow.oneLine(e);
                return Collections.singletonList(Piece.failed(share, meta)).iterator();
            }
        }

        private byte[] read(InputFile file) throws IOException {
            if (file.size > Integer.MAX_VALUE - 8) {
                throw new IOException("file of " + file.size + " bytes is too large to read into memory (2 GB limit)");
            }
            Path p = new Path(file.uri);
            try (InputStream in = fs(conf, file.uri).open(p)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, Math.max(32, file.size)));
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                }
                return out.toByteArray();
            }
        }

        /**
         * Emits the tiles of the decoded image lazily, so at most the image and one tile are held
         * at once; or, when not tiling, the whole image as one piece.
         */
        private Iterator<Piece> cut(Share share, ImageMeta meta, Decoded img) {
            boolean tiled = spec.plan.tiles() && (spread || (long) img.width() * img.height() > spec.wholeMaxPixels);
            if (!tiled) {
                if (share.count != 1) {
                    throw new IllegalStateException("an image that is not cut cannot be shared by tasks");
                }
                // The decoded Mats move into the piece as they are: no copy.
                meta.tiles = 1;
                Pixels alpha = img.alpha == null ? null : Pixels.own(img.alpha);
                return Collections.singletonList(Piece.untiled(meta, Pixels.own(img.colour), alpha)).iterator();
            }
            Plan plan = spec.plan;
            TileGrid grid = TileGrid.of(img.width(), img.height(), spec.tile, plan.halo());
            meta.tiles = grid.count();
            int mine = share.tilesOf(grid.count());
            if (mine == 0) {
                img.close();
                return Collections.singletonList(Piece.none(share)).iterator();
            }
            // Views, not copies: the operators read them in place, and a tile crosses a shuffle
            // serialised straight out of the decoded image (a copy is made if anything asks for a Mat).
            Iterator<Tile> tiles = Tiler.views(meta.file.id, img.colour, grid, share::owns);
            return new Iterator<Piece>() {
                private boolean first = share.index == 0;

                @Override
                public boolean hasNext() {
                    boolean more = tiles.hasNext();
                    if (!more) {
                        img.close();
                    }
                    return more;
                }

                @Override
                public Piece next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Tile t = tiles.next();
                    Pixels alpha = null;
                    if (img.alpha != null) {
                        alpha = Pixels.view(img.alpha.submat(t.core.toCv()));
                    }
                    Piece p = new Piece(share, mine, grid.count(), img.width(), img.height(), t, alpha,
                            first ? meta : null);
                    first = false;
                    return p;
                }
            };
        }
    }

    /** Apply: the plan's per-tile work, with two work buffers reused across the partition's tiles. */
    static final class ApplyOps implements FlatMapFunction<Iterator<Piece>, Piece> {
        private static final long serialVersionUID = 1L;
        private final Plan plan;

        ApplyOps(Plan plan) {
            this.plan = plan;
        }

        @Override
        public Iterator<Piece> call(Iterator<Piece> in) {
            OpenCv.loadForExecutor();
            Mat dst = new Mat();
            Mat scratch = new Mat();
            return new Iterator<Piece>() {
                @Override
                public boolean hasNext() {
                    boolean more = in.hasNext();
                    if (!more) {
                        dst.release();
                        scratch.release();
                    }
                    return more;
                }

                @Override
                public Piece next() {
                    Piece p = in.next();
                    if (p.tile == null || p.error != null || p.untiled) {
                        return p;
                    }
                    long t0 = System.nanoTime();
                    try {
                        Tile out = Tiler.process(p.tile, plan, dst, scratch);
                        Piece q = p.with(out, p.alpha);
                        q.opsNanos = System.nanoTime() - t0;
                        return q;
                    } catch (RuntimeException e) {
                        p.release();
                        Piece q = p.with(null, null);
                        q.error = "operator failed on " + p.tile + ": " + ManifestRow.oneLine(e);
                        return q;
                    }
                }
            };
        }
    }
}
