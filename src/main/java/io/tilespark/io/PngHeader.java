package io.tilespark.io;

import java.util.zip.CRC32;

/**
 * Reads a PNG's IHDR and walks its chunks: the image must be complete (IEND reached, no chunk
 * running past the end) and its IDAT data large enough to possibly hold the declared pixels,
 * because deflate cannot compress better than 1032:1 (zlib technical details, "Maximum
 * Compression Factor", zlib.net/zlib_tech.html). A 1 KB file claiming 200 MP is refused before
 * OpenCV allocates 600 MB for it. Chunk layout: PNG specification (ISO/IEC 15948), section 5.
 */
final class PngHeader {

    private static final long DEFLATE_MAX_RATIO = 1032;

    private PngHeader() {
    }

    static ImageHeader read(Bytes in) throws DecodeException {
        if (!in.matches(12, "IHDR") || in.u32(8, true) != 13) {
            throw new DecodeException("corrupt PNG: the first chunk is not a 13-byte IHDR");
        }
        in.need(8, 25);
        CRC32 crc = new CRC32();
        crc.update(in.raw(), 12, 17);
        if (crc.getValue() != in.u32(29, true)) {
            throw new DecodeException("corrupt PNG: IHDR checksum mismatch");
        }
        long w = in.u32(16, true);
        long h = in.u32(20, true);
        int depth = in.u8(24);
        int colourType = in.u8(25);
        if (in.u8(26) != 0 || in.u8(27) != 0 || in.u8(28) > 1) {
            throw new DecodeException("corrupt PNG: unknown compression, filter or interlace method in IHDR");
        }
        int channels = channels(colourType, depth);
        ImageHeader.Builder hdr = ImageHeader.of(ImageFormat.PNG, w, h).channels(channels).bits(depth)
                .maxValue(depth == 16 ? 65535 : 255); // libpng expands 1, 2 and 4 bits to 0..255

        long idat = 0;
        boolean animated = false;
        int orientation = ImageHeader.UPRIGHT;
        boolean ended = false;
        long pos = 8;
        while (in.has(pos, 8)) {
            long len = in.u32(pos, true);
            String type = in.ascii(pos + 4, 4);
            if (len > Integer.MAX_VALUE || !in.has(pos + 8, len + 4)) {
                throw new DecodeException("truncated PNG: chunk " + printable(type) + " at byte " + pos
                        + " runs past the end of the file");
            }
            if ("IDAT".equals(type)) {
                idat += len;
            } else if ("acTL".equals(type) && idat == 0) {
                animated = true;
            } else if ("eXIf".equals(type) && orientation == ImageHeader.UPRIGHT) {
                orientation = TiffStructure.orientation(in.slice(pos + 8, len, "eXIf chunk"));
            } else if ("IEND".equals(type)) {
                ended = true;
                break;
            }
            pos += 12 + len;
        }
        if (idat == 0) {
            throw new DecodeException("corrupt PNG: no image data (IDAT)");
        }
        if (!ended) {
            throw new DecodeException("truncated PNG: the file ends before its IEND chunk");
        }
        // Filtered scanlines: one filter byte per row plus the packed samples.
        long rowBytes = (w * channels * depth + 7) / 8;
        long raw = h * (1 + rowBytes);
        if (raw / DEFLATE_MAX_RATIO > idat + 64) {
            throw new DecodeException("corrupt PNG: " + idat + " bytes of image data cannot hold " + w + "x" + h
                    + " pixels (deflate compresses at most 1032:1)");
        }
        return hdr.orientation(orientation).animated(animated).build();
    }

    /**
     * The same PNG without its APNG chunks (acTL, fcTL, fdAT), i.e. just its default image: the
     * one every viewer without animation support shows. OpenCV 4.13 decodes APNG itself and
     * returns another frame (Pillow's APNG test files come out with a different frame than their
     * default image), while 4.7 ignores the chunks; without them both builds agree.
     */
    static byte[] stillImage(byte[] png) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(png.length);
        out.write(png, 0, 8);
        int pos = 8;
        while (pos + 12 <= png.length) {
            long len = ((png[pos] & 0xFFL) << 24) | ((png[pos + 1] & 0xFF) << 16) | ((png[pos + 2] & 0xFF) << 8)
                    | (png[pos + 3] & 0xFF);
            if (pos + 12 + len > png.length) {
                break;
            }
            String type = new String(png, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!"acTL".equals(type) && !"fcTL".equals(type) && !"fdAT".equals(type)) {
                out.write(png, pos, (int) (12 + len));
            }
            pos += (int) (12 + len);
        }
        return out.toByteArray();
    }

    /** Samples per pixel for a colour type, after checking the bit depth is legal for it (spec table 11.1). */
    private static int channels(int colourType, int depth) throws DecodeException {
        boolean ok;
        int ch;
        switch (colourType) {
            case 0:
                ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
                ch = 1;
                break;
            case 2:
                ok = depth == 8 || depth == 16;
                ch = 3;
                break;
            case 3:
                ok = depth == 1 || depth == 2 || depth == 4 || depth == 8;
                ch = 1;
                break;
            case 4:
                ok = depth == 8 || depth == 16;
                ch = 2;
                break;
            case 6:
                ok = depth == 8 || depth == 16;
                ch = 4;
                break;
            default:
                throw new DecodeException("corrupt PNG: unknown colour type " + colourType);
        }
        if (!ok) {
            throw new DecodeException("corrupt PNG: bit depth " + depth + " is not allowed for colour type " + colourType);
        }
        return ch;
    }

    private static String printable(String type) {
        return type.matches("[A-Za-z]{4}") ? type : "(unnamed)";
    }
}
