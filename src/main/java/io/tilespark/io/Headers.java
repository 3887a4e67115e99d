package io.tilespark.io;

/**
 * Reads an image's header without decoding it: format from the magic bytes, then the
 * format's own header parser. Any format without a parser here is refused, so a native
 * decoder only ever sees files whose size and layout have been checked first.
 */
public final class Headers {

    private Headers() {
    }

    /** The formats whose headers this class can read and check. */
    public static boolean readable(ImageFormat f) {
        switch (f) {
            case JPEG:
            case PNG:
            case TIFF:
            case WEBP:
            case BMP:
            case PNM:
            case GIF:
                return true;
            default:
                return false;
        }
    }

    public static ImageHeader read(byte[] bytes) throws DecodeException {
        if (bytes.length == 0) {
            throw new DecodeException("empty file (0 bytes)");
        }
        ImageFormat f = ImageFormat.sniff(bytes.length > 16 ? java.util.Arrays.copyOf(bytes, 16) : bytes);
        if (f == ImageFormat.UNKNOWN) {
            throw new DecodeException("not an image: no known format signature in the first bytes");
        }
        return read(bytes, f);
    }

    static ImageHeader read(byte[] bytes, ImageFormat f) throws DecodeException {
        Bytes in = new Bytes(bytes, f.label() + " header");
        try {
            switch (f) {
                case JPEG:
                    return JpegHeader.read(in);
                case PNG:
                    return PngHeader.read(in);
                case TIFF:
                    return TiffHeader.read(in);
                case WEBP:
                    return WebpHeader.read(in);
                case BMP:
                    return BmpHeader.read(in);
                case PNM:
                    return PnmHeader.read(in);
                case GIF:
                    return GifHeader.read(in);
                default:
                    throw new DecodeException(f.label() + " has no header check here, so it is not decoded");
            }
        } catch (RuntimeException e) {
            // A parser bug must not take the job down; the file is refused as unreadable.
            throw new DecodeException("unreadable " + f.label() + " header: " + e);
        }
    }
}
