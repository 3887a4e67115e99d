package io.tilespark.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Pillow's test images, kept outside the repository at ../shared/corpora/pillow-images relative
 * to the project root (the same place in CI). Tests that need them fail with a clear message when
 * the folder is missing, rather than passing without having looked at anything.
 */
public final class Corpus {

    private Corpus() {
    }

    public static Path root() {
        Path project = Paths.get(System.getProperty("tilespark.project.dir", System.getProperty("user.dir")))
                .toAbsolutePath();
        Path dir = project.resolve("../shared/corpora/pillow-images").normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the Pillow image corpus is missing: expected it at " + dir
                    + " (../shared/corpora/pillow-images relative to the project root)");
        }
        return dir;
    }

    public static Path file(String name) {
        Path p = root().resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("corpus file missing: " + p);
        }
        return p;
    }
}
