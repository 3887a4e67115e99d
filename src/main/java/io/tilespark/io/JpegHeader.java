package io.tilespark.io;

/**
 * Reads a JPEG's frame header (SOFn) by walking its marker segments up to the first scan, plus the
 * two metadata segments that change how pixels must be read: the EXIF orientation (APP1) and the
 * Adobe marker (APP14) that says four-channel data is stored with inverted inks.
 * Marker layout: ITU-T T.81 (JPEG), annex B; APP1 EXIF: CIPA DC-008 (Exif 2.3), section 4.7.
 */
final class JpegHeader {

    private JpegHeader() {
    }

    static ImageHeader read(Bytes in) throws DecodeException {
        long pos = 2; // after SOI
        int orientation = ImageHeader.UPRIGHT;
        boolean exifSeen = false;
        boolean adobe = false;
        ImageHeader.Builder frame = null;
        int components = 0;
        while (true) {
            if (!in.has(pos, 2)) {
                throw new DecodeException("truncated JPEG: the file ends in its headers, before any image data");
            }
            // Bytes between segments are tolerated, as libjpeg does (it warns and skips to the next 0xFF).
            while (in.u8(pos) != 0xFF) {
                pos++;
                if (!in.has(pos, 2)) {
                    throw new DecodeException("truncated JPEG: the file ends in its headers, before any image data");
                }
            }
            while (in.has(pos + 1, 1) && in.u8(pos + 1) == 0xFF) {
                pos++; // fill bytes
            }
            int marker = in.u8(pos + 1);
            pos += 2;
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // markers without a length
            }
            if (marker == 0xD9) {
                throw new DecodeException("corrupt JPEG: end-of-image marker before any image data");
            }
            int len = in.u16(pos, true);
            if (len < 2) {
                throw new DecodeException("corrupt JPEG: segment 0x" + Integer.toHexString(marker) + " has length " + len);
            }
            if (!in.has(pos, len)) {
                throw new DecodeException("truncated JPEG: segment 0x" + Integer.toHexString(marker) + " at byte "
                        + (pos - 2) + " runs past the end of the file");
            }
            long seg = pos + 2;
            int segLen = len - 2;
            if (marker == 0xE1 && !exifSeen && segLen > 6 && in.matches(seg, "Exif\0\0")) {
                exifSeen = true; // the first EXIF block counts, as in libexif and most viewers
                orientation = TiffStructure.orientation(in.slice(seg + 6, segLen - 6, "EXIF block"));
            } else if (marker == 0xEE && segLen >= 12 && in.matches(seg, "Adobe")) {
                adobe = true;
            } else if (isFrame(marker)) {
                if (frame != null) {
                    throw new DecodeException("corrupt JPEG: two frame headers");
                }
                components = checkFrame(in, marker, seg, segLen);
                frame = ImageHeader.of(ImageFormat.JPEG, in.u16(seg + 3, true), in.u16(seg + 1, true))
                        .channels(components).bits(8).maxValue(255);
            } else if (marker == 0xDA) {
                if (frame == null) {
                    throw new DecodeException("corrupt JPEG: image data before the frame header");
                }
                if (!endsWithEoi(in, pos + len)) {
                    // libjpeg would fill the missing rows with grey and OpenCV would call it a success.
                    throw new DecodeException("truncated JPEG: the image data has no end-of-image marker");
                }
                return frame.orientation(orientation).cmyk(components == 4, adobe).build();
            }
            pos += len;
        }
    }

    /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isFrame(int m) {
        return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    }

    private static int checkFrame(Bytes in, int marker, long seg, int segLen) throws DecodeException {
        if (segLen < 6) {
            throw new DecodeException("corrupt JPEG: frame header too short");
        }
        int precision = in.u8(seg);
        int height = in.u16(seg + 1, true);
        int nf = in.u8(seg + 5);
        if (marker == 0xC5 || marker == 0xC6 || marker == 0xC7 || marker == 0xCD || marker == 0xCE || marker == 0xCF) {
            throw new DecodeException("hierarchical JPEG is not supported");
        }
        if (marker == 0xC3 || marker == 0xCB) {
            throw new DecodeException("lossless JPEG is not supported");
        }
        if (precision != 8) {
            throw new DecodeException(precision + "-bit JPEG is not supported (8-bit only)");
        }
        if (height == 0) {
            throw new DecodeException("JPEG whose height is defined later (DNL marker) is not supported");
        }
        if (segLen != 6 + 3 * nf) {
            throw new DecodeException("corrupt JPEG: frame header length " + segLen + " does not fit " + nf + " components");
        }
        if (nf != 1 && nf != 3 && nf != 4) {
            throw new DecodeException("JPEG with " + nf + " components is not supported (1, 3 or 4)");
        }
        for (int i = 0; i < nf; i++) {
            int sampling = in.u8(seg + 6 + 3 * i + 1);
            int h = sampling >> 4;
            int v = sampling & 15;
            int tq = in.u8(seg + 6 + 3 * i + 2);
            if (h < 1 || h > 4 || v < 1 || v > 4 || tq > 3) {
                throw new DecodeException("corrupt JPEG: component " + i + " has sampling " + h + "x" + v
                        + " and table " + tq);
            }
        }
        return nf;
    }

    /**
     * Whether an EOI marker (FF D9) follows the first scan. Inside entropy-coded data every FF is
     * followed by 00 or a restart marker, so FF D9 there can only be the real end. Searched from
     * the end of the file, where it normally is; data appended after it (MPF gain maps,
     * camera trailers) holds further EOIs and is fine either way.
     */
    private static boolean endsWithEoi(Bytes in, long dataStart) throws DecodeException {
        byte[] b = in.raw();
        for (long i = b.length - 2; i >= dataStart; i--) {
            if ((b[(int) i] & 0xFF) == 0xFF && (b[(int) i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }
}
