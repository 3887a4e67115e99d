package io.tilespark.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Builds image files byte by byte for tests: OpenCV's own encodings, then the edits that real
 * files carry and OpenCV cannot write (EXIF orientation, palettes, small maxvals, damage).
 */
public final class ImageFiles {

    private ImageFiles() {
    }

    public static byte[] encode(String ext, Mat m, int... params) {
        MatOfByte out = new MatOfByte();
        MatOfInt p = new MatOfInt(params);
        try {
            if (!Imgcodecs.imencode(ext, m, out, p)) {
                throw new IllegalStateException("cannot encode " + ext);
            }
            return out.toArray();
        } finally {
            out.release();
            p.release();
        }
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.write(p, 0, p.length);
        }
        return o.toByteArray();
    }

    public static byte[] slice(byte[] b, int from, int to) {
        byte[] s = new byte[to - from];
        System.arraycopy(b, from, s, 0, s.length);
        return s;
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A big-endian EXIF block (TIFF structure) whose first directory holds only an orientation tag. */
    public static byte[] exifOrientation(int orientation) {
        return new byte[] {
            'M', 'M', 0, 42, 0, 0, 0, 8,      // header, IFD at 8
            0, 1,                             // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1,     // tag 274, SHORT, count 1
            0, (byte) orientation, 0, 0,      // value, padded
            0, 0, 0, 0,                       // no next IFD
        };
    }

    /** Inserts an APP1 EXIF segment carrying {@code orientation} right after the JPEG's SOI. */
    public static byte[] jpegWithOrientation(byte[] jpeg, int orientation) {
        byte[] exif = concat(ascii("Exif\0\0"), exifOrientation(orientation));
        int len = exif.length + 2;
        byte[] app1 = concat(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len}, exif);
        return concat(slice(jpeg, 0, 2), app1, slice(jpeg, 2, jpeg.length));
    }

    public static byte[] pngChunk(String type, byte[] data) {
        byte[] t = ascii(type);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        long c = crc.getValue();
        return concat(be32(data.length), t, data, be32(c));
    }

    /** Inserts a chunk right after IHDR (which ends at byte 33). */
    public static byte[] pngWithChunk(byte[] png, String type, byte[] data) {
        return concat(slice(png, 0, 33), pngChunk(type, data), slice(png, 33, png.length));
    }

    /** A PNG from raw parts: IHDR fields, optional extra chunks before IDAT, deflated scanlines. */
    public static byte[] png(int w, int h, int depth, int colourType, byte[] filteredRows, byte[]... extraChunks) {
        byte[] ihdr = concat(be32(w), be32(h), new byte[] {(byte) depth, (byte) colourType, 0, 0, 0});
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] sig = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        o.write(sig, 0, sig.length);
        byte[] c = pngChunk("IHDR", ihdr);
        o.write(c, 0, c.length);
        for (byte[] x : extraChunks) {
            o.write(x, 0, x.length);
        }
        c = pngChunk("IDAT", deflate(filteredRows));
        o.write(c, 0, c.length);
        c = pngChunk("IEND", new byte[0]);
        o.write(c, 0, c.length);
        return o.toByteArray();
    }

    public static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(9);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) {
            int n = d.deflate(buf);
            o.write(buf, 0, n);
        }
        d.end();
        return o.toByteArray();
    }

    /**
     * An uncompressed, single-strip, little-endian RGBA TIFF of 8- or 16-bit samples, with
     * ExtraSamples = {@code extraSamples} (1 associated alpha, 2 unassociated). OpenCV cannot
     * write that tag. {@code samples} are R,G,B,A per pixel, row by row.
     */
    public static byte[] tiffRgba(int w, int h, int bits, int extraSamples, int[] samples) {
        int bytesPerSample = bits / 8;
        int data = samples.length * bytesPerSample;
        int entries = 11;
        int ifd = 8;
        int bpsAt = ifd + 2 + entries * 12 + 4;
        int pixelsAt = bpsAt + 8;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(pixelsAt + data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        b.putShort((short) entries);
        entry(b, 256, 4, 1, w);
        entry(b, 257, 4, 1, h);
        entry(b, 258, 3, 4, bpsAt);
        entry(b, 259, 3, 1, 1);
        entry(b, 262, 3, 1, 2);
        entry(b, 273, 4, 1, pixelsAt);
        entry(b, 277, 3, 1, 4);
        entry(b, 278, 4, 1, h);
        entry(b, 279, 4, 1, data);
        entry(b, 284, 3, 1, 1);
        entry(b, 338, 3, 1, extraSamples);
        b.putInt(0);
        for (int i = 0; i < 4; i++) {
            b.putShort((short) bits);
        }
        for (int s : samples) {
            if (bits == 8) {
                b.put((byte) s);
            } else {
                b.putShort((short) s);
            }
        }
        return b.array();
    }

    private static void entry(java.nio.ByteBuffer b, int tag, int type, int count, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(count);
        if (type == 3 && count == 1) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }

    public static byte[] be32(long v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    public static byte[] be16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }
}
