package io.tilespark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

/** The per-build allowlist and --formats parsing. */
class FormatPolicyTest {

    @Test
    void defaultsDifferByBuild() {
        assertEquals(EnumSet.of(ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.TIFF, ImageFormat.WEBP, ImageFormat.BMP,
                ImageFormat.PNM), FormatPolicy.defaultAllowed("bytedeco"));
        assertEquals(EnumSet.of(ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.BMP, ImageFormat.PNM),
                FormatPolicy.defaultAllowed("openpnp"));
    }

    @Test
    void everyAllowedFormatHasAHeaderCheck() {
        for (String build : new String[] {"bytedeco", "openpnp"}) {
            for (ImageFormat f : ImageFormat.values()) {
                if (FormatPolicy.status(build, f) != FormatPolicy.Status.REFUSED) {
                    assertTrue(Headers.readable(f), build + " may decode " + f + " but it has no header check");
                }
            }
        }
    }

    @Test
    void optInFormatsAreAcceptedByNameAndRefusedOnesAreUsageErrors() {
        assertEquals(EnumSet.of(ImageFormat.JPEG, ImageFormat.TIFF), FormatPolicy.parse("jpg, TIF", "openpnp"));
        assertEquals(EnumSet.of(ImageFormat.GIF, ImageFormat.PNM), FormatPolicy.parse("gif,ppm", "bytedeco"));
        IllegalArgumentException webp = assertThrows(IllegalArgumentException.class,
                () -> FormatPolicy.parse("jpeg,webp", "openpnp"));
        assertTrue(webp.getMessage().contains("CVE-2023-4863"), webp.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FormatPolicy.parse("jpeg,exr", "bytedeco"));
        assertThrows(IllegalArgumentException.class, () -> FormatPolicy.parse("jpeg,heic", "bytedeco"));
        assertThrows(IllegalArgumentException.class, () -> FormatPolicy.parse(" , ", "bytedeco"));
    }
}
