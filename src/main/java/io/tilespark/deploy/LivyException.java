package io.tilespark.deploy;

import java.io.IOException;

/**
 * Livy could not be reached, refused us, or answered something we cannot read.
 *
 * <p>The message is always one line and never carries the password, so that scripts can print it
 * as it is.
 */
public final class LivyException extends IOException {

    private static final long serialVersionUID = 1L;

    /** No HTTP status: the failure happened before an answer arrived. */
    public static final int NO_STATUS = -1;

    private final int status;

    LivyException(String message, int status) {
        super(oneLine(message));
        this.status = status;
    }

    LivyException(String message, int status, Throwable cause) {
        super(oneLine(message), cause);
        this.status = status;
    }

    /** The HTTP status Livy (or the gateway in front of it) answered, or {@link #NO_STATUS}. */
    public int status() {
        return status;
    }

    /** True for answers that will not change on a retry: bad credentials, bad request, no such batch. */
    public boolean isPermanent() {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
