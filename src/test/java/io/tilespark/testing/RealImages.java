package io.tilespark.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Real photos and real cascade models, read where Debian installs them; the repository bundles
 * neither. .ci/run installs the packages ({@code opencv-data}, {@code python3-skimage}) and sets
 * TILESPARK_REQUIRE_TEST_DATA=1, so in CI a missing file fails the test; elsewhere the test is
 * skipped with the install hint.
 *
 * <p>Known faces, located by eye in each photo (centre of the face, pixels):
 * astronaut.png (scikit-image data, NASA portrait of Eileen Collins, public domain) at (224, 113);
 * hopper.png (Pillow's test corpus, portrait of Grace Hopper, public domain) at (63, 49).
 * coffee.png (scikit-image data, a cup of coffee) has no face.
 */
public final class RealImages {

    public static final Path HAAR = Paths.get("/usr/share/opencv4/haarcascades");
    public static final Path FRONTAL_FACE = HAAR.resolve("haarcascade_frontalface_default.xml");
    public static final Path EYES = HAAR.resolve("haarcascade_eye.xml");
    public static final Path SKIMAGE = Paths.get("/usr/lib/python3/dist-packages/skimage/data");
    public static final Path ASTRONAUT = SKIMAGE.resolve("astronaut.png");
    public static final Path COFFEE = SKIMAGE.resolve("coffee.png");
    public static final Path HOPPER = Paths.get("../shared/corpora/pillow-images/hopper.png");

    private RealImages() {
    }

    /** Returns {@code p} from the shared corpus, or skips the test (also in CI, which has no corpus). */
    public static Path optional(Path p) {
        Assumptions.assumeTrue(Files.isRegularFile(p), p + " is missing (the shared Pillow corpus)");
        return p;
    }

    /** Returns {@code p}, or skips the test (fails it in CI) when it is not installed. */
    public static Path require(Path p) {
        if (!Files.isRegularFile(p)) {
            String why = p + " is missing: apt-get install -y opencv-data python3-skimage "
                    + "(and the shared Pillow corpus for hopper.png)";
            if ("1".equals(System.getenv("TILESPARK_REQUIRE_TEST_DATA"))) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
        return p;
    }
}
