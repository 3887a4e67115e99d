package io.tilespark.ops;

/** A bad operator chain or parameter: the user's mistake, reported as a usage error (exit 2). */
public final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
