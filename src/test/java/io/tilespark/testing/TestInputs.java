package io.tilespark.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

/** Input folders for job tests: small synthetic images (format from the extension) and broken files. */
public final class TestInputs {

    private TestInputs() {
    }

    /** Writes one synthetic image per name into {@code dir}, each with its own seed. */
    public static void images(Path dir, int cols, int rows, String... names) throws IOException {
        Files.createDirectories(dir);
        long seed = 11;
        for (String name : names) {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Mat m = TestImages.scene(rows, cols, 3, seed++);
            try {
                if (!Imgcodecs.imwrite(p.toString(), m)) {
                    throw new IOException("cannot write " + p);
                }
            } finally {
                m.release();
            }
        }
    }

    /** A file with an image name that is not an image. */
    public static void garbage(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), "this is not an image".getBytes(StandardCharsets.US_ASCII));
    }
}
