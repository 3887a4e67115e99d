package io.tilespark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.opencv.core.Mat;

import io.tilespark.Main;

/** Runs the real job through its CLI in Spark local mode, and writes input files for it. */
public final class Jobs {

    private Jobs() {
    }

    /** Main.run with a two-slot local master that allows task retries, and quiet output. */
    public static int run(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--master");
        all.add("local[2,2]");
        all.add("--quiet");
        return Main.run(all.toArray(new String[0]));
    }

    public static Path write(Path dir, String relative, byte[] bytes) {
        try {
            Path p = dir.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.write(p, bytes);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A seeded scene encoded in the format of {@code ext} (".png", ".jpg", ...). */
    public static byte[] image(String ext, int rows, int cols, int channels, long seed) {
        Mat m = TestImages.scene(rows, cols, channels, seed);
        try {
            return ImageFiles.encode(ext, m);
        } finally {
            m.release();
        }
    }
}
