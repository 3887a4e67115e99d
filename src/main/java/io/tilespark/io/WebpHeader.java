package io.tilespark.io;

/**
 * Reads a WebP's dimensions from its VP8 (lossy), VP8L (lossless) or VP8X (extended) chunk and,
 * for the extended form, checks the image chunk against the canvas and picks up the EXIF
 * orientation. Layout: RFC 9649 (WebP Image Format), sections 2 to 5.
 */
final class WebpHeader {

    private WebpHeader() {
    }

    static ImageHeader read(Bytes in) throws DecodeException {
        long riff = in.u32(4, false);
        if (riff < 4 || riff + 8 > in.length()) {
            throw new DecodeException("truncated WebP: the RIFF header declares " + (riff + 8) + " bytes, the file has "
                    + in.length());
        }
        long end = riff + 8;
        String first = in.ascii(12, 4);
        long size = in.u32(16, false);
        if (20 + size > end) {
            throw new DecodeException("truncated WebP: chunk " + first + " runs past the end of the file");
        }
        switch (first) {
            case "VP8 ":
                return lossy(in, 20, size).build();
            case "VP8L":
                return lossless(in, 20, size).build();
            case "VP8X":
                return extended(in, end);
            default:
                throw new DecodeException("corrupt WebP: first chunk is neither VP8, VP8L nor VP8X");
        }
    }

    /** VP8 key frame header: RFC 6386, section 9.1. */
    private static ImageHeader.Builder lossy(Bytes in, long at, long size) throws DecodeException {
        if (size < 10) {
            throw new DecodeException("corrupt WebP: VP8 chunk too short");
        }
        if ((in.u8(at) & 1) != 0) {
            throw new DecodeException("corrupt WebP: VP8 data does not start with a key frame");
        }
        if (in.u8(at + 3) != 0x9D || in.u8(at + 4) != 0x01 || in.u8(at + 5) != 0x2A) {
            throw new DecodeException("corrupt WebP: VP8 start code missing");
        }
        int w = in.u16(at + 6, false) & 0x3FFF;
        int h = in.u16(at + 8, false) & 0x3FFF;
        return ImageHeader.of(ImageFormat.WEBP, w, h).channels(3).bits(8).maxValue(255);
    }

    /** VP8L header: RFC 9649, section 3.2. */
    private static ImageHeader.Builder lossless(Bytes in, long at, long size) throws DecodeException {
        if (size < 5 || in.u8(at) != 0x2F) {
            throw new DecodeException("corrupt WebP: VP8L signature missing");
        }
        long bits = in.u32(at + 1, false);
        long w = (bits & 0x3FFF) + 1;
        long h = ((bits >> 14) & 0x3FFF) + 1;
        boolean alpha = ((bits >> 28) & 1) != 0;
        if ((bits >> 29) != 0) {
            throw new DecodeException("corrupt WebP: unknown VP8L version " + (bits >> 29));
        }
        return ImageHeader.of(ImageFormat.WEBP, w, h).channels(alpha ? 4 : 3).bits(8).maxValue(255);
    }

    private static ImageHeader extended(Bytes in, long end) throws DecodeException {
        int flags = in.u8(20);
        boolean animated = (flags & 0x02) != 0;
        boolean alpha = (flags & 0x10) != 0;
        long cw = in.u24le(24) + 1L;
        long ch = in.u24le(27) + 1L;
        ImageHeader.Builder canvas = ImageHeader.of(ImageFormat.WEBP, cw, ch).channels(alpha ? 4 : 3).bits(8).maxValue(255);
        int orientation = ImageHeader.UPRIGHT;
        boolean image = false;
        long pos = 30;
        while (pos + 8 <= end) {
            String type = in.ascii(pos, 4);
            long size = in.u32(pos + 4, false);
            if (pos + 8 + size > end) {
                throw new DecodeException("truncated WebP: chunk " + printable(type) + " runs past the end of the file");
            }
            if ("EXIF".equals(type) && orientation == ImageHeader.UPRIGHT) {
                long at = pos + 8;
                long len = size;
                if (in.matches(at, "Exif\0\0")) { // some writers keep the JPEG-style prefix
                    at += 6;
                    len -= 6;
                }
                orientation = TiffStructure.orientation(in.slice(at, len, "WebP EXIF chunk"));
            } else if (("VP8 ".equals(type) || "VP8L".equals(type)) && !animated) {
                ImageHeader frame = ("VP8 ".equals(type) ? lossy(in, pos + 8, size) : lossless(in, pos + 8, size)).build();
                if (frame.width != cw || frame.height != ch) {
                    throw new DecodeException("corrupt WebP: canvas is " + cw + "x" + ch + " but the image is "
                            + frame.width + "x" + frame.height);
                }
                image = true;
            } else if ("ANMF".equals(type)) {
                image = true;
            }
            pos += 8 + size + (size & 1);
        }
        if (!image) {
            throw new DecodeException("corrupt WebP: no image data");
        }
        return canvas.orientation(orientation).animated(animated).build();
    }

    private static String printable(String type) {
        return type.matches("[A-Za-z0-9 ]{4}") ? type.trim() : "(unnamed)";
    }
}
