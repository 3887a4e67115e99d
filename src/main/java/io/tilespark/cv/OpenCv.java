package io.tilespark.cv;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Properties;

import org.opencv.core.Core;

/**
 * Loads the OpenCV natives once per JVM. The only class that knows which native build the jar
 * carries: the bytedeco 4.13 build (default target, glibc 2.35+) or the openpnp 4.7 build
 * (HDInsight 5.1 and older Linux, glibc 2.27). Both expose the same {@code org.opencv.*} API, so
 * they are reached by reflection here and nowhere else.
 */
public final class OpenCv {

    private static volatile boolean loaded;
    private static String build = "unloaded";

    private OpenCv() {
    }

    /**
     * Loads the natives once per JVM and sets the calling thread's OpenCV flags. Idempotent,
     * thread-safe and cheap after the first call, so every task calls it.
     *
     * <p>IPP is switched off because its filters are not bit-exact with OpenCV's own code, and
     * OpenCV picks between them by image size and by whether the Mat is a sub-matrix (a tile
     * view is; a whole image is not). With IPP on, a tile and the whole image can round
     * differently. The flag lives in OpenCV's thread-local data, hence per thread.
     */
    public static void load() {
        loadOnce();
        Core.setUseIPP(false);
    }

    private static void loadOnce() {
        if (loaded) {
            return;
        }
        synchronized (OpenCv.class) {
            if (loaded) {
                return;
            }
            try {
                if (present("org.bytedeco.javacpp.Loader")) {
                    Class<?> loader = Class.forName("org.bytedeco.javacpp.Loader");
                    Method m = loader.getMethod("load", Class.class);
                    m.invoke(null, Class.forName("org.bytedeco.opencv.opencv_java"));
                    build = "bytedeco";
                } else if (present("nu.pattern.OpenCV")) {
                    // loadShared() is broken on Java >= 12 (openpnp's own note); loadLocally works on 8..25.
                    Class.forName("nu.pattern.OpenCV").getMethod("loadLocally").invoke(null);
                    build = "openpnp";
                } else {
                    throw new IllegalStateException("no OpenCV native build on the classpath");
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new IllegalStateException("cannot load OpenCV natives ("
                        + buildProperty("opencv") + " build): " + cause, cause);
            }
            loaded = true;
        }
    }

    /**
     * Starts loading the natives on a daemon thread and returns at once. Loading the bytedeco
     * build opens some sixty shared libraries and takes seconds on a cold JVM. In local mode the
     * driver JVM is also the executor, and begun before Spark starts, the load overlaps Spark's
     * own start-up instead of holding up the first task of each slot. Later {@link #load} calls
     * wait for it. A failure here is dropped: the first load in a task meets it again and reports it.
     */
    public static void loadInBackground() {
        Thread t = new Thread(() -> {
            try {
                load();
            } catch (RuntimeException | LinkageError e) {
                // reported, with context, by the first load() in a task
            }
        }, "opencv-preload");
        t.setDaemon(true);
        t.start();
    }

    private static volatile boolean pinned;

    /**
     * Loads OpenCV and pins it to one thread: on executors Spark owns the cores, and OpenCV's own
     * thread pool would fight the task slots.
     *
     * <p>The thread count is process-wide, and setting it reconfigures OpenCV's pthreads pool,
     * which is not safe against another thread doing the same at the same moment. So it is set
     * once per JVM, under a lock, by the first task, instead of by every task as before. (The
     * benchmark's plain loop, which then set it from both of its threads at start, once aborted in
     * glibc with "malloc(): unaligned tcache chunk detected" after 480 images; 30 further short
     * runs did not reproduce it, so this race is a suspect, not a proven cause.)
     */
    public static void loadForExecutor() {
        load();
        if (!pinned) {
            synchronized (OpenCv.class) {
                if (!pinned) {
                    Core.setNumThreads(1);
                    pinned = true;
                }
            }
        }
    }

    /** "bytedeco 4.13.0" or "openpnp 4.7.0", for logs and the run summary. */
    public static String describe() {
        load();
        return build + " " + Core.VERSION;
    }

    static boolean present(String name) {
        try {
            Class.forName(name, false, OpenCv.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** A value of tilespark-build.properties, written by the Maven build. */
    public static String buildProperty(String key) {
        Properties p = new Properties();
        try (InputStream in = OpenCv.class.getResourceAsStream("/tilespark-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty(key, "unknown");
    }
}
