package io.tilespark.io;

/**
 * Reads the first directory of a TIFF (the page OpenCV decodes) and checks it against the file:
 * the sample layout must be one the operators take (unsigned integers, 1..16 bits, 1..4
 * samples), the compression one of a short list, and every strip or tile must lie inside the
 * file. Tag numbers and meanings: TIFF 6.0 specification, sections 8 and 15.
 */
final class TiffHeader {

    private TiffHeader() {
    }

    static ImageHeader read(Bytes in) throws DecodeException {
        TiffStructure t = TiffStructure.parse(in);
        long w = t.value(256, 0);
        long h = t.value(257, 0);
        ImageHeader.Builder hdr = ImageHeader.of(ImageFormat.TIFF, w, h);

        long spp = t.value(277, 1);
        if (spp < 1 || spp > 4) {
            throw new DecodeException("TIFF with " + spp + " samples per pixel is not supported (1..4)");
        }
        long[] bps = t.values(258);
        long bits = bps.length == 0 ? 1 : bps[0];
        for (long b : bps) {
            if (b != bits) {
                throw new DecodeException("TIFF with different bit depths per sample is not supported");
            }
        }
        if (bits != 1 && bits != 4 && bits != 8 && bits != 10 && bits != 12 && bits != 14 && bits != 16) {
            throw new DecodeException(bits + "-bit TIFF samples are not supported (1, 4, 8, 10, 12, 14 or 16)");
        }
        long sampleFormat = t.value(339, 1);
        if (sampleFormat != 1) {
            throw new DecodeException("TIFF with " + (sampleFormat == 2 ? "signed" : sampleFormat == 3 ? "floating-point"
                    : "format " + sampleFormat) + " samples is not supported (unsigned integers only)");
        }
        long photometric = t.value(262, -1);
        checkPhotometric(photometric, bits);
        long compression = t.value(259, 1);
        checkCompression(compression);
        long planar = t.value(284, 1);
        if (planar != 1 && planar != 2) {
            throw new DecodeException("corrupt TIFF: planar configuration " + planar);
        }
        if (planar == 2 && bits > 8) {
            throw new DecodeException(bits + "-bit TIFF with separate colour planes is not supported "
                    + "(OpenCV decodes it with wrong colours)");
        }
        checkData(in, t, w, h, spp, bits, compression, planar == 2);
        // Alpha (tag 338, ExtraSamples: 1 associated, 2 unassociated). Up to 8 bits OpenCV reads
        // through libtiff's RGBA interface, which hands back colour premultiplied by alpha in both
        // cases (measured: an unassociated 200,100,50 at alpha 128 comes back as 100,50,25); above
        // 8 bits OpenCV reads samples as stored, premultiplied only when the file says associated.
        long extra = t.value(338, 0);
        boolean premultiplied = bits <= 8 ? extra == 1 || extra == 2 : extra == 1;
        // OpenCV's TIFF decoder applies tag 274 itself (grfmt_tiff.cpp, fixOrientation), so the
        // orientation is not reported here: applying it again would turn the image twice.
        return hdr.channels((int) spp).cmyk(photometric == 5, false).noAlpha(photometric == 5)
                .premultiplied(premultiplied).bits((int) bits).maxValue(bits <= 8 ? 255 : (int) ((1L << bits) - 1)).build();
    }

    private static void checkPhotometric(long p, long bits) throws DecodeException {
        if (p == -1) {
            throw new DecodeException("corrupt TIFF: no photometric interpretation (tag 262)");
        }
        if (p == 0 || p == 1 || p == 2 || p == 6) {
            return; // white-is-zero, black-is-zero, RGB, YCbCr
        }
        if (p == 3 && bits <= 8) {
            return; // palette
        }
        if (bits == 4) {
            throw new DecodeException("4-bit TIFF is supported only with a palette (as in OpenCV's decoder)");
        }
        if (p == 8) {
            // Measured: libtiff's RGBA conversion of Pillow's hopper.Lab.tif is off from hopper.tif
            // by 13 of 255 on average (Pillow's own conversion: 2).
            throw new DecodeException("CIELab TIFF is not supported (the decoder's conversion to RGB shifts colours)");
        }
        if (p == 5 && bits == 8) {
            return; // CMYK, converted to RGB by libtiff's RGBA interface
        }
        throw new DecodeException("TIFF photometric interpretation " + p + " at " + bits
                + " bits is not supported (grey, RGB, YCbCr, palette or 8-bit CMYK)");
    }

    /**
     * Codecs that OpenCV's bundled libtiff decodes and that are in wide use. Old-style JPEG (6) is
     * refused: deprecated since 1995 (TIFF Technical Note 2) and a long source of libtiff bugs.
     */
    private static void checkCompression(long c) throws DecodeException {
        switch ((int) c) {
            case 1:     // none
            case 2:     // CCITT modified Huffman RLE
            case 3:     // CCITT group 3 fax
            case 4:     // CCITT group 4 fax
            case 5:     // LZW
            case 7:     // JPEG
            case 8:     // Adobe deflate
            case 32773: // PackBits
            case 32946: // deflate (old code)
                return;
            default:
                throw new DecodeException("TIFF compression " + c + (c == 6 ? " (old-style JPEG)" : "")
                        + " is not supported");
        }
    }

    private static void checkData(Bytes in, TiffStructure t, long w, long h, long spp, long bits, long compression,
                                  boolean separate) throws DecodeException {
        long[] offsets;
        long[] counts;
        long pieces;
        if (t.has(322) || t.has(324)) {
            long tw = t.value(322, 0);
            long th = t.value(323, 0);
            if (tw <= 0 || th <= 0 || tw > ImageHeader.Builder.MAX_SIDE || th > ImageHeader.Builder.MAX_SIDE) {
                throw new DecodeException("corrupt TIFF: tile size " + tw + "x" + th);
            }
            offsets = t.values(324);
            counts = t.values(325);
            pieces = ((w + tw - 1) / tw) * ((h + th - 1) / th);
        } else {
            long rows = t.value(278, h);
            if (rows <= 0 || rows > h) {
                rows = h;
            }
            offsets = t.values(273);
            counts = t.values(279);
            pieces = (h + rows - 1) / rows;
        }
        if (separate) {
            pieces *= spp;
        }
        if (offsets.length < pieces) {
            throw new DecodeException("corrupt TIFF: " + offsets.length + " strip/tile offsets for " + pieces
                    + " strips/tiles");
        }
        long stored = 0;
        for (int i = 0; i < pieces; i++) {
            long count = i < counts.length ? counts[i] : 0;
            if (offsets[i] < 0 || offsets[i] >= in.length() || offsets[i] + count > in.length()) {
                throw new DecodeException("truncated TIFF: strip/tile " + i + " lies past the end of the file");
            }
            stored += count;
        }
        // Where the codec bounds how far it can expand data, the stored bytes must be able to
        // hold the declared pixels (none 1:1, PackBits 64:1, deflate 1032:1).
        long ratio = compression == 1 ? 1 : compression == 32773 ? 64 : compression == 8 || compression == 32946 ? 1032 : 0;
        if (ratio > 0 && counts.length >= pieces) {
            long needed = w * spp * bits / 8 * h; // a lower bound: rows are padded, tiles overhang
            if (needed / ratio > stored) {
                throw new DecodeException("truncated TIFF: " + stored + " bytes of pixel data cannot hold " + w + "x"
                        + h + " pixels");
            }
        }
    }
}
