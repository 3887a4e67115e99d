package io.tilespark.job;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** What is known about one image after reading it, travelling with its first tile to the stitcher. */
final class ImageMeta implements Serializable {
    private static final long serialVersionUID = 1L;

    final InputFile file;
    String format = "";
    int width;
    int height;
    int channels;
    int tiles;
    String error;
    final List<String> notes = new ArrayList<>();
    long readMs;
    long decodeMs;
    /** Small JPEG of the decoded input when the image is in the report's thumbnail sample. */
    byte[] thumb;

    ImageMeta(InputFile file) {
        this.file = file;
    }
}
