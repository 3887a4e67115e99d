package io.tilespark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.tilespark.io.DecodePolicy;
import io.tilespark.io.ImageFormat;
import io.tilespark.ops.UsageException;

/** The bulk-run options become the job's settings, and nonsense is a usage error before Spark starts. */
class NightlyOptionsTest {

    @Test
    void maxPixelsTakesPlainCountsAndDecimalSuffixes() {
        assertEquals(250_000_000L, NightlyOptions.pixels("250M"));
        assertEquals(1_000_000_000L, NightlyOptions.pixels("1g"));
        assertEquals(12345L, NightlyOptions.pixels("12345"));
        for (String bad : new String[] {"0", "-5M", "lots", "2.5M", "M"}) {
            assertThrows(UsageException.class, () -> NightlyOptions.pixels(bad), bad);
        }
    }

    @Test
    void optionsReachTheDecodePolicy() {
        DecodePolicy p = NightlyOptions.decodePolicy("jpeg,png", "10M", true);
        assertEquals(10_000_000L, p.maxPixels);
        assertFalse(p.applyOrientation);
        assertTrue(p.allows(ImageFormat.PNG));
        assertFalse(p.allows(ImageFormat.BMP));
        assertTrue(NightlyOptions.decodePolicy(null, "250M", false).applyOrientation);
    }

    @Test
    void badOptionsExitWithTheUsageCode() {
        assertEquals(Main.EXIT_USAGE, Main.run("--input", "x", "--output", "y", "--ops", "grey", "--max-pixels", "huge"));
        assertEquals(Main.EXIT_USAGE, Main.run("--input", "x", "--output", "y", "--ops", "grey", "--formats", "heic"));
        assertEquals(Main.EXIT_USAGE, Main.run("--input", "x", "--output", "y", "--ops", "grey", "--max-failures", "-1"));
    }
}
