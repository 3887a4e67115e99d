package io.tilespark.io;

/**
 * Reads a Windows bitmap's file and DIB headers (core, info and v2..v5 variants) and checks that
 * uncompressed pixel rows fit in the file. Layout: Microsoft's BITMAPFILEHEADER,
 * BITMAPCOREHEADER and BITMAPINFOHEADER documentation (wingdi.h).
 */
final class BmpHeader {

    private BmpHeader() {
    }

    static ImageHeader read(Bytes in) throws DecodeException {
        long dataOffset = in.u32(10, false);
        long dib = in.u32(14, false);
        long w;
        long h;
        int planes;
        int bpp;
        long compression = 0;
        long coloursUsed = 0;
        if (dib == 12) {
            w = in.u16(18, false);
            h = in.u16(20, false);
            planes = in.u16(22, false);
            bpp = in.u16(24, false);
        } else if (dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124) {
            w = in.s32le(18);
            h = in.s32le(22);
            planes = in.u16(26, false);
            bpp = in.u16(28, false);
            compression = in.u32(30, false);
            coloursUsed = in.u32(46, false);
        } else {
            throw new DecodeException("BMP header of " + dib + " bytes is not a known kind");
        }
        boolean topDown = h < 0;
        h = Math.abs(h);
        ImageHeader.Builder hdr = ImageHeader.of(ImageFormat.BMP, w, h);
        if (planes != 1) {
            throw new DecodeException("corrupt BMP: " + planes + " colour planes");
        }
        if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) {
            throw new DecodeException(bpp + "-bit BMP is not supported (1, 4, 8, 16, 24 or 32)");
        }
        boolean rle = compression == 1 || compression == 2;
        if (compression > 3 || (compression == 1 && bpp != 8) || (compression == 2 && bpp != 4)
                || (compression == 3 && bpp != 16 && bpp != 32)) {
            throw new DecodeException("BMP compression " + compression + " at " + bpp + " bits is not supported");
        }
        if (rle && topDown) {
            throw new DecodeException("corrupt BMP: run-length data cannot be stored top-down");
        }
        if (bpp <= 8 && coloursUsed > 256) {
            throw new DecodeException("corrupt BMP: palette of " + coloursUsed + " colours");
        }
        if (dib == 12 && bpp <= 8) {
            // Measured on BMP Suite's pal8os2.bmp: OpenCV returns the colour picture as grey.
            throw new DecodeException("OS/2 1.x BMP with a palette is not supported (OpenCV misreads its palette)");
        }
        boolean alpha = false;
        if (compression == 3) {
            alpha = checkMasks(in, dib, bpp);
        }
        long palette = bpp <= 8 ? (coloursUsed > 0 ? coloursUsed : 1L << bpp) * (dib == 12 ? 3 : 4) : 0;
        long masks = compression == 3 && dib == 40 ? 12 : 0;
        if (dataOffset < 14 + dib + palette + masks && dataOffset < in.length()) {
            // OpenCV would read the palette as pixels: a shifted picture with a band of noise.
            throw new DecodeException("corrupt BMP: pixel data offset " + dataOffset + " overlaps the header or palette");
        }
        if (dataOffset < 14 + dib || dataOffset >= in.length()) {
            throw new DecodeException("truncated BMP: pixel data offset " + dataOffset + " lies outside the "
                    + in.length() + "-byte file");
        }
        if (!rle) {
            long rowBytes = (w * bpp + 31) / 32 * 4;
            if (dataOffset + rowBytes * h > in.length()) {
                throw new DecodeException("truncated BMP: " + w + "x" + h + " pixels need " + rowBytes * h
                        + " bytes, the file holds " + (in.length() - dataOffset));
            }
        }
        return hdr.channels(alpha ? 4 : 3).noAlpha(!alpha).bits(8).maxValue(255).build();
    }

    /**
     * Bit-field masks (after a 40-byte header, or inside a v2+ header). OpenCV decodes masks that
     * are whole bytes, and the 5-6-5 and 5-5-5 layouts of 16-bit pixels; with any other mask it
     * returns wrong colours without an error (measured on BMP Suite's rgb32bf.bmp and
     * rgb32-111110.bmp with both OpenCV builds), so such files are refused. Returns whether the
     * pixels carry alpha: only a v3+ header can say so.
     */
    private static boolean checkMasks(Bytes in, long dib, int bpp) throws DecodeException {
        long r = in.u32(54, false);
        long g = in.u32(58, false);
        long b = in.u32(62, false);
        long a = dib >= 56 ? in.u32(66, false) : 0;
        if (bpp == 16) {
            boolean rgb565 = r == 0xF800 && g == 0x07E0 && b == 0x001F;
            boolean rgb555 = r == 0x7C00 && g == 0x03E0 && b == 0x001F;
            if (!rgb565 && !rgb555) {
                throw new DecodeException("16-bit BMP with colour masks other than 5-6-5 or 5-5-5 is not supported");
            }
            return false;
        }
        if (!wholeByte(r) || !wholeByte(g) || !wholeByte(b) || r == g || g == b || r == b
                || (a != 0 && (!wholeByte(a) || a == r || a == g || a == b))) {
            throw new DecodeException("32-bit BMP with colour masks that are not whole bytes is not supported "
                    + "(OpenCV decodes them with wrong colours)");
        }
        return a != 0;
    }

    private static boolean wholeByte(long m) {
        return m == 0xFFL || m == 0xFF00L || m == 0xFF0000L || m == 0xFF000000L;
    }
}
