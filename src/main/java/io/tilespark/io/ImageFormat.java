package io.tilespark.io;

import java.util.Locale;

/**
 * Image formats, identified by their magic bytes and never by file extension: a ".jpg" that is
 * really a PNG (or an HTML error page) is common in scraped and uploaded folders.
 */
public enum ImageFormat {
    JPEG("jpg", true),
    PNG("png", true),
    TIFF("tif", true),
    WEBP("webp", true),
    BMP("bmp", true),
    GIF("gif", false),
    JPEG2000("jp2", true),
    EXR("exr", true),
    PNM("pnm", true),
    HDR("hdr", true),
    UNKNOWN("", false);

    /** The extension written for this format. */
    public final String extension;
    /** Whether OpenCV can write it. */
    public final boolean encodable;

    ImageFormat(String extension, boolean encodable) {
        this.extension = extension;
        this.encodable = encodable;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Identifies the format from the first bytes of the file (16 are enough). */
    public static ImageFormat sniff(byte[] b) {
        if (b == null || b.length < 2) {
            return UNKNOWN;
        }
        if (starts(b, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (starts(b, 'I', 'I', 0x2A, 0x00) || starts(b, 'M', 'M', 0x00, 0x2A)
                || starts(b, 'I', 'I', 0x2B, 0x00) || starts(b, 'M', 'M', 0x00, 0x2B)) {
            return TIFF;
        }
        if (b.length >= 12 && starts(b, 'R', 'I', 'F', 'F') && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return WEBP;
        }
        if (starts(b, 'B', 'M')) {
            return BMP;
        }
        if (starts(b, 'G', 'I', 'F', '8')) {
            return GIF;
        }
        if (starts(b, 0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ') || starts(b, 0xFF, 0x4F, 0xFF, 0x51)) {
            return JPEG2000;
        }
        if (starts(b, 0x76, 0x2F, 0x31, 0x01)) {
            return EXR;
        }
        if (b[0] == 'P' && b[1] >= '1' && b[1] <= '7') {
            return PNM;
        }
        if (starts(b, '#', '?')) {
            return HDR;
        }
        return UNKNOWN;
    }

    private static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
