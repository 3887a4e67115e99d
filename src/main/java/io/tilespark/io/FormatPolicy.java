package io.tilespark.io;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which input formats each build decodes. Decoders are native code fed untrusted files, so this
 * is an allowlist. The openpnp 4.7 build (HDInsight) bundles libwebp from before the fix for
 * CVE-2023-4863, so WebP is refused there; the bytedeco 4.13 build's codecs are newer.
 */
public final class FormatPolicy {

    private FormatPolicy() {
    }

    public static Set<ImageFormat> defaultAllowed(String opencvBuild) {
        EnumSet<ImageFormat> s = EnumSet.of(ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.TIFF,
                ImageFormat.BMP, ImageFormat.PNM);
        if ("bytedeco".equals(opencvBuild)) {
            s.add(ImageFormat.WEBP);
        }
        return Collections.unmodifiableSet(s);
    }
}
