package io.tilespark.job;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import io.tilespark.cv.OpenCv;
import io.tilespark.ops.Analyzer;
import io.tilespark.ops.Cascades;
import io.tilespark.ops.Detect;
import io.tilespark.ops.Plan;
import io.tilespark.ops.UsageException;

/**
 * Ships detector models: on the driver, before any image is read, each model is read through
 * Hadoop's FileSystem (so it may sit in blob storage next to the images), loaded once with OpenCV
 * to prove it is a cascade, and broadcast; executors fetch it once per JVM (see {@link Cascades}).
 * A missing or unusable model is a usage error.
 */
final class Models {

    /** Far above any cascade (opencv-data's largest is under 3 MB); guards against a wrong URI. */
    static final long MAX_BYTES = 64L << 20;

    private Models() {
    }

    static void ship(Plan plan, Configuration hadoop, JavaSparkContext jsc) throws IOException {
        Map<String, Cascades.Source> byUri = new HashMap<>();
        for (Analyzer a : plan.analysis()) {
            if (!(a instanceof Detect)) {
                continue;
            }
            Detect d = (Detect) a;
            Cascades.Source src = byUri.get(d.modelUri());
            if (src == null) {
                String what = "the model of " + d.analyzer() + " (" + d.modelUri() + ")";
                byte[] bytes = read(d.modelUri(), hadoop, what);
                OpenCv.load();
                Cascades.validate(bytes, what);
                src = new Shipped(Cascades.sha256(bytes), jsc.broadcast(bytes));
                byUri.put(d.modelUri(), src);
            }
            d.bind(src);
        }
    }

    static byte[] read(String uri, Configuration hadoop, String what) throws IOException {
        Path p;
        try {
            p = new Path(uri);
        } catch (IllegalArgumentException e) {
            throw new UsageException(what + " is not a valid URI: " + e.getMessage());
        }
        FileSystem fs = p.getFileSystem(hadoop);
        FileStatus st;
        try {
            st = fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new UsageException(what + " not found");
        }
        if (st.isDirectory()) {
            throw new UsageException(what + " is a directory, not a model file");
        }
        if (st.getLen() > MAX_BYTES) {
            throw new UsageException(what + " is " + st.getLen() + " bytes; a cascade model is at most "
                    + MAX_BYTES + " bytes");
        }
        try (InputStream in = fs.open(p)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(32, st.getLen()));
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    /** A model as executors reach it: its hash, and its bytes behind a broadcast fetched once per JVM. */
    static final class Shipped implements Cascades.Source {
        private static final long serialVersionUID = 1L;
        private final String sha256;
        private final Broadcast<byte[]> bytes;

        Shipped(String sha256, Broadcast<byte[]> bytes) {
            this.sha256 = sha256;
            this.bytes = bytes;
        }

        @Override
        public String sha256() {
            return sha256;
        }

        @Override
        public byte[] bytes() {
            return bytes.value();
        }
    }
}
