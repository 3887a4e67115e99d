package io.tilespark.io;

/** An input that cannot become an image: one failed manifest row, never a failed job. */
public final class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    public DecodeException(String message) {
        super(message);
    }
}
