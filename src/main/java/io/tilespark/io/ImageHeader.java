package io.tilespark.io;

import java.io.Serializable;

/**
 * What an image file says about itself before any pixel is decoded: enough to refuse it (too
 * big, inconsistent, a kind we do not process) without letting a native decoder allocate for it.
 */
public final class ImageHeader implements Serializable {
    private static final long serialVersionUID = 1L;

    /** EXIF/TIFF orientation 1: stored rows are already upright. */
    public static final int UPRIGHT = 1;

    public final ImageFormat format;
    public final int width;
    public final int height;
    /** Samples per pixel as stored, alpha included; 0 when the header does not say. */
    public final int channels;
    /** Bits per sample as stored; 0 when the header does not say. */
    public final int bits;
    /**
     * Largest sample value OpenCV's decoder returns for this file: 255 or 65535 mostly, but 4095
     * for 12-bit TIFF and maxval for binary PNM, which the decoder does not rescale. 0 when unknown.
     */
    public final int maxValue;
    /** EXIF orientation 1..8 found in the file's metadata; {@link #UPRIGHT} when there is none. */
    public final int orientation;
    /** Four-channel JPEG (CMYK or YCCK). */
    public final boolean cmyk;
    /** For a four-channel JPEG: an Adobe APP14 marker is present, so the ink values are stored inverted. */
    public final boolean adobe;
    /**
     * The file has no alpha, even if the decoder returns a fourth channel: libtiff's RGBA reader
     * adds an opaque one to CMYK, and OpenCV's BMP decoder returns the unused byte of 32-bit
     * bit-field pixels as alpha.
     */
    public final boolean noAlpha;
    /** An animation (APNG, animated WebP): only one still image of it is processed. */
    public final boolean animated;
    /** The decoder returns colour premultiplied by alpha (some TIFFs, see TiffHeader); it must be undone. */
    public final boolean premultiplied;

    private ImageHeader(Builder b) {
        this.format = b.format;
        this.width = b.width;
        this.height = b.height;
        this.channels = b.channels;
        this.bits = b.bits;
        this.maxValue = b.maxValue;
        this.orientation = b.orientation;
        this.cmyk = b.cmyk;
        this.adobe = b.adobe;
        this.noAlpha = b.noAlpha;
        this.animated = b.animated;
        this.premultiplied = b.premultiplied;
    }

    public long pixels() {
        return (long) width * height;
    }

    static Builder of(ImageFormat format, long width, long height) throws DecodeException {
        return new Builder(format, width, height);
    }

    @Override
    public String toString() {
        return format.label() + " " + width + "x" + height + (channels > 0 ? " " + channels + "ch" : "")
                + (bits > 0 ? " " + bits + "-bit" : "") + (orientation != UPRIGHT ? " orientation " + orientation : "");
    }

    /** Collects fields while a header is parsed; dimensions are checked once, here. */
    static final class Builder {
        /** OpenCV's own ceiling per side (CV_IO_MAX_IMAGE_WIDTH/HEIGHT in imgcodecs' loadsave.cpp). */
        static final long MAX_SIDE = 1 << 20;

        private final ImageFormat format;
        private final int width;
        private final int height;
        private int channels;
        private int bits;
        private int maxValue;
        private int orientation = UPRIGHT;
        private boolean cmyk;
        private boolean adobe;
        private boolean noAlpha;
        private boolean animated;
        private boolean premultiplied;

        private Builder(ImageFormat format, long width, long height) throws DecodeException {
            if (width <= 0 || height <= 0) {
                throw new DecodeException(format.label() + " header gives an empty image (" + width + "x" + height + ")");
            }
            if (width > MAX_SIDE || height > MAX_SIDE) {
                throw new DecodeException(format.label() + " header gives an absurd size " + width + "x" + height
                        + " (each side must be <= " + MAX_SIDE + ")");
            }
            this.format = format;
            this.width = (int) width;
            this.height = (int) height;
        }

        Builder channels(int v) {
            this.channels = v;
            return this;
        }

        Builder bits(int v) {
            this.bits = v;
            return this;
        }

        Builder maxValue(int v) {
            this.maxValue = v;
            return this;
        }

        Builder orientation(int v) {
            this.orientation = v >= 1 && v <= 8 ? v : UPRIGHT;
            return this;
        }

        Builder cmyk(boolean isCmyk, boolean hasAdobe) {
            this.cmyk = isCmyk;
            this.adobe = hasAdobe;
            return this;
        }

        Builder premultiplied(boolean v) {
            this.premultiplied = v;
            return this;
        }

        Builder animated(boolean v) {
            this.animated = v;
            return this;
        }

        Builder noAlpha(boolean v) {
            this.noAlpha = v;
            return this;
        }

        ImageHeader build() {
            return new ImageHeader(this);
        }
    }
}
