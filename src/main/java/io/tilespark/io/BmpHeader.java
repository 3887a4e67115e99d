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
        return hdr.channels(bpp == 32 ? 4 : 3).bits(8).maxValue(255).build();
    }
}
