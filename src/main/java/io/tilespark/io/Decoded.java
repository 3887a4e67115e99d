package io.tilespark.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.opencv.core.Mat;

/**
 * A decoded image as the operators see it: 8-bit grey or BGR colour, with any alpha plane split
 * off (operators never touch alpha; it is put back at encode). Owns its Mats.
 */
public final class Decoded implements AutoCloseable {
    public final ImageFormat format;
    public final Mat colour;
    /** Null when the image has no alpha. */
    public final Mat alpha;
    /** Channels as stored in the file (1, 2, 3 or 4). */
    public final int sourceChannels;
    /** Bits per channel as stored (8 or 16). */
    public final int sourceDepth;
    private final List<String> notes;

    Decoded(ImageFormat format, Mat colour, Mat alpha, int sourceChannels, int sourceDepth, List<String> notes) {
        this.format = format;
        this.colour = colour;
        this.alpha = alpha;
        this.sourceChannels = sourceChannels;
        this.sourceDepth = sourceDepth;
        this.notes = Collections.unmodifiableList(new ArrayList<>(notes));
    }

    public int width() {
        return colour.cols();
    }

    public int height() {
        return colour.rows();
    }

    /** What was changed on the way in (e.g. 16-bit reduced to 8-bit), for the manifest. */
    public List<String> notes() {
        return notes;
    }

    /** The same pixels with one more note; ownership moves to the result. */
    Decoded withNote(String note) {
        List<String> n = new ArrayList<>(notes);
        n.add(note);
        return new Decoded(format, colour, alpha, sourceChannels, sourceDepth, n);
    }

    @Override
    public void close() {
        colour.release();
        if (alpha != null) {
            alpha.release();
        }
    }
}
