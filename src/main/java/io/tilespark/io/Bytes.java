package io.tilespark.io;

import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reads from an untrusted file's bytes. Every read past the end becomes a
 * {@link DecodeException} naming what was being read, never an ArrayIndexOutOfBoundsException.
 */
final class Bytes {
    private final byte[] b;
    private final String what;

    Bytes(byte[] b, String what) {
        this.b = b;
        this.what = what;
    }

    int length() {
        return b.length;
    }

    boolean has(long off, long len) {
        return off >= 0 && len >= 0 && off + len <= b.length;
    }

    void need(long off, long len) throws DecodeException {
        if (!has(off, len)) {
            throw new DecodeException("truncated " + what + ": needs bytes " + off + ".." + (off + len)
                    + " of a " + b.length + "-byte file");
        }
    }

    int u8(long off) throws DecodeException {
        need(off, 1);
        return b[(int) off] & 0xFF;
    }

    int u16(long off, boolean bigEndian) throws DecodeException {
        need(off, 2);
        int i = (int) off;
        return bigEndian ? (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF) : (b[i + 1] & 0xFF) << 8 | (b[i] & 0xFF);
    }

    int u24le(long off) throws DecodeException {
        need(off, 3);
        int i = (int) off;
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16;
    }

    long u32(long off, boolean bigEndian) throws DecodeException {
        need(off, 4);
        int i = (int) off;
        long v = bigEndian
                ? (long) (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF)
                : (long) (b[i + 3] & 0xFF) << 24 | (b[i + 2] & 0xFF) << 16 | (b[i + 1] & 0xFF) << 8 | (b[i] & 0xFF);
        return v & 0xFFFFFFFFL;
    }

    /** An unsigned 64-bit value; anything beyond Long.MAX_VALUE is as absurd as the caller's check says. */
    long u64(long off, boolean bigEndian) throws DecodeException {
        long hi = u32(off + (bigEndian ? 0 : 4), bigEndian);
        long lo = u32(off + (bigEndian ? 4 : 0), bigEndian);
        return hi << 32 | lo;
    }

    /** A signed 32-bit little-endian value (BMP dimensions may be negative). */
    int s32le(long off) throws DecodeException {
        return (int) u32(off, false);
    }

    String ascii(long off, int len) throws DecodeException {
        need(off, len);
        return new String(b, (int) off, len, StandardCharsets.ISO_8859_1);
    }

    boolean matches(long off, String ascii) {
        if (!has(off, ascii.length())) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if ((b[(int) off + i] & 0xFF) != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A view of [off, off+len) as its own bounds-checked reader, e.g. an EXIF block inside a JPEG segment. */
    Bytes slice(long off, long len, String sliceWhat) throws DecodeException {
        need(off, len);
        byte[] s = new byte[(int) len];
        System.arraycopy(b, (int) off, s, 0, (int) len);
        return new Bytes(s, sliceWhat);
    }

    byte[] raw() {
        return b;
    }
}
