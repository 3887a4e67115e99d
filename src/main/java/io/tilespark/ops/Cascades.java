package io.tilespark.ops;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.opencv.objdetect.CascadeClassifier;

/**
 * Cascade classifier models on executors: each JVM writes a model's bytes to one local file (keyed
 * by content hash), and each thread loads its own {@link CascadeClassifier} from it once and keeps
 * it. One per thread because detectMultiScale mutates the classifier's working data and is not
 * safe to call on one instance from several threads (opencv/opencv#4287 asks for a const version;
 * opencvsharp#1293 shows the crash); loaded once, not per task or per image, because parsing a
 * cascade's XML is not free (130-190 ms for haarcascade_frontalface_default on a busy 2-core
 * machine, 2026-11-27). OpenCV's Java API loads cascades only from a file name, hence the
 * local file.
 */
public final class Cascades {

    /** A model's bytes as an executor reaches them: a Spark broadcast in the job, memory in tests. */
    public interface Source extends Serializable {
        /** Hex SHA-256 of the bytes: the cache key. */
        String sha256();

        byte[] bytes();
    }

    private static final Map<String, Path> FILES = new ConcurrentHashMap<>();
    private static final ThreadLocal<Map<String, CascadeClassifier>> MINE = ThreadLocal.withInitial(HashMap::new);
    private static final AtomicInteger FILES_WRITTEN = new AtomicInteger();
    private static final AtomicInteger LOADS = new AtomicInteger();
    private static final Set<Long> LOADING_THREADS = Collections.newSetFromMap(new ConcurrentHashMap<>());

    private Cascades() {
    }

    /** Model bytes held in memory (tests, and anything without Spark). */
    public static Source inMemory(byte[] bytes) {
        final byte[] copy = bytes.clone();
        final String sha = sha256(copy);
        return new Source() {
            private static final long serialVersionUID = 1L;

            @Override
            public String sha256() {
                return sha;
            }

            @Override
            public byte[] bytes() {
                return copy;
            }
        };
    }

    /** The calling thread's classifier for a model, loaded on first use. */
    static CascadeClassifier forThisThread(Source model) {
        Map<String, CascadeClassifier> mine = MINE.get();
        CascadeClassifier c = mine.get(model.sha256());
        if (c == null) {
            Path file = FILES.computeIfAbsent(model.sha256(), k -> write(model));
            c = new CascadeClassifier(file.toString());
            if (c.empty()) {
                throw new IllegalStateException("OpenCV could not load the cascade in " + file);
            }
            LOADS.incrementAndGet();
            LOADING_THREADS.add(Thread.currentThread().getId());
            mine.put(model.sha256(), c);
        }
        return c;
    }

    private static Path write(Source model) {
        byte[] bytes = model.bytes();
        String sha = sha256(bytes);
        if (!sha.equals(model.sha256())) {
            throw new IllegalStateException("model bytes do not match their hash " + model.sha256());
        }
        try {
            Path f = Files.createTempFile("tilespark-cascade-" + sha.substring(0, 12) + "-", ".xml");
            f.toFile().deleteOnExit();
            Files.write(f, bytes);
            FILES_WRITTEN.incrementAndGet();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cascade model to a local temp file", e);
        }
    }

    /**
     * Checks on the driver that OpenCV can load {@code bytes} as a cascade, so a wrong file is a
     * usage error before any image is read, not a failure of every image.
     */
    public static void validate(byte[] bytes, String what) {
        String hint = what + " is not a cascade classifier OpenCV can load (expected a Haar or LBP cascade XML, "
                + "e.g. from Debian's opencv-data: /usr/share/opencv4/haarcascades/)";
        if (bytes.length == 0) {
            throw new UsageException(what + " is empty");
        }
        Path f = null;
        try {
            f = Files.createTempFile("tilespark-cascade-check-", ".xml");
            Files.write(f, bytes);
            CascadeClassifier c = new CascadeClassifier();
            boolean ok;
            try {
                ok = c.load(f.toString()) && !c.empty();
            } catch (RuntimeException e) {
                // OpenCV throws (CvException) on XML it cannot parse, instead of returning false.
                ok = false;
            }
            if (!ok) {
                throw new UsageException(hint);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a temp file to check " + what, e);
        } finally {
            if (f != null) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            StringBuilder sb = new StringBuilder(64);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    /** Model files this JVM has written (at most one per model). */
    public static int filesWritten() {
        return FILES_WRITTEN.get();
    }

    /** Classifiers loaded in this JVM (one per thread and model). */
    public static int loads() {
        return LOADS.get();
    }

    /** Threads that have loaded a classifier in this JVM. */
    public static int loadingThreads() {
        return LOADING_THREADS.size();
    }
}
