package io.tilespark.io;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** What the decoder may accept and how it presents pixels: fixed per run, shipped to executors. */
public final class DecodePolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    /** 250 MP: a 16-bit RGBA image of that size is 2 GB of native memory before any processing. */
    public static final long DEFAULT_MAX_PIXELS = 250_000_000L;

    private final EnumSet<ImageFormat> allowed;
    public final long maxPixels;
    /** Rotate/flip by the EXIF orientation, as photo viewers do. */
    public final boolean applyOrientation;
    /** "bytedeco" or "openpnp": the reasons for refusals depend on it. */
    public final String build;

    public DecodePolicy(Set<ImageFormat> allowed, long maxPixels, boolean applyOrientation, String build) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("max pixels must be >= 1, got " + maxPixels);
        }
        this.allowed = allowed.isEmpty() ? EnumSet.noneOf(ImageFormat.class) : EnumSet.copyOf(allowed);
        this.maxPixels = maxPixels;
        this.applyOrientation = applyOrientation;
        this.build = build;
    }

    /** The build's default allowlist, 250 MP, orientation applied. */
    public static DecodePolicy defaults(String build) {
        return new DecodePolicy(FormatPolicy.defaultAllowed(build), DEFAULT_MAX_PIXELS, true, build);
    }

    public Set<ImageFormat> allowed() {
        return Collections.unmodifiableSet(allowed);
    }

    public boolean allows(ImageFormat f) {
        return allowed.contains(f);
    }

    public DecodePolicy withMaxPixels(long v) {
        return new DecodePolicy(allowed, v, applyOrientation, build);
    }

    public DecodePolicy withOrientation(boolean apply) {
        return new DecodePolicy(allowed, maxPixels, apply, build);
    }

    public DecodePolicy withFormats(Set<ImageFormat> formats) {
        return new DecodePolicy(formats, maxPixels, applyOrientation, build);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (ImageFormat f : allowed) {
            sb.append(sb.length() > 0 ? "," : "").append(f.label());
        }
        return "formats=" + sb + " max-pixels=" + maxPixels + (applyOrientation ? "" : " keep-orientation");
    }
}
