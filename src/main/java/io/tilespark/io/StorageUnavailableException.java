package io.tilespark.io;

/**
 * Storage as a whole failed (unreachable, credentials rejected, server errors after retries), as
 * opposed to one image being bad. Thrown on executors to fail the task, and so the job, instead of
 * recording every remaining image as failed; its message is the one line the user sees.
 */
public final class StorageUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
