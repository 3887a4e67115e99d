package io.tilespark.io;

/** Reads a GIF's logical screen size. Layout: GIF89a specification, section 18. */
final class GifHeader {

    private GifHeader() {
    }

    static ImageHeader read(Bytes in) throws DecodeException {
        if (!in.matches(0, "GIF87a") && !in.matches(0, "GIF89a")) {
            throw new DecodeException("corrupt GIF: unknown version");
        }
        return ImageHeader.of(ImageFormat.GIF, in.u16(6, false), in.u16(8, false)).bits(8).maxValue(255).build();
    }
}
